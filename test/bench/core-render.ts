// `npm run bench:core-render`: core/render (the export's renderer) in Node on one core, for the
// remix of bench:render (8 tracks × 3 minutes, filter + EQ3 + compressor + delay per track, EQ3 +
// reverb + limiter on the master), beside the same remix without effects measured in the same run.
import os from 'node:os'
import { BufferSource, RecipeRenderer, type StemSource } from '../../core/render/index.ts'
import { RecipeSchema, type Recipe } from '../../core/recipe/schema.ts'

const RATE = 44_100
const TRACKS = 8
const LENGTH = 180
const STEM = 30

function stemOf(i: number): Float32Array {
  const hz = 55 * 2 ** (i / 3)
  let seed = i + 1
  return Float32Array.from({ length: STEM * RATE }, (_, n) => {
    seed = (seed * 16807) % 2147483647
    const t = n / RATE
    const tremolo = 0.6 + 0.4 * Math.sin(2 * Math.PI * (0.5 + i * 0.25) * t)
    return 0.3 * tremolo * Math.sin(2 * Math.PI * hz * t) + 0.02 * (seed / 2147483647 - 0.5)
  })
}

function benchRecipe(effects: boolean): Recipe {
  const divisions = ['1/4', '1/8', '1/8d', '1/16'] as const
  const tracks = Array.from({ length: TRACKS }, (_, i) => ({
    id: `t${i}`,
    stem: `s${i}`,
    gainDb: -6,
    pan: (i / (TRACKS - 1)) * 1.6 - 0.8,
    effects: effects
      ? [
          { id: `f${i}`, type: 'filter', mode: 'lowpass', frequency: 4000 + i * 1000, q: 0.8 },
          { id: `e${i}`, type: 'eq3', low: 2, mid: -3, high: 1 },
          { id: `c${i}`, type: 'compressor', threshold: -18, ratio: 4, attack: 0.01, release: 0.2 },
          { id: `d${i}`, type: 'delay', division: divisions[i % 4], feedback: 0.35, wet: 0.2 },
        ]
      : [],
    regions:
      i % 2 === 0
        ? [
            {
              id: `r${i}`,
              start: 0,
              offset: 0,
              duration: STEM,
              loops: LENGTH / STEM,
              fadeIn: 0.01,
              fadeOut: 0.01,
            },
          ]
        : Array.from({ length: LENGTH / STEM }, (_, k) => ({
            id: `r${i}_${k}`,
            start: k * STEM,
            offset: 0,
            duration: STEM,
            fadeIn: 0.01,
            fadeOut: 0.01,
          })),
  }))
  return RecipeSchema.parse({
    version: 2,
    campaign: 'bench',
    tempo: 120,
    timeSignature: [4, 4],
    length: LENGTH,
    tracks,
    master: {
      effects: effects
        ? [
            { id: 'me', type: 'eq3', low: 1, mid: 0, high: 2 },
            { id: 'mr', type: 'reverb', decay: 2.5, wet: 0.2 },
          ]
        : [],
      limiter: { enabled: true, ceilingDb: -1 },
    },
  })
}

async function time(recipe: Recipe, sources: Map<string, StemSource>): Promise<number> {
  const t0 = performance.now()
  const renderer = new RecipeRenderer(recipe, sources, { sampleRate: RATE })
  const out: [Float32Array, Float32Array] = [new Float32Array(4096), new Float32Array(4096)]
  while ((await renderer.next(out)) > 0);
  return (performance.now() - t0) / 1000
}

const sources = new Map<string, StemSource>(
  Array.from({ length: TRACKS }, (_, i) => [`s${i}`, new BufferSource([stemOf(i)])]),
)
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const withFx = benchRecipe(true)
const bare = benchRecipe(false)
await time(withFx, sources) // warm-up (JIT)
for (let run = 1; run <= 2; run++) {
  const plain = await time(bare, sources)
  const full = await time(withFx, sources)
  console.log(
    `run ${run}: no effects ${plain.toFixed(2)} s (${(LENGTH / plain).toFixed(0)}× real time) · ` +
      `full effect set ${full.toFixed(2)} s (${(LENGTH / full).toFixed(0)}× real time) · load ${load()}`,
  )
}
const final = await time(withFx, sources)
console.log(
  `core/render ${TRACKS} tracks × ${LENGTH / 60} min, bench:render effect set: render ${(LENGTH / final).toFixed(0)}× real time (Node, one core; load ${load()})`,
)
