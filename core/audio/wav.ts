import { DomainError } from '../errors.ts'
import type { Hertz, Samples } from '../units.ts'
import { fourcc, WAV_SAMPLE_BYTES as BYTES, type WavEncoding } from '../lib/audio/wav-header.ts'
import { utf8, utf8Decode } from '../lib/bytes.ts'
import { decodeWavFrames, wavLayoutOf, type ChunkRef } from '../lib/audio/wav-layout.ts'

export type { WavEncoding }

function invalid(message: string): never {
  throw new DomainError('invalid_audio', message)
}

/** What a WAV file holds, read from its header without decoding the samples. */
export type WavInfo = {
  encoding: WavEncoding
  channels: number
  sampleRate: Hertz
  frames: Samples
  dataOffset: number
  dataBytes: number
  chunks: ChunkRef[]
}

/** A chunk to write after the audio, e.g. `LIST` (see `infoChunk`) or `id3 `. */
export type WavChunk = { id: string; data: Uint8Array }

/** RIFF INFO fields this project writes: title, artist, comment, copyright, software. */
export type InfoField = 'INAM' | 'IART' | 'ICMT' | 'ICOP' | 'ISFT'

/**
 * Reads a WAV header and its chunk list. Throws `invalid_audio` with a sentence for people. With
 * `headerOnly`, `bytes` may be just the file's start (the data chunk need not have arrived): the
 * sizes are what the header declares.
 */
export function readWavInfo(bytes: Uint8Array, headerOnly = false): WavInfo {
  const { encoding, channels, sampleRate, frames, dataOffset, dataBytes, chunks } = wavLayoutOf(
    bytes,
    { headerOnly, advice: '' },
  )
  return { encoding, channels, sampleRate, frames, dataOffset, dataBytes, chunks }
}

/** Decodes a WAV to planar float samples in -1..1. */
export function decodeWav(bytes: Uint8Array): { sampleRate: Hertz; channels: Float32Array[] } {
  const info = readWavInfo(bytes)
  const channels = Array.from({ length: info.channels }, () => new Float32Array(info.frames))
  decodeWavFrames(bytes.subarray(info.dataOffset), info, info.frames, channels)
  return { sampleRate: info.sampleRate, channels }
}

const ascii = (bytes: Uint8Array, at: number, id: string) => {
  for (let i = 0; i < 4; i++) bytes[at + i] = id.charCodeAt(i)
}

/** Bytes the chunks after the data take. */
const chunksBytes = (chunks: readonly WavChunk[]) =>
  chunks.reduce((n, c) => n + 8 + c.data.length + (c.data.length & 1), 0)

/**
 * The 44 bytes before the samples of a WAV of `frames` frames that ends with `chunks` (LIST/INFO,
 * id3): a writer streams this, then the samples (`wavSamples`), then `wavTrailer(chunks)`.
 */
