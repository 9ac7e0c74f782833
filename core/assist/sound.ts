import type { StemRole } from '../campaign/manifest.ts'
import { effectFrom } from '../recipe/effect-defaults.ts'
import type { Effect } from '../recipe/schema.ts'
import type { Decibels } from '../units.ts'
import type { Random } from '../lib/random.ts'
import type { AssistStem, Intent } from './types.ts'

type Spec = Effect extends infer E ? (E extends Effect ? Omit<E, 'id' | 'bypass'> : never) : never

const round = (x: number, step: number) => Math.round(x / step) * step
const db = (x: number) => Math.round(x * 10) / 10

// Target integrated loudness of each role in a balanced mix, LUFS.
const ROLE_LUFS: Record<StemRole, number> = {
  drums: -16,
  bass: -17,
  vocals: -15.5,
  lead: -18,
  keys: -19,
  guitar: -19,
  pads: -21,
  fx: -23,
}

// How each intent moves roles from that balance, dB.
const INTENT_TILT: Record<Intent, Partial<Record<StemRole, number>>> = {
  extended: {},
  radioEdit: { vocals: 1 },
  ambient: { drums: -8, bass: -3, pads: 3, keys: 2 },
  strippedBack: { vocals: 1.5, drums: -3 },
  club: { drums: 1.5, bass: 1.5, vocals: -1 },
  halfTime: { bass: 1, drums: 0.5 },
}

const PAN: Record<StemRole, number> = {
  drums: 0,
  bass: 0,
  vocals: 0,
  lead: 0.15,
  keys: -0.25,
  guitar: 0.3,
  pads: -0.1,
  fx: 0.35,
}

/** A stem's measured loudness: EBU R128 when analysed, else its RMS level; null when unknown. */
export function measuredLufs(stem: AssistStem): number | null {
  const lufs = stem.analysis.loudness?.integratedLufs ?? stem.analysis.rmsDbfs
  return lufs === undefined || !Number.isFinite(lufs) || lufs <= -60 ? null : lufs
}

/** The gain that brings a stem to its role's place in the intent's balance. */
export function gainFor(stem: AssistStem, intent: Intent): Decibels {
  const measured = measuredLufs(stem)
  if (measured === null) return 0
  const target = ROLE_LUFS[stem.role] + (INTENT_TILT[intent][stem.role] ?? 0)
  return db(Math.min(6, Math.max(-24, target - measured)))
}

/** Master gain that brings the summed stems near the intent's loudness before the limiter. */
export function masterGainFor(
  stems: readonly AssistStem[],
  gains: readonly Decibels[],
  intent: Intent,
) {
  const power = stems.reduce((sum, s, i) => {
    const lufs = measuredLufs(s)
    return lufs === null ? sum : sum + 10 ** ((lufs + gains[i]!) / 10)
  }, 0)
  if (power <= 0) return 0
  const target = intent === 'ambient' ? -18 : intent === 'club' ? -11 : -14
  return db(Math.min(6, Math.max(-12, target - 10 * Math.log10(power))))
}

/** A light stereo spread by role, varied a little by the seed. */
export function panFor(role: StemRole, rng: Random): number {
  const pan = PAN[role]
  return pan === 0 ? 0 : round(pan * rng.between(0.8, 1.2), 0.01)
}

const reverb = (decay: number, wet: number): Spec => ({ type: 'reverb', decay, wet })
const delay = (division: '1/4d' | '1/8d' | '1/4', feedback: number, wet: number): Spec => ({
  type: 'delay',
  division,
  feedback,
  wet,
})
const comp = (threshold: number, ratio: number, attack = 0.01, release = 0.2): Spec => ({
  type: 'compressor',
  threshold,
  ratio,
  attack,
  release,
})
const eq = (low: number, mid: number, high: number): Spec => ({ type: 'eq3', low, mid, high })
const filter = (mode: 'lowpass' | 'highpass', frequency: number, q = 0.7): Spec => ({
  type: 'filter',
  mode,
  frequency,
  q,
})

