import * as Tone from 'tone'
import { delaySecondsFrom } from '../../core/render/delay.ts'
import type { Effect } from '../../core/recipe/schema.ts'
import type { BPM } from '../../core/units.ts'
import { KernelNode, SeededReverb } from './kernels.ts'
import { LeanDelay, LeanEQ3, LeanFilter } from './lean-effects.ts'
import { RAMP, Retirer } from './retire.ts'

// The longest division at the slowest tempo the schema allows, so a tempo change never needs a rebuild.
const MAX_DELAY = delaySecondsFrom('1/2', 20)

/** The node that processes one effect. */
export type EffectNode = LeanFilter | LeanEQ3 | LeanDelay | SeededReverb | KernelNode

/**
 * Builds the node for an effect, in the given context. Filter, EQ and delay are lean native
 * equivalents of Tone.Filter, Tone.EQ3 and Tone.FeedbackDelay (lean-effects.ts says why); the
 * reverb convolves core/render's seeded room; compressor, distortion and pitch shift run
 * core/render's kernels in an AudioWorklet, so the studio hears what the export renders.
 */
export function createEffect(effect: Effect, tempo: BPM, context: Tone.BaseContext): EffectNode {
  switch (effect.type) {
    case 'filter':
      return new LeanFilter(context, effect)
    case 'eq3':
      return new LeanEQ3(context, effect)
    case 'compressor': {
      const { threshold, ratio, attack, release } = effect
      return new KernelNode(context, { kind: 'compressor', threshold, ratio, attack, release })
    }
    case 'delay':
      return new LeanDelay(context, delaySecondsFrom(effect.division, tempo), MAX_DELAY, effect)
    case 'reverb':
      return new SeededReverb(context, effect)
    case 'distortion':
      return new KernelNode(context, { kind: 'distortion', amount: effect.amount, wet: effect.wet })
    case 'pitchShift':
      return new KernelNode(context, {
        kind: 'pitchShift',
        semitones: effect.semitones,
        wet: effect.wet,
      })
  }
}

/** Moves a node's parameters to an effect's values (kernel nodes are rebuilt instead: see shape). */
export function updateEffect(node: EffectNode, effect: Effect, tempo: BPM): void {
  if (effect.type === 'filter' && node instanceof LeanFilter) {
    node.update(effect)
  } else if (effect.type === 'eq3' && node instanceof LeanEQ3) {
    node.update(effect)
  } else if (effect.type === 'delay' && node instanceof LeanDelay) {
    node.update(delaySecondsFrom(effect.division, tempo), effect)
  } else if (effect.type === 'reverb' && node instanceof SeededReverb) {
    node.setWet(effect.wet)
  }
}

/**
 * What a kernel-backed effect is built from: its settings are fixed in the worklet (and a reverb's
 * decay in its impulse response), so a change of them is a change of shape.
 */
function fixedOf(effect: Effect): unknown {
  switch (effect.type) {
    case 'compressor':
      return [effect.threshold, effect.ratio, effect.attack, effect.release]
    case 'distortion':
      return [effect.amount, effect.wet]
    case 'pitchShift':
      return [effect.semitones, effect.wet]
    case 'reverb':
      return effect.decay
    default:
      return null
  }
}

/** What makes two chains need different nodes: ids, order, types, bypass and fixed settings. */
export function chainShapeFrom(effects: readonly Effect[]): string {
  return JSON.stringify(effects.map((e) => [e.id, e.type, e.bypass, fixedOf(e)]))
}

type Built = { shape: string; values: string; nodes: EffectNode[]; fader: Tone.Gain }

const valuesFrom = (effects: readonly Effect[], tempo: BPM) => JSON.stringify([tempo, effects])

/**
 * An effect chain between a fixed `input` and `output`: bypassed effects are left out. A change of
 * shape builds a new chain and crossfades to it; any other change ramps parameters in place.
 */
export class EffectChain {
  readonly input: Tone.Gain
  readonly output: Tone.Gain
  private built: Built
  private readonly retirer = new Retirer()

  constructor(
    private readonly context: Tone.BaseContext,
    effects: readonly Effect[],
    tempo: BPM,
  ) {
    this.input = new Tone.Gain({ context })
    this.output = new Tone.Gain({ context })
    this.built = this.build(effects, tempo, 1)
  }

  /** The nodes in signal order (bypassed effects have none). */
  get nodes(): readonly EffectNode[] {
    return this.built.nodes
  }

  /** Resolves when every kernel node of the chain runs. */
  get ready(): Promise<void> {
    const kernels = this.built.nodes.filter((n) => n instanceof KernelNode)
    return Promise.all(kernels.map((k) => k.ready)).then(() => undefined)
  }

  private build(effects: readonly Effect[], tempo: BPM, gain: number): Built {
    const nodes = effects.filter((e) => !e.bypass).map((e) => createEffect(e, tempo, this.context))
    const fader = new Tone.Gain({ context: this.context, gain })
    Tone.connectSeries(this.input, ...nodes, fader, this.output)
    return { shape: chainShapeFrom(effects), values: valuesFrom(effects, tempo), nodes, fader }
  }

  update(effects: readonly Effect[], tempo: BPM): void {
    if (chainShapeFrom(effects) !== this.built.shape) {
      const old = this.built
      this.built = this.build(effects, tempo, 0)
      this.built.fader.gain.rampTo(1, RAMP)
      old.fader.gain.rampTo(0, RAMP)
      this.retirer.later(() => {
        this.input.disconnect(old.nodes[0] ?? old.fader)
        dispose(old)
      })
      return
    }
    const values = valuesFrom(effects, tempo)
    if (values === this.built.values) return
    this.built.values = values
    const active = effects.filter((e) => !e.bypass)
    active.forEach((e, i) => updateEffect(this.built.nodes[i]!, e, tempo))
  }

  dispose(): void {
    this.retirer.flush()
    dispose(this.built)
    this.input.dispose()
    this.output.dispose()
  }
}

function dispose(built: Built): void {
  for (const node of built.nodes) node.dispose()
  built.fader.dispose()
}
