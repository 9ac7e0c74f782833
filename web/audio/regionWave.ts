import type { Peaks } from '../../core/audio/peaks.ts'

/**
 * The peaks a region shows: its source slice (offset … offset + duration × rate), repeated per
 * loop. Pure, so it can be tested without a DOM.
 */
export function regionPeaksFrom(
  peaks: Peaks,
  region: { offset: number; duration: number; rate: number; loops: number },
): number[][] {
  const perSecond = peaks.sampleRate / peaks.samplesPerPeak
  const from = Math.max(0, Math.floor(region.offset * perSecond))
  const to = Math.max(
    from + 1,
    Math.ceil((region.offset + region.duration * region.rate) * perSecond),
  )
  return peaks.channels.map((channel) => {
    const slice = channel.slice(from, to)
    if (region.loops === 1) return slice
    const out = new Array<number>(slice.length * region.loops)
    for (let k = 0; k < region.loops; k++)
      for (let i = 0; i < slice.length; i++) out[k * slice.length + i] = slice[i]!
    return out
  })
}
