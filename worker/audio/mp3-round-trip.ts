// The export's MP3 round trip (LAME at the stream format's bit rate, then mpg123, as the export's
// read-back hears it), for measuring markability. Given the encoder and decoder it runs with: the
// worker's precompiled modules, or the same WebAssembly compiled in Node by the seed.
import type { CodecRoundTrip } from '../../core/watermark/markability.ts'
import { MP3_KBPS, STREAM_FORMAT } from '../../core/api/formats.ts'
import type { Mp3Encoder, Mp3EncoderOptions } from './lame.ts'

/** Frames encoded at a time. */
const BLOCK = 4096

type Decoder = {
  decode(bytes: Uint8Array): { channelData: Float32Array[]; samplesDecoded: number }
  free(): void
}

export function mp3RoundTrip(
  createEncoder: (options: Mp3EncoderOptions) => Promise<Mp3Encoder>,
  createDecoder: () => Promise<Decoder>,
  pause: () => Promise<void> = async () => {},
): CodecRoundTrip {
  return async (channels, sampleRate) => {
    const frames = channels[0]!.length
    const encoder = await createEncoder({ sampleRate, channels: 2, kbps: MP3_KBPS[STREAM_FORMAT]! })
    const parts: Uint8Array[] = []
    for (let at = 0; at < frames; at += BLOCK) {
      const block = [0, 1].map((ch) =>
        channels[Math.min(ch, channels.length - 1)]!.subarray(at, at + BLOCK),
      )
      parts.push(encoder.encode(block).slice())
      if ((at / BLOCK) % 16 === 15) await pause()
    }
    parts.push(encoder.finish().slice())
    const decoder = await createDecoder()
    try {
      const out = [new Float32Array(frames + BLOCK), new Float32Array(frames + BLOCK)]
      let filled = 0
      for (const [i, part] of parts.entries()) {
        if (i % 16 === 15) await pause()
        const decoded = decoder.decode(part)
        const n = Math.min(decoded.samplesDecoded, out[0]!.length - filled)
        for (let ch = 0; ch < 2; ch++)
          out[ch]!.set(
            decoded.channelData[Math.min(ch, decoded.channelData.length - 1)]!.subarray(0, n),
            filled,
          )
        filled += n
      }
      return out.map((c) => c.subarray(0, filled))
    } finally {
      decoder.free()
    }
  }
}
