import type { Recipe } from '../../core/recipe/schema.ts'

/** Work kept in this browser until the server has it: crash recovery for the studio. */
export type Draft = { recipe: Recipe; title: string; baseVersion: number; savedAt: string }

const keyOf = (scope: string) => `stemfair:draft:${scope}`

export function readDraft(scope: string): Draft | null {
  try {
    const raw = localStorage.getItem(keyOf(scope))
    return raw ? (JSON.parse(raw) as Draft) : null
  } catch {
    return null
  }
}

export function writeDraft(scope: string, draft: Draft): void {
  try {
    localStorage.setItem(keyOf(scope), JSON.stringify(draft))
  } catch {
    // Storage full or disabled: the server copy still autosaves.
  }
}

export function clearDraft(scope: string): void {
  try {
    localStorage.removeItem(keyOf(scope))
  } catch {
    // Nothing to clear.
  }
}
