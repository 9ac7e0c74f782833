// Markability at ingest, once no stem is processing: a clip of each stem and of the campaign's
// default mix (every stem whole, as the starting remix plays them) is marked with a test payload,
// encoded to MP3 the way exports are (wasm LAME, worker/audio), decoded and read back, then read
// back again with noise (core/watermark/markability.ts). Queued by the last stem's ingest.
import type { Hertz } from '../../core/units.ts'
import { MIN_DETECT_SECONDS } from '../../core/watermark/detect.ts'
import { measureMarkability, type Markability } from '../../core/watermark/markability.ts'
import { listAuthorStemRows } from '../db/author-stems.ts'
import { saveMarkability } from '../db/ingest.ts'
import type { Bindings } from '../env.ts'
import { loadMpegDecoder } from '../audio/decoders.ts'
import { createMp3Encoder } from '../audio/mp3-encoder.ts'
import { openSources } from '../export/sources.ts'
import { STREAM_FORMAT } from '../../core/api/formats.ts'
import { MP3_KBPS } from '../export/files.ts'
import { yieldToEventLoop } from '../lib/yield-to-event-loop.ts'

/** Length of the clip measured: two watermark blocks (7.4 s each) and some slack. */
export const CLIP_SECONDS = 16

/** Frames read from a source at a time. */
const READ_FRAMES = 4096

/** The export's MP3 round trip: LAME at the export's bit rate, then mpg123, as the export check reads it. */
async function mp3RoundTrip(channels: Float32Array[], rate: Hertz): Promise<Float32Array[]> {
  const encoder = await createMp3Encoder({
    sampleRate: rate,
    channels: 2,
    kbps: MP3_KBPS[STREAM_FORMAT]!,
  })
  const parts: Uint8Array[] = []
  for (let at = 0; at < channels[0]!.length; at += READ_FRAMES) {
    const block = channels.map((c) => c.subarray(at, at + READ_FRAMES))
    parts.push(encoder.encode(block).slice())
    if ((at / READ_FRAMES) % 16 === 15) await yieldToEventLoop()
  }
  parts.push(encoder.finish().slice())
  const decoder = await loadMpegDecoder()
  try {
    const out = [new Float32Array(channels[0]!.length + 4096), new Float32Array(0)]
    out[1] = new Float32Array(out[0]!.length)
    let filled = 0
    for (const [i, part] of parts.entries()) {
      if (i % 16 === 15) await yieldToEventLoop()
      const decoded = decoder.decode(part)
      const n = Math.min(decoded.samplesDecoded, out[0]!.length - filled)
      for (let ch = 0; ch < 2; ch++)
        out[ch]!.set(
          decoded.channelData[Math.min(ch, decoded.channelData.length - 1)]!.subarray(0, n),
          filled,
        )
      filled += n
    }
    return out.map((c) => c.subarray(0, filled))
  } finally {
    decoder.free()
  }
}

/**
 * Measures the ready stems and their sum over the same clip (from the middle of the song, where
 * most of it plays) and stores the results; leaves everything as it was while a stem is
 * processing, when the stems disagree in rate, or when none is ready.
 */
export async function measureCampaignMarkability(env: Bindings, campaignId: string): Promise<void> {
  const rows = await listAuthorStemRows(env.DB, campaignId)
  if (rows.length === 0 || rows.some((r) => r.ingest_status === 'processing')) return
  const ready = rows.filter((r) => r.ingest_status === 'ready')
  if (ready.length === 0) return
  const rate = ready[0]!.sample_rate
  if (ready.some((r) => r.sample_rate !== rate)) return
  const longest = Math.max(...ready.map((r) => r.length_samples))
  const frames = Math.min(longest, Math.round(CLIP_SECONDS * rate))
  if (frames < MIN_DETECT_SECONDS * rate) return // too short to carry a readable mark at all
  const start = Math.max(0, Math.floor((longest - frames) / 2))
  const sources = await openSources(env.MEDIA, ready, new Set(ready.map((r) => r.id)), rate)
  const clips = new Map<string, Float32Array[]>()
  try {
    for (const row of ready) {
      const source = sources.get(row.id)!
      const clip = [new Float32Array(frames), new Float32Array(frames)]
      const block = Array.from({ length: source.channels }, () => new Float32Array(READ_FRAMES))
      for (let at = 0; at < frames; at += READ_FRAMES) {
        const n = Math.min(READ_FRAMES, frames - at)
        const out = block.map((b) => b.subarray(0, n))
        await source.read(start + at, out)
        for (let ch = 0; ch < 2; ch++) clip[ch]!.set(out[Math.min(ch, out.length - 1)]!, at)
      }
      clips.set(row.id, clip)
    }
  } finally {
    for (const source of sources.values()) source.close()
  }
  const mix = [new Float32Array(frames), new Float32Array(frames)]
  let peak = 0
  for (const clip of clips.values())
    for (let ch = 0; ch < 2; ch++) {
      const m = mix[ch]!
      const c = clip[ch]!
      for (let i = 0; i < frames; i++) {
        m[i] = m[i]! + c[i]!
        peak = Math.max(peak, Math.abs(m[i]!))
      }
    }
  // The export's limiter keeps the mix under full scale; so does this, more crudely.
  if (peak > 1) for (const m of mix) for (let i = 0; i < frames; i++) m[i] = m[i]! / peak

  const measure = async (channels: Float32Array[]): Promise<Markability> => {
    await yieldToEventLoop()
    return measureMarkability(channels, rate, env.WATERMARK_KEY, mp3RoundTrip, yieldToEventLoop)
  }
  const stems: { id: string; markability: string }[] = []
  for (const row of ready)
    stems.push({ id: row.id, markability: JSON.stringify(await measure(clips.get(row.id)!)) })
  const campaign = await measure(mix)
  await saveMarkability(env.DB, campaignId, JSON.stringify(campaign), stems)
}

/** The queue job: publishing does not wait for a measure that failed, so a failure is logged. */
export async function runMarkabilityJob(env: Bindings, campaignId: string): Promise<void> {
  try {
    await measureCampaignMarkability(env, campaignId)
  } catch (err) {
    console.error('markability failed', campaignId, err)
  }
}
