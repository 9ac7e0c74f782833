import { DomainError } from '../errors.ts'
import { concatBytes, utf8, utf8Decode } from '../lib/bytes.ts'

/** One ID3v2 frame: text (T***), user text (TXXX), user URL (WXXX), comment (COMM) or raw bytes. */
export type Id3Frame =
  | { kind: 'text'; id: string; values: string[] }
  | { kind: 'userText'; description: string; value: string }
  | { kind: 'userUrl'; description: string; url: string }
  | { kind: 'comment'; language: string; description: string; text: string }
  | { kind: 'binary'; id: string; data: Uint8Array }
  | { kind: 'picture'; mime: string; pictureType: number; description: string; data: Uint8Array }

/** The APIC picture type of a front cover. */
export const FRONT_COVER = 3

/** A parsed tag: its version (3 or 4), its frames, and how many bytes it takes at the file start. */
export type Id3Tag = { version: number; frames: Id3Frame[]; size: number }

const UTF8 = 3

function invalid(message: string): never {
  throw new DomainError('invalid_audio', message)
}

function synchsafe(n: number): number[] {
  if (n >= 1 << 28) throw new RangeError('an ID3 size must be under 256 MiB')
  return [(n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127]
}

function unsynchsafe(b: Uint8Array, at: number): number {
  return (
    ((b[at]! & 127) << 21) |
    ((b[at + 1]! & 127) << 14) |
    ((b[at + 2]! & 127) << 7) |
    (b[at + 3]! & 127)
  )
}

function latin1(text: string): number[] {
  return [...text].map((ch) => {
    const cp = ch.codePointAt(0)!
    if (cp > 0xff) throw new RangeError(`“${text}” is not Latin-1; percent-encode URLs`)
    return cp
  })
}

function bodyOf(frame: Id3Frame): { id: string; body: Uint8Array } {
  const text = utf8
  switch (frame.kind) {
    case 'text':
      return { id: frame.id, body: concatBytes([[UTF8], text(frame.values.join('\0'))]) }
    case 'userText':
      return {
        id: 'TXXX',
        body: concatBytes([[UTF8], text(frame.description), [0], text(frame.value)]),
      }
    case 'userUrl':
      return {
        id: 'WXXX',
        body: concatBytes([[UTF8], text(frame.description), [0], latin1(frame.url)]),
      }
    case 'comment': {
      const language = latin1(frame.language.padEnd(3, ' ').slice(0, 3))
      return {
        id: 'COMM',
        body: concatBytes([[UTF8], language, text(frame.description), [0], text(frame.text)]),
      }
    }
    case 'binary':
      return { id: frame.id, body: frame.data }
    case 'picture':
      return {
        id: 'APIC',
        body: concatBytes([
          [UTF8],
          latin1(frame.mime),
          [0, frame.pictureType & 0xff],
          text(frame.description),
          [0],
          frame.data,
        ]),
      }
  }
}

/** Writes an ID3v2.4 tag (UTF-8 text, no unsynchronisation) to put in front of an MP3. */
export function writeId3(frames: readonly Id3Frame[], padding = 0): Uint8Array {
  const parts = frames.map((frame) => {
    const { id, body } = bodyOf(frame)
    if (!/^[A-Z0-9]{4}$/.test(id)) throw new RangeError(`“${id}” is not an ID3v2 frame id`)
    return { head: [...latin1(id), ...synchsafe(body.length), 0, 0], body }
  })
  const size = parts.reduce((n, p) => n + 10 + p.body.length, padding)
  const tag = new Uint8Array(10 + size)
  tag.set([0x49, 0x44, 0x33, 4, 0, 0, ...synchsafe(size)])
  let at = 10
  for (const { head, body } of parts) {
    tag.set(head, at)
    tag.set(body, at + 10)
    at += 10 + body.length
  }
  return tag
}

function fromCodes(codes: ArrayLike<number>): string {
  const all = Array.from(codes)
  let out = ''
  for (let i = 0; i < all.length; i += 4096) out += String.fromCharCode(...all.slice(i, i + 4096))
  return out
}

function decodeText(encoding: number, bytes: Uint8Array): string {
  if (encoding === 0) return fromCodes(bytes)
  if (encoding === 3) return utf8Decode(bytes)
  let bigEndian = encoding === 2
  let start = 0
  if (encoding === 1 && bytes.length >= 2) {
    bigEndian = bytes[0] === 0xfe && bytes[1] === 0xff
    start = 2
  }
  const units: number[] = []
  for (let i = start; i + 1 < bytes.length; i += 2)
    units.push(bigEndian ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]! | (bytes[i + 1]! << 8))
  return fromCodes(units)
}

/** Splits at the first terminator of the encoding (one zero byte, or two for UTF-16). */
function splitTerminated(encoding: number, bytes: Uint8Array): [Uint8Array, Uint8Array] {
  const wide = encoding === 1 || encoding === 2
  for (let i = 0; i < bytes.length; i += wide ? 2 : 1)
    if (bytes[i] === 0 && (!wide || bytes[i + 1] === 0))
      return [bytes.subarray(0, i), bytes.subarray(i + (wide ? 2 : 1))]
  return [bytes, bytes.subarray(bytes.length)]
}

