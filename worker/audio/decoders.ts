import './worker-global.ts'
import * as common from '@wasm-audio-decoders/common'
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis'
import { MPEGDecoder } from 'mpg123-decoder'
// Written by scripts/extract-wasm.ts from the packages above (unmodified), precompiled by the
// bundler: workerd may not compile WebAssembly from bytes at run time.
import mpg123Wasm from '../wasm/mpg123.wasm'
import vorbisWasm from '../wasm/ogg-vorbis.wasm'

type ModuleCache = WeakMap<object, Promise<WebAssembly.Module>>
type Common = { new (): object; modules: ModuleCache }

let pending: WebAssembly.Module | null = null
let hooked = false

// The decoder packages look their compiled module up in one cache keyed by a class they do not
// export, and compile their embedded copy on a miss. A decoder's constructor does that look-up
// synchronously, so while one is being constructed a miss answers the module imported above.
function hookModuleCache(): void {
  if (hooked) return
  const Common = (common as unknown as { WASMAudioDecoderCommon: Common }).WASMAudioDecoderCommon
  new Common() // defines the shared cache
  const cache = Common.modules
  const get = WeakMap.prototype.get
  Object.defineProperty(cache, 'get', {
    value(ref: object) {
      const hit = get.call(cache, ref) as Promise<WebAssembly.Module> | undefined
      if (hit || !pending) return hit
      const module = Promise.resolve(pending)
      cache.set(ref, module)
      return module
    },
  })
  hooked = true
}

async function construct<T extends { ready: Promise<void> }>(
  module: WebAssembly.Module,
  make: () => T,
): Promise<T> {
  hookModuleCache()
  pending = module
  let decoder: T
  try {
    decoder = make()
  } finally {
    pending = null
  }
  await decoder.ready
  return decoder
}

/** A ready MPEG Layer I-III decoder (libmpg123); always answers two channels. */
export const loadMpegDecoder = () => construct(mpg123Wasm, () => new MPEGDecoder())

/** A ready Ogg Vorbis decoder (libvorbis). */
export const loadVorbisDecoder = () => construct(vorbisWasm, () => new OggVorbisDecoder())
