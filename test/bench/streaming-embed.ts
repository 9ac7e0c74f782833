// The export's streaming embedder run as an export runs it (worker/export/render.ts): 4096-frame
// blocks, then its delay flushed. One loop for both sides of bench:watermark-workerd: Node, and
// the bench worker in workerd (test/bench/watermark-detect.worker.ts).
import { StreamingEmbedder } from '../../core/watermark/stream.ts'

const BLOCK = 4096

/** Marks `channels` with `payload` under `key` (the marked audio is discarded: a timing run). */
export function embedStreaming(
  channels: readonly Float32Array[],
  sampleRate: number,
  key: string,
  payload: bigint,
): void {
  const n = channels[0]!.length
  const out = channels.map(() => new Float32Array(BLOCK))
  const embedder = new StreamingEmbedder({ sampleRate, channels: channels.length, key, payload })
  for (let at = 0; at < n + embedder.latency; at += BLOCK) {
    const block = channels.map((c) => {
      const b = c.subarray(at, at + BLOCK)
      return b.length === BLOCK ? b : Float32Array.from({ length: BLOCK }, (_, k) => b[k] ?? 0)
    })
    embedder.process(block, out)
  }
}
