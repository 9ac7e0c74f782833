// Preview = export, measured: the same recipes through the studio's Tone.js graph (renderRecipe,
// in Chromium) and through core/render (the export's renderer), compared. Linear chains must null
// to −60 dB; nonlinear ones match 1/3-octave band energies within 0.5 dB and integrated loudness
// within 0.2 LU. Every figure is printed, for the README and the issue.
import { describe, expect, test } from 'vitest'
import { propose, recipeFromProposal } from '../../core/assist/propose.ts'
import { testCampaign } from '../../core/assist/testing/campaign.ts'
import { licencePresets } from '../../core/licence/presets.ts'
import { randomFrom } from '../../core/lib/random.ts'
import { BufferSource, renderAll, type StemSource } from '../../core/render/index.ts'
import { RecipeSchema, type Recipe } from '../../core/recipe/schema.ts'
import type { StemBuffers } from '../../web/audio/graph.ts'
import { renderRecipe } from '../../web/audio/render.ts'
import { loudnessDiff, residualDb, worstBandDb } from './compare.ts'
import { RATE, recipeOf } from './signals.ts'

/** A music-like stem: a few partials with a pulsing envelope and some seeded noise. */
function stemOf(seconds: number, seed: number, channels: 1 | 2, base = 110): AudioBuffer {
  const length = Math.round(seconds * RATE)
  const buffer = new AudioBuffer({ numberOfChannels: channels, length, sampleRate: RATE })
  const random = randomFrom(seed)
  for (let c = 0; c < channels; c++) {
    const data = buffer.getChannelData(c)
    let noise = 0
    for (let i = 0; i < length; i++) {
      const t = i / RATE
      const pulse = 0.6 + 0.4 * Math.sin(2 * Math.PI * 2 * t + c)
      noise = 0.9 * noise + 0.1 * (random.next() * 2 - 1)
      data[i] =
        pulse *
          (0.25 * Math.sin(2 * Math.PI * base * t) +
            0.12 * Math.sin(2 * Math.PI * base * 2.01 * t + c) +
            0.06 * Math.sin(2 * Math.PI * base * 5.03 * t) +
            0.03 * Math.sin(2 * Math.PI * 3150 * t)) +
        0.15 * noise
    }
  }
  return buffer
}

const sourcesOf = (buffers: StemBuffers): Map<string, StemSource> =>
  new Map(
    [...buffers].map(([id, b]) => [
      id,
      new BufferSource(Array.from({ length: b.numberOfChannels }, (_, c) => b.getChannelData(c))),
    ]),
  )

async function both(recipe: Recipe, buffers: StemBuffers) {
  const studio = await renderRecipe(recipe, buffers, { sampleRate: RATE })
  const a = [studio.getChannelData(0), studio.getChannelData(1)]
  const b = await renderAll(recipe, sourcesOf(buffers), { sampleRate: RATE })
  return { studio: a, core: b }
}

const stems: StemBuffers = new Map([
  ['m', stemOf(3, 1, 1)],
  ['s', stemOf(3, 2, 2, 165)],
])
const off = { limiter: { enabled: false } }
const whole = { id: 'r', start: 0.25, offset: 0, duration: 2.5 }
const trackWith = (over: Record<string, unknown>, stem = 'm') => ({
  id: 't',
  stem,
  regions: [whole],
  ...over,
})

