// A bench-only worker, run in workerd by test/bench/watermark-workerd.ts: it holds clips posted to
// it and runs detectWatermark (or, at /embed, the export's streaming embedder) on one of them
// `repeat` times in one request, so the request's wall
// time is detection's time on the one thread an isolate runs on. Not part of the app.
import '../../worker/dsp.ts' // the DSP kernels, as the worker's verify and export check run them
import { detectWatermark } from '../../core/watermark/detect.ts'
import { StreamingEmbedder } from '../../core/watermark/stream.ts'

const clips = new Map<string, { channels: Float32Array[]; sampleRate: number }>()

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const id = url.searchParams.get('id') ?? ''
    if (url.pathname === '/clip') {
      const count = Number(url.searchParams.get('channels'))
      const all = new Float32Array(await request.arrayBuffer())
      const n = all.length / count
      const channels = Array.from({ length: count }, (_, c) => all.slice(c * n, (c + 1) * n))
      clips.set(id, { channels, sampleRate: Number(url.searchParams.get('rate')) })
      return Response.json({ frames: n })
    }
    const clip = clips.get(id)
    if (!clip) return Response.json({ error: 'no such clip' }, { status: 404 })
    const repeat = Number(url.searchParams.get('repeat') ?? 1)
    if (url.pathname === '/embed') {
      // As an export marks its mix (worker/export/render.ts): 4096-frame blocks, then its delay.
      const n = clip.channels[0]!.length
      const out = clip.channels.map(() => new Float32Array(4096))
      for (let i = 0; i < repeat; i++) {
        const embedder = new StreamingEmbedder({
          sampleRate: clip.sampleRate,
          channels: clip.channels.length,
          key: 'bench-watermark-key',
          payload: 0xc0ffee0123456789n,
        })
        for (let at = 0; at < n + embedder.latency; at += 4096) {
          const block = clip.channels.map((c) => {
            const b = c.subarray(at, at + 4096)
            return b.length === 4096 ? b : Float32Array.from({ length: 4096 }, (_, k) => b[k] ?? 0)
          })
          embedder.process(block, out)
        }
      }
      return Response.json({ embedded: n })
    }
    const speedSearch = url.searchParams.get('search') !== '0'
    let found = ''
    for (let i = 0; i < repeat; i++) {
      const d = detectWatermark(clip.channels, clip.sampleRate, 'bench-watermark-key', {
        speedSearch,
      })
      found = d.found ? d.payload : ''
    }
    return Response.json({ found })
  },
}
