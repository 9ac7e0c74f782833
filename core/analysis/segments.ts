/** Timbre bands for section features, in Hz. */
export const BAND_EDGES = [30, 90, 180, 360, 720, 1440, 2880, 5760, 11520, 20000]

/**
 * Means of frame features over segments: segment s covers frames whose time lies in
 * [bounds[s], bounds[s + 1]). `features` is frame-major with `dims` values per frame at `frameRate`.
 */
export function segmentMeans(
  features: Float32Array,
  dims: number,
  frameRate: number,
  bounds: readonly number[],
): Float32Array {
  const segments = bounds.length - 1
  const frames = features.length / dims
  const out = new Float32Array(Math.max(0, segments) * dims)
  for (let s = 0; s < segments; s++) {
    const from = Math.max(0, Math.round(bounds[s]! * frameRate))
    const to = Math.min(frames, Math.max(from + 1, Math.round(bounds[s + 1]! * frameRate)))
    const n = Math.max(1, to - from)
    for (let f = from; f < to; f++)
      for (let d = 0; d < dims; d++)
        out[s * dims + d] = out[s * dims + d]! + features[f * dims + d]! / n
  }
  return out
}

/** Per frame, the cube root (a loudness-like compression) of the mean power in each band of BAND_EDGES: frame-major, BAND_EDGES.length − 1 values. */
export function bandEnergiesFrom(s: {
  data: Float32Array
  frames: number
  bins: number
  size: number
  sampleRate: number
}): Float32Array {
  const bands = BAND_EDGES.length - 1
  const binHz = s.sampleRate / s.size
  const out = new Float32Array(s.frames * bands)
  for (let b = 0; b < bands; b++) {
    const lo = Math.max(1, Math.round(BAND_EDGES[b]! / binHz))
    const hi = Math.min(s.bins - 1, Math.max(lo, Math.round(BAND_EDGES[b + 1]! / binHz) - 1))
    for (let f = 0; f < s.frames; f++) {
      let sum = 0
      const base = f * s.bins
      for (let k = lo; k <= hi; k++) sum += s.data[base + k]! ** 2
      out[f * bands + b] = Math.cbrt(sum / (hi - lo + 1))
    }
  }
  return out
}
