// Markability at ingest, once no stem is processing: a clip of each stem and of the campaign's
// default mix (every stem whole, as the starting remix plays them) is marked with a test payload,
// encoded to MP3 the way exports are (wasm LAME, worker/audio), decoded and read back, then read
// back again with noise (core/watermark/markability.ts). Queued by the last stem's ingest.
import '../dsp.ts'
import { clipWindow, measureCampaignClips } from '../../core/watermark/markability.ts'
import { listAuthorStemRows } from '../db/author-stems.ts'
import { saveMarkability } from '../db/ingest.ts'
import type { Bindings } from '../env.ts'
import { loadMpegDecoder } from '../audio/decoders.ts'
import { createMp3Encoder } from '../audio/mp3-encoder.ts'
import { mp3RoundTrip } from '../audio/mp3-round-trip.ts'
import { openSources } from '../export/sources.ts'
import { yieldToEventLoop } from '../lib/yield-to-event-loop.ts'

/** Frames read from a source at a time. */
const READ_FRAMES = 4096

/**
 * Measures the ready stems and their sum over the same clip and stores the results; leaves
 * everything as it was while a stem is processing, when the stems disagree in rate, or when none
 * is ready.
 */
export async function measureCampaignMarkability(env: Bindings, campaignId: string): Promise<void> {
  const rows = await listAuthorStemRows(env.DB, campaignId)
  if (rows.length === 0 || rows.some((r) => r.ingest_status === 'processing')) return
  const ready = rows.filter((r) => r.ingest_status === 'ready')
  if (ready.length === 0) return
  const rate = ready[0]!.sample_rate
  if (ready.some((r) => r.sample_rate !== rate)) return
  const window = clipWindow(Math.max(...ready.map((r) => r.length_samples)), rate)
  if (!window) return
  const { start, frames } = window
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
  const codec = mp3RoundTrip(createMp3Encoder, loadMpegDecoder, yieldToEventLoop)
  const measured = await measureCampaignClips(
    clips,
    rate,
    env.WATERMARK_KEY,
    codec,
    yieldToEventLoop,
  )
  await saveMarkability(
    env.DB,
    campaignId,
    JSON.stringify(measured.campaign),
    [...measured.stems].map(([id, m]) => ({ id, markability: JSON.stringify(m) })),
  )
}

/** The queue job: publishing does not wait for a measure that failed, so a failure is logged. */
export async function runMarkabilityJob(env: Bindings, campaignId: string): Promise<void> {
  try {
    await measureCampaignMarkability(env, campaignId)
  } catch (err) {
    console.error('markability failed', campaignId, err)
  }
}
