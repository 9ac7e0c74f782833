import * as Tone from 'tone'
import type { Recipe } from '../../core/recipe/schema.ts'
import type { Hertz, NormalRange } from '../../core/units.ts'
import { RemixGraph, type StemBuffers } from './graph.ts'
import { limiterLatency } from './limiter.ts'

/** How to render: the sample rate (default: the live context's) and a progress callback. */
export type RenderOptions = {
  sampleRate?: Hertz
  onProgress?: (fraction: NormalRange) => void
}

/**
 * Renders a recipe to stereo audio, `recipe.length` seconds long, through the same RemixGraph as
 * live playback (in Tone.Offline, transport started at 0). Progress comes from the rendering
 * thread about once per rendered second, and 1 at the end.
 */
export async function renderRecipe(
  recipe: Recipe,
  buffers: StemBuffers,
  options: RenderOptions = {},
): Promise<AudioBuffer> {
  const sampleRate = options.sampleRate ?? Tone.getContext().sampleRate
  const frames = Math.round(recipe.length * sampleRate)
  let reported = 0
  const report = (fraction: number) => {
    if (!options.onProgress || fraction <= reported) return
    reported = fraction
    options.onProgress(fraction)
  }
  const latency = limiterLatency(sampleRate)
  const total = frames + latency
  const live = Tone.getContext()
  let graph: RemixGraph | undefined
  try {
    const rendered = await Tone.Offline(
      async (context) => {
        graph = new RemixGraph(recipe, buffers, {
          meters: false,
          onFrame: (frame) => report(Math.min(0.99, frame / total)),
        })
        context.transport.start(0)
        await graph.ready
      },
      // the limiter delays everything by its lookahead: render that much more, then drop it
      (total + 0.5) / sampleRate,
      2,
      sampleRate,
    )
    const audio = rendered.get()
    if (!audio) throw new Error('Offline render produced no audio')
    const out = new AudioBuffer({ numberOfChannels: 2, length: Math.max(1, frames), sampleRate })
    for (let ch = 0; ch < 2; ch++)
      out.copyToChannel(audio.getChannelData(ch).subarray(latency, latency + frames), ch)
    report(1)
    return out
  } finally {
    graph?.dispose()
    // Tone.Offline leaves its offline context current when the callback throws
    if (Tone.getContext() !== live) Tone.setContext(live)
  }
}
