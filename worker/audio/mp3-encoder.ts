import { createMp3EncoderFrom, type Mp3Encoder, type Mp3EncoderOptions } from './lame.ts'
// Copied by scripts/extract-wasm.ts from wasm-media-encoders (unmodified), precompiled by the
// bundler: workerd may not compile WebAssembly from bytes at run time.
import lameWasm from '../wasm/lame-mp3.wasm'

export type { Mp3Encoder, Mp3EncoderOptions }

/** A streaming constant-bit-rate MP3 encoder (LAME in WebAssembly). See ./lame.ts. */
export const createMp3Encoder = (options: Mp3EncoderOptions): Promise<Mp3Encoder> =>
  createMp3EncoderFrom(lameWasm, options)
