/** An in-place radix-2 complex FFT of one fixed power-of-two size, with its tables precomputed. */
export class Fft {
  readonly size: number
  private readonly cos: Float64Array
  private readonly sin: Float64Array
  private readonly reversed: Uint32Array

  constructor(size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError('FFT size must be a power of 2')
    this.size = size
    this.cos = new Float64Array(size / 2)
    this.sin = new Float64Array(size / 2)
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size)
      this.sin[i] = -Math.sin((2 * Math.PI * i) / size)
    }
    this.reversed = new Uint32Array(size)
    const bits = Math.log2(size)
    for (let i = 0; i < size; i++) {
      let r = 0
      for (let b = 0; b < bits; b++) r = (r << 1) | ((i >>> b) & 1)
      this.reversed[i] = r
    }
  }

  /** Forward transform of (re, im) in place; `inverse` conjugates the twiddles and scales by 1/size. */
  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size
    const rev = this.reversed
    for (let i = 0; i < n; i++) {
      const j = rev[i]!
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
    for (let half = 1, step = n / 2; half < n; half *= 2, step /= 2) {
      for (let start = 0; start < n; start += 2 * half) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step]!
          const wi = sign * this.sin[k * step]!
          const a = start + k
          const b = a + half
          const br = re[b]! * wr - im[b]! * wi
          const bi = re[b]! * wi + im[b]! * wr
          re[b] = re[a]! - br
          im[b] = im[a]! - bi
          re[a] = re[a]! + br
          im[a] = im[a]! + bi
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
