// The WAV header facts: chunk ids, the format chunk's fields and the sample encodings Stemfair
// accepts. The one reader that walks a file's chunks with them is wav-layout.ts.

/** Sample encodings Stemfair reads and writes. */
export type WavEncoding = 'pcm16' | 'pcm24' | 'float32'

/** Bytes per sample of each encoding. */
export const WAV_SAMPLE_BYTES: Record<WavEncoding, number> = { pcm16: 2, pcm24: 3, float32: 4 }

/** The four-character code at `at`. */
export function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!)
}

/**
 * The fields of a `fmt ` chunk whose body starts at `at` in `view` and holds `size` bytes (at least
 * 16). `tag` is the real format tag (WAVE_FORMAT_EXTENSIBLE resolved through its sub-format GUID),
 * or null for an extensible chunk too short to hold one.
 */
export function fmtChunkOf(
  view: DataView,
  at: number,
  size: number,
): { tag: number | null; channels: number; sampleRate: number; blockAlign: number; bits: number } {
  let tag: number | null = view.getUint16(at, true)
  // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its sub-format GUID.
  if (tag === 0xfffe) tag = size >= 40 ? view.getUint16(at + 24, true) : null
  return {
    tag,
    channels: view.getUint16(at + 2, true),
    sampleRate: view.getUint32(at + 4, true),
    blockAlign: view.getUint16(at + 12, true),
    bits: view.getUint16(at + 14, true),
  }
}

/** The encoding of a format tag and bit depth, or null when Stemfair does not read it. */
export function wavEncodingOf(tag: number, bits: number): WavEncoding | null {
  if (tag === 1 && bits === 16) return 'pcm16'
  if (tag === 1 && bits === 24) return 'pcm24'
  if (tag === 3 && bits === 32) return 'float32'
  return null
}

/** The sentence for a WAV whose encoding Stemfair does not read. */
export function unsupportedWavMessage(tag: number, bits: number): string {
  const kind = tag === 1 ? 'PCM' : tag === 3 ? 'float' : `format ${tag}`
  return `The WAV must be 16- or 24-bit PCM or 32-bit float; this one is ${bits}-bit ${kind}.`
}
