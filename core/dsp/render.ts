// core/render's kernels in WebAssembly (wasm/render.c, in the same module as the detector's): the
// reverb's convolver. Each convolver runs in an instance of its own (dspInstance: its own memory,
// freed with it), so its state outlives any detector's heap reset. Without the module (the
// browser, withoutDsp) core/render runs its TypeScript reference, which these reproduce bit for
// bit (core/dsp/render.test.ts).
import { dspInstance } from './kernels.ts'

interface Exports {
  memory: { buffer: ArrayBuffer }
  render_conv_new(cell: number, count: number): number
  render_conv_twiddles(c: number): number
  render_conv_twiddled(c: number): void
  render_conv_work(c: number): number
  render_conv_head(c: number): number
  render_conv_io(c: number): number
  render_conv_fill(c: number): number
  render_conv_partition(c: number, k: number): void
  render_conv_cell(c: number): void
  render_conv_piece(c: number, n: number): number
}

/** The partitions of `cell` frames a response takes. */
const partitions = (irL: Float32Array, irR: Float32Array, cell: number) =>
  Math.ceil(Math.max(1, irL.length, irR.length) / cell)

/**
 * core/render/reverb.ts Convolver in WebAssembly: the same zero-latency stereo convolution, the
 * same bits, several times faster. Build it with `kernelConvolver`.
 */
export class KernelConvolver {
  private readonly x: Exports
  private readonly c: number
  private readonly cell: number
  private readonly io: Float32Array

  /** A convolver in `x` at `c` (render_conv_new's answer for the response's partitions). */
  constructor(x: Exports, c: number, irL: Float32Array, irR: Float32Array, cell: number) {
    const count = partitions(irL, irR, cell)
    this.x = x
    this.c = c
    this.cell = cell
    const n = 2 * cell
    // the memory no longer grows: these views stay valid
    const f64 = new Float64Array(x.memory.buffer)
    const tw = x.render_conv_twiddles(c) / 8
    for (let h = 1; h < n; h *= 2)
      for (let k = 0; k < h; k++) {
        f64[tw + 2 * (h - 1 + k)] = Math.cos((Math.PI * k) / h)
        f64[tw + 2 * (h - 1 + k) + 1] = -Math.sin((Math.PI * k) / h)
      }
    x.render_conv_twiddled(c)
    const head = x.render_conv_head(c) / 8
    for (let i = 0; i < cell; i++) {
      f64[head + 2 * i] = irL[i] ?? 0
      f64[head + 2 * i + 1] = irR[i] ?? 0
    }
    const work = x.render_conv_work(c) / 8
    for (let k = 0; k < count; k++) {
      f64.fill(0, work, work + 2 * n)
      // partition k's taps in the first half (overlap-save: the filter is zero-padded)
      for (let j = 0; j < cell; j++) {
        f64[work + 2 * j] = irL[k * cell + j] ?? 0
        f64[work + 2 * j + 1] = irR[k * cell + j] ?? 0
      }
      x.render_conv_partition(c, k)
    }
    this.io = new Float32Array(x.memory.buffer, x.render_conv_io(c), 4 * cell)
  }

  /** Convolves frames [0, n) of inL/inR into outL/outR (outputs may alias the inputs). */
  process(
    inL: Float32Array,
    inR: Float32Array,
    outL: Float32Array,
    outR: Float32Array,
    n: number,
  ): void {
    const { x, c, cell, io } = this
    for (let i = 0; i < n;) {
      const fill = x.render_conv_fill(c)
      const whole = fill === 0 && n - i >= cell
      const m = whole ? cell : Math.min(n - i, cell - fill)
      for (let r = 0; r < m; r++) {
        io[r] = inL[i + r]!
        io[cell + r] = inR[i + r]!
      }
      if (whole) x.render_conv_cell(c)
      else x.render_conv_piece(c, m)
      for (let r = 0; r < m; r++) {
        outL[i + r] = io[2 * cell + r]!
        outR[i + r] = io[3 * cell + r]!
      }
      i += m
    }
  }
}

/**
 * A KernelConvolver once a host has handed core the module, else null — also when its instance
 * or its memory cannot be made (the caller then runs the TypeScript Convolver, the same bits).
 */
export function kernelConvolver(
  irL: Float32Array,
  irR: Float32Array,
  cell: number,
): KernelConvolver | null {
  let x: Exports | null
  try {
    x = dspInstance() as unknown as Exports | null
  } catch {
    // WebAssembly.Instance throws when the host cannot give it memory (or cannot link it)
    return null
  }
  if (!x) return null
  const c = x.render_conv_new(cell, partitions(irL, irR, cell))
  return c ? new KernelConvolver(x, c, irL, irR, cell) : null
}
