// Writes the WebAssembly of the audio decoders and the MP3 encoder to worker/wasm/ as plain .wasm
// files. workerd refuses to compile WebAssembly from bytes at run time, and the decoder packages
// ship theirs as an encoded string; the worker imports these files as precompiled modules instead.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import * as common from '@wasm-audio-decoders/common'
import { root } from './state.ts'

/** Each decoder's wasm: the package file that holds it, and the file the worker imports. */
export const DECODER_WASM = [
  { from: 'mpg123-decoder/src/EmscriptenWasm.js', to: 'mpg123.wasm' },
  { from: '@wasm-audio-decoders/ogg-vorbis/src/EmscriptenWasm.js', to: 'ogg-vorbis.wasm' },
] as const

/** Packages that ship a plain .wasm file (used unmodified): copied as they are. */
export const PLAIN_WASM = [
  // LAME (LGPL), compiled by wasm-media-encoders (MIT); the worker's MP3 encoder.
  { from: 'wasm-media-encoders/wasm/mp3.wasm', to: 'lame-mp3.wasm' },
] as const

type Common = {
  new (): object
  inflateDynEncodeString(encoded: string): Promise<Uint8Array<ArrayBuffer>>
}

/** Extracts every decoder's wasm; rewrites a file only when its bytes changed. */
export async function extractWasm(): Promise<string[]> {
  const Common = (common as unknown as { WASMAudioDecoderCommon: Common }).WASMAudioDecoderCommon
  new Common() // defines its static helpers
  const out = `${root}worker/wasm`
  mkdirSync(out, { recursive: true })
  const written: string[] = []
  for (const { from, to } of DECODER_WASM) {
    const url = new URL(`node_modules/${from}`, `file://${root}`)
    const { default: Emscripten } = (await import(url.href)) as {
      default: { new (common: unknown): object; wasm?: string }
    }
    new Emscripten(Common) // defines the static `wasm` string; compiles nothing
    if (!Emscripten.wasm) throw new Error(`${from} has no encoded wasm`)
    const bytes = await Common.inflateDynEncodeString(Emscripten.wasm)
    if (!WebAssembly.validate(bytes)) throw new Error(`${from} did not yield valid WebAssembly`)
    const path = `${out}/${to}`
    if (existsSync(path) && Buffer.compare(readFileSync(path), bytes) === 0) continue
    writeFileSync(path, bytes)
    written.push(to)
  }
  for (const { from, to } of PLAIN_WASM) {
    const bytes = readFileSync(new URL(`node_modules/${from}`, `file://${root}`))
    if (!WebAssembly.validate(bytes)) throw new Error(`${from} is not valid WebAssembly`)
    const path = `${out}/${to}`
    if (existsSync(path) && Buffer.compare(readFileSync(path), bytes) === 0) continue
    writeFileSync(path, bytes)
    written.push(to)
  }
  return written
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const written = await extractWasm()
  if (written.length) console.log(`Codec wasm written to worker/wasm/: ${written.join(', ')}`)
}
