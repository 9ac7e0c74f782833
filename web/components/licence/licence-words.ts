import type {
  LeftOperand,
  Operator,
  Permission,
  Prohibition,
} from '../../../core/licence/policy.ts'

/** Each left operand as the editor names it. */
export const OPERAND_LABELS: Record<LeftOperand, string> = {
  dateTime: 'Date (UTC)',
  spatial: 'Territory',
  purpose: 'Purpose',
  outputDuration: 'Length of the remix',
  stemCount: 'Number of stems heard',
  pitchShift: 'Pitch shift',
  playbackRate: 'Playback rate',
  exportsPerDay: 'Exports per fan per day',
  stemsUsed: 'Stems in the mix',
  effectType: 'Effects',
}

/** The unit after a numeric value. */
export const OPERAND_UNITS: Partial<Record<LeftOperand, string>> = {
  outputDuration: 'seconds',
  stemCount: 'stems',
  pitchShift: 'semitones (±)',
  playbackRate: '× speed',
  exportsPerDay: 'exports',
}

const GENERIC: Record<Operator, string> = {
  eq: 'exactly',
  lt: 'under',
  lteq: 'at most',
  gt: 'over',
  gteq: 'at least',
  isAnyOf: 'only',
  isAllOf: 'all of',
  isNoneOf: 'none of',
}

const SPECIFIC: Partial<Record<LeftOperand, Partial<Record<Operator, string>>>> = {
  dateTime: { lt: 'before', lteq: 'until', gt: 'after', gteq: 'from' },
  spatial: { eq: 'only in', isAnyOf: 'only in', isNoneOf: 'not in' },
  purpose: { eq: 'only for', isAnyOf: 'only for', isNoneOf: 'not for' },
  stemsUsed: { isAllOf: 'must include', isNoneOf: 'must leave out' },
  effectType: { isAnyOf: 'only these', isNoneOf: 'none of these' },
}

/** An operator as the editor names it for `operand`: "from", "not in", "at most"… */
export function operatorLabel(operand: LeftOperand, operator: Operator): string {
  return SPECIFIC[operand]?.[operator] ?? GENERIC[operator]
}

/** What each permission lets a fan do. */
export const PERMISSION_LABELS: Record<Permission['action'], string> = {
  remix: 'Remix the stems',
  share: 'Share the remix publicly',
  download: 'Download the export',
  generateParts: 'Let the AI assistant generate new parts',
}

/** Each prohibition as a checkbox reads. */
export const PROHIBITION_LABELS: Record<Prohibition['action'], string> = {
  commercialUse: 'Commercial use',
  externalAudio: 'Audio from outside the campaign',
  reverse: 'Reversing',
  voiceIsolation: 'Exporting the voice on its own',
  voiceIdentityChange: 'Formant or identity-changing effects on the voice',
  voiceSynthesis: 'Synthesizing new lines from the voice',
  textAndDataMining: 'Text and data mining / AI training',
}

/** Prohibitions about the voice default to voice stems. */
export const VOICE_PROHIBITIONS: readonly Prohibition['action'][] = [
  'voiceIsolation',
  'voiceIdentityChange',
  'voiceSynthesis',
]

/** Purposes as the checkboxes read. */
export const PURPOSE_LABELS: Record<string, string> = {
  'non-commercial': 'non-commercial',
  commercial: 'commercial',
}
