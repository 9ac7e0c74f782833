// Encodes rendered audio as a 16-bit WAV off the main thread.
import { encodeWav } from '../../core/audio/wav.ts'

type Request = { channels: Float32Array[]; sampleRate: number }

self.onmessage = (e: MessageEvent<Request>) => {
  const bytes = encodeWav(e.data.channels, e.data.sampleRate, { encoding: 'pcm16' })
  ;(self as unknown as Worker).postMessage(bytes, [bytes.buffer])
}
