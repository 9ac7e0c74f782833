// Whether audio can carry the export watermark: mark a clip with a test payload, pass it through
// the export's codec (given by the caller: core has no encoder), read it back, then read it again
// with noise added, as a margin. The campaign's verdict comes from its default mix; each stem's
// from the stem alone.
import { hashOf, seededRandom } from '../lib/random.ts'
import type { Decibels, Hertz, NormalRange, Seconds } from '../units.ts'
import { CODED_BITS } from './code.ts'
import { detectWatermark, MIN_DETECT_SECONDS } from './detect.ts'
import { StreamingEmbedder } from './stream.ts'

/** markable: reads back after the codec and with noise; weak: only without noise; unmarkable: not at all. */
export type MarkabilityLevel = 'markable' | 'weak' | 'unmarkable'

/** One read-back: how sure the sync was (0–1) and how many coded bits were wrong, when it decoded. */
export type ReadBack = { found: boolean; confidence: NormalRange; bitErrors: number | null }

/** The measure stored per stem and per campaign (`markability` columns, migration 0018). */
export type Markability = {
  level: MarkabilityLevel
  /** After the export's codec. */
  coded: ReadBack
  /** After the codec with white noise NOISE_SNR_DB below the clip's level. */
  noisy: ReadBack
  /** Coded bits per payload: what bitErrors counts out of. */
  codedBits: number
  /** Length of the clip measured. */
  seconds: Seconds
}

/** The export's lossy round trip (encode and decode), planar PCM in and out at the same rate. */
export type CodecRoundTrip = (
  channels: Float32Array[],
  sampleRate: Hertz,
) => Promise<Float32Array[]>

/** Noise level of the margin check, below the clip's RMS level. */
export const NOISE_SNR_DB: Decibels = 30

/** The payload of the test mark (no export has it: export ids are random, this one is fixed). */
export const TEST_PAYLOAD = '5a17e0ad00c0ffee'

function readBack(channels: Float32Array[], rate: Hertz, key: string): ReadBack {
  // The clip is read as the codec left it: no speed change to search for.
  const found = detectWatermark(channels, rate, key, { speedSearch: false })
  if (found.found && found.payload === TEST_PAYLOAD)
    return { found: true, confidence: found.confidence, bitErrors: found.bitErrors }
  return { found: false, confidence: found.confidence, bitErrors: null }
}

/** The channels with seeded white noise `snr` dB below their RMS level added (new arrays). */
export function withNoise(channels: readonly Float32Array[], snr: Decibels): Float32Array[] {
  let sum = 0
  let count = 0
  for (const c of channels) {
    for (let i = 0; i < c.length; i++) sum += c[i]! * c[i]!
    count += c.length
  }
  const rms = Math.sqrt(sum / Math.max(1, count))
  // Uniform in [−a, a] has RMS a / √3.
  const amplitude = rms * 10 ** (-snr / 20) * Math.sqrt(3)
  const random = seededRandom(hashOf('markability-noise', snr))
  return channels.map((c) => {
    const out = Float32Array.from(c)
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + amplitude * (2 * random() - 1)
    return out
  })
}

/** The level two read-backs make. */
export function levelFrom(coded: ReadBack, noisy: ReadBack): MarkabilityLevel {
  if (!coded.found) return 'unmarkable'
  return noisy.found ? 'markable' : 'weak'
}

/** Frames marked between two pauses. */
const PAUSE_FRAMES = 1 << 16

