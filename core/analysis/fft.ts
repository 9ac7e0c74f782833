/** A real-input FFT of one fixed power-of-two size: a half-size complex radix-2 FFT plus a split step. */
export class RealFft {
  readonly size: number
  private readonly half: number
  private readonly re: Float64Array
  private readonly im: Float64Array
  /** Twiddles of the half-size complex FFT, stage of half-span h at [h, 2h). */
  private readonly cos: Float64Array
  private readonly sin: Float64Array
  /** cos and sin of 2πk/size for the split step. */
  private readonly splitCos: Float64Array
  private readonly splitSin: Float64Array
  private readonly reversed: Uint32Array

  constructor(size: number) {
    if (size < 8 || (size & (size - 1)) !== 0) throw new RangeError('FFT size must be a power of 2')
    this.size = size
    const m = size / 2
    this.half = m
    this.re = new Float64Array(m)
    this.im = new Float64Array(m)
    this.cos = new Float64Array(m)
    this.sin = new Float64Array(m)
    for (let h = 1; h < m; h *= 2)
      for (let k = 0; k < h; k++) {
        this.cos[h + k] = Math.cos((Math.PI * k) / h)
        this.sin[h + k] = -Math.sin((Math.PI * k) / h)
      }
    this.splitCos = new Float64Array(m)
    this.splitSin = new Float64Array(m)
    for (let k = 0; k < m; k++) {
      this.splitCos[k] = Math.cos((2 * Math.PI * k) / size)
      this.splitSin[k] = Math.sin((2 * Math.PI * k) / size)
    }
    const bits = Math.log2(m)
    this.reversed = new Uint32Array(m)
    for (let i = 0; i < m; i++) {
      let r = 0
      for (let b = 0; b < bits; b++) r = (r << 1) | ((i >>> b) & 1)
      this.reversed[i] = r
    }
  }

  /**
   * Power spectrum |X[k]|², k = 0..size/2, of `input[from .. from + size)` times `window`
   * (samples past the end of `input` count as zero), written to `out` (length size/2 + 1).
   */
  power(input: Float32Array, from: number, window: Float32Array, out: Float32Array): void {
    const { half: m, re, im, reversed } = this
    const n = input.length
    for (let i = 0; i < m; i++) {
      const a = from + 2 * i
      const r = reversed[i]!
      re[r] = a >= 0 && a < n ? input[a]! * window[2 * i]! : 0
      im[r] = a + 1 >= 0 && a + 1 < n ? input[a + 1]! * window[2 * i + 1]! : 0
    }
    this.transform()
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

  private transform(): void {
    const { half: m, re, im, cos, sin } = this
    for (let h = 1; h < m; h *= 2) {
      const span = 2 * h
      for (let k = 0; k < h; k++) {
        const wr = cos[h + k]!
        const wi = sin[h + k]!
        for (let a = k; a < m; a += span) {
          const b = a + h
          const xr = re[b]! * wr - im[b]! * wi
          const xi = re[b]! * wi + im[b]! * wr
          re[b] = re[a]! - xr
          im[b] = im[a]! - xi
          re[a] = re[a]! + xr
          im[a] = im[a]! + xi
        }
      }
    }
  }
}

/** A periodic Hann window of `size` samples. */
export function hannWindow(size: number): Float32Array {
  const w = new Float32Array(size)
  for (let i = 0; i < size; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size)
  return w
}
