/** An in-place radix-2 complex FFT of one fixed power-of-two size, with its tables precomputed. */
export class Fft {
  readonly size: number
  /** Twiddles per stage, stage of half-size h at [h − 1, 2h − 1): cos and −sin of 2πk/(2h). */
  private readonly cos: Float64Array
  private readonly sin: Float64Array
  /** Index pairs (i, j), i < j, swapped by the bit-reversal permutation. */
  private readonly swaps: Uint32Array

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError('FFT size must be a power of 2')
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
    // First two stages as one radix-4 pass.
    for (let a = 0; a < n; a += 4) {
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
    for (let h = 4; h < n; h *= 2) {
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
