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

/** The parts of an MPEGDecoder this module reaches: its instance, and the class's override hook. */
type Instance = { ready: Promise<void> }
type Decoder = MPEGDecoder & {
  _decoder: number
  _common: {
    _wasm: Instance
    wasm: { mpeg_frame_decoder_destroy(decoder: number): void }
    free(): void
  }
}
const Mpeg = MPEGDecoder as unknown as { EmscriptenWASM?: unknown }

/**
 * Streams one mpg123 instance hosts. Its memory is fixed at 16 MiB (the build cannot grow it) and
 * every stream takes about 0.8 MiB of it (19 fit); a stream past the room would be handed null
 * pointers, so a host stops well short.
 */
export const STREAMS_PER_INSTANCE = 8

type Host = { instance: Instance; streams: number }
const hosts: Host[] = []

/**
 * A ready MPEG Layer I-III decoder (libmpg123); always answers two channels. Decoders share
 * WebAssembly instances, each with its own mpg123 handle and buffers: an instance is 16 MiB,
 * so an export of 16 stems holds two of them, not sixteen. An instance whose streams are all
 * freed is let go (but the first, which the next job reuses).
 */
export async function loadMpegDecoder(): Promise<MPEGDecoder> {
  const host = hosts.find((h) => h.streams < STREAMS_PER_INSTANCE)
  let decoder: Decoder
  if (host) {
    host.streams++
    // The constructor instantiates through its class's EmscriptenWASM when one is set: for this
    // one construction, that hands it the host's ready instance instead of a new one.
    const shared = () => {
      Mpeg.EmscriptenWASM = function Shared() {
        return { instantiate: () => host.instance }
      }
      try {
        return new MPEGDecoder() as Decoder
      } finally {
        Mpeg.EmscriptenWASM = undefined
      }
    }
    try {
      decoder = await construct(mpg123Wasm, shared)
    } catch (err) {
      host.streams--
      throw err
    }
  } else {
    decoder = await construct(mpg123Wasm, () => new MPEGDecoder() as Decoder)
    hosts.push({ instance: decoder._common._wasm, streams: 1 })
  }
  const home = host ?? hosts.at(-1)! // the one just pushed
  let freed = false
  decoder.free = () => {
    if (freed) return
    freed = true
    // Not the package's free(): after mpeg_frame_decoder_destroy it frees the decoder's memory a
    // second time, which corrupts the allocator of an instance that goes on serving others.
    decoder._common.wasm.mpeg_frame_decoder_destroy(decoder._decoder)
    decoder._common.free() // this decoder's buffers
    if (--home.streams === 0 && hosts.indexOf(home) > 0) hosts.splice(hosts.indexOf(home), 1)
  }
  return decoder
}

/** A ready Ogg Vorbis decoder (libvorbis). */
export const loadVorbisDecoder = () => construct(vorbisWasm, () => new OggVorbisDecoder())