/** The channels marked with the test payload by the export's streaming embedder, pausing as it goes. */
async function marked(
  channels: Float32Array[],
  sampleRate: Hertz,
  key: string,
  pause: () => Promise<void>,
): Promise<Float32Array[]> {
  const length = channels[0]!.length
  const embedder = new StreamingEmbedder({
    sampleRate,
    channels: channels.length,
    key,
    payload: BigInt(`0x${TEST_PAYLOAD}`),
  })
  // Output frame t is input frame t − latency: feed the clip, then silence, and drop the delay.
  const total = length + embedder.latency
  const input = channels.map(() => new Float32Array(PAUSE_FRAMES))
  const output = channels.map(() => new Float32Array(total))
  for (let at = 0; at < total; at += PAUSE_FRAMES) {
    const n = Math.min(PAUSE_FRAMES, total - at)
    for (let c = 0; c < channels.length; c++) {
      input[c]!.fill(0)
      if (at < length) input[c]!.set(channels[c]!.subarray(at, Math.min(length, at + n)))
    }
    embedder.process(
      input.map((i) => i.subarray(0, n)),
      output.map((o) => o.subarray(at, at + n)),
    )
    await pause()
  }
  return output.map((o) => o.subarray(embedder.latency))
}

/**
 * Measures how well `channels` carry the watermark made with `key`: embed the test payload, pass
 * the result through `codec`, read it back, and read it back again with noise added. `pause` is
 * awaited between steps (a worker lets requests through there).
 */
export async function measureMarkability(
  channels: Float32Array[],
  sampleRate: Hertz,
  key: string,
  codec: CodecRoundTrip,
  pause: () => Promise<void> = async () => {},
): Promise<Markability> {
  const seconds = (channels[0]?.length ?? 0) / sampleRate
  const decoded = await codec(await marked(channels, sampleRate, key, pause), sampleRate)
  await pause()
  const coded = readBack(decoded, sampleRate, key)
  await pause()
  const noisy = coded.found
    ? readBack(withNoise(decoded, NOISE_SNR_DB), sampleRate, key)
    : { found: false, confidence: 0, bitErrors: null }
  return { level: levelFrom(coded, noisy), coded, noisy, codedBits: CODED_BITS, seconds }
}

/** Length of the clip a campaign is measured on: two watermark blocks (7.4 s each) and some slack. */
export const CLIP_SECONDS: Seconds = 16

/**
 * Where a campaign's clip sits: CLIP_SECONDS from the middle of its longest stem, where most of the
 * song plays; null when the stems are too short to carry a readable mark at all.
 */
export function clipWindow(
  longestFrames: number,
  sampleRate: Hertz,
): { start: number; frames: number } | null {
  const frames = Math.min(longestFrames, Math.round(CLIP_SECONDS * sampleRate))
  if (frames < MIN_DETECT_SECONDS * sampleRate) return null
  return { start: Math.max(0, Math.floor((longestFrames - frames) / 2)), frames }
}

/** The default mix of stereo clips of one length (every stem whole), scaled under full scale. */
export function mixOf(clips: Iterable<Float32Array[]>, frames: number): Float32Array[] {
  const mix = [new Float32Array(frames), new Float32Array(frames)]
  let peak = 0
  for (const clip of clips)
    for (let ch = 0; ch < 2; ch++) {
      const m = mix[ch]!
      const c = clip[Math.min(ch, clip.length - 1)]!
      for (let i = 0; i < frames; i++) {
        m[i] = m[i]! + c[i]!
        peak = Math.max(peak, Math.abs(m[i]!))
      }
    }
  // The export's limiter keeps the mix under full scale; so does this, more crudely.
  if (peak > 1) for (const m of mix) for (let i = 0; i < frames; i++) m[i] = m[i]! / peak
  return mix
}

/** A campaign's verdict (from its default mix) and each stem's, from clips cut by `clipWindow`. */
export async function measureCampaignClips(
  clips: ReadonlyMap<string, Float32Array[]>,
  sampleRate: Hertz,
  key: string,
  codec: CodecRoundTrip,
  pause: () => Promise<void> = async () => {},
): Promise<{ campaign: Markability; stems: Map<string, Markability> }> {
  const frames = [...clips.values()][0]?.[0]?.length ?? 0
  const stems = new Map<string, Markability>()
  for (const [id, clip] of clips) {
    await pause()
    stems.set(id, await measureMarkability(clip, sampleRate, key, codec, pause))
  }
  await pause()
  const campaign = await measureMarkability(
    mixOf(clips.values(), frames),
    sampleRate,
    key,
    codec,
    pause,
  )
  return { campaign, stems }
}
