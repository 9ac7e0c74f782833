import { bytesSource, readFlacStreamInfo } from '../../core/audio/container.ts'
import { FlacDecoder, type FlacBlock } from '../../core/audio/flac.ts'
import { readWavInfo, decodeWav } from '../../core/audio/wav.ts'
import { DomainError } from '../../core/errors.ts'
import type { Hertz, Seconds } from '../../core/units.ts'
import { loadMpegDecoder, loadVorbisDecoder } from './decoders.ts'
import { yieldToEventLoop } from '../lib/yield-to-event-loop.ts'

/** Containers and codecs that `decodeAudio` reads. */
export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg-vorbis'

/** Decoded planar PCM, at most the requested number of seconds from the start. */
export type DecodedAudio = {
  format: AudioFormat
  sampleRate: Hertz
  channels: Float32Array[]
}

/** The formats people may send, in words for error messages. */
export const SUPPORTED_FORMATS = 'WAV, MP3, FLAC or Ogg Vorbis'

const CHUNK = 256 * 1024

function invalid(message: string): never {
  throw new DomainError('invalid_audio', message)
}

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length))

/** Where MPEG audio starts: after an ID3v2 tag, if any. */
function id3End(bytes: Uint8Array): number {
  if (bytes.length < 10 || ascii(bytes, 0, 3) !== 'ID3') return 0
  const size = (bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!
  return 10 + size + (bytes[5]! & 0x10 ? 10 : 0)
}

/** An MPEG-1/2/2.5 Layer I-III frame header (AAC's ADTS sync has layer bits 00). */
function isMpegHeader(bytes: Uint8Array, at: number): boolean {
  const b1 = bytes[at + 1]!
  const b2 = bytes[at + 2]!
  return (
    bytes[at] === 0xff &&
    (b1 & 0xe0) === 0xe0 &&
    ((b1 >> 3) & 3) !== 1 &&
    ((b1 >> 1) & 3) !== 0 &&
    b2 >> 4 !== 15 &&
    ((b2 >> 2) & 3) !== 3
  )
}

/** What the bytes are, by their magic numbers; a sentence for what we cannot read. */
export function sniffFormat(bytes: Uint8Array): AudioFormat {
  if (bytes.length === 0) invalid('The file is empty.')
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE')
    return 'wav'
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac'
  if (ascii(bytes, 0, 4) === 'OggS' && bytes.length > 27) {
    const packet = 27 + bytes[26]!
    if (ascii(bytes, packet, 7) === '\x01vorbis') return 'ogg-vorbis'
    if (ascii(bytes, packet, 5) === '\x7fFLAC') return 'flac'
    if (ascii(bytes, packet, 8) === 'OpusHead')
      invalid(`Ogg Opus is not supported yet; send ${SUPPORTED_FORMATS}.`)
    invalid(`This Ogg file holds a codec we do not read; send ${SUPPORTED_FORMATS}.`)
  }
  if (ascii(bytes, 4, 4) === 'ftyp')
    invalid(`AAC/MP4 audio is not supported; send ${SUPPORTED_FORMATS}.`)
  const start = id3End(bytes)
  const end = Math.min(bytes.length - 3, start + 4096)
  for (let at = start; at < end; at++) if (isMpegHeader(bytes, at)) return 'mp3'
  if (start > 0 && start >= bytes.length) invalid('The MP3 has a tag but no audio after it.')
  return invalid(`This is not an audio file we can read; send ${SUPPORTED_FORMATS}.`)
}

/** The first `maxSeconds` of a WAV, decoded without touching the rest of the file. */
function decodeWavStart(bytes: Uint8Array, maxSeconds: Seconds): DecodedAudio {
  const info = readWavInfo(bytes)
  const frames = Math.ceil(maxSeconds * info.sampleRate)
  const { sampleRate, channels } = decodeWav(withDataFrames(bytes, info, frames))
  return { format: 'wav', sampleRate, channels: channels.slice(0, 2) }
}

/** A WAV of the header and first `frames` frames of another, or the same bytes if shorter. */
function withDataFrames(
  bytes: Uint8Array,
  info: ReturnType<typeof readWavInfo>,
  frames: number,
): Uint8Array {
  if (info.frames <= frames) return bytes
  const dataBytes = (info.dataBytes / info.frames) * frames
  const head = bytes.slice(0, info.dataOffset + dataBytes)
  new DataView(head.buffer).setUint32(info.dataOffset - 4, dataBytes, true)
  return head
}

/** The deepest FLAC samples read (what libFLAC-era encoders and DAWs write). */
const MAX_FLAC_BITS = 24

/**
 * The first `maxSeconds` of a native FLAC, decoded by core's FlacDecoder (the one the ingest of
 * masters uses), a chunk at a time. Ogg-encapsulated FLAC is refused.
 */
async function decodeFlacStart(bytes: Uint8Array, maxSeconds: Seconds): Promise<DecodedAudio> {
  if (ascii(bytes, 0, 4) !== 'fLaC')
    invalid('Ogg FLAC is not supported; send native FLAC, WAV, MP3 or Ogg Vorbis.')
  const info = await readFlacStreamInfo(bytesSource(bytes), bytes.length)
  if (info.sampleRate < 1) invalid('The FLAC file is corrupt: its STREAMINFO has no sample rate.')
  if (info.bitDepth < 4 || info.bitDepth > MAX_FLAC_BITS)
    invalid(`The FLAC is ${info.bitDepth}-bit; we read FLAC of 4 to ${MAX_FLAC_BITS} bits.`)
  const wanted = Math.ceil(maxSeconds * info.sampleRate)
  const frames = info.lengthSamples ? Math.min(wanted, info.lengthSamples) : wanted
  // An unknown length: decode whole frames until the bytes or the seconds run out.
  const lengthSamples = info.lengthSamples || Number.MAX_SAFE_INTEGER
  const decoder = new FlacDecoder({ ...info, lengthSamples })
  const scale = 1 / 2 ** (info.bitDepth - 1)
  const channels = Array.from(
    { length: Math.min(info.channels, 2) },
    () => new Float32Array(frames),
  )
  let at = 0
  const take = ({ channels: block, length }: FlacBlock) => {
    const n = Math.min(length, frames - at)
    channels.forEach((out, ch) => {
      const src = block[ch]!
      for (let i = 0; i < n; i++) out[at + i] = src[i]! * scale
    })
    at += n
  }
  try {
    for (let pos = info.dataOffset; pos < bytes.length && at < frames; pos += CHUNK) {
      decoder.push(bytes.subarray(pos, pos + CHUNK))
      decoder.drain(take, false, frames - at)
      await yieldToEventLoop()
    }
    if (at < frames && info.lengthSamples) decoder.drain(take, true, frames - at)
  } catch (err) {
    if (err instanceof DomainError) throw err
    console.warn('FLAC decoder failed', err)
    invalid('The FLAC file is corrupt.')
  }
  if (!at) invalid('The file looks like FLAC but holds no audio we could decode.')
  return {
    format: 'flac',
    sampleRate: info.sampleRate,
    channels: channels.map((c) => c.subarray(0, at)),
  }
}

type Decoded = { channelData: Float32Array[]; samplesDecoded: number; sampleRate: number }

/** Collects decoded blocks until `maxSeconds` are in hand, then joins them per channel. */
class Collector {
  private parts: Float32Array[][] = []
  private frames = 0
  sampleRate = 0
  private readonly maxSeconds: Seconds
  constructor(maxSeconds: Seconds) {
    this.maxSeconds = maxSeconds
  }

  add(d: Decoded): void {
    if (!d.samplesDecoded) return
    this.sampleRate ||= d.sampleRate
    this.parts.push(d.channelData.slice(0, 2).map((c) => c.subarray(0, d.samplesDecoded)))
    this.frames += d.samplesDecoded
  }

  get full(): boolean {
    return this.sampleRate > 0 && this.frames >= this.maxSeconds * this.sampleRate
  }

  channels(): Float32Array[] {
    const frames = Math.min(this.frames, Math.ceil(this.maxSeconds * this.sampleRate))
    const count = this.parts[0]?.length ?? 0
    return Array.from({ length: count }, (_, ch) => {
      const out = new Float32Array(frames)
      let at = 0
      for (const part of this.parts) {
        if (at >= frames) break
        const block = part[ch]!.subarray(0, frames - at)
        out.set(block, at)
        at += block.length
      }
      return out
    })
  }
}

type StreamDecoder = {
  decode(bytes: Uint8Array): Decoded | Promise<Decoded>
  flush?(): Promise<Decoded>
  free(): void
}

async function decodeStream(
  decoder: StreamDecoder,
  bytes: Uint8Array,
  format: AudioFormat,
  maxSeconds: Seconds,
): Promise<DecodedAudio> {
  const out = new Collector(maxSeconds)
  try {
    for (let at = 0; at < bytes.length && !out.full; at += CHUNK) {
      out.add(await decoder.decode(bytes.subarray(at, at + CHUNK)))
      await yieldToEventLoop()
    }
    if (!out.full && decoder.flush) out.add(await decoder.flush())
  } catch (err) {
    console.warn('audio decoder failed', format, err)
    invalid(`The ${format === 'mp3' ? 'MP3' : format.toUpperCase()} file is corrupt.`)
  } finally {
    decoder.free()
  }
  const channels = out.channels()
  if (!channels[0]?.length)
    invalid(`The file looks like ${format.toUpperCase()} but holds no audio we could decode.`)
  return { format, sampleRate: out.sampleRate, channels }
}

/**
 * Decodes the first `maxSeconds` of a WAV, MP3, FLAC or Ogg Vorbis file to planar float PCM
 * (mono or stereo; the first two channels of anything wider). Throws `invalid_audio` with a
 * sentence for people when the bytes are empty, unsupported or corrupt.
 */
export async function decodeAudio(bytes: Uint8Array, maxSeconds: Seconds): Promise<DecodedAudio> {
  const format = sniffFormat(bytes)
  switch (format) {
    case 'wav':
      return decodeWavStart(bytes, maxSeconds)
    case 'mp3':
      return decodeStream(await loadMpegDecoder(), bytes, format, maxSeconds)
    case 'flac':
      return decodeFlacStart(bytes, maxSeconds)
    case 'ogg-vorbis':
      return decodeStream(await loadVorbisDecoder(), bytes, format, maxSeconds)
  }
}
