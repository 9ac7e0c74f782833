import { LoudnessMeter } from '../../core/analysis/loudness.ts'
import type { Loudness } from '../../core/analysis/types.ts'
import { readMasterInfo } from '../../core/audio/container.ts'
import { Decimator } from '../../core/lib/dsp/decimate.ts'
import { AnalysisCopy, LevelMeter, PeaksBuilder, renditionRate } from '../../core/audio/ingest.ts'
import { MasterStream } from '../../core/audio/master-stream.ts'
import { hexOf } from '../../core/lib/bytes.ts'
import { DomainError } from '../../core/errors.ts'
import { createMp3Encoder } from '../audio/mp3-encoder.ts'
import type { Bindings } from '../env.ts'
import { analysisCopyKey, peaksKey, renditionKey } from '../storage/keys.ts'
import { MultipartWriter } from '../storage/multipart.ts'
import { r2Source } from '../storage/r2-source.ts'
import { yieldToEventLoop } from '../lib/yield-to-event-loop.ts'

/** Constant bit rate of the fans' rendition (stereo; mono gets 128). */
export const RENDITION_KBPS = 192

/** Frames read from R2 at a time (about 768 KiB of 24-bit stereo), whatever the file size. */
const READ_FRAMES = 1 << 17

/**
 * Frames processed between two yields to the event loop. Locally the queue consumer shares
 * workerd's one thread with every request: a slice of synchronous work longer than workerd's 5 s
 * idle timeout (a busy machine stretches 1 s to 5) lets it close keep-alive connections whose next
 * request is already waiting, and the client sees the connection reset. 8192 frames take a few ms.
 */
const BLOCK_FRAMES = 1 << 13

/** What the single pass over a master measures. */
export type MasterMeasures = {
  sha256: string
  levels: { peakDbfs: number; rmsDbfs: number }
  loudness: Loudness
}

type Stem = { id: string; campaign_id: string; master_key: string | null }

/**
 * Streams the master once from R2 and, in the same pass: hashes it (SHA-256), measures its levels
 * and loudness (EBU R128, true peak), builds the waveform peaks and the mono analysis copy, and
 * encodes the 192 kbit/s MP3 rendition into an R2 multipart upload. Writes the rendition, peaks and
 * copy under the stem's fixed keys; on any error writes none of them (the caller deletes leftovers
 * of an earlier attempt).
 */
export async function streamMaster(env: Bindings, stem: Stem): Promise<MasterMeasures> {
  if (!stem.master_key)
    throw new DomainError('invalid_audio', 'This stem has no master to process.')
  const head = await env.MEDIA.head(stem.master_key)
  if (!head) throw new DomainError('invalid_audio', 'The master is gone; upload it again.')
  const source = r2Source(env.MEDIA, stem.master_key, head.size)
  const info = await readMasterInfo(source, head.size)
  const digest = new crypto.DigestStream('SHA-256')
  const hash = digest.getWriter()
  const stream = new MasterStream(source, head.size, info, READ_FRAMES, (bytes) =>
    hash.write(bytes),
  )
  const channels = info.channels
  const block = Array.from({ length: channels }, () => new Float32Array(BLOCK_FRAMES))
  const peaks = new PeaksBuilder(channels, info.sampleRate)
  const levels = new LevelMeter()
  const loudness = new LoudnessMeter(channels, info.sampleRate, info.lengthSamples)
  const copy = new AnalysisCopy(channels, info.sampleRate, info.lengthSamples, BLOCK_FRAMES)
  const { rate, factor } = renditionRate(info.sampleRate)
  const decimator = new Decimator(factor, channels, BLOCK_FRAMES)
  const stereo = channels > 1
  const encoder = await createMp3Encoder({
    sampleRate: rate,
    channels: stereo ? 2 : 1,
    kbps: stereo ? RENDITION_KBPS : 128,
  })
  const mp3 = await MultipartWriter.open(env.MEDIA, renditionKey(stem), {
    httpMetadata: { contentType: 'audio/mpeg' },
  })
  try {
    for (;;) {
      const n = await stream.next(block)
      if (n === 0) break
      peaks.add(block, n)
      levels.add(block, n)
      loudness.add(block, n)
      copy.add(block, n)
      const low = decimator.process(block, n)
      const pcm = low.channels.slice(0, 2).map((c) => c.subarray(0, low.length))
      await mp3.write(encoder.encode(pcm))
      await yieldToEventLoop()
    }
    if (stream.position !== info.lengthSamples)
      throw new DomainError(
        'invalid_audio',
        `The master is truncated: ${stream.position} of ${info.lengthSamples} samples could be read.`,
      )
    await mp3.write(encoder.finish())
    await mp3.close()
  } catch (err) {
    await mp3.abort()
    throw err
  }
  await hash.close()
  await env.MEDIA.put(peaksKey(stem), new TextEncoder().encode(JSON.stringify(peaks.result())), {
    httpMetadata: { contentType: 'application/json' },
  })
  await env.MEDIA.put(analysisCopyKey(stem), copy.bytes(), {
    customMetadata: { sampleRate: String(copy.rate), channels: String(channels) },
  })
  return {
    sha256: hexOf(new Uint8Array(await digest.digest)),
    levels: levels.result(),
    loudness: loudness.result(),
  }
}