const LINEAR: Record<string, Recipe> = {
  'track and region gain': recipeOf({
    length: 3,
    master: off,
    tracks: [trackWith({ gainDb: -6, regions: [{ ...whole, gainDb: 3 }] })],
  }),
  'mono pan': recipeOf({ length: 3, master: off, tracks: [trackWith({ pan: -0.6 })] }),
  'stereo pan': recipeOf({ length: 3, master: off, tracks: [trackWith({ pan: 0.7 }, 's')] }),
  'fades, offset, loops': recipeOf({
    length: 3,
    master: off,
    tracks: [
      trackWith({
        regions: [
          { id: 'r', start: 0.1, offset: 0.4, duration: 0.6, loops: 4, fadeIn: 0.05, fadeOut: 0.2 },
        ],
      }),
    ],
  }),
  'rate 0.8 and 1.25': recipeOf({
    length: 3,
    master: off,
    tracks: [
      trackWith({ regions: [{ id: 'r', start: 0, offset: 0, duration: 1.2, rate: 0.8 }] }),
      {
        id: 'u',
        stem: 's',
        regions: [{ id: 'q', start: 1.3, offset: 0.2, duration: 1.4, rate: 1.25 }],
      },
    ],
  }),
  'mute and solo': recipeOf({
    length: 3,
    master: off,
    tracks: [
      trackWith({ soloed: true }),
      { id: 'u', stem: 's', regions: [{ id: 'q', start: 0, offset: 0, duration: 2 }] },
      {
        id: 'v',
        stem: 's',
        soloed: true,
        muted: true,
        regions: [{ id: 'w', start: 0, offset: 0, duration: 2 }],
      },
    ],
  }),
  'master gain': recipeOf({ length: 3, master: { ...off, gainDb: -4 }, tracks: [trackWith({})] }),
  'filter lowpass': recipeOf({
    length: 3,
    master: off,
    tracks: [
      trackWith({ effects: [{ id: 'f', type: 'filter', mode: 'lowpass', frequency: 800, q: 4 }] }),
    ],
  }),
  'filter highpass': recipeOf({
    length: 3,
    master: off,
    tracks: [
      trackWith(
        { effects: [{ id: 'f', type: 'filter', mode: 'highpass', frequency: 300, q: 1 }] },
        's',
      ),
    ],
  }),
  'filter bandpass': recipeOf({
    length: 3,
    master: off,
    tracks: [
      trackWith({
        effects: [{ id: 'f', type: 'filter', mode: 'bandpass', frequency: 1200, q: 2 }],
      }),
    ],
  }),
  eq3: recipeOf({
    length: 3,
    master: off,
    tracks: [trackWith({ effects: [{ id: 'e', type: 'eq3', low: 6, mid: -9, high: 3 }] }, 's')],
  }),
  delay: recipeOf({
    length: 3,
    tempo: 128,
    master: off,
    tracks: [
      trackWith({
        effects: [{ id: 'd', type: 'delay', division: '1/8d', feedback: 0.5, wet: 0.4 }],
      }),
    ],
  }),
  'master eq3 + filter': recipeOf({
    length: 3,
    master: {
      ...off,
      effects: [
        { id: 'e', type: 'eq3', low: -3, mid: 2, high: 4 },
        { id: 'f', type: 'filter', mode: 'lowpass', frequency: 5000, q: 1 },
      ],
    },
    tracks: [
      trackWith({}),
      { id: 'u', stem: 's', pan: -0.3, regions: [{ id: 'q', start: 0, offset: 0, duration: 3 }] },
    ],
  }),
}

const aiActions = [
  {
    id: 'ai',
    tool: 'stemfair-assistant',
    version: '1',
    provider: 'p',
    parameters: {},
    appliedAt: '2026-12-01T00:00:00Z',
  },
]
const part = (instrument: string) => ({
  id: `g-${instrument}`,
  kind: 'counterMelody',
  instrument,
  gainDb: -8,
  pan: 0.2,
  sourceStems: ['m'],
  aiAction: 'ai',
  notes: [0, 1, 1.5, 2, 3, 4].map((time, i) => ({
    time,
    duration: i % 2 ? 0.5 : 1,
    midi: [57, 60, 64, 67, 64, 60][i]!,
    velocity: 0.8,
  })),
})

