import { DomainError } from '../errors.ts'
import type { Hertz } from '../units.ts'

/** A watermark payload: the export id, 16 hex digits (64 bits). */
export type WatermarkPayload = string

const PAYLOAD = /^[0-9a-f]{16}$/

/**
 * Embeds `payload` into planar PCM and answers the marked channels.
 *
 * For now a pass-through: it checks its inputs and returns the same samples, so the export
 * pipeline has its final shape. The watermark issue replaces the body with the spread-spectrum
 * embedder; callers must use the returned channels, never assume they are the inputs.
 */
export function embedWatermark(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  payload: WatermarkPayload,
): Float32Array[] {
  if (!PAYLOAD.test(payload))
    throw new DomainError('bad_request', 'A watermark payload is 16 lowercase hex digits.')
  if (channels.length === 0) throw new RangeError('embedWatermark needs at least one channel')
  if (!Number.isFinite(sampleRate) || sampleRate <= 0)
    throw new RangeError('embedWatermark needs a positive sample rate')
  const length = channels[0]!.length
  if (channels.some((c) => c.length !== length))
    throw new RangeError('all channels must have the same length')
  return [...channels]
}
