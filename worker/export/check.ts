// The watermark read back from the final MP3 as a verifier would: the MP3 streams from R2 through
// the decoder into one window of at most WINDOW_SECONDS, searched in turn, so memory stays bounded.
import { DomainError } from '../../core/errors.ts'
import '../dsp.ts'
import { detectWatermark, MIN_DETECT_SECONDS } from '../../core/watermark/detect.ts'
import { loadMpegDecoder } from '../audio/decoders.ts'
import { yieldToEventLoop } from '../lib/yield-to-event-loop.ts'

/** What the final MP3 of an export decodes to, stored with the export (`exports.watermark`). */
export type WatermarkCheck =
  | { checked: true; payload: string; confidence: number; bitErrors: number }
  | { checked: false; reason: string }

/** How much of the MP3 the check reads at most: enough to get past any quiet intro. */
export const CHECK_SECONDS = 120

/** The window searched at a time, and the most decoded audio held. */
export const WINDOW_SECONDS = 30

const READ_BYTES = 1 << 17

/** Why an export whose mark does not read back is refused, and what the fan can change. */
export const UNREADABLE_MARK =
  'The watermark could not be read back from the MP3 of this mix, so it was not delivered. ' +
  'The mix has too little sound between 1 and 6 kHz (or is too quiet) to carry it, and ' +
  'exporting it again unchanged will fail the same way. Bring up the stems with mids and ' +
  'highs (keys, guitars, voice, hats) or unmute them, save, and export that version.'

/**
 * Reads the export's id back from its MP3 in R2, window by window. An export too short to carry
 * a readable mark is not checked; any other whose windows all fail is refused.
 */
export async function checkWatermark(
  bucket: R2Bucket,
  key: string,
  exportId: string,
  watermarkKey: string,
): Promise<WatermarkCheck> {
  const head = await bucket.head(key)
  if (!head) throw new Error(`export ${exportId}: the MP3 vanished before its check`)
  const decoder = await loadMpegDecoder()
  try {
    let rate = 0
    let window: Float32Array[] = []
    let filled = 0
    let searched = 0
    let pos = 0
    const search = async (): Promise<WatermarkCheck | null> => {
      await yieldToEventLoop()
      const found = detectWatermark(
        window.map((c) => c.subarray(0, filled)),
        rate,
        watermarkKey,
      )
      searched += filled
      filled = 0
      if (found.found && found.payload === exportId)
        return {
          checked: true,
          payload: found.payload,
          confidence: found.confidence,
          bitErrors: found.bitErrors,
        }
      return null
    }
    while (pos < head.size && (rate === 0 || searched + filled < CHECK_SECONDS * rate)) {
      const length = Math.min(READ_BYTES, head.size - pos)
      const object = await bucket.get(key, { range: { offset: pos, length } })
      if (!object) throw new Error(`export ${exportId}: the MP3 vanished during its check`)
      pos += length
      const decoded = decoder.decode(new Uint8Array(await object.arrayBuffer()))
      if (!decoded.samplesDecoded) continue
      if (!rate) {
        rate = decoded.sampleRate
        window = [0, 1].map(() => new Float32Array(WINDOW_SECONDS * rate))
      }
      let at = 0
      while (at < decoded.samplesDecoded) {
        const n = Math.min(decoded.samplesDecoded - at, window[0]!.length - filled)
        for (let ch = 0; ch < 2; ch++) {
          const src = decoded.channelData[Math.min(ch, decoded.channelData.length - 1)]!
          window[ch]!.set(src.subarray(at, at + n), filled)
        }
        filled += n
        at += n
        if (filled === window[0]!.length) {
          const hit = await search()
          if (hit) return hit
        }
      }
    }
    if (rate && searched === 0 && filled < MIN_DETECT_SECONDS * rate)
      return { checked: false, reason: `shorter than ${MIN_DETECT_SECONDS} s` }
    if (rate && filled >= MIN_DETECT_SECONDS * rate) {
      const hit = await search()
      if (hit) return hit
    }
  } finally {
    decoder.free()
  }
  // Not transient: the same mix fails the same way, so the fan is not told to retry as it is.
  throw new DomainError('invalid_audio', UNREADABLE_MARK)
}