const NONLINEAR: Record<string, Recipe> = {
  compressor: recipeOf({
    length: 3,
    master: off,
    tracks: [
      trackWith({
        effects: [
          { id: 'c', type: 'compressor', threshold: -24, ratio: 6, attack: 0.005, release: 0.15 },
        ],
      }),
    ],
  }),
  distortion: recipeOf({
    length: 3,
    master: off,
    tracks: [trackWith({ effects: [{ id: 'x', type: 'distortion', amount: 0.6, wet: 0.7 }] })],
  }),
  reverb: recipeOf({
    length: 3,
    master: off,
    tracks: [trackWith({ effects: [{ id: 'v', type: 'reverb', decay: 1.5, wet: 0.5 }] })],
  }),
  'pitch shift': recipeOf({
    length: 3,
    master: off,
    tracks: [trackWith({ effects: [{ id: 'p', type: 'pitchShift', semitones: 5, wet: 0.8 }] })],
  }),
  'region pitch': recipeOf({
    length: 3,
    master: off,
    tracks: [trackWith({ regions: [{ ...whole, pitch: -4 }] }, 's')],
  }),
  limiter: recipeOf({
    length: 3,
    master: { gainDb: 12, limiter: { enabled: true, ceilingDb: -2 } },
    tracks: [trackWith({})],
  }),
  ...Object.fromEntries(
    ['pluck', 'pad', 'bell', 'lead', 'bass'].map((instrument) => [
      `generated ${instrument}`,
      RecipeSchema.parse({
        ...recipeOf({ length: 3, master: off, tracks: [] }),
        aiActions,
        generatedParts: [part(instrument)],
      }),
    ]),
  ),
}

const report: string[] = []
const log = (line: string) => {
  report.push(line)
  console.log(line)
}

describe('preview = export (studio graph vs core/render)', () => {
  test.each(Object.keys(LINEAR))('linear: %s nulls to −60 dB', async (name) => {
    const { studio, core } = await both(LINEAR[name]!, stems)
    const residual = residualDb(core, studio)
    log(`linear ${name}: residual ${residual.toFixed(1)} dB`)
    expect(residual).toBeLessThanOrEqual(-60)
  })

  test.each(Object.keys(NONLINEAR))(
    'nonlinear: %s bands within 0.5 dB, loudness 0.2 LU',
    async (name) => {
      const { studio, core } = await both(NONLINEAR[name]!, stems)
      const bands = worstBandDb(core, studio, RATE)
      const lu = loudnessDiff(core, studio, RATE)
      const residual = residualDb(core, studio)
      log(
        `nonlinear ${name}: bands ${bands.toFixed(2)} dB, loudness ${lu.toFixed(2)} LU, residual ${residual.toFixed(1)} dB`,
      )
      expect(bands).toBeLessThanOrEqual(0.5)
      expect(lu).toBeLessThanOrEqual(0.2)
    },
  )

  test('whole remix: an assistant proposal with a generated part', async () => {
    const { campaign, stems: assistStems, recipe } = testCampaign(4, 12)
    const policy = licencePresets({})[0]!.policy
    const proposal = propose({
      recipe,
      stems: assistStems,
      campaign,
      policy,
      intent: 'extended',
      seed: 3,
      at: '2026-06-01T12:00:00Z',
    })[0]!
    const applied = recipeFromProposal(proposal, '2026-06-01T12:00:00Z')
    const remix = RecipeSchema.parse({
      ...applied,
      length: Math.min(applied.length, 10),
      aiActions: [...applied.aiActions, ...aiActions],
      generatedParts: [...applied.generatedParts, part('lead')],
    })
    const buffers: StemBuffers = new Map(
      assistStems.map((s, i) => [s.id, stemOf(12, 10 + i, i % 2 ? 2 : 1, 82.5 * (i + 1))]),
    )
    const { studio, core } = await both(remix, buffers)
    const bands = worstBandDb(core, studio, RATE)
    const lu = loudnessDiff(core, studio, RATE)
    const residual = residualDb(core, studio)
    const effects = [...remix.tracks.flatMap((t) => t.effects), ...remix.master.effects].map(
      (e) => e.type,
    )
    log(
      `remix (${remix.tracks.length} tracks, effects ${effects.join(',') || 'none'}, ${remix.generatedParts.length} part): bands ${bands.toFixed(2)} dB, loudness ${lu.toFixed(2)} LU, residual ${residual.toFixed(1)} dB`,
    )
    expect(bands).toBeLessThanOrEqual(0.5)
    expect(lu).toBeLessThanOrEqual(0.2)
  }, 180_000)
})
