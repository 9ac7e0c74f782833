import { DomainError } from '../errors.ts'
import { ARTWORK_SIZE } from './plan.ts'

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The largest artwork PNG a remix may carry. */
export const MAX_ARTWORK_BYTES = 12 * 1024 * 1024

/** Width and height from a PNG's IHDR; a 400 unless the bytes start like a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const isPng =
    bytes.length >= 33 &&
    SIGNATURE.every((b, i) => bytes[i] === b) &&
    String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR'
  if (!isPng) throw new DomainError('bad_request', 'The artwork must be a PNG image.')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return { width: view.getUint32(16, false), height: view.getUint32(20, false) }
}

/** Checks an artwork PNG: a PNG, at most 3000×3000 and not empty. */
export function checkArtworkPng(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length > MAX_ARTWORK_BYTES)
    throw new DomainError(
      'payload_too_large',
      `Artwork can be at most ${MAX_ARTWORK_BYTES / 1024 / 1024} MiB.`,
    )
  const size = pngSize(bytes)
  if (size.width < 1 || size.height < 1 || size.width > ARTWORK_SIZE || size.height > ARTWORK_SIZE)
    throw new DomainError(
      'bad_request',
      `Artwork must be at most ${ARTWORK_SIZE}×${ARTWORK_SIZE} pixels; this is ${size.width}×${size.height}.`,
    )
  return size
}
