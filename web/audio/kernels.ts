import * as Tone from 'tone'
import { FeedbackDelay } from '../../core/render/delay.ts'
import { DistortionKernel } from '../../core/render/distortion.ts'
import { CompressorKernel } from '../../core/render/dynamics.ts'
import { PitchShiftKernel } from '../../core/render/pitch-shift.ts'
import { reverbImpulse, seedFrom } from '../../core/render/reverb.ts'
import type { Effect } from '../../core/recipe/schema.ts'
import { workletModule } from './worklet.ts'

type Of<T extends Effect['type']> = Extract<Effect, { type: T }>

const PROCESSOR = 'stemfair-kernel'

/**
 * One AudioWorklet processor for core/render's kernels that native nodes cannot match (compressor,
 * distortion, pitch shift, and the feedback delay: a native DelayNode in a cycle adds a render
 * quantum per repeat): the studio plays the very code the export renders with, so the only difference between
 * preview and export is scheduling. The kernels are self-contained classes, loaded by their source.
 */
const source = `const CompressorKernel = (${CompressorKernel.toString()});
const DistortionKernel = (${DistortionKernel.toString()});
const PitchShiftKernel = (${PitchShiftKernel.toString()});
const FeedbackDelay = (${FeedbackDelay.toString()});
class StemfairKernel extends AudioWorkletProcessor {
  constructor(options) {
    super()
    const o = options.processorOptions
    if (o.kind === 'compressor')
      this.kernel = new CompressorKernel(sampleRate, o.threshold, o.ratio, o.attack, o.release)
    else if (o.kind === 'distortion') this.kernel = new DistortionKernel(o.amount, o.wet)
    else if (o.kind === 'delay') this.kernel = new FeedbackDelay(o.seconds, o.feedback, o.wet, sampleRate)
    else this.kernel = new PitchShiftKernel(sampleRate, o.semitones, o.wet)
    this.seeks = o.kind === 'pitchShift'
    this.left = new Float32Array(128)
    this.right = new Float32Array(128)
    this.channels = 1
  }
  process(inputs, outputs) {
    const input = inputs[0]
    const output = outputs[0]
    const n = output[0].length
    if (this.left.length < n) {
      this.left = new Float32Array(n)
      this.right = new Float32Array(n)
    }
    // An input with no active sources arrives as no channels, and how many a silent input has
    // while Tone disconnects an ended source (from the main thread, at no fixed frame) is not
    // fixed either: the kernel's count of channels only grows, so a stereo tail stays stereo
    // whatever the main thread's timing, as core/render keeps it.
    if (input.length > this.channels) this.channels = 2
    for (let i = 0; i < n; i++) {
      this.left[i] = input.length > 0 ? input[0][i] : 0
      this.right[i] = input.length > 1 ? input[1][i] : 0
    }
    if (this.seeks) this.kernel.seek(currentFrame)
    const c = this.kernel.process(this.left, this.right, this.channels, n)
    for (let ch = 0; ch < output.length; ch++) {
      const from = c === 1 || ch === 0 ? this.left : this.right
      const to = output[ch]
      for (let i = 0; i < n; i++) to[i] = from[i]
    }
    return true
  }
}
registerProcessor('${PROCESSOR}', StemfairKernel)
`

const loadModule = workletModule(source)

/** What a kernel node runs. */
export type KernelOptions =
  | ({ kind: 'compressor' } & Pick<Of<'compressor'>, 'threshold' | 'ratio' | 'attack' | 'release'>)
  | ({ kind: 'distortion' } & Pick<Of<'distortion'>, 'amount' | 'wet'>)
  | ({ kind: 'pitchShift' } & Pick<Of<'pitchShift'>, 'semitones' | 'wet'>)
  | ({ kind: 'delay'; seconds: number } & Pick<Of<'delay'>, 'feedback' | 'wet'>)

/**
 * A core/render kernel as a Tone node (an AudioWorkletNode between a fixed input and output). It
 * passes nothing until `ready` resolves, which an offline render awaits. Its settings are fixed:
 * a change builds a new node (the chain crossfades).
 */
export class KernelNode extends Tone.ToneAudioNode {
  readonly name = 'KernelNode'
  readonly input: Tone.Gain
  readonly output: Tone.Gain
  readonly ready: Promise<void>
  private node: AudioWorkletNode | undefined
  private gone = false

  constructor(
    context: Tone.BaseContext,
    readonly options: KernelOptions,
  ) {
    super({ context })
    this.input = new Tone.Gain({ context })
    this.output = new Tone.Gain({ context })
    this.ready = loadModule(context).then(() => {
      if (this.gone) return
      const node = context.createAudioWorkletNode(PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        processorOptions: options,
      })
      this.node = node
      this.input.connect(node)
      Tone.connect(node, this.output)
    })
  }

  override dispose(): this {
    this.gone = true
    this.node?.disconnect()
    super.dispose()
    this.input.dispose()
    this.output.dispose()
    return this
  }
}

/**
 * The studio's reverb: core/render's seeded impulse response (the same room the export renders)
 * in a ConvolverNode with normalize off (the response comes normalized as ConvolverNode would),
 * mixed with the dry signal by Tone's equal-power crossfade law, as core/render mixes it.
 */
export class SeededReverb extends Tone.ToneAudioNode {
  readonly name = 'SeededReverb'
  readonly input: GainNode
  readonly output: GainNode
  private readonly dry: GainNode
  private readonly wet: GainNode
  private readonly convolver: ConvolverNode

  constructor(context: Tone.BaseContext, effect: Of<'reverb'>) {
    super({ context })
    const channels = reverbImpulse(effect.decay, context.sampleRate, seedFrom(effect.id))
    const buffer = context.createBuffer(2, channels[0]!.length, context.sampleRate)
    channels.forEach((data, ch) => buffer.copyToChannel(data, ch))
    this.input = context.createGain()
    this.output = context.createGain()
    this.dry = context.createGain()
    this.wet = context.createGain()
    this.convolver = context.createConvolver()
    this.convolver.normalize = false
    this.convolver.buffer = buffer
    this.setWet(effect.wet)
    this.input.connect(this.dry).connect(this.output)
    this.input.connect(this.convolver).connect(this.wet).connect(this.output)
  }

  /** Moves the dry/wet balance (equal power), gliding. */
  setWet(wet: number): void {
    const now = this.context.currentTime
    for (const [param, value] of [
      [this.dry.gain, Math.cos((wet * Math.PI) / 2)],
      [this.wet.gain, Math.sin((wet * Math.PI) / 2)],
    ] as const) {
      param.cancelAndHoldAtTime(now)
      param.setTargetAtTime(value, now, 0.05 / 3)
    }
  }

  override dispose(): this {
    super.dispose()
    for (const node of [this.dry, this.wet, this.convolver]) node.disconnect()
    return this
  }
}
