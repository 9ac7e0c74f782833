/** A single byte range, inclusive of both ends. */
export type ByteRange = { offset: number; length: number }

/**
 * Reads a `Range` header against an object of `size` bytes.
 * `null`: no header, or several ranges (served whole, as RFC 9110 allows).
 * `'unsatisfiable'`: malformed, or starting past the end.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | null | 'unsatisfiable' {
  if (header === undefined) return null
  const match = /^bytes=(.*)$/.exec(header.trim())
  if (!match) return 'unsatisfiable'
  const specs = match[1]!.split(',').map((s) => s.trim())
  if (specs.some((s) => !/^(\d*)-(\d*)$/.test(s) || s === '-')) return 'unsatisfiable'
  if (specs.length > 1) return null
  const [startText, endText] = specs[0]!.split('-') as [string, string]
  if (startText === '') {
    const suffix = Number(endText)
    if (suffix === 0 || size === 0) return 'unsatisfiable'
    const length = Math.min(suffix, size)
    return { offset: size - length, length }
  }
  const start = Number(startText)
  const end = endText === '' ? size - 1 : Math.min(Number(endText), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { offset: start, length: end - start + 1 }
}
