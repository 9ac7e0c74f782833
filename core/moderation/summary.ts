import { EFFECT_WORDS, listWords, numberWords } from '../licence/describe.ts'
import { activeEffects, heardStemsFrom, regionShift, type LicenceStem } from '../licence/use.ts'
import type { Recipe } from '../recipe/schema.ts'
import type { Seconds } from '../units.ts'

/** A campaign stem as the summary names it. */
export type SummaryStem = LicenceStem & { name: string }

/** A length as a clock reads it: "3:07". */
export function clockWords(length: Seconds): string {
  const whole = Math.round(length)
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
}

const signed = (n: number) => (n > 0 ? `+${numberWords(n)}` : numberWords(n))

function effectsLine(recipe: Recipe, heard: Map<string, number[]>, name: (id: string) => string) {
  const typesOf = (tracks: number[], where: 'tracks' | 'master') =>
    new Set(
      tracks.flatMap((t) =>
        activeEffects(recipe, t)
          .filter((e) => e.path[0] === where)
          .map((e) => EFFECT_WORDS[e.effect.type]),
      ),
    )
  const parts = [...heard].flatMap(([stem, tracks]) => {
    const types = typesOf(tracks, 'tracks')
    return types.size ? [`${listWords([...types], 'and')} on ${name(stem)}`] : []
  })
  const master = typesOf([0], 'master')
  if (master.size) parts.push(`${listWords([...master], 'and')} on the whole mix`)
  return parts.length ? `Effects: ${parts.join('; ')}` : 'No effects'
}

function shiftLine(recipe: Recipe, heard: Map<string, number[]>, name: (id: string) => string) {
  const shifted = [...heard].flatMap(([stem, tracks]) => {
    let low = 0
    let high = 0
    for (const t of tracks)
      recipe.tracks[t]!.regions.forEach((_, r) => {
        const shift = regionShift(recipe, t, r)
        low = Math.min(low, shift.low)
        high = Math.max(high, shift.high)
      })
    if (Math.abs(low) < 0.005 && Math.abs(high) < 0.005) return []
    const range =
      low === high || low === 0 || high === 0
        ? signed(low || high)
        : `${signed(low)} to ${signed(high)}`
    return [`${name(stem)} ${range} semitones`]
  })
  return shifted.length
    ? `Pitch or speed changed: ${shifted.join('; ')}`
    : 'No pitch or speed changes'
}

/**
 * What a remix is made of, in a few plain lines for the artist's queue: length, the stems heard,
 * effects, pitch and speed changes, and AI assistance.
 */
export function recipeSummaryFrom(recipe: Recipe, stems: readonly SummaryStem[]): string[] {
  const heard = heardStemsFrom(recipe, stems)
  const name = (id: string) => stems.find((s) => s.id === id)?.name ?? id
  const voices = [...heard.keys()].filter((id) => stems.find((s) => s.id === id)?.isVoice)
  const tools = [...new Set(recipe.aiActions.map((a) => a.tool))]
  return [
    `${clockWords(recipe.length)} long at ${numberWords(recipe.tempo)} BPM in ${recipe.timeSignature.join('/')}`,
    heard.size
      ? `${heard.size} of ${stems.length} stems heard: ${listWords([...heard.keys()].map(name), 'and')}`
      : 'No stem is heard',
    ...(voices.length ? [`Uses the voice: ${listWords(voices.map(name), 'and')}`] : []),
    effectsLine(recipe, heard, name),
    shiftLine(recipe, heard, name),
    tools.length
      ? `AI-assisted: ${recipe.aiActions.length} action${recipe.aiActions.length === 1 ? '' : 's'} (${listWords(tools, 'and')})`
      : 'No AI assistance',
  ]
}
