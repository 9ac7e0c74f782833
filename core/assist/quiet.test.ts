// The assistant never proposes silence: every proposal over the demo's real stems (analysed as the
// worker analyses them) and over a generated campaign whose song fades out is measured from the
// audio, mapped through the recipe, and has no quiet stretch longer than the intent allows.
import { beforeAll, describe, expect, it } from 'vitest'
import manifest from '../../stems/manifest.json' with { type: 'json' }
import { analyseStems } from '../analysis/analyse.ts'
import { licencePresets } from '../licence/presets.ts'
import { LicencePolicySchema } from '../licence/policy.ts'
import { mixEnvelope, powerFrames } from '../recipe/envelope.ts'
import { defaultRecipeFrom } from '../recipe/default.ts'
import { secondsPerBar } from '../recipe/grid.ts'
import type { Recipe } from '../recipe/schema.ts'
import { decodeFile, hasFfmpeg } from '../watermark/testing/audio.ts'
import { proposeAll } from './propose.ts'
import { quietAllowance, quietSpansOf } from './quiet.ts'
import { testCampaign } from './testing/campaign.ts'
import { INTENT_NAMES, type AssistCampaign, type AssistStem, type Intent } from './types.ts'

const RATE = 22050
const FRAME = 0.1 // seconds per level frame
const QUIET_DBFS = -50

/**
 * The longest stretch, in seconds, where the remix measures below −50 dBFS, from the stems' real
 * power mapped through the recipe (mixEnvelope). The stretch that ends the remix counts half: an
 * outro's fade may sink that long (quietSpansOf's rule).
 */
function longestQuiet(recipe: Recipe, power: ReadonlyMap<string, Float32Array>): number {
  const mix = mixEnvelope(recipe, power, FRAME)
  let longest = 0
  let run = 0
  for (const m of mix) {
    if (10 * Math.log10(m + 1e-30) < QUIET_DBFS) run += FRAME
    else [longest, run] = [Math.max(longest, run), 0]
  }
  return Math.max(longest, run / 2)
}

const INTENTS = Object.keys(INTENT_NAMES) as Intent[]
const open = licencePresets({})[0]!.policy

function everyProposal(
  stems: AssistStem[],
  campaign: AssistCampaign,
  recipe: Recipe,
  policy = open,
  seeds = [1, 2, 3],
) {
  return INTENTS.flatMap((intent) =>
    seeds.map((seed) => ({
      intent,
      seed,
      ...proposeAll({ intent, seed, recipe, stems, campaign, policy, at: '2027-01-15T00:00:00Z' }),
    })),
  )
}

describe.runIf(hasFfmpeg())('the assistant over the demo campaign’s real stems', () => {
  let stems: AssistStem[]
  let campaign: AssistCampaign
  let recipe: Recipe
  const power = new Map<string, Float32Array>()

  beforeAll(() => {
    const audio = manifest.stems.map((s) => ({
      id: `${manifest.slug}-${s.id}`,
      channels: decodeFile(`stems/${s.file}`, 2, RATE).channels,
    }))
    const { campaign: analysis, stems: measures } = analyseStems(audio, RATE)
    for (const a of audio) power.set(a.id, powerFrames(a.channels, RATE, FRAME))
    const timeSignature = manifest.timeSignature as [number, number]
    campaign = {
      slug: manifest.slug,
      tempo: manifest.tempo,
      timeSignature,
      key: analysis.key,
      sections: analysis.sections,
      firstDownbeat: analysis.downbeats[0],
    }
    stems = manifest.stems.map((s, i) => ({
      id: audio[i]!.id,
      name: s.name,
      role: s.role as AssistStem['role'],
      isVoice: s.isVoice,
      seconds: audio[i]!.channels[0]!.length / RATE,
      analysis: {
        loudness: measures.get(audio[i]!.id)!.loudness,
        activity: measures.get(audio[i]!.id)!.activity,
      },
    }))
    recipe = defaultRecipeFrom({
      slug: manifest.slug,
      tempo: manifest.tempo,
      timeSignature,
      stems: stems.map((s) => ({
        id: s.id,
        lengthSamples: Math.round(s.seconds * RATE),
        sampleRate: RATE,
      })),
    })
  }, 120_000)

  it('offers three proposals for every intent, none quiet for longer than a bar', () => {
    const policy = LicencePolicySchema.parse(manifest.licence)
    for (const answer of everyProposal(stems, campaign, recipe, policy)) {
      expect(answer.proposals.length, `${answer.intent} ${answer.seed}`).toBe(3)
      for (const p of answer.proposals) {
        const quiet = longestQuiet(p.recipe, power)
        expect(quiet, `${p.name} (${answer.intent}, seed ${answer.seed})`).toBeLessThanOrEqual(
          quietAllowance(p.recipe),
        )
      }
    }
  })
})

describe('the assistant over a song that fades out', () => {
  // Every stem plays bars 0–55 and is silent in the last 8 (a fade-out), the voice from bar 8.
  const { campaign, stems, recipe } = testCampaign(5, 128)
  const bars = Math.floor(128 / secondsPerBar(120, [4, 4]))
  for (const s of stems) s.analysis.activity = [{ startBar: s.isVoice ? 8 : 0, endBar: bars - 8 }]

  it('places no region over bars where its stem is silent, so nothing is refused as quiet', () => {
    for (const answer of everyProposal(stems, campaign, recipe)) {
      expect(answer.refused.filter((r) => r.reasons.some((v) => v.code === 'quiet'))).toEqual([])
      for (const p of answer.proposals) expect(quietSpansOf(p.recipe, stems, campaign)).toEqual([])
    }
  })

  it('names the silent stretch of a recipe that loops the fade-out', () => {
    const bar = secondsPerBar(120, [4, 4])
    const fadeOut = (bars - 4) * bar
    const looped: Recipe = {
      ...recipe,
      length: 32 * bar,
      tracks: recipe.tracks.map((t) => ({
        ...t,
        regions: [
          { ...t.regions[0]!, start: 0, offset: fadeOut, duration: 4 * bar, loops: 2 },
          { ...t.regions[0]!, id: `${t.id}-b`, start: 8 * bar, offset: 0, duration: 24 * bar },
        ],
      })),
    }
    expect(quietSpansOf(looped, stems, campaign)).toEqual([[0, 8 * bar]])
  })
})
