import { describe, expect, it } from 'vitest'
import { loadMpegDecoder, STREAMS_PER_INSTANCE } from './decoders.ts'
import { createMp3Encoder } from './mp3-encoder.ts'

const RATE = 44100

/** One second of a stereo tone at `hz`, as a 192 kbit/s MP3. */
async function toneMp3(hz: number): Promise<Uint8Array> {
  const n = RATE
  const left = new Float32Array(n)
  for (let i = 0; i < n; i++) left[i] = 0.4 * Math.sin((2 * Math.PI * hz * i) / RATE)
  const encoder = await createMp3Encoder({ sampleRate: RATE, channels: 2, kbps: 192 })
  const parts = [encoder.encode([left, left.map((x) => -x)]).slice(), encoder.finish().slice()]
  const out = new Uint8Array(parts[0]!.length + parts[1]!.length)
  out.set(parts[0]!)
  out.set(parts[1]!, parts[0]!.length)
  return out
}

/** The decoded left channel of `mp3`, decoded alone. */
async function decodeAlone(mp3: Uint8Array): Promise<Float32Array> {
  const decoder = await loadMpegDecoder()
  try {
    return decoder.decode(mp3).channelData[0]!
  } finally {
    decoder.free()
  }
}

const instanceOf = (d: object) => (d as { _common: { _wasm: object } })._common._wasm

describe('loadMpegDecoder', () => {
  it('decodes 16 streams at once, interleaved, each as if it were alone, in two instances', async () => {
    const files = await Promise.all(Array.from({ length: 16 }, (_, i) => toneMp3(220 + 55 * i)))
    const alone: Float32Array[] = []
    for (const mp3 of files) alone.push(await decodeAlone(mp3))

    const decoders: Awaited<ReturnType<typeof loadMpegDecoder>>[] = []
    for (let i = 0; i < files.length; i++) decoders.push(await loadMpegDecoder())
    try {
      // 16 streams, 8 to an instance of 16 MiB: two instances, not sixteen
      expect(new Set(decoders.map(instanceOf)).size).toBe(16 / STREAMS_PER_INSTANCE)
      const decoded = files.map(() => [] as Float32Array[])
      for (let at = 0; at < files[0]!.length; at += 4096)
        files.forEach((mp3, i) => {
          const out = decoders[i]!.decode(mp3.subarray(at, at + 4096))
          if (out.samplesDecoded) decoded[i]!.push(out.channelData[0]!)
        })
      decoded.forEach((chunks, i) => {
        const joined = new Float32Array(chunks.reduce((n, c) => n + c.length, 0))
        chunks.reduce((at, c) => (joined.set(c, at), at + c.length), 0)
        expect(joined.length).toBeGreaterThan(RATE / 2)
        expect(joined).toEqual(alone[i]!.subarray(0, joined.length))
      })
    } finally {
      for (const d of decoders) d.free()
    }
  }, 60_000)

  it('hands a freed stream’s room to the next decoder', async () => {
    const first = await loadMpegDecoder()
    first.free()
    const next = await loadMpegDecoder()
    try {
      expect(instanceOf(next)).toBe(instanceOf(first))
      expect((await decodeAlone(await toneMp3(440))).length).toBeGreaterThan(RATE / 2)
    } finally {
      next.free()
    }
  })
})
