// What a remix says about AI, in its tags, manifest and share page: exactly what happened.
import type { AiAction } from '../recipe/schema.ts'

/** The words for AI tools, as a listener reads them. */
const TOOL_WORDS: Record<string, string> = {
  'stemfair-assistant': 'arrangement assistant',
  'stemfair-artwork': 'cover art',
  'stemfair/generate-part': 'generated parts',
  '@spotify/basic-pitch': 'transcription',
}

const toolWords = (tool: string) => TOOL_WORDS[tool] ?? tool

/**
 * The disclosure of a remix from its AI actions: with none it says the remix was made by hand and
 * carries no AI label; otherwise it names the tools that contributed.
 */
export function aiDisclosureOf(aiActions: readonly Pick<AiAction, 'tool'>[]): {
  aiAssisted: boolean
  label: string
} {
  if (!aiActions.length)
    return { aiAssisted: false, label: 'Remix of officially licensed stems, edited by hand: no AI' }
  const tools = [...new Set(aiActions.map((a) => toolWords(a.tool)))]
  return {
    aiAssisted: true,
    label: `AI-assisted remix of officially licensed stems (${tools.join(', ')})`,
  }
}
