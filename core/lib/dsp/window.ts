// The window functions and the one windowed-sinc low-pass design. Every filter and spectrum in core
// takes its window from here; how the taps are applied (streaming, polyphase, oversampling) stays
// with each driver.

/** Fills `out` with a periodic Hann window of `out.length` samples and answers it. */
export function hannInto<T extends Float32Array | Float64Array>(out: T): T {
  const size = out.length
  for (let i = 0; i < size; i++) out[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size)
  return out
}

/** A periodic Hann window of `size` samples. */
export const hannWindow = (size: number): Float32Array => hannInto(new Float32Array(size))

/** The Blackman window at `u` half-widths from its centre: 1 at 0, 0 from |u| = 1 outwards. */
export function blackman(u: number): number {
  return Math.abs(u) >= 1
    ? 0
    : 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u)
}

/**
 * One tap of a Blackman-windowed sinc low-pass, `t` samples from the filter's centre: the cutoff
 * `fc` is a fraction of the Nyquist frequency (1 passes everything below it), the window reaches
 * zero `half` samples either side. Not normalised: drivers scale their taps to the gain they need.
 */
export function lowpassTap(t: number, fc: number, half: number): number {
  const z = t * fc
  const sinc = z === 0 ? 1 : Math.sin(Math.PI * z) / (Math.PI * z)
  return sinc * blackman(t / half)
}
