import type { EffectType } from '../recipe/schema.ts'
import type { Constraint, Duty, LicencePolicy, Operator, Prohibition } from './policy.ts'

/** Stem names by id; a stem without a name is called by its id. */
export type StemNames = Readonly<Record<string, string>>

const ACTION_WORDS: Record<string, string> = {
  remix: 'You may remix these stems',
  share: 'You may share your remix',
  download: 'You may download your export',
  generateParts: 'The AI assistant may generate new parts from these stems',
}

const PROHIBITION_WORDS: Record<Prohibition['action'], string> = {
  commercialUse: 'No commercial use',
  externalAudio: 'No audio from outside the campaign',
  reverse: 'No reversing',
  voiceIsolation: 'The voice may not be exported on its own',
  voiceIdentityChange: 'No formant or identity-changing effects on the voice',
  voiceSynthesis: 'No new lines synthesized from the voice',
  textAndDataMining: 'No text and data mining or AI training (EU DSM Directive Art. 4 reservation)',
}

/** Each effect type in plain words. */
export const EFFECT_WORDS: Record<EffectType, string> = {
  filter: 'filter',
  eq3: 'EQ',
  compressor: 'compressor',
  delay: 'delay',
  reverb: 'reverb',
  distortion: 'distortion',
  pitchShift: 'pitch shift',
}

const BOUND_WORDS: Partial<Record<Operator, string>> = {
  lt: 'under',
  lteq: 'at most',
  gt: 'over',
  gteq: 'at least',
  eq: 'exactly',
}

/** A number as people read it: at most two decimals, no trailing zeros. */
export function numberWords(value: number): string {
  return String(Math.round(value * 100) / 100 || 0)
}

/** A numeric bound in words, e.g. `boundWords('lteq', 2, ' semitones')` is "at most 2 semitones". */
export function boundWords(operator: Operator, value: Constraint['rightOperand'], unit: string) {
  const n = typeof value === 'number' ? numberWords(value) : list(value)
  return `${BOUND_WORDS[operator] ?? operator} ${n}${unit}`
}

/** Items joined for a sentence: "a", "a or b", "a, b or c". */
export function listWords(items: readonly string[], last: 'and' | 'or'): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`
}

/** An ISO date-time in UTC to the minute, e.g. "Fri, 31 Dec 2027 23:59 UTC". */
export function dateWords(value: Constraint['rightOperand']): string {
  return new Date(String(value)).toUTCString().replace(/:\d\d GMT$/, ' UTC')
}

function targetWords(target: string | undefined, names: StemNames): string {
  if (!target) return ''
  return target === 'voice' ? ' on voice stems' : ` on the ${names[target] ?? target} stem`
}

function list(value: Constraint['rightOperand']): string {
  return Array.isArray(value) ? value.join(', ') : String(value)
}

function values(value: Constraint['rightOperand']): string[] {
  return Array.isArray(value) ? value : [String(value)]
}

/** One plain sentence for a constraint, e.g. "pitch shift at most 2 semitones on voice stems". */
export function describeConstraint(c: Constraint, names: StemNames = {}): string {
  const on = targetWords(c.target, names)
  const cmp = (unit: string) => boundWords(c.operator, c.rightOperand, unit)
  switch (c.leftOperand) {
    case 'dateTime':
      return c.operator === 'lt' || c.operator === 'lteq'
        ? `until ${dateWords(c.rightOperand)}`
        : `from ${dateWords(c.rightOperand)}`
    case 'spatial':
      return c.operator === 'isNoneOf'
        ? `not in ${list(c.rightOperand)}`
        : `only in ${list(c.rightOperand)}`
    case 'purpose':
      return c.operator === 'isNoneOf'
        ? `not for ${listWords(values(c.rightOperand), 'or')} purposes`
        : `for ${listWords(values(c.rightOperand), 'or')} purposes only`
    case 'outputDuration':
      return `length ${cmp(' seconds')}`
    case 'stemCount':
      return `using ${cmp(' stems')}`
    case 'pitchShift':
      return `pitch shift ${cmp(' semitones')}${on}`
    case 'playbackRate':
      return `playback rate ${cmp('×')}${on}`
    case 'exportsPerDay':
      return `${cmp(' exports')} per fan per day`
    case 'stemsUsed': {
      const stems = values(c.rightOperand).map((id) => names[id] ?? id)
      return c.operator === 'isNoneOf'
        ? `without ${listWords(stems, 'or')}`
        : `always using ${listWords(stems, 'and')}`
    }
    case 'effectType': {
      const effects = values(c.rightOperand).map((t) => EFFECT_WORDS[t as EffectType] ?? t)
      if (c.operator === 'isNoneOf') return `no ${listWords(effects, 'or')}${on}`
      return effects.length ? `only ${listWords(effects, 'or')} effects${on}` : `no effects${on}`
    }
  }
}

/** A per-stem rule as a fan reads it, about `who`: "Voice stems may be pitch-shifted by at most ±2 semitones". */
export function ruleWords(c: Constraint, who: string): string {
  const types = values(c.rightOperand).map((t) => EFFECT_WORDS[t as EffectType] ?? t)
  switch (c.leftOperand) {
    case 'pitchShift':
      return `${who} may be pitch-shifted by ${c.operator === 'lt' ? 'less than' : 'at most'} ±${list(c.rightOperand)} semitones`
    case 'playbackRate':
      return `${who} must play at a rate of ${boundWords(c.operator, c.rightOperand, '×')}`
    case 'effectType':
      return c.operator === 'isNoneOf' || types.length === 0
        ? `${who} may not have ${listWords(types, 'or') || 'effects'}`
        : `${who} may only have ${listWords(types, 'or')} effects`
    default:
      return `${who}: ${describeConstraint(c)}`
  }
}

function describeDuty(d: Duty): string {
  switch (d.action) {
    case 'attribute':
      return `Credit: “${d.text}”`
    case 'discloseAi':
      return 'Every export says exactly what AI did, or that none was used'
    case 'obtainApproval':
      return 'The artist approves a remix before it is shared publicly'
  }
}

/** The policy in plain sentences, permissions first, then prohibitions, then duties. */
export function describeLicence(policy: LicencePolicy, names: StemNames = {}): string[] {
  const permissions = policy.permissions.map((p) => {
    const head = ACTION_WORDS[p.action] ?? p.action
    const tail = p.constraints.map((c) => describeConstraint(c, names))
    return tail.length ? `${head}: ${tail.join('; ')}.` : `${head}.`
  })
  // Voice prohibitions name the voice already; other targets are named after the words.
  const prohibitions = policy.prohibitions.map(
    (p) =>
      `${PROHIBITION_WORDS[p.action]}${p.target === 'voice' ? '' : targetWords(p.target, names)}.`,
  )
  return [...permissions, ...prohibitions, ...policy.duties.map((d) => `${describeDuty(d)}.`)]
}
