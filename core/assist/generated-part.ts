import { generationActionFrom } from '../music/actions.ts'
import { generatePart } from '../music/generate.ts'
import { diatonicTriads, keyFromName, type BarChord } from '../music/harmony.ts'
import type { NoteEvent } from '../music/notes.ts'
import { RecipeSchema } from '../recipe/schema.ts'
import type { PartGenerator } from './types.ts'

// Degrees of a four-bar progression per mode: I–vi–IV–V and i–VI–III–VII.
const PROGRESSIONS = { major: [0, 5, 3, 4], minor: [0, 5, 2, 6] } as const

/**
 * The generated-part hook `propose` calls where the licence allows it: T9's generator in the
 * detected key, over the transcribed notes of a source stem when there are some (else the key's
 * progression alone), recorded with its AI action. `at` stamps that action.
 */
export function partGeneratorFrom(
  at: string,
  notesByStem: ReadonlyMap<string, readonly NoteEvent[]> = new Map(),
): PartGenerator {
  return (request, recipe) => {
    const key = keyFromName(request.key ?? '')
    const bars = request.bars.endBar - request.bars.startBar
    if (!key || bars < 1) return null
    const triads = diatonicTriads(key)
    const chords: BarChord[] = PROGRESSIONS[key.mode].map((d, bar) => ({ ...triads[d]!, bar }))
    const source = request.sourceStems.find((id) => (notesByStem.get(id)?.length ?? 0) > 0)
    const sourceStems = source ? [source] : request.sourceStems.slice(0, 1)
    const beatsPerBar = request.timeSignature[0]
    const id = `ai-${recipe.aiActions.length}-part`
    const part = generatePart({
      kind: request.kind,
      notes: source ? notesByStem.get(source)! : [],
      key,
      chords,
      tempo: request.tempo,
      bars,
      seed: request.seed,
      beatsPerBar,
      startBeat: request.bars.startBar * beatsPerBar,
      id: `gp-${recipe.generatedParts.length}`,
      sourceStems,
      aiAction: id,
    })
    const action = generationActionFrom({
      id,
      at,
      kind: request.kind,
      seed: request.seed,
      sourceStems,
      key: request.key ?? '',
      chords: chords.map((c) => c.symbol),
      bars,
    })
    const parsed = RecipeSchema.safeParse({
      ...recipe,
      aiActions: [...recipe.aiActions, action],
      generatedParts: [...recipe.generatedParts, part],
    })
    return parsed.success ? parsed.data : null
  }
}
