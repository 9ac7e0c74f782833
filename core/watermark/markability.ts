// Whether audio can carry the export watermark: embed it on a few excerpts, add noise at 30 dB SNR
// (a stand-in for lossy coding the pure core can do), and read it back. Used at ingest on each
// stem and on the campaign's mix, so an artist learns before publishing that exports of some
// material cannot be marked reliably.
import type { Hertz, Seconds } from '../units.ts'
import { CODED_BITS } from './code.ts'
import { detectWatermark } from './detect.ts'
import { embedWatermark } from './embed.ts'
import { randomFrom } from './random.ts'

/** The verdict on one stem or mix. */
export interface Markability {
  /** Every excerpt read back with margin to spare. */
  markable: boolean
  /** Excerpts tried and read back. */
  excerpts: number
  readBack: number
  /** Worst coded-bit error rate among excerpts read back (null when none were). */
  worstBitErrorRate: number | null
  /** Why not, in words for the artist (absent when markable). */
  reason?: string
}

/** Excerpt length and count: long enough for two watermark blocks, spread over the audio. */
const EXCERPT: Seconds = 8
const EXCERPTS = 3
/** Read-back must leave this margin under detection's own 30 % limit to count as reliable. */
const RELIABLE_BIT_ERROR_RATE = 0.2
/** Noise added before reading back, relative to the excerpt's power. */
const NOISE_SNR_DB = 30
const PROBE_KEY = 'stemfair-markability-probe'
const PROBE_PAYLOAD = '5afe5afe5afe5afe'

/** Deterministic Gaussian noise (Box–Muller over the watermark's own seeded generator). */
function addNoise(channel: Float32Array, rms: number, seed: string): Float32Array {
  const next = randomFrom(seed, 'markability-noise')
  const out = Float32Array.from(channel)
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next() / 4294967296)) * rms
    const a = (2 * Math.PI * next()) / 4294967296
    out[i]! += r * Math.cos(a)
    if (i + 1 < out.length) out[i + 1]! += r * Math.sin(a)
  }
  return out
}

/**
 * Embeds a probe mark on up to EXCERPTS excerpts of the audio, adds noise at 30 dB SNR, and reads
 * it back. Markable when every excerpt with sound in it reads back with under 20 % coded-bit
 * errors; silent excerpts are skipped (silence carries nothing and needs nothing). Audio shorter
 * than one excerpt is tried whole.
 */
export function measureMarkability(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
): Markability {
  const length = channels[0]?.length ?? 0
  const size = Math.min(length, Math.round(EXCERPT * sampleRate))
  let excerpts = 0
  let readBack = 0
  let worst: number | null = null
  for (let k = 0; k < EXCERPTS && size > 0; k++) {
    const start = Math.floor(((length - size) * (k + 0.5)) / EXCERPTS)
    const piece = channels.map((c) => c.subarray(start, start + size))
    let power = 0
    for (const c of piece) for (let i = 0; i < c.length; i++) power += c[i]! * c[i]!
    power /= piece.length * size
    if (power < 1e-10) continue
    excerpts++
    const marked = embedWatermark(piece, sampleRate, PROBE_PAYLOAD, PROBE_KEY)
    const rms = Math.sqrt(power) / 10 ** (NOISE_SNR_DB / 20)
    const noisy = marked.map((c, i) => addNoise(c, rms, `${k}:${i}`))
    const found = detectWatermark(noisy, sampleRate, PROBE_KEY)
    if (!found.found || found.payload !== PROBE_PAYLOAD) continue
    const rate = found.bitErrors / CODED_BITS
    worst = Math.max(worst ?? 0, rate)
    if (rate <= RELIABLE_BIT_ERROR_RATE) readBack++
  }
  if (excerpts === 0)
    return {
      markable: false,
      excerpts,
      readBack,
      worstBitErrorRate: null,
      reason: 'The audio is silent: there is nothing to carry the watermark.',
    }
  const markable = readBack === excerpts
  return {
    markable,
    excerpts,
    readBack,
    worstBitErrorRate: worst,
    ...(markable
      ? {}
      : {
          reason:
            `The watermark read back reliably from ${readBack} of ${excerpts} excerpts: this audio has ` +
            'too little energy between 0.9 and 6 kHz (e.g. only sub-bass, pure tones or sparse bursts) ' +
            'to carry it, so exports of it cannot be traced.',
        }),
  }
}
