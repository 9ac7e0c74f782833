import { DomainError } from '../errors.ts'
import type { Hertz, Samples } from '../units.ts'
import { fourcc } from '../lib/audio/wav-header.ts'
import { wavLayoutFrom } from '../lib/audio/wav-layout.ts'
import { hexOf } from '../lib/bytes.ts'

/** Lossless containers accepted as masters. */
export type MasterFormat = 'wav' | 'flac'

/** How the samples of a master are stored. */
export type MasterEncoding = 'pcm16' | 'pcm24' | 'float32' | 'flac'

/** What a master's container says, read by the worker from the file itself. */
export type MasterInfo = {
  format: MasterFormat
  encoding: MasterEncoding
  sampleRate: Hertz
  channels: number
  bitDepth: number
  lengthSamples: Samples
  /** WAV: where the sample data starts and how long it is. FLAC: where the first frame starts. */
  dataOffset: number
  dataBytes: number
  /** Bytes per sample frame (WAV); 0 for FLAC. */
  blockAlign: number
  /** FLAC STREAMINFO: the largest block and frame (0 when unknown), and the MD5 of the decoded audio. */
  flac: { maxBlockSize: number; maxFrameSize: number; md5: string } | null
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ByteSource = (offset: number, length: number) => Promise<Uint8Array>

/** The longest master accepted. */
export const MAX_MASTER_SECONDS = 15 * 60

/** Sample rates accepted: the rendition is MP3, made at the rate itself or after halving or quartering it. */
export const MASTER_SAMPLE_RATES: readonly Hertz[] = [
  22050, 24000, 32000, 44100, 48000, 88200, 96000, 176400, 192000,
]

function invalid(message: string): never {
  throw new DomainError('invalid_audio', message)
}

const EXPORT_AGAIN =
  'Export the stem again from your DAW as WAV (16/24-bit or 32-bit float) or FLAC.'

/** Names what a non-master file is, from its first bytes; `null` when it looks like WAV or FLAC. */
export function sniffNonMaster(head: Uint8Array): string | null {
  if (head.length >= 4 && (fourcc(head, 0) === 'RIFF' || fourcc(head, 0) === 'RF64')) return null
  if (head.length >= 4 && fourcc(head, 0) === 'fLaC') return null
  const lossy = (what: string) =>
    `This is ${what}, a lossy format: a master must be lossless. Upload the WAV or FLAC it was made from.`
  if (head.length >= 3 && head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33)
    return lossy('an MP3 (ID3-tagged)')
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    const layer = (head[1]! >> 1) & 3
    return (head[1]! & 0x06) === 0
      ? lossy('AAC (ADTS)')
      : lossy(layer === 1 ? 'an MP3' : 'MPEG audio')
  }
  if (head.length >= 4 && fourcc(head, 0) === 'OggS')
    return (
      'This is an Ogg file (Vorbis, Opus or Ogg FLAC); a master must be WAV or native FLAC. ' +
      EXPORT_AGAIN
    )
  if (head.length >= 8 && fourcc(head, 4) === 'ftyp')
    return 'This is an MP4/M4A file (AAC or ALAC); a master must be WAV or FLAC. ' + EXPORT_AGAIN
  if (head.length >= 12 && fourcc(head, 0) === 'FORM' && fourcc(head, 8).startsWith('AIF'))
    return 'This is an AIFF file; Stemfair takes WAV or FLAC masters. ' + EXPORT_AGAIN
  return (
    'This file is not audio Stemfair can read as a master (no WAV or FLAC header). ' + EXPORT_AGAIN
  )
}

function checkShape(info: MasterInfo): MasterInfo {
  if (info.channels < 1 || info.channels > 2)
    invalid(`The master has ${info.channels} channels; a stem must be mono or stereo.`)
  if (!MASTER_SAMPLE_RATES.includes(info.sampleRate))
    invalid(
      `The master is at ${info.sampleRate} Hz; use one of ${MASTER_SAMPLE_RATES.join(', ')} Hz.`,
    )
  if (info.lengthSamples < 1) invalid('The master holds no audio (its length is zero).')
  const seconds = info.lengthSamples / info.sampleRate
  if (seconds > MAX_MASTER_SECONDS)
    invalid(
      `The master lasts ${(seconds / 60).toFixed(1)} minutes; stems can be at most ${MAX_MASTER_SECONDS / 60} minutes long.`,
    )
  return info
}

