import * as Tone from 'tone'
import type { Effect } from '../../core/recipe/schema.ts'
import { EQ3_HIGH, EQ3_LOW } from '../../core/render/effects.ts'
import { RAMP } from './retire.ts'

type Of<T extends Effect['type']> = Extract<Effect, { type: T }>

/**
 * Glides a native parameter to a value. Tone's own filters drive their native parameters from
 * signals, which makes Chromium recompute biquad coefficients on every sample; native parameters
 * with plain values (and short glides) are ~10× cheaper, so these nodes keep them native.
 */
function glide(param: AudioParam, value: number, context: Tone.BaseContext): void {
  const now = context.currentTime
  param.cancelAndHoldAtTime(now)
  param.setTargetAtTime(value, now, RAMP / 3)
}

function biquad(context: Tone.BaseContext, type: BiquadFilterType, hz: number, q: number) {
  const node = context.createBiquadFilter()
  node.type = type
  node.frequency.value = hz
  node.Q.value = q
  node.channelCount = 2
  node.channelCountMode = 'explicit'
  return node
}

/** A 12 dB/octave filter, the same biquad Tone.Filter builds with rolloff −12. */
export class LeanFilter extends Tone.ToneAudioNode {
  readonly name = 'LeanFilter'
  readonly input: BiquadFilterNode
  readonly output: BiquadFilterNode

  constructor(context: Tone.BaseContext, effect: Of<'filter'>) {
    super({ context })
    this.input = this.output = biquad(context, effect.mode, effect.frequency, effect.q)
  }

  update(effect: Of<'filter'>): void {
    if (this.input.type !== effect.mode) this.input.type = effect.mode
    glide(this.input.frequency, effect.frequency, this.context)
    glide(this.input.Q, effect.q, this.context)
  }
}

/**
 * A three-band EQ with Tone.EQ3's topology: crossovers at core's EQ3_LOW and EQ3_HIGH (Q 1), a
 * gain each. Four native filters, so each gain glides as it is edited; the export runs the same
 * sum folded into two sections (core/render/effects.ts eq3Sections).
 */
export class LeanEQ3 extends Tone.ToneAudioNode {
  readonly name = 'LeanEQ3'
  readonly input: GainNode
  readonly output: GainNode
  private readonly filters: BiquadFilterNode[]
  private readonly gains: GainNode[]

  constructor(context: Tone.BaseContext, effect: Of<'eq3'>) {
    super({ context })
    this.input = context.createGain()
    this.output = context.createGain()
    const low = biquad(context, 'lowpass', EQ3_LOW, 1)
    const lowMid = biquad(context, 'highpass', EQ3_LOW, 1)
    const mid = biquad(context, 'lowpass', EQ3_HIGH, 1)
    const high = biquad(context, 'highpass', EQ3_HIGH, 1)
    this.filters = [low, lowMid, mid, high]
    this.gains = [effect.low, effect.mid, effect.high].map((db) => {
      const gain = context.createGain()
      gain.gain.value = Tone.dbToGain(db)
      return gain
    })
    const [lowGain, midGain, highGain] = this.gains as [GainNode, GainNode, GainNode]
    this.input.connect(low).connect(lowGain).connect(this.output)
    this.input.connect(lowMid).connect(mid).connect(midGain).connect(this.output)
    this.input.connect(high).connect(highGain).connect(this.output)
  }

  update(effect: Of<'eq3'>): void {
    ;[effect.low, effect.mid, effect.high].forEach((db, i) =>
      glide(this.gains[i]!.gain, Tone.dbToGain(db), this.context),
    )
  }

  override dispose(): this {
    super.dispose()
    for (const node of [...this.filters, ...this.gains]) node.disconnect()
    return this
  }
}
