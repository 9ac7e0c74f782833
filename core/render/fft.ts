/** An in-place iterative radix-2 complex FFT of one size, tables built once. */
export class FFT {
  readonly size: number
  private readonly reverse: Uint32Array
  private readonly cos: Float64Array
  private readonly sin: Float64Array

  constructor(size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size ${size}`)
    this.size = size
    const bits = Math.log2(size)
    this.reverse = new Uint32Array(size)
    for (let i = 0; i < size; i++) {
      let r = 0
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b)
      this.reverse[i] = r
    }
    this.cos = new Float64Array(size / 2)
    this.sin = new Float64Array(size / 2)
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size)
      this.sin[i] = -Math.sin((2 * Math.PI * i) / size)
    }
  }

  /** Transforms (re, im) in place; `inverse` conjugates the twiddles and scales by 1/size. */
  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size
    const { reverse, cos } = this
    const sin = this.sin
    for (let i = 0; i < n; i++) {
      const j = reverse[i]!
      if (j > i) {
        const tr = re[i]!
        re[i] = re[j]!
        re[j] = tr
        const ti = im[i]!
        im[i] = im[j]!
        im[j] = ti
      }
    }
    const sign = inverse ? -1 : 1
    for (let half = 1; half < n; half <<= 1) {
      const step = n / (half << 1)
      for (let start = 0; start < n; start += half << 1) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * step]!
          const wi = sign * sin[k * step]!
          const a = start + k
          const b = a + half
          const xr = re[b]! * wr - im[b]! * wi
          const xi = re[b]! * wi + im[b]! * wr
          re[b] = re[a]! - xr
          im[b] = im[a]! - xi
          re[a] = re[a]! + xr
          im[a] = im[a]! + xi
        }
      }
    }
    if (inverse) {
      const s = 1 / n
      for (let i = 0; i < n; i++) {
        re[i] = re[i]! * s
        im[i] = im[i]! * s
      }
    }
  }
}
