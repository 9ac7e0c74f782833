import { afterAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../lib/random.ts'
import { bytesSource, readMasterInfo } from './container.ts'
import { FlacDecoder } from './flac.ts'
import { FlacEncoder, type FlacBitDepth } from './flac-encode.ts'
import { encodeWav, readWavInfo } from './wav.ts'
import { manifestFrom } from '../provenance/manifest.ts'
import { vorbisCommentsFrom } from '../provenance/tags.ts'
import { claim } from '../provenance/testing/claim.ts'

// core is typed without Node; the test runs in Node and drives the reference `flac`, `metaflac`
// and `ffmpeg` command lines.
type NodeApis = {
  execFileSync(file: string, args: string[], options?: { encoding: 'utf8' }): unknown
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

const dir = mkdtempSync(join(tmpdir(), 'stemfair-flac-encode-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Tones, noise, silence, a DC step and full-scale clipping, so every subframe kind turns up. */
function signal(frames: number, channels: number, seed: number): Float32Array[] {
  const random = seededRandom(seed)
  const noise = () => random() * 2 - 1
  return Array.from({ length: channels }, (_, ch) => {
    const pcm = new Float32Array(frames)
    for (let i = 0; i < frames; i++) {
      const t = i / 48000
      if (i < frames / 4) pcm[i] = 0.6 * Math.sin(2 * Math.PI * (220 + 110 * ch) * t)
      else if (i < frames / 2) pcm[i] = (ch ? 0.9 : 0.3) * noise()
      else if (i < (frames * 5) / 8) pcm[i] = 0
      else if (i < (frames * 3) / 4) pcm[i] = 0.25
      else if (i < (frames * 7) / 8) pcm[i] = 1.5 * Math.sin(2 * Math.PI * 50 * t)
      else pcm[i] = 0.5 * Math.sin(2 * Math.PI * 1000 * t) + 0.05 * noise() * (ch ? -1 : 1)
    }
    return pcm
  })
}

/** The WAV's samples as little-endian bytes: what a decoder's raw output must equal. */
function wavData(pcm: Float32Array[], rate: number, bits: FlacBitDepth): Uint8Array {
  const wav = encodeWav(pcm, rate, { encoding: bits === 16 ? 'pcm16' : 'pcm24' })
  const info = readWavInfo(wav)
  return wav.subarray(info.dataOffset, info.dataOffset + info.dataBytes)
}

/** Encodes through the streaming API in uneven block sizes, as the export job feeds it. */
function encode(pcm: Float32Array[], rate: number, bits: FlacBitDepth, cover?: Uint8Array) {
  const frames = pcm[0]!.length
  const encoder = new FlacEncoder({
    sampleRate: rate,
    channels: pcm.length,
    bitDepth: bits,
    totalFrames: frames,
  })
  const parts: Uint8Array[] = [
    encoder.header({
      comments: [
        ['TITLE', 'Night Bus (fan mix)'],
        ['ARTIST', 'Ada Lovelace ft. Zoë'],
        ['COMMENT', 'AI-assisted: no'],
      ],
      picture: cover ? { mime: 'image/png', width: 1, height: 1, data: cover } : null,
    }),
  ]
  const sizes = [1000, 4096, 3, 5000, 4093, 777]
  for (let at = 0, s = 0; at < frames; s++) {
    const n = Math.min(sizes[s % sizes.length]!, frames - at)
    parts.push(encoder.encode(pcm.map((c) => c.subarray(at, at + n))).slice())
    at += n
  }
  parts.push(encoder.finish().slice())
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0)
  return out
}

async function decodeOurs(bytes: Uint8Array) {
  const info = await readMasterInfo(bytesSource(bytes), bytes.length)
  const decoder = new FlacDecoder({ ...info, maxBlockSize: info.flac!.maxBlockSize })
  const bits = info.bitDepth
  const width = bits / 8
  const out = new Uint8Array(info.lengthSamples * info.channels * width)
  const view = new DataView(out.buffer)
  let at = 0
  decoder.push(bytes.subarray(info.dataOffset))
  decoder.drain((b) => {
    for (let i = 0; i < b.length; i++)
      for (let ch = 0; ch < info.channels; ch++, at += width) {
        const v = b.channels[ch]![i]!
        if (width === 2) view.setInt16(at, v, true)
        else {
          out[at] = v & 0xff
          out[at + 1] = (v >> 8) & 0xff
          out[at + 2] = (v >> 16) & 0xff
        }
      }
  }, true)
  return { info, out }
}

const equalBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((v, i) => v === b[i])

describe('FlacEncoder', () => {
  const cases: [string, FlacBitDepth, number, number, number][] = [
    ['16-bit stereo at 48 kHz', 16, 2, 48000, 48000 + 777],
    ['24-bit stereo at 44.1 kHz', 24, 2, 44100, 30000 + 5],
    ['16-bit mono', 16, 1, 48000, 20000],
    ['24-bit stereo shorter than one block', 24, 2, 48000, 1000],
  ]
  for (const [name, bits, channels, rate, frames] of cases)
    it(`encodes ${name} that our decoder, flac and ffmpeg decode sample for sample`, async () => {
      const pcm = signal(frames, channels, 3)
      const flac = encode(pcm, rate, bits)
      const expected = wavData(pcm, rate, bits)

      const { info, out } = await decodeOurs(flac)
      expect(info).toMatchObject({
        format: 'flac',
        sampleRate: rate,
        channels,
        bitDepth: bits,
        lengthSamples: frames,
      })
      expect(equalBytes(out, expected)).toBe(true)

      const path = join(dir, `${name.replace(/\W+/g, '-')}.flac`)
      writeFileSync(path, flac)
      const raw = join(dir, 'out.raw')
      // flac verifies every frame's CRC and fails on any decoding error.
      execFileSync('flac', [
        '-s',
        '-d',
        '-f',
        '--force-raw-format',
        '--endian=little',
        '--sign=signed',
        '-o',
        raw,
        path,
      ])
      expect(equalBytes(new Uint8Array(readFileSync(raw)), expected)).toBe(true)
      const fmt = bits === 16 ? 's16le' : 's24le'
      const ff = join(dir, 'ff.raw')
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-xerror',
        '-y',
        '-i',
        path,
        '-f',
        fmt,
        '-c:a',
        `pcm_${fmt}`,
        ff,
      ])
      expect(equalBytes(new Uint8Array(readFileSync(ff)), expected)).toBe(true)
    })

  it('compresses: a tone takes well under half the WAV', () => {
    const pcm = signal(48000, 2, 5).map((c) => c.map((_, i) => 0.5 * Math.sin(i / 20)))
    const flac = encode(pcm, 48000, 16)
    expect(flac.length).toBeLessThan(wavData(pcm, 48000, 16).length / 2)
  })

  it('carries the tags and the cover that metaflac reads back', () => {
    const cover = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff)
    const path = join(dir, 'tagged.flac')
    writeFileSync(path, encode(signal(5000, 2, 9), 48000, 16, cover))
    const tags = execFileSync('metaflac', ['--export-tags-to=-', path], { encoding: 'utf8' })
    expect(String(tags).trim().split('\n')).toEqual([
      'TITLE=Night Bus (fan mix)',
      'ARTIST=Ada Lovelace ft. Zoë',
      'COMMENT=AI-assisted: no',
    ])
    const picture = join(dir, 'cover.bin')
    execFileSync('metaflac', [`--export-picture-to=${picture}`, path])
    expect(equalBytes(new Uint8Array(readFileSync(picture)), cover)).toBe(true)
  })

  it('refuses more or fewer frames than it declared', () => {
    const encoder = new FlacEncoder({
      sampleRate: 48000,
      channels: 1,
      bitDepth: 16,
      totalFrames: 10,
    })
    expect(() => encoder.encode([new Float32Array(11)])).toThrow(RangeError)
    encoder.encode([new Float32Array(5)])
    expect(() => encoder.finish()).toThrow(RangeError)
  })

  it("writes an export's credits, licence and AI disclosure as Vorbis comments", async () => {
    const manifest = await manifestFrom(claim)
    const encoder = new FlacEncoder({
      sampleRate: 48000,
      channels: 2,
      bitDepth: 16,
      totalFrames: 0,
    })
    const path = join(dir, 'export.flac')
    writeFileSync(path, encoder.header({ comments: vorbisCommentsFrom(manifest) }))
    const tags = String(
      execFileSync('metaflac', ['--export-tags-to=-', path], { encoding: 'utf8' }),
    )
    const lines = tags.trim().split('\n')
    expect(lines).toContain('TITLE=Nuit — “blue”')
    expect(lines).toContain('ARTIST=Mira Vale (Zoë remix)')
    expect(lines).toContain('COMPOSER=Mira Vale')
    expect(lines).toContain('SOURCE_ISRC=QZSF12600001')
    expect(lines).toContain('AI_DISCLOSURE=AI-assisted')
    expect(lines).toContain('STEMFAIR_EXPORT_ID=0123456789abcdef')
    expect(lines).toContain(`STEMFAIR_MANIFEST_SHA256=${manifest.claimSha256}`)
    expect(lines).toContain('CREDITS=Mira Vale (composer); Zoë (remixer)')
  })
})
