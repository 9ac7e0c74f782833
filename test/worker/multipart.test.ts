// R2 multipart writes as the export job makes them: parts whose length is known stream as they
// fill, the others are held; whichever way, the object read back is the bytes written, in order.
import { env } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import {
  MultipartWriter,
  PART_BYTES,
  UploadSlots,
  type SizeHint,
} from '../../worker/storage/multipart.ts'

// Objects of a few parts, through the local R2: on a shared machine, generous waits.
vi.setConfig({ testTimeout: 60_000 })

/** Bytes that differ at every offset (a part written twice or out of order shows). */
function pattern(n: number): Uint8Array {
  const bytes = new Uint8Array(n)
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + (i >> 13)) & 255
  return bytes
}

/** Writes `bytes` in uneven pieces from one reused buffer, as the encoders hand theirs over. */
async function writeAll(writer: MultipartWriter, bytes: Uint8Array) {
  const reused = new Uint8Array(100_003)
  for (let at = 0, step = 1; at < bytes.length; step = (step * 7919 + 3) % 100_003) {
    const n = Math.min(step + 1, bytes.length - at)
    reused.set(bytes.subarray(at, at + n))
    await writer.write(reused.subarray(0, n))
    at += n
  }
}

async function stored(key: string) {
  const object = await env.MEDIA.get(key)
  return object ? new Uint8Array(await object.arrayBuffer()) : null
}

describe('MultipartWriter', () => {
  const size = 2 * PART_BYTES + 12_345
  const cases: [string, SizeHint, UploadSlots][] = [
    ['exact size, streamed', { exact: size }, new UploadSlots()],
    ['a lower bound, streamed but for the last part', { atLeast: size - 5000 }, new UploadSlots()],
    ['no size known, held', {}, new UploadSlots()],
    ['exact size, no stream free: held', { exact: size }, new UploadSlots(0)],
  ]
  for (const [name, hint, slots] of cases)
    it(`stores the bytes written: ${name}`, async () => {
      const bytes = pattern(size)
      const key = `test/multipart/${name}`
      const writer = await MultipartWriter.open(env.MEDIA, key, {}, hint, slots)
      await writeAll(writer, bytes)
      expect(await writer.close()).toEqual({ size })
      const back = await stored(key)
      expect(back?.length).toBe(size)
      let differ = 0
      for (let i = 0; i < size; i++) if (back![i] !== bytes[i]) differ++
      expect(differ).toBe(0)
    })

  it('fails an object shorter than its known size, and leaves nothing', async () => {
    const key = 'test/multipart/short'
    const writer = await MultipartWriter.open(env.MEDIA, key, {}, { exact: PART_BYTES + 10 })
    await writeAll(writer, pattern(PART_BYTES + 4))
    await expect(writer.close()).rejects.toThrow(/short/)
    await writer.abort()
    expect(await stored(key)).toBeNull()
  })

  it('gives its stream back when aborted mid-part, for the next file', async () => {
    const slots = new UploadSlots(1)
    const first = await MultipartWriter.open(
      env.MEDIA,
      'test/multipart/a',
      {},
      { exact: 100_000 },
      slots,
    )
    await first.write(pattern(70_000))
    expect(slots.take()).toBe(false)
    await first.abort()
    expect(slots.take()).toBe(true)
    expect(await stored('test/multipart/a')).toBeNull()
  })
})
