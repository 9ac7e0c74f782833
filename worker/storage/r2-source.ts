import type { ByteSource } from '../../core/audio/container.ts'
import { DomainError } from '../../core/errors.ts'

/** The first bytes of a master, read once, serve the many small header reads. */
const HEAD_BYTES = 64 * 1024

/** Range reads of an R2 object of known size. */
export function r2Source(bucket: R2Bucket, key: string, size?: number): ByteSource {
  let head: Promise<Uint8Array> | null = null
  const get = async (offset: number, length: number): Promise<Uint8Array> => {
    const end = size === undefined ? offset + length : Math.min(size, offset + length)
    if (end <= offset) return new Uint8Array(0)
    const object = await bucket.get(key, { range: { offset, length: end - offset } })
    if (!object) throw new DomainError('invalid_audio', 'The master is gone; upload it again.')
    return new Uint8Array(await object.arrayBuffer())
  }
  return async (offset, length) => {
    if (offset + length <= HEAD_BYTES) {
      head ??= get(0, HEAD_BYTES)
      const bytes = await head
      return bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length))
    }
    return get(offset, length)
  }
}
