import type { Constraint, Duty, LicencePolicy, Prohibition } from './policy.ts'

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

function targetWords(target: string | undefined): string {
  if (!target) return ''
  return target === 'voice' ? ' on voice stems' : ` on the ${target} stem`
}

function list(value: Constraint['rightOperand']): string {
  return Array.isArray(value) ? value.join(', ') : String(value)
}

function date(value: Constraint['rightOperand']): string {
  return new Date(String(value)).toUTCString().replace(/:\d\d GMT$/, ' UTC')
}

/** One plain sentence for a constraint, e.g. "pitch shift at most 2 semitones on voice stems". */
export function describeConstraint(c: Constraint): string {
  const on = targetWords(c.target)
  const bound = { lt: 'under', lteq: 'at most', gt: 'over', gteq: 'at least', eq: 'exactly' }
  const cmp = (unit: string) =>
    c.operator in bound
      ? `${bound[c.operator as keyof typeof bound]} ${list(c.rightOperand)}${unit}`
      : `${c.operator === 'isAnyOf' ? 'one of' : 'none of'} ${list(c.rightOperand)}${unit}`
  switch (c.leftOperand) {
    case 'dateTime':
      return c.operator === 'lt' || c.operator === 'lteq'
        ? `until ${date(c.rightOperand)}`
        : `from ${date(c.rightOperand)}`
    case 'spatial':
      return c.operator === 'isNoneOf'
        ? `not in ${list(c.rightOperand)}`
        : `only in ${list(c.rightOperand)}`
    case 'purpose':
      return `for ${list(c.rightOperand)} purposes only`
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
  }
}

function describeDuty(d: Duty): string {
  switch (d.action) {
    case 'attribute':
      return `Credit: “${d.text}”`
    case 'discloseAi':
      return 'Every export is labelled as AI-assisted'
    case 'obtainApproval':
      return 'The artist approves a remix before it is shared publicly'
  }
}

/** The policy in plain sentences, permissions first, then prohibitions, then duties. */
export function describeLicence(policy: LicencePolicy): string[] {
  const permissions = policy.permissions.map((p) => {
    const head = ACTION_WORDS[p.action] ?? p.action
    const tail = p.constraints.map(describeConstraint)
    return tail.length ? `${head}: ${tail.join('; ')}.` : `${head}.`
  })
  // Voice prohibitions name the voice already; other targets are named after the words.
  const prohibitions = policy.prohibitions.map(
    (p) => `${PROHIBITION_WORDS[p.action]}${p.target === 'voice' ? '' : targetWords(p.target)}.`,
  )
  return [...permissions, ...prohibitions, ...policy.duties.map((d) => `${describeDuty(d)}.`)]
}