function resynchronise(bytes: Uint8Array): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < bytes.length; i++) {
    out.push(bytes[i]!)
    if (bytes[i] === 0xff && bytes[i + 1] === 0) i++
  }
  return Uint8Array.from(out)
}

function pictureFrom(body: Uint8Array): Id3Frame {
  const encoding = body[0] ?? 0
  const [mime, rest] = splitTerminated(0, body.subarray(1))
  if (encoding > 3 || rest.length < 1) invalid('The ID3 tag has a malformed APIC frame.')
  const [description, data] = splitTerminated(encoding, rest.subarray(1))
  return {
    kind: 'picture',
    mime: fromCodes(mime),
    pictureType: rest[0]!,
    description: decodeText(encoding, description),
    data,
  }
}

function frameFrom(id: string, body: Uint8Array): Id3Frame {
  const encoding = body[0] ?? 0
  if (id === 'APIC') return pictureFrom(body)
  if (encoding > 3 || !/^(T...|WXXX|COMM)$/.test(id)) return { kind: 'binary', id, data: body }
  const rest = body.subarray(1)
  if (id === 'TXXX' || id === 'WXXX') {
    const [description, value] = splitTerminated(encoding, rest)
    const desc = decodeText(encoding, description)
    return id === 'TXXX'
      ? { kind: 'userText', description: desc, value: decodeText(encoding, value) }
      : {
          kind: 'userUrl',
          description: desc,
          url: fromCodes(value).replace(/\0+$/, ''),
        }
  }
  if (id === 'COMM') {
    if (rest.length < 3) invalid('The ID3 tag has a malformed COMM frame.')
    const language = fromCodes(rest.subarray(0, 3))
    const [description, text] = splitTerminated(encoding, rest.subarray(3))
    return {
      kind: 'comment',
      language,
      description: decodeText(encoding, description),
      text: decodeText(encoding, text).replace(/\0+$/, ''),
    }
  }
  const text = decodeText(encoding, rest).replace(/\0+$/, '')
  return { kind: 'text', id, values: text.split('\0') }
}

/** Reads the ID3v2.3/2.4 tag at the start of `bytes`; null when there is none. */
export function readId3(bytes: Uint8Array): Id3Tag | null {
  if (bytes.length < 3 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return null
  if (bytes.length < 10) invalid('The ID3 tag is truncated.')
  const version = bytes[3]!
  if (version !== 3 && version !== 4) invalid(`ID3v2.${version} tags are not supported.`)
  const flags = bytes[5]!
  if ([6, 7, 8, 9].some((i) => bytes[i]! > 127)) invalid('The ID3 tag has a malformed size.')
  const bodySize = unsynchsafe(bytes, 6)
  const size = 10 + bodySize + (version === 4 && flags & 0x10 ? 10 : 0)
  if (10 + bodySize > bytes.length) invalid('The ID3 tag is truncated.')
  let tag = bytes.subarray(10, 10 + bodySize)
  if (version === 3 && flags & 0x80) tag = resynchronise(tag)
  let at = 0
  if (flags & 0x40) {
    const view = new DataView(tag.buffer, tag.byteOffset, tag.byteLength)
    at = version === 4 ? unsynchsafe(tag, 0) : view.getUint32(0, false) + 4
  }
  const frames: Id3Frame[] = []
  while (at + 10 <= tag.length && tag[at] !== 0) {
    const id = String.fromCharCode(...tag.subarray(at, at + 4))
    if (!/^[A-Z0-9]{4}$/.test(id)) invalid(`The ID3 tag has a malformed frame id at byte ${at}.`)
    const frameSize =
      version === 4
        ? unsynchsafe(tag, at + 4)
        : new DataView(tag.buffer, tag.byteOffset).getUint32(at + 4, false)
    const start = at + 10
    if (start + frameSize > tag.length) invalid(`The ID3 frame ${id} runs past the end of the tag.`)
    let body = tag.subarray(start, start + frameSize)
    const format = tag[at + 9]!
    if (version === 4 && (format & 0x02 || flags & 0x80)) body = resynchronise(body)
    // Compressed, encrypted or grouped frames are kept as bytes.
    const packed = version === 4 ? format & 0x4d : format & 0xe0
    frames.push(packed ? { kind: 'binary', id, data: body } : frameFrom(id, body))
    at = start + frameSize
  }
  return { version, frames, size }
}

/** The values of the first text frame with this id, or of the TXXX frame with this description. */
export function id3Text(tag: Id3Tag, id: string): string | null {
  for (const f of tag.frames) {
    if (f.kind === 'text' && f.id === id) return f.values.join('\0')
    if (f.kind === 'userText' && id === `TXXX:${f.description}`) return f.value
  }
  return null
}