async function readWav(read: ByteSource, size: number): Promise<MasterInfo> {
  const wav = await wavLayoutFrom(read, size, EXPORT_AGAIN)
  return checkShape({
    format: 'wav',
    encoding: wav.encoding,
    sampleRate: wav.sampleRate,
    channels: wav.channels,
    bitDepth: wav.bits,
    lengthSamples: wav.frames,
    dataOffset: wav.dataOffset,
    dataBytes: wav.dataBytes,
    blockAlign: wav.blockAlign,
    flac: null,
  })
}

/** What a native FLAC's STREAMINFO says, and where its first audio frame starts. */
export type FlacStreamInfo = {
  sampleRate: Hertz
  channels: number
  bitDepth: number
  /** 0 when STREAMINFO does not say. */
  lengthSamples: Samples
  maxBlockSize: number
  maxFrameSize: number
  md5: string
  dataOffset: number
}

/**
 * Walks a native FLAC's metadata blocks (after `fLaC`) to its STREAMINFO and first audio frame.
 * A truncated or malformed header throws `invalid_audio`; the shape itself is not judged.
 */
export async function readFlacStreamInfo(read: ByteSource, size: number): Promise<FlacStreamInfo> {
  let info: Omit<FlacStreamInfo, 'dataOffset'> | null = null
  for (let at = 4; ;) {
    if (at + 4 > size) invalid('The FLAC file is truncated inside its metadata.')
    const header = await read(at, 4)
    const last = (header[0]! & 0x80) !== 0
    const type = header[0]! & 0x7f
    const length = (header[1]! << 16) | (header[2]! << 8) | header[3]!
    const body = at + 4
    if (body + length > size) invalid('The FLAC file is truncated inside its metadata.')
    if (type === 0) {
      if (length < 34) invalid('The FLAC file has a malformed STREAMINFO block.')
      const s = await read(body, 34)
      info = {
        maxBlockSize: (s[2]! << 8) | s[3]!,
        maxFrameSize: (s[7]! << 16) | (s[8]! << 8) | s[9]!,
        sampleRate: (s[10]! << 12) | (s[11]! << 4) | (s[12]! >> 4),
        channels: ((s[12]! >> 1) & 7) + 1,
        bitDepth: (((s[12]! & 1) << 4) | (s[13]! >> 4)) + 1,
        lengthSamples:
          (s[13]! & 0x0f) * 2 ** 32 +
          ((s[14]! << 24) >>> 0) +
          ((s[15]! << 16) | (s[16]! << 8) | s[17]!),
        md5: hexOf(s.subarray(18, 34)),
      }
    } else if (!info)
      invalid('The FLAC file does not start with a STREAMINFO block: it is corrupt.')
    at = body + length
    if (last) {
      if (!info) return invalid('The FLAC file has no STREAMINFO block.')
      if (at >= size) invalid('The FLAC file is truncated: it has no audio frames.')
      const sync = await read(at, 2)
      if (sync[0] !== 0xff || (sync[1]! & 0xfe) !== 0xf8)
        invalid('The FLAC file is corrupt: no audio frame follows its metadata.')
      return { ...info, dataOffset: at }
    }
  }
}

async function readFlac(read: ByteSource, size: number): Promise<MasterInfo> {
  const { maxBlockSize, maxFrameSize, md5, dataOffset, ...shape } = await readFlacStreamInfo(
    read,
    size,
  )
  if (shape.bitDepth !== 16 && shape.bitDepth !== 24)
    invalid(
      `The FLAC is ${shape.bitDepth}-bit; a FLAC master must be 16- or 24-bit. ${EXPORT_AGAIN}`,
    )
  if (shape.lengthSamples === 0)
    invalid(
      'The FLAC does not say how long it is (its STREAMINFO has no sample count). ' + EXPORT_AGAIN,
    )
  return checkShape({
    ...shape,
    format: 'flac',
    encoding: 'flac',
    blockAlign: 0,
    flac: { maxBlockSize, maxFrameSize, md5 },
    dataOffset,
    dataBytes: size - dataOffset,
  })
}

/**
 * Reads a master's container from the file itself (never from what a client claims): WAV
 * (RIFF or RF64, PCM or WAVE_FORMAT_EXTENSIBLE; 16/24-bit PCM or 32-bit float) or FLAC
 * (STREAMINFO). Anything else, a corrupt or truncated file, or over 15 minutes throws
 * `invalid_audio` with a sentence that says what to do.
 */
export async function readMasterInfo(read: ByteSource, size: number): Promise<MasterInfo> {
  const head = await read(0, 16)
  const other = sniffNonMaster(head)
  if (other) invalid(other)
  const magic = fourcc(head, 0)
  if (magic === 'fLaC') return readFlac(read, size)
  return readWav(read, size)
}

/** A byte source over bytes in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return (offset, length) =>
    Promise.resolve(
      bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
    )
}
