// `npm run bench:core-render`: core/render (the export's renderer) in Node on one core, for the
// remix of bench:render (8 tracks × 3 minutes, filter + EQ3 + compressor + delay per track, EQ3 +
// reverb + limiter on the master), beside the same remix without effects measured in the same run,
// with the shared WebAssembly kernels (core/dsp, as the worker runs) and without (the TypeScript
// reference) in the same run.
import os from 'node:os'
import { withoutDsp } from '../../core/dsp/kernels.ts'
import { installDsp } from '../../core/watermark/testing/dsp.ts'
import { BufferSource, RecipeRenderer, type StemSource } from '../../core/render/index.ts'
import { RecipeSchema, type Recipe } from '../../core/recipe/schema.ts'
import { benchRecipe, benchStem, RATE } from './export-recipe.ts'

const TRACKS = 8
const LENGTH = 180

/** bench:render's remix (export-recipe.ts), with or without its effects. */
function remixOf(effects: boolean): Recipe {
  const full = benchRecipe(TRACKS, LENGTH, (i) => `s${i}`)
  if (effects) return full
  return RecipeSchema.parse({
    ...full,
    tracks: full.tracks.map((t) => ({ ...t, effects: [] })),
    master: { ...full.master, effects: [] },
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
  // mono stems, as this bench has always used
  Array.from({ length: TRACKS }, (_, i) => [`s${i}`, new BufferSource([benchStem(i)[0]!])]),
)
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const withFx = remixOf(true)
const bare = remixOf(false)
installDsp()
await time(withFx, sources) // warm-up (JIT)
await withoutDsp(() => time(withFx, sources))
for (let run = 1; run <= 2; run++) {
  const plain = await time(bare, sources)
  const full = await time(withFx, sources)
  const reference = await withoutDsp(() => time(withFx, sources))
  console.log(
    `run ${run}: no effects ${plain.toFixed(2)} s (${(LENGTH / plain).toFixed(0)}× real time) · ` +
      `full effect set ${full.toFixed(2)} s (${(LENGTH / full).toFixed(0)}× real time) · ` +
      `same without the wasm kernels ${reference.toFixed(2)} s (${(LENGTH / reference).toFixed(0)}×) · load ${load()}`,
  )
}
const final = await time(withFx, sources)
console.log(
  `core/render ${TRACKS} tracks × ${LENGTH / 60} min, bench:render effect set: render ${(LENGTH / final).toFixed(0)}× real time (Node, one core; load ${load()})`,
)
