// Test support (Node only): a small catalogue of indexed recordings — demo stems and generated
// music — and the clips and edits the robustness tests and the benchmark query it with.
import type { Hertz } from '../../units.ts'
import {
  crop,
  decodeFile,
  filter,
  lcg,
  musicLike,
  transcode,
  type Pcm,
} from '../../watermark/testing/audio.ts'
import { fingerprintOf, queryFingerprintOf, matchHits, monoOf, type Match } from '../fingerprint.ts'
import { MemoryIndex } from '../memory-index.ts'
import { searchIndex } from '../search.ts'

export const DEMO_STEMS = ['vox', 'pads', 'lead', 'bass', 'drums'] as const
/** Relative to the repository root, where tests and benchmarks run. */
const STEMS_DIR = 'stems/audio/'

/** A demo stem, decoded by ffmpeg at `rate`. */
export const demoStem = (id: string, channels = 1, rate: Hertz = 44100): Pcm =>
  decodeFile(`${STEMS_DIR}${id}.mp3`, channels, rate)

/** Generated music of `seconds` (core/watermark's music-like signal), mono. */
export const generated = (seed: number, seconds: number, rate: Hertz = 44100): Pcm => ({
  channels: [musicLike(seconds, rate, seed)],
  sampleRate: rate,
})

function rms(x: Float32Array): number {
  let s = 0
  for (const v of x) s += v * v
  return Math.sqrt(s / Math.max(1, x.length))
}

/** Adds `other` (repeated or cut to length) scaled to `db` relative to `pcm`'s RMS level. */
export function mixWith(pcm: Pcm, other: Float32Array, db: number): Pcm {
  return {
    ...pcm,
    channels: pcm.channels.map((x) => {
      const g = (rms(x) / rms(other)) * 10 ** (db / 20)
      const out = x.slice()
      for (let i = 0; i < out.length; i++) out[i] = out[i]! + g * other[i % other.length]!
      return out
    }),
  }
}

/** White noise at `snr` dB below the signal. */
export function withNoise(pcm: Pcm, snr: number, seed: number): Pcm {
  const random = lcg(seed)
  const noise = new Float32Array(pcm.channels[0]!.length)
  for (let i = 0; i < noise.length; i++) noise[i] = random() - 0.5
  return mixWith(pcm, noise, -snr)
}

/** The edits of the robustness table, each an ffmpeg chain or a mix. */
export const EDITS: Record<string, (pcm: Pcm) => Pcm> = {
  'mp3 64 kbit/s': (p) => transcode(p, ['-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3'),
  aac: (p) => transcode(p, ['-c:a', 'aac', '-b:a', '96k'], 'adts'),
  'noise 20 dB SNR': (p) => withNoise(p, 20, 99),
  'mix, equal loudness': (p) => mixWith(p, musicLike(10, p.sampleRate, 4242), 0),
  'tempo +5 %': (p) => filter(p, 'rubberband=tempo=1.05'),
  'tempo −5 %': (p) => filter(p, 'rubberband=tempo=0.95'),
  'pitch +1 semitone': (p) => filter(p, 'rubberband=pitch=1.0594631'),
  'pitch −1 semitone': (p) => filter(p, 'rubberband=pitch=0.9438743'),
  'speed +5 %': (p) =>
    filter(p, `asetrate=${Math.round(p.sampleRate * 1.05)},aresample=${p.sampleRate}`),
  'speed −5 %': (p) =>
    filter(p, `asetrate=${Math.round(p.sampleRate * 0.95)},aresample=${p.sampleRate}`),
}

/** An index of recordings numbered from 1, and a query function over it. */
export class Catalogue {
  readonly index = new MemoryIndex()
  readonly names: string[] = []

  add(name: string, pcm: Pcm): number {
    this.names.push(name)
    this.index.add(this.names.length, fingerprintOf(monoOf(pcm.channels), pcm.sampleRate))
    return this.names.length
  }

  /** Every match of a clip, all its hashes looked up at once. */
  query(pcm: Pcm): Match[] {
    const q = queryFingerprintOf(monoOf(pcm.channels), pcm.sampleRate)
    return matchHits(q, this.index.lookup(q.hash))
  }

  /** The matches verify reports for a clip: searchIndex, as the worker runs it. */
  async search(pcm: Pcm): Promise<Match[]> {
    const q = queryFingerprintOf(monoOf(pcm.channels), pcm.sampleRate)
    return (await searchIndex(q, (h) => this.index.lookup(h))).matches
  }
}

export { crop }
