// The one FFT: an in-place radix-2 complex transform with precomputed tables, and a real-input
// power spectrum built on it. Neither allocates per call.

/** An in-place radix-2 complex FFT of one fixed power-of-two size, with its tables precomputed. */
export class Fft {
  readonly size: number
  /** Twiddles per stage, stage of half-size h at [h − 1, 2h − 1): cos and −sin of 2πk/(2h). */
  private readonly cos: Float64Array
  private readonly sin: Float64Array
  /** Index pairs (i, j), i < j, swapped by the bit-reversal permutation. */
  private readonly swaps: Uint32Array

  constructor(size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError('FFT size must be a power of 2')
    this.size = size
    this.cos = new Float64Array(size)
    this.sin = new Float64Array(size)
    for (let h = 1; h < size; h *= 2)
      for (let k = 0; k < h; k++) {
        this.cos[h - 1 + k] = Math.cos((Math.PI * k) / h)
        this.sin[h - 1 + k] = -Math.sin((Math.PI * k) / h)
      }
    const bits = Math.log2(size)
    const swaps: number[] = []
    for (let i = 0; i < size; i++) {
      let r = 0
      for (let b = 0; b < bits; b++) r = (r << 1) | ((i >>> b) & 1)
      if (r > i) swaps.push(i, r)
    }
    this.swaps = Uint32Array.from(swaps)
  }

  /** Forward transform of (re, im) in place; `inverse` conjugates the twiddles and scales by 1/size. */
  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size
    const swaps = this.swaps
    for (let s = 0; s < swaps.length; s += 2) {
      const i = swaps[s]!
      const j = swaps[s + 1]!
      const tr = re[i]!
      re[i] = re[j]!
      re[j] = tr
      const ti = im[i]!
      im[i] = im[j]!
      im[j] = ti
    }
    // First two stages as one radix-4 pass (a size-2 transform is the plain stage below).
    for (let a = 0; n >= 4 && a < n; a += 4) {
      const r0 = re[a]!
      const i0 = im[a]!
      const r1 = re[a + 1]!
      const i1 = im[a + 1]!
      const r2 = re[a + 2]!
      const i2 = im[a + 2]!
      const r3 = re[a + 3]!
      const i3 = im[a + 3]!
      const sr = r0 + r1
      const si = i0 + i1
      const dr = r0 - r1
      const di = i0 - i1
      const tr = r2 + r3
      const ti = i2 + i3
      // (r2 − r3, i2 − i3) times −i (forward) or +i (inverse).
      const ur = inverse ? -(i2 - i3) : i2 - i3
      const ui = inverse ? r2 - r3 : -(r2 - r3)
      re[a] = sr + tr
      im[a] = si + ti
      re[a + 2] = sr - tr
      im[a + 2] = si - ti
      re[a + 1] = dr + ur
      im[a + 1] = di + ui
      re[a + 3] = dr - ur
      im[a + 3] = di - ui
    }
    const cos = this.cos
    const sin = this.sin
    for (let h = n >= 4 ? 4 : 1; h < n; h *= 2) {
      const span = 2 * h
      for (let k = 0; k < h; k++) {
        const wr = cos[h - 1 + k]!
        const wi = inverse ? -sin[h - 1 + k]! : sin[h - 1 + k]!
        for (let a = k; a < n; a += span) {
          const b = a + h
          const xr = re[b]!
          const xi = im[b]!
          const br = xr * wr - xi * wi
          const bi = xr * wi + xi * wr
          const ar = re[a]!
          const ai = im[a]!
          re[b] = ar - br
          im[b] = ai - bi
          re[a] = ar + br
          im[a] = ai + bi
        }
      }
    }
    if (inverse) {
      const scale = 1 / n
      for (let i = 0; i < n; i++) {
        re[i] = re[i]! * scale
        im[i] = im[i]! * scale
      }
    }
  }
}

/** A real-input FFT of one fixed power-of-two size: a half-size complex FFT plus a split step. */
export class RealFft {
  readonly size: number
  private readonly half: number
  private readonly fft: Fft
  private readonly re: Float64Array
  private readonly im: Float64Array
  /** cos and sin of 2πk/size for the split step. */
  private readonly splitCos: Float64Array
  private readonly splitSin: Float64Array

  constructor(size: number) {
    if (size < 8 || (size & (size - 1)) !== 0) throw new RangeError('FFT size must be a power of 2')
    this.size = size
    const m = size / 2
    this.half = m
    this.fft = new Fft(m)
    this.re = new Float64Array(m)
    this.im = new Float64Array(m)
    this.splitCos = new Float64Array(m)
    this.splitSin = new Float64Array(m)
    for (let k = 0; k < m; k++) {
      this.splitCos[k] = Math.cos((2 * Math.PI * k) / size)
      this.splitSin[k] = Math.sin((2 * Math.PI * k) / size)
    }
  }

  /**
   * Power spectrum |X[k]|², k = 0..size/2, of `input[from .. from + size)` times `window`
   * (samples past the end of `input` count as zero), written to `out` (length size/2 + 1).
   */
  power(input: Float32Array, from: number, window: Float32Array, out: Float32Array): void {
    const { half: m, re, im } = this
    const n = input.length
    for (let i = 0; i < m; i++) {
      const a = from + 2 * i
      re[i] = a >= 0 && a < n ? input[a]! * window[2 * i]! : 0
      im[i] = a + 1 >= 0 && a + 1 < n ? input[a + 1]! * window[2 * i + 1]! : 0
    }
    this.fft.transform(re, im)
    out[0] = (re[0]! + im[0]!) ** 2
    out[m] = (re[0]! - im[0]!) ** 2
    const { splitCos: wc, splitSin: ws } = this
    for (let k = 1; k < m; k++) {
      const zr = re[k]!
      const zi = im[k]!
      const cr = re[m - k]!
      const ci = -im[m - k]!
      // X[k] = (Z[k] + conj Z[m−k]) / 2 − i·e^{−2πik/N} (Z[k] − conj Z[m−k]) / 2
      const er = (zr + cr) / 2
      const ei = (zi + ci) / 2
      const dr = (zr - cr) / 2
      const di = (zi - ci) / 2
      const c = wc[k]!
      const s = ws[k]!
      const tr = c * di - s * dr
      const ti = -(c * dr + s * di)
      const xr = er + tr
      const xi = ei + ti
      out[k] = xr * xr + xi * xi
    }
  }
}
