import * as Tone from 'tone'
import type { Decibels, Hertz, Samples, Seconds } from '../../core/units.ts'
import {
  LIMITER_LOOKAHEAD,
  LimiterKernel,
  limiterLatency as latencyOf,
} from '../../core/render/limiter-kernel.ts'
import { workletModule } from './worklet.ts'

const PROCESSOR = 'stemfair-limiter'
const LOOKAHEAD: Seconds = LIMITER_LOOKAHEAD

const source = `const LimiterKernel = (${LimiterKernel.toString()});
class StemfairLimiter extends AudioWorkletProcessor {
  static get parameterDescriptors() {
    return [
      { name: 'ceiling', defaultValue: 1, minValue: 0, maxValue: 1, automationRate: 'k-rate' },
      { name: 'enabled', defaultValue: 1, minValue: 0, maxValue: 1, automationRate: 'k-rate' },
    ]
  }
  constructor(options) {
    super()
    const o = options.processorOptions
    this.kernel = new LimiterKernel(sampleRate, o.lookahead)
    this.silence = new Float32Array(128)
    this.progressEvery = o.progressEvery
    this.nextProgress = o.progressEvery
  }
  process(inputs, outputs, parameters) {
    const input = inputs[0]
    const output = outputs[0]
    const n = output[0].length
    if (this.silence.length < n) this.silence = new Float32Array(n)
    const inL = input.length > 0 ? input[0] : this.silence
    const inR = input.length > 1 ? input[1] : inL
    const outR = output.length > 1 ? output[1] : output[0]
    this.kernel.processBlock(inL, inR, output[0], outR, 0, n, parameters.ceiling[0], parameters.enabled[0] >= 0.5)
    if (this.progressEvery > 0 && currentFrame >= this.nextProgress) {
      this.port.postMessage(currentFrame)
      this.nextProgress += this.progressEvery
    }
    return true
  }
}
registerProcessor('${PROCESSOR}', StemfairLimiter)
`

/** The constant delay of the master limiter at a sample rate. */
export function limiterLatency(sampleRate: Hertz): Samples {
  return latencyOf(sampleRate)
}

const loadModule = workletModule(source)

/** Options of the master limiter; `onFrame` hears the rendered frame count about every second. */
export type LimiterOptions = {
  enabled: boolean
  ceilingDb: Decibels
  onFrame?: (frame: number) => void
}

/**
 * The master bus brickwall limiter: an AudioWorklet running `LimiterKernel`. It always delays by
 * `latency` (also when disabled, so toggling it never shifts the timing); it passes nothing until
 * `ready` resolves, which an offline render must await.
 */
export class MasterLimiter {
  readonly input: Tone.Gain
  readonly output: Tone.Gain
  readonly latency: Seconds
  readonly ready: Promise<void>
  private node: AudioWorkletNode | undefined
  private disposed = false

  constructor(
    private readonly context: Tone.BaseContext,
    private options: LimiterOptions,
  ) {
    this.input = new Tone.Gain({ context })
    this.output = new Tone.Gain({ context })
    this.latency = limiterLatency(context.sampleRate) / context.sampleRate
    this.ready = loadModule(context).then(
      () => this.attach(),
      (err: unknown) => {
        console.warn('Limiter unavailable, master bus is not limited:', err)
        if (!this.disposed) this.input.connect(this.output)
      },
    )
  }

  private attach(): void {
    if (this.disposed) return
    const node = this.context.createAudioWorkletNode(PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [2],
      channelCount: 2,
      channelCountMode: 'explicit',
      processorOptions: {
        lookahead: LOOKAHEAD,
        progressEvery: this.options.onFrame ? this.context.sampleRate : 0,
      },
    })
    const onFrame = this.options.onFrame
    if (onFrame) node.port.onmessage = (e: MessageEvent<number>) => onFrame(e.data)
    this.node = node
    this.set(this.options.enabled, this.options.ceilingDb)
    this.input.connect(node)
    Tone.connect(node, this.output)
  }

  /** Switches the limiter and moves its ceiling, from now on. */
  set(enabled: boolean, ceilingDb: Decibels): void {
    this.options = { ...this.options, enabled, ceilingDb }
    if (!this.node) return
    const now = this.context.currentTime
    this.node.parameters.get('ceiling')?.setValueAtTime(Tone.dbToGain(ceilingDb), now)
    this.node.parameters.get('enabled')?.setValueAtTime(enabled ? 1 : 0, now)
  }

  dispose(): void {
    this.disposed = true
    if (this.node) {
      this.node.port.onmessage = null
      this.node.disconnect()
    }
    this.input.dispose()
    this.output.dispose()
  }
}
