// The one WAV reader. Walking a RIFF (or RF64) file's chunks is written once, as a generator that
// asks for the bytes it needs (`{ at, length }`) and is handed them back: `wavLayoutOf` drives it
// over bytes in memory, `wavLayoutFrom` over a ranged, asynchronous source (a master in R2).
import { DomainError } from '../../errors.ts'
import {
  fmtChunkOf,
  fourcc,
  unsupportedWavMessage,
  WAV_SAMPLE_BYTES,
  wavEncodingOf,
  type WavEncoding,
} from './wav-header.ts'

/** A RIFF chunk: its four-character id and where its body sits in the file. */
export type ChunkRef = { id: string; offset: number; size: number }

/** Where a WAV's samples are and how they are stored. */
export type WavLayout = {
  encoding: WavEncoding
  channels: number
  sampleRate: number
  bits: number
  blockAlign: number
  frames: number
  dataOffset: number
  dataBytes: number
  /** Every chunk read: up to the audio, or to the end of the file with `trailing`. */
  chunks: ChunkRef[]
}

/** How to walk. */
export type WavWalk = {
  /** Read the chunks after the audio too (a whole file in memory); else stop at the audio. */
  trailing: boolean
  /** Only the file's start has arrived: the audio may run past it (sizes are as declared). */
  headerOnly: boolean
  /** A sentence added to refusals of an encoding or a corrupt file: what to do about it. */
  advice: string
}

/** A request for `length` bytes at `at`. */
export type WavRead = { at: number; length: number }

function invalid(message: string): never {
  throw new DomainError('invalid_audio', message)
}

const withAdvice = (message: string, advice: string) => (advice ? `${message} ${advice}` : message)

/** Walks a WAV of `size` bytes; yields the reads it needs and returns where the audio is. */
export function* walkWav(size: number, walk: WavWalk): Generator<WavRead, WavLayout, Uint8Array> {
  const head = yield { at: 0, length: 12 }
  const magic = head.length >= 12 ? fourcc(head, 0) : ''
  if ((magic !== 'RIFF' && magic !== 'RF64') || fourcc(head, 8) !== 'WAVE')
    invalid('The file is not a WAV file (it has no RIFF/WAVE header).')
  let format: Omit<WavLayout, 'frames' | 'dataOffset' | 'dataBytes' | 'chunks'> | null = null
  let data: ChunkRef | null = null
  let ds64DataSize: number | null = null
  const chunks: ChunkRef[] = []
  for (let at = 12; at + 8 <= size;) {
    const header = yield { at, length: 8 }
    let chunkSize = new DataView(header.buffer, header.byteOffset, 8).getUint32(4, true)
    const chunk = { id: fourcc(header, 0), offset: at + 8, size: chunkSize }
    if (chunk.id === 'data' && !data) {
      if (!format) invalid('The WAV has no format chunk before its audio: the file is corrupt.')
      if (magic === 'RF64' && chunkSize === 0xffffffff) {
        if (ds64DataSize === null) invalid('The RF64 file has no ds64 chunk: the file is corrupt.')
        chunk.size = chunkSize = ds64DataSize
      }
      const available = size - chunk.offset
      if (chunkSize > available && !walk.headerOnly)
        invalid(
          withAdvice(
            `The WAV is truncated: its data chunk declares ${chunkSize} bytes but only ${available} arrived.`,
            walk.advice,
          ),
        )
      if (chunkSize % format.blockAlign !== 0)
        invalid('The WAV is truncated or corrupt: its audio stops in the middle of a sample frame.')
      data = chunk
      chunks.push(chunk)
      if (!walk.trailing) break
    } else {
      if (chunk.offset + chunkSize > size)
        invalid(
          `The WAV is truncated: its “${chunk.id.trim()}” chunk runs past the end of the file.`,
        )
      chunks.push(chunk)
      if (chunk.id === 'ds64') {
        if (chunkSize < 24) invalid('The RF64 file has a malformed ds64 chunk.')
        const ds = yield { at: chunk.offset, length: 24 }
        const dv = new DataView(ds.buffer, ds.byteOffset, 24)
        ds64DataSize = dv.getUint32(8, true) + dv.getUint32(12, true) * 2 ** 32
      } else if (chunk.id === 'fmt ') {
        if (chunkSize < 16) invalid('The WAV has a malformed format chunk.')
        const body = yield { at: chunk.offset, length: Math.min(chunkSize, 40) }
        const view = new DataView(body.buffer, body.byteOffset, body.length)
        const { tag, channels, sampleRate, blockAlign, bits } = fmtChunkOf(view, 0, body.length)
        if (tag === null) invalid('The WAV has a malformed extensible format chunk.')
        const encoding =
          wavEncodingOf(tag, bits) ??
          invalid(withAdvice(unsupportedWavMessage(tag, bits), walk.advice))
        if (channels < 1 || sampleRate < 1 || blockAlign !== channels * WAV_SAMPLE_BYTES[encoding])
          invalid('The WAV has a malformed format chunk.')
        format = { encoding, channels, sampleRate, bits, blockAlign }
      }
    }
    at = chunk.offset + chunkSize + (chunkSize & 1)
  }
  if (!format) return invalid('The WAV has no format chunk: the file is truncated or corrupt.')
  if (!data) return invalid('The WAV has no audio data chunk: the file is truncated or corrupt.')
  return {
    ...format,
    frames: data.size / format.blockAlign,
    dataOffset: data.offset,
    dataBytes: data.size,
    chunks,
  }
}

/** The layout of a WAV in memory (`bytes` may be only its start with `headerOnly`). */
export function wavLayoutOf(
  bytes: Uint8Array,
  walk: Omit<WavWalk, 'trailing'> = { headerOnly: false, advice: '' },
): WavLayout {
  const steps = walkWav(bytes.length, { ...walk, trailing: true })
  for (let step = steps.next(); ;) {
    if (step.done) return step.value
    const { at, length } = step.value
    step = steps.next(
      bytes.subarray(Math.min(at, bytes.length), Math.min(at + length, bytes.length)),
    )
  }
}

/** The layout of a WAV of `size` bytes read through `read`, up to its audio. */
export async function wavLayoutFrom(
  read: (at: number, length: number) => Promise<Uint8Array>,
  size: number,
  advice: string,
): Promise<WavLayout> {
  const steps = walkWav(size, { trailing: false, headerOnly: false, advice })
  for (let step = steps.next(); ;) {
    if (step.done) return step.value
    step = steps.next(await read(step.value.at, step.value.length))
  }
}

/**
 * Decodes whole sample frames into planar floats in -1..1: `frames` frames from `bytes` (which
 * starts on a frame boundary) into `out[ch][at..]`.
 */
export function decodeWavFrames(
  bytes: Uint8Array,
  info: { encoding: string; channels: number }, // a WavEncoding (a master's info may say 'flac')
  frames: number,
  out: readonly Float32Array[],
  at = 0,
): void {
  const count = info.channels
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const width = WAV_SAMPLE_BYTES[info.encoding as WavEncoding] ?? 4
  const stride = count * width
  for (let ch = 0; ch < count; ch++) {
    const dst = out[ch]!
    let p = ch * width
    if (info.encoding === 'pcm16')
      for (let i = 0; i < frames; i++, p += stride) dst[at + i] = view.getInt16(p, true) / 32768
    else if (info.encoding === 'pcm24')
      for (let i = 0; i < frames; i++, p += stride)
        dst[at + i] = ((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16)) << 8) / 2147483648
    else for (let i = 0; i < frames; i++, p += stride) dst[at + i] = view.getFloat32(p, true)
  }
}
