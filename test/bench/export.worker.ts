// A bench-only worker, bundled by test/bench/export.ts and run in workerd (Miniflare): it renders
// the bench recipe through core/render in one request, so the request's wall time is the render's
// time on the one thread an isolate runs on. Not part of the app. It hands core the shared wasm
// kernels as the app's export job does (worker/dsp.ts); `?kernels=0` renders without them.
import '../../worker/dsp.ts'
import { withoutDsp } from '../../core/dsp/kernels.ts'
import { BufferSource, RecipeRenderer } from '../../core/render/index.ts'
import { benchRecipe, benchStem, RATE } from './export-recipe.ts'

const stems = new Map<string, BufferSource>()

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const tracks = Number(url.searchParams.get('tracks') ?? 8)
    const seconds = Number(url.searchParams.get('seconds') ?? 180)
    for (let i = 0; i < tracks; i++)
      if (!stems.has(`s${i}`)) stems.set(`s${i}`, new BufferSource(benchStem(i)))
    if (url.pathname === '/prepare') return Response.json({ stems: stems.size })
    const build = () =>
      new RecipeRenderer(
        benchRecipe(tracks, seconds, (i) => `s${i}`),
        stems,
        { sampleRate: RATE },
      )
    const renderer = url.searchParams.get('kernels') === '0' ? withoutDsp(build) : build()
    const out: [Float32Array, Float32Array] = [new Float32Array(4096), new Float32Array(4096)]
    let peak = 0
    for (let n = await renderer.next(out); n > 0; n = await renderer.next(out))
      for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(out[0][i]!), Math.abs(out[1][i]!))
    return Response.json({ frames: renderer.frames, peak })
  },
}
