// Generated parts' audio off the main thread: core/render's instruments (renderPart), the one
// implementation the export renders with. A part of thousands of notes takes a while to render.
import type { GeneratedPart } from '../../core/music/part.ts'
import { renderPart } from '../../core/render/synth.ts'

export type PartRequest = { id: number; part: GeneratedPart; tempo: number; sampleRate: number }
export type PartReply = { id: number; audio: Float32Array<ArrayBuffer> }

self.onmessage = (event: MessageEvent<PartRequest>) => {
  const { id, part, tempo, sampleRate } = event.data
  const audio = renderPart(part, tempo, sampleRate) as Float32Array<ArrayBuffer>
  const reply: PartReply = { id, audio }
  self.postMessage(reply, { transfer: [audio.buffer] })
}
