import type { Effect } from '../recipe/schema.ts'

/** What every effect kernel offers the renderer: in-place block processing, no allocation. */
export interface Processor {
  /**
   * Processes frames [0, n) of `left` (and `right` when `channels` is 2) in place; returns the
   * channel count after it (a reverb makes a mono signal stereo, writing `right`).
   */
  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2
}

/** What an effect kernel is built from besides the effect itself. */
export type EffectContext = { sampleRate: number; tempo: number; blockFrames: number }

export type ProcessorFactory = (effect: Effect, context: EffectContext) => Processor | undefined

/** An effect chain: the kernels of its effects in order, bypassed ones left out. */
export class Chain implements Processor {
  private readonly processors: Processor[]

  constructor(effects: readonly Effect[], context: EffectContext, factory: ProcessorFactory) {
    this.processors = effects
      .filter((e) => !e.bypass)
      .map((e) => factory(e, context))
      .filter((p): p is Processor => p !== undefined)
  }

  get empty(): boolean {
    return this.processors.length === 0
  }

  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    let c = channels
    for (const p of this.processors) c = p.process(left, right, c, n)
    return c
  }
}