export function wavHeader(
  frames: number,
  channels: number,
  sampleRate: Hertz,
  encoding: WavEncoding,
  chunks: readonly WavChunk[] = [],
): Uint8Array {
  if (channels < 1) throw new RangeError('a WAV needs at least one channel')
  const width = BYTES[encoding]
  const dataBytes = frames * channels * width
  const total = 12 + 24 + 8 + dataBytes + (dataBytes & 1) + chunksBytes(chunks)
  const bytes = new Uint8Array(44)
  const view = new DataView(bytes.buffer)
  ascii(bytes, 0, 'RIFF')
  view.setUint32(4, total - 8, true)
  ascii(bytes, 8, 'WAVE')
  ascii(bytes, 12, 'fmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, encoding === 'float32' ? 3 : 1, true)
  view.setUint16(22, channels, true)
  view.setUint32(24, sampleRate, true)
  view.setUint32(28, sampleRate * channels * width, true)
  view.setUint16(32, channels * width, true)
  view.setUint16(34, width * 8, true)
  ascii(bytes, 36, 'data')
  view.setUint32(40, dataBytes, true)
  return bytes
}

/**
 * Writes `frames` frames of planar PCM from `from` interleaved into `out` at byte `at` (`out` must
 * have room: frames × channels × the encoding's width); answers the bytes written.
 */
export function wavSamples(
  channels: readonly Float32Array[],
  from: number,
  frames: number,
  encoding: WavEncoding,
  out: Uint8Array,
  at = 0,
): number {
  const count = channels.length
  const width = BYTES[encoding]
  const stride = count * width
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  for (let ch = 0; ch < count; ch++) {
    const pcm = channels[ch]!
    let o = at + ch * width
    if (encoding === 'float32')
      for (let i = from, end = from + frames; i < end; i++, o += stride)
        view.setFloat32(o, pcm[i]!, true)
    else {
      const scale = encoding === 'pcm16' ? 32768 : 8388608
      for (let i = from, end = from + frames; i < end; i++, o += stride) {
        const v = Math.max(-scale, Math.min(scale - 1, Math.round(pcm[i]! * scale)))
        if (encoding === 'pcm16') view.setInt16(o, v, true)
        else {
          out[o] = v & 0xff
          out[o + 1] = (v >> 8) & 0xff
          out[o + 2] = (v >> 16) & 0xff
        }
      }
    }
  }
  return frames * stride
}

/** What follows the samples: a pad byte when their size is odd, then the chunks. */
export function wavTrailer(dataBytes: number, chunks: readonly WavChunk[]): Uint8Array {
  const bytes = new Uint8Array((dataBytes & 1) + chunksBytes(chunks))
  const view = new DataView(bytes.buffer)
  let at = dataBytes & 1
  for (const chunk of chunks) {
    ascii(bytes, at, chunk.id)
    view.setUint32(at + 4, chunk.data.length, true)
    bytes.set(chunk.data, at + 8)
    at += 8 + chunk.data.length + (chunk.data.length & 1)
  }
  return bytes
}

/** Encodes planar PCM as a WAV, with `chunks` (LIST/INFO, id3) after the data. */
export function encodeWav(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  options: { encoding?: WavEncoding; chunks?: readonly WavChunk[] } = {},
): Uint8Array {
  const encoding = options.encoding ?? 'pcm16'
  const chunks = options.chunks ?? []
  const count = channels.length
  if (count < 1) throw new RangeError('encodeWav needs at least one channel')
  const frames = channels[0]!.length
  if (channels.some((c) => c.length !== frames))
    throw new RangeError('all channels must have the same length')
  const header = wavHeader(frames, count, sampleRate, encoding, chunks)
  const dataBytes = frames * count * BYTES[encoding]
  const trailer = wavTrailer(dataBytes, chunks)
  const bytes = new Uint8Array(header.length + dataBytes + trailer.length)
  bytes.set(header)
  wavSamples(channels, 0, frames, encoding, bytes, header.length)
  bytes.set(trailer, header.length + dataBytes)
  return bytes
}

/** A `LIST` chunk of type `INFO` holding zero-terminated UTF-8 strings. */
export function infoChunk(fields: Partial<Record<InfoField, string>>): WavChunk {
  const parts = Object.entries(fields).map(([id, text]) => ({ id, text: utf8(`${text}\0`) }))
  const size = parts.reduce((n, p) => n + 8 + p.text.length + (p.text.length & 1), 4)
  const data = new Uint8Array(size)
  const view = new DataView(data.buffer)
  data.set([0x49, 0x4e, 0x46, 0x4f]) // INFO
  let at = 4
  for (const { id, text } of parts) {
    for (let i = 0; i < 4; i++) data[at + i] = id.charCodeAt(i)
    view.setUint32(at + 4, text.length, true)
    data.set(text, at + 8)
    at += 8 + text.length + (text.length & 1)
  }
  return { id: 'LIST', data }
}

/** The body of the first chunk with this id, or null. */
export function chunkData(bytes: Uint8Array, info: WavInfo, id: string): Uint8Array | null {
  const chunk = info.chunks.find((c) => c.id === id)
  return chunk ? bytes.subarray(chunk.offset, chunk.offset + chunk.size) : null
}

/** The fields of a WAV's `LIST/INFO` chunk, or an empty record if it has none. */
export function readInfo(bytes: Uint8Array, info: WavInfo): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const list of info.chunks.filter((c) => c.id === 'LIST' && c.size >= 4)) {
    if (fourcc(bytes, list.offset) !== 'INFO') continue
    const end = list.offset + list.size
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    for (let at = list.offset + 4; at + 8 <= end;) {
      const size = view.getUint32(at + 4, true)
      if (at + 8 + size > end) invalid('The WAV has a malformed LIST/INFO chunk.')
      const text = utf8Decode(bytes.subarray(at + 8, at + 8 + size))
      fields[fourcc(bytes, at)] = text.replace(/\0+$/, '')
      at += 8 + size + (size & 1)
    }
  }
  return fields
}
