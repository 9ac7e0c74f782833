// The transcription test's audio and asset paths, shared with bench:transcribe.
import type { NoteEvent } from '../../core/music/notes.ts'

// In the test server the model and the WebAssembly come straight from node_modules.
export const TEST_ASSETS = {
  model: '/node_modules/@spotify/basic-pitch/model/model.json',
  wasm: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/',
}

/** The synthetic line's sample rate. */
export const RATE = 44_100

/** A bright synthetic line: 8 harmonics at 1/k, a short attack, a decay to a sustain, a release. */
export function melodySamples(
  notes: readonly NoteEvent[],
  seconds: number,
  rate = RATE,
): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate))
  for (const n of notes) {
    const hz = 440 * 2 ** ((n.midi - 69) / 12)
    const from = Math.round(n.time * rate)
    const length = Math.round((n.duration + 0.05) * rate)
    for (let i = 0; i < length && from + i < out.length; i++) {
      const t = i / rate
      const env =
        Math.min(1, t / 0.01) *
        (0.6 + 0.4 * Math.exp(-t / 0.15)) *
        Math.min(1, Math.max(0, (n.duration + 0.05 - t) / 0.05))
      let s = 0
      for (let k = 1; k <= 8; k++) s += Math.sin(2 * Math.PI * hz * k * t) / k
      out[from + i]! += 0.25 * n.velocity * env * s
    }
  }
  return out
}

/** The same line as a mono AudioBuffer at 44.1 kHz (browser only). */
export function melodyAudio(notes: readonly NoteEvent[], seconds: number): AudioBuffer {
  const buffer = new AudioBuffer({ numberOfChannels: 1, length: seconds * RATE, sampleRate: RATE })
  buffer.copyToChannel(melodySamples(notes, seconds) as Float32Array<ArrayBuffer>, 0)
  return buffer
}
