import { afterAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../lib/random.ts'
import { bytesSource, readMasterInfo } from './container.ts'
import { FlacDecoder } from './flac.ts'
import { MasterStream } from './master-stream.ts'
import { encodeWav, type WavEncoding } from './wav.ts'

// core is typed without Node; the test runs in Node and drives the reference `flac` CLI.
type NodeApis = {
  execFileSync(file: string, args: string[]): unknown
  mkdtempSync(prefix: string): string
  readFileSync(path: string): Uint8Array
  rmSync(path: string, options: { recursive: boolean; force: boolean }): void
  writeFileSync(path: string, data: Uint8Array): void
  tmpdir(): string
}
const load = (name: string) => import(/* @vite-ignore */ name) as Promise<Partial<NodeApis>>
const { execFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, tmpdir } = Object.assign(
  {},
  ...(await Promise.all(['node:child_process', 'node:fs', 'node:os'].map(load))),
) as NodeApis
const join = (...parts: string[]) => parts.join('/')

const dir = mkdtempSync(join(tmpdir(), 'stemfair-flac-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A signal with tones, noise, silence and a DC step, so every subframe type turns up. */
function signal(frames: number, channels: number, seed: number): Float32Array[] {
  const random = seededRandom(seed)
  const noise = () => random() * 2 - 1
  return Array.from({ length: channels }, (_, ch) => {
    const pcm = new Float32Array(frames)
    for (let i = 0; i < frames; i++) {
      const t = i / 48000
      if (i < frames / 4) pcm[i] = 0.6 * Math.sin(2 * Math.PI * (220 + 110 * ch) * t)
      else if (i < frames / 2) pcm[i] = 0.3 * noise()
      else if (i < (frames * 5) / 8) pcm[i] = 0
      else if (i < (frames * 3) / 4) pcm[i] = 0.25
      else pcm[i] = 0.5 * Math.sin(2 * Math.PI * 1000 * t) + 0.05 * noise() * (ch ? -1 : 1)
    }
    return pcm
  })
}

/** Integer samples of a WAV as the encoder wrote them, planar. */
function intsOf(channels: Float32Array[], bits: number): Int32Array[] {
  const scale = bits === 16 ? 32768 : 8388608
  return channels.map((pcm) =>
    Int32Array.from(pcm, (v) => Math.max(-scale, Math.min(scale - 1, Math.round(v * scale)))),
  )
}

async function decodeAll(bytes: Uint8Array, chunk: number) {
  const info = await readMasterInfo(bytesSource(bytes), bytes.length)
  const decoder = new FlacDecoder({ ...info, maxBlockSize: info.flac!.maxBlockSize })
  const out = Array.from({ length: info.channels }, () => new Int32Array(info.lengthSamples))
  let at = 0
  const onBlock = (b: { channels: Int32Array[]; length: number }) => {
    for (let ch = 0; ch < out.length; ch++) out[ch]!.set(b.channels[ch]!.subarray(0, b.length), at)
    at += b.length
  }
  for (let i = info.dataOffset; i < bytes.length; i += chunk) {
    decoder.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)))
    decoder.drain(onBlock)
  }
  decoder.drain(onBlock, true)
  return { info, out }
}

function flacOf(name: string, wav: Uint8Array, args: string[]): Uint8Array {
  const wavPath = join(dir, `${name}.wav`)
  const flacPath = join(dir, `${name}.flac`)
  writeFileSync(wavPath, wav)
  execFileSync('flac', ['-s', '-f', ...args, '-o', flacPath, wavPath])
  return new Uint8Array(readFileSync(flacPath))
}

describe('FlacDecoder against the reference flac encoder', () => {
  const cases: [string, WavEncoding, number, string[], number][] = [
    ['24-bit stereo, best (LPC, mid/side)', 'pcm24', 2, ['--best'], 48000],
    ['16-bit stereo, fastest (fixed)', 'pcm16', 2, ['-0'], 48000],
    ['16-bit mono, default', 'pcm16', 1, ['-5'], 48000],
    [
      '24-bit stereo, small blocks, exhaustive',
      'pcm24',
      2,
      ['-8', '-e', '-p', '--blocksize=1152'],
      48000,
    ],
    ['16-bit stereo, independent channels', 'pcm16', 2, ['-5', '--no-mid-side'], 48000],
    ['16-bit stereo at 44.1 kHz, best', 'pcm16', 2, ['-8'], 44100],
    ['24-bit mono at 44.1 kHz, fastest', 'pcm24', 1, ['-0'], 44100],
  ]
  for (const [name, encoding, channelCount, args, rate] of cases)
    it(`decodes ${name} sample for sample`, async () => {
      const pcm = signal(48000 + 777, channelCount, 7)
      const bits = encoding === 'pcm16' ? 16 : 24
      const flac = flacOf(name.replace(/\W+/g, '-'), encodeWav(pcm, rate, { encoding }), args)
      const { info, out } = await decodeAll(flac, 4099)
      expect(info).toMatchObject({
        format: 'flac',
        sampleRate: rate,
        channels: channelCount,
        bitDepth: bits,
        lengthSamples: 48777,
      })
      const expected = intsOf(pcm, bits)
      for (let ch = 0; ch < channelCount; ch++) expect(out[ch]).toEqual(expected[ch])
    })

  it('streams a FLAC master through MasterStream in bounded blocks, hashing every byte', async () => {
    const pcm = signal(100_000, 2, 11)
    const flac = flacOf('stream', encodeWav(pcm, 48000, { encoding: 'pcm24' }), ['--best'])
    const info = await readMasterInfo(bytesSource(flac), flac.length)
    let seen = 0
    const stream = new MasterStream(bytesSource(flac), flac.length, info, 5000, (b) => {
      seen += b.length
    })
    const expected = intsOf(pcm, 24)
    const out = [new Float32Array(4000), new Float32Array(4000)]
    let at = 0
    for (;;) {
      const n = await stream.next(out)
      if (n === 0) break
      for (let ch = 0; ch < 2; ch++)
        for (let i = 0; i < n; i++) expect(out[ch]![i]).toBe(expected[ch]![at + i]! / 8388608)
      at += n
    }
    expect(at).toBe(100_000)
    expect(seen).toBe(flac.length)
  })

  it('refuses a truncated file and a flipped byte', async () => {
    const pcm = signal(20000, 2, 3)
    const flac = flacOf('bad', encodeWav(pcm, 48000, { encoding: 'pcm16' }), ['-5'])
    await expect(decodeAll(flac.subarray(0, flac.length - 500), 1000)).rejects.toThrow(/truncated/)
    const flipped = flac.slice()
    flipped[flipped.length - 3000] = flipped[flipped.length - 3000]! ^ 0x10
    await expect(decodeAll(flipped, 1000)).rejects.toThrow(/corrupt/)
  })
})
