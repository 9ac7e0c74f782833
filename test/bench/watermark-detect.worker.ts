// A bench-only worker, run in workerd by test/bench/watermark-workerd.ts: it holds clips posted to
// it and runs detectWatermark (or, at /embed, the export's streaming embedder) on one of them
// `repeat` times in one request, so the request's wall time is that work's time on the one
// thread an isolate runs on. Not part of the app.
import '../../worker/dsp.ts' // the DSP kernels, as the worker's verify and export check run them
import { detectWatermark } from '../../core/watermark/detect.ts'
import { embedStreaming } from './streaming-embed.ts'

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
      for (let i = 0; i < repeat; i++)
        embedStreaming(clip.channels, clip.sampleRate, 'bench-watermark-key', 0xc0ffee0123456789n)
      return Response.json({ embedded: clip.channels[0]!.length })
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
