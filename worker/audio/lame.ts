import { createEncoder } from 'wasm-media-encoders'

// The MP3 encoder behind worker/audio/mp3-encoder.ts, given its WebAssembly as a compiled module:
// the worker imports the precompiled module (workerd compiles no WebAssembly at run time), Node
// tests and benches compile the same file (worker/wasm/lame-mp3.wasm) themselves.

export type Mp3EncoderOptions = { sampleRate: number; channels: 1 | 2; kbps: number }

export interface Mp3Encoder {
  /** Encodes one block (one Float32Array per channel, same length); returns the MP3 bytes produced so far
   *  (a view that is valid until the next call — copy or write it out before calling again). */
  encode(channels: Float32Array[]): Uint8Array
  /** Flushes the last frames; the encoder is unusable afterwards. */
  finish(): Uint8Array
}

/** The constant bit rates MPEG-1 Layer III (and LAME) know, in kbit/s. */
const BIT_RATES = [8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] as const
type BitRate = (typeof BIT_RATES)[number]

/** Sample rates an MP3 stream can have (MPEG-1, 2 and 2.5): the encoder never resamples. */
const SAMPLE_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const
type SampleRate = (typeof SAMPLE_RATES)[number]

const isBitRate = (kbps: number): kbps is BitRate => (BIT_RATES as readonly number[]).includes(kbps)
const isSampleRate = (hz: number): hz is SampleRate =>
  (SAMPLE_RATES as readonly number[]).includes(hz)

const EMPTY = new Uint8Array(0)

/**
 * A constant-bit-rate LAME encoder (wasm-media-encoders, unmodified) in its own WebAssembly
 * instance, at the input's sample rate. Input is float PCM in [−1, 1], one array per channel.
 */
export async function createMp3EncoderFrom(
  wasm: WebAssembly.Module,
  options: Mp3EncoderOptions,
): Promise<Mp3Encoder> {
  const { sampleRate, channels, kbps } = options
  if (channels !== 1 && channels !== 2)
    throw new RangeError(`MP3 has 1 or 2 channels, not ${channels}`)
  if (!isBitRate(kbps)) throw new RangeError(`${kbps} kbit/s is not an MP3 bit rate`)
  if (!isSampleRate(sampleRate)) throw new RangeError(`${sampleRate} Hz is not an MP3 sample rate`)
  const lame = await createEncoder('audio/mpeg', wasm)
  lame.configure({ sampleRate, channels, bitrate: kbps, outputSampleRate: sampleRate })
  let finished = false
  return {
    encode(block) {
      if (finished) throw new Error('The MP3 encoder is finished')
      if (block.length !== channels) throw new RangeError(`Expected ${channels} channels`)
      const frames = block[0]!.length
      if (block.some((c) => c.length !== frames)) throw new RangeError('Channels differ in length')
      return frames === 0 ? EMPTY : lame.encode(block)
    },
    finish() {
      if (finished) throw new Error('The MP3 encoder is finished')
      finished = true
      return lame.finalize()
    },
  }
}