const SPACE: StemRole[] = ['pads', 'keys', 'guitar', 'vocals', 'lead']

/** A track's effect chain for an intent's flavour; the seed varies the settings. */
export function trackChain(intent: Intent, variant: number, role: StemRole, r: Random): Spec[] {
  const j = (x: number, spread = 0.15) => round(x * r.between(1 - spread, 1 + spread), 0.01)
  switch (intent) {
    case 'ambient':
      if (role === 'drums') return [filter('lowpass', round(j(1400), 10)), reverb(j(3), j(0.3))]
      if (role === 'bass') return [filter('lowpass', round(j(400), 10)), reverb(j(2.5), 0.15)]
      if (role === 'vocals' || role === 'lead')
        return [delay(variant === 1 ? '1/4d' : '1/4', j(0.45), j(0.25)), reverb(j(7), j(0.45))]
      return [reverb(j(variant === 2 ? 5 : 9), j(0.5)), eq(-3, 0, variant === 2 ? 2 : -2)]
    case 'club':
      if (role === 'drums') return [comp(j(-20), 4, 0.005, 0.12), eq(j(3), -1, j(1.5))]
      if (role === 'bass') return [comp(j(-18), 3), eq(j(3), -1, 0)]
      if (role === 'vocals')
        return [comp(-18, 3), delay('1/8d', j(0.3), j(0.15)), reverb(2, j(0.15))]
      if (role === 'pads' || role === 'keys') return [filter('highpass', round(j(250), 10))]
      return []
    case 'halfTime':
      if (role === 'drums') return [comp(j(-18), 3, 0.01, 0.25), eq(j(2), 0, -1)]
      if (role === 'bass')
        return variant === 1
          ? [{ type: 'distortion', amount: j(0.25), wet: j(0.3) }, eq(2, 0, -2)]
          : [eq(j(2), 0, -1)]
      if (SPACE.includes(role)) return [reverb(j(variant === 2 ? 6 : 3.5), j(0.3))]
      return []
    case 'strippedBack':
      if (role === 'vocals') return [comp(j(-20), 2.5), reverb(j(1.8), j(0.18))]
      if (SPACE.includes(role)) return [eq(-1, 0, j(1)), reverb(j(2.5), j(0.15))]
      return []
    case 'radioEdit':
      if (role === 'vocals') return [comp(j(-18), 3), eq(0, 0, j(2))]
      if (role === 'drums') return [comp(j(-16), 2.5, 0.01, 0.15)]
      return SPACE.includes(role) ? [reverb(j(2), j(0.12))] : []
    case 'extended':
      if (role === 'vocals') return [reverb(j(2.5), j(0.2))]
      if (role === 'lead') return [delay('1/8d', j(0.35), j(0.2))]
      if (role === 'drums' && variant === 1) return [comp(j(-18), 3, 0.005, 0.15)]
      return []
  }
}

/** The master chain of an intent's flavour, before the limiter. */
export function masterChain(intent: Intent, variant: number, r: Random): Spec[] {
  const j = (x: number) => round(x * r.between(0.9, 1.1), 0.01)
  switch (intent) {
    case 'ambient':
      return [eq(0, -1, variant === 2 ? 1 : -2), comp(-24, 1.5, 0.05, 0.6)]
    case 'club':
      return [comp(j(-12), 2, 0.01, 0.15), eq(1, 0, 1)]
    case 'halfTime':
      return variant === 2 ? [filter('lowpass', round(j(6000), 10))] : [comp(j(-14), 2)]
    case 'radioEdit':
      return [comp(j(-14), 2.5), eq(0.5, 0, 1)]
    case 'strippedBack':
      return [eq(-1.5, 0, 0.5)]
    case 'extended':
      return [comp(j(-16), 1.8, 0.02, 0.3)]
  }
}

/** An effect with its id, from a spec; unknown settings fall back to the defaults. */
export function effectOf(spec: Spec, id: string): Effect {
  return { ...effectFrom(spec.type, id), ...spec } as Effect
}
