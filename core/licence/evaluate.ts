import { DomainError } from '../errors.ts'
import { AUDIBLE_FLOOR_DB, presenceFrom, usedFrom, useSecondsFor } from '../recipe/audibility.ts'
import type { EffectType, Recipe } from '../recipe/schema.ts'
import {
  boundWords,
  dateWords,
  EFFECT_WORDS,
  listWords,
  numberWords,
  ruleWords,
  type StemNames,
} from './describe.ts'
import {
  constraintProblem,
  EFFECT_TYPES,
  needsApproval,
  Purpose,
  type Constraint,
  type Duty,
  type LicencePolicy,
  type Operator,
  type Permission,
  type Prohibition,
} from './policy.ts'
import {
  activeEffects,
  heardStemsFrom,
  regionShift,
  semitonesFromRate,
  stemFor,
  stemMatches,
  type LicenceStem,
  type RecipePath,
  type ShiftPart,
} from './use.ts'

/** What a fan asks to do with a remix. */
export type LicenceAction = 'export' | 'share' | 'download' | 'generateParts'

/** One request, with everything the licence depends on. */
export type LicenceUse = {
  action: LicenceAction
  at: string // ISO date-time of the request
  country: string | null // ISO 3166-1 alpha-2 of the request; null when unknown
  purpose: Purpose
  recipe: Recipe
  stems: readonly LicenceStem[] // the campaign's stems
  exportsToday: number // this fan's exports in the 24 h before this one
  approved: boolean // the artist approved this remix (for sharing)
  names?: StemNames // stem names by id, for messages; ids otherwise
  sourceStems?: readonly string[] // generateParts: the stems the new part derives from (all if absent)
}

/** Why a use is refused, for machines. */
export type ViolationCode =
  | 'not_permitted'
  | 'invalid_constraint'
  | 'campaign_not_open'
  | 'campaign_closed'
  | 'artist_suspended'
  | 'territory'
  | 'purpose'
  | 'too_short'
  | 'too_long'
  | 'too_few_stems'
  | 'too_many_stems'
  | 'stem_required'
  | 'stem_excluded'
  | 'pitch_out_of_range'
  | 'rate_out_of_range'
  | 'effect_not_allowed'
  | 'export_limit'
  | 'commercial_use'
  | 'external_audio'
  | 'voice_isolation'
  | 'voice_identity'
  | 'voice_synthesis'
  | 'approval_required'

/** Why a use is refused, in plain words, with the place in the recipe it applies to. */
export type Violation = { code: ViolationCode; message: string; path?: RecipePath }

/** Allowed or not and why, and the duties every use carries (attribution, AI disclosure). */
export type LicenceDecision = { allowed: boolean; violations: Violation[]; duties: Duty[] }

/** The permissions each action needs: each must be granted with its constraints met. */
const NEEDS: Record<LicenceAction, Permission['action'][]> = {
  export: ['remix'],
  download: ['remix', 'download'],
  share: ['remix', 'share'],
  generateParts: ['generateParts'],
}

const NOT_PERMITTED: Record<Permission['action'], string> = {
  remix: 'This licence does not allow remixing these stems.',
  share: 'This licence does not allow sharing remixes.',
  download: 'This licence does not allow downloading exports.',
  generateParts: 'This licence does not let the AI assistant generate new parts from these stems.',
}

type Context = {
  use: LicenceUse
  policy: LicencePolicy
  heard: Map<string, number[]> // stems heard at all, with their tracks: what a remix may not use
  used: string[] // stems heard long and loud enough to count (`usedStemsFrom`): what it uses
  presence: Map<string, number> // seconds each stem is heard above the floor
  name: (id: string) => string
}

/** Whether a use is allowed by a licence, every violation in plain words, and the duties. */
export function evaluateLicence(policy: LicencePolicy, use: LicenceUse): LicenceDecision {
  if (Number.isNaN(Date.parse(use.at)))
    throw new DomainError('bad_request', `not a date-time: ${use.at}`)
  const name = (id: string) => use.names?.[id] ?? id
  const heard = heardStemsFrom(use.recipe, use.stems)
  const presence = presenceFrom(use.recipe, use.stems)
  // Track order first, then stems only generated parts bring in; the same bound as usedStemsFrom.
  const counted = usedFrom(presence, use.recipe.length)
  const used = [...new Set([...heard.keys(), ...presence.keys()])].filter((id) => counted.has(id))
  const ctx = { use, policy, heard, used, presence, name }
  const unapproved = use.action === 'share' && !use.approved && needsApproval(policy)
  const violations = unique([
    ...NEEDS[use.action].flatMap((action) => grantViolations(action, ctx)),
    ...policy.prohibitions.flatMap((p) => prohibitionViolations(p, ctx)),
    ...(unapproved
      ? [v('approval_required', 'The artist must approve this remix before it is shared.')]
      : []),
    ...(use.action === 'generateParts' ? [] : generatedPartViolations(ctx)),
  ])
  return { allowed: violations.length === 0, violations, duties: policy.duties }
}

// A recipe's generated parts carry their derivation: each must still be one the licence allows.
function generatedPartViolations(ctx: Context): Violation[] {
  return ctx.use.recipe.generatedParts.flatMap((part, pi) => {
    const use = { ...ctx.use, action: 'generateParts' as const, sourceStems: part.sourceStems }
    const derived = { ...ctx, use }
    const at = ['generatedParts', pi, 'sourceStems']
    return [
      ...grantViolations('generateParts', derived),
      ...ctx.policy.prohibitions.flatMap((p) => prohibitionViolations(p, derived)),
    ].map((x) => (x.path ? x : v(x.code, x.message, at)))
  })
}

/**
 * Only the territory terms of `action`'s grants, for a request from `country`: cheap enough for
 * every request of a public page, and the same rule `evaluateLicence` applies.
 */
export function territoryViolation(
  policy: LicencePolicy,
  action: Permission['action'],
  country: string | null,
): Violation | null {
  const ctx = {
    use: { country } as LicenceUse,
    policy,
    heard: new Map(),
    used: [],
    presence: new Map(),
    name: (id: string) => id,
  }
  const grants = policy.permissions.filter((p) => p.action === action)
  const refusals = grants.map((p) =>
    p.constraints
      .filter((c) => c.leftOperand === 'spatial')
      .flatMap((c) => constraintViolations(c, ctx)),
  )
  return refusals.length > 0 && refusals.every((r) => r.length > 0) ? refusals[0]![0]! : null
}

// Several grants of one action are alternatives: the closest one explains a refusal.
function grantViolations(action: Permission['action'], ctx: Context): Violation[] {
  const grants = ctx.policy.permissions.filter((p) => p.action === action)
  if (grants.length === 0) return [v('not_permitted', NOT_PERMITTED[action])]
  return grants
    .map((p) => p.constraints.flatMap((c) => constraintViolations(c, ctx)))
    .reduce((best, next) => (next.length < best.length ? next : best))
}

function constraintViolations(c: Constraint, ctx: Context): Violation[] {
  const problem = constraintProblem(c)
  if (problem) {
    const message = `This licence has a term that cannot be checked (${problem}), so nothing it covers is allowed until the artist fixes it.`
    return [v('invalid_constraint', message)]
  }
  const { use, name, heard } = ctx
  const n = c.rightOperand as number
  const { operator: op } = c
  const under = (value: number) => op === 'gt' || op === 'gteq' || (op === 'eq' && value < n)
  switch (c.leftOperand) {
    case 'dateTime': {
      if (holds(Date.parse(use.at), op, Date.parse(String(c.rightOperand)))) return []
      const at = `${dateWords(c.rightOperand)}; this request was made on ${dateWords(use.at)}.`
      return op === 'gt' || op === 'gteq'
        ? [v('campaign_not_open', `The campaign opens on ${at}`)]
        : [v('campaign_closed', `The campaign closed on ${at}`)]
    }
    case 'spatial': {
      const places = listOf(c)
      const country = use.country?.toUpperCase() ?? null
      const listed = country !== null && places.includes(country)
      const from = country
        ? `this request comes from ${country}`
        : "this request's country is unknown"
      const where = listWords(places, 'or')
      if (op === 'isNoneOf')
        return listed ? [v('territory', `This licence does not apply in ${where}; ${from}.`)] : []
      return listed ? [] : [v('territory', `This licence applies only in ${where}; ${from}.`)]
    }
    case 'purpose': {
      const listed = listOf(c)
      const allowed =
        op === 'isNoneOf' ? Purpose.options.filter((p) => !listed.includes(p)) : listed
      if (allowed.includes(use.purpose)) return []
      const message = `This licence is for ${listWords(allowed, 'or') || 'no'} use only; this request is for ${use.purpose} use.`
      return [v('purpose', message)]
    }
    case 'outputDuration': {
      const length = use.recipe.length
      if (holds(length, op, n)) return []
      const message = `A remix must be ${boundWords(op, n, ' seconds')} long; this one is ${numberWords(length)} seconds.`
      return [v(under(length) ? 'too_short' : 'too_long', message, ['length'])]
    }
    case 'stemCount': {
      // A minimum counts the stems used; a maximum every stem heard at all, so neither is gamed.
      const all = [...new Set([...heard.keys(), ...ctx.used])]
      const few =
        ['gt', 'gteq', 'eq'].includes(op) && !holds(ctx.used.length, op === 'eq' ? 'gteq' : op, n)
      const many =
        ['lt', 'lteq', 'eq'].includes(op) && !holds(all.length, op === 'eq' ? 'lteq' : op, n)
      if (!few && !many) return []
      const ids = few ? ctx.used : all
      const which = ids.length ? ` (${listWords(ids.map(name), 'and')})` : ''
      const faint = few ? faintWords(unusedHeard(ctx), ctx) : ''
      const message = `A remix must use ${boundWords(op, n, n === 1 ? ' stem' : ' stems')}; this one uses ${ids.length}${which}${faint}.`
      return [v(few ? 'too_few_stems' : 'too_many_stems', message)]
    }
    case 'stemsUsed':
      return listOf(c).flatMap((ref) => {
        const id = stemFor(ref, use.stems)?.id ?? ref
        const heardOn = heard.get(id)?.[0]
        if (op === 'isNoneOf') {
          const message = `A remix may not use ${name(id)}; this one does.`
          return heardOn === undefined ? [] : [v('stem_excluded', message, ['tracks', heardOn])]
        }
        if (ctx.used.includes(id)) return []
        const track = use.recipe.tracks.findIndex((t) => t.stem === id)
        const why = unusedHeard(ctx).includes(id)
          ? faintWords([id], ctx).slice(2)
          : track < 0
            ? 'this one has no track for it'
            : 'it is not heard in this one'
        const message = `A remix must use ${name(id)}; ${why}.`
        return [v('stem_required', message, track < 0 ? undefined : ['tracks', track])]
      })
    case 'pitchShift':
      return regionsOf(c.target, ctx).flatMap(({ ti, ri, stem }) => {
        const shift = regionShift(use.recipe, ti, ri)
        if (pitchHolds(shift, c)) return []
        const head = `${ruleWords(c, who(c.target, ctx))}; this remix`
        return [pitchViolation('pitch_out_of_range', head, stem, shift, ctx, ti, ri)]
      })
    case 'playbackRate':
      return regionsOf(c.target, ctx).flatMap(({ ti, ri, stem }) => {
        const rate = use.recipe.tracks[ti]!.regions[ri]!.rate
        if (holds(rate, op, n)) return []
        const message = `${ruleWords(c, who(c.target, ctx))}; this remix plays ${name(stem.id)} at ${numberWords(rate)}×.`
        return [v('rate_out_of_range', message, ['tracks', ti, 'regions', ri, 'rate'])]
      })
    case 'effectType': {
      const listed = listOf(c)
      return tracksOf(c.target, ctx).flatMap(({ ti, stem }) =>
        activeEffects(use.recipe, ti).flatMap(({ effect, path }) => {
          if (listed.includes(effect.type) === (op === 'isAnyOf')) return []
          const message = `${ruleWords(c, who(c.target, ctx))}; this remix puts ${EFFECT_WORDS[effect.type]} on ${onWords(path, name(stem.id))}.`
          return [v('effect_not_allowed', message, path)]
        }),
      )
    }
    case 'exportsPerDay': {
      // Only a new export counts: sharing or downloading one does not make another.
      const count = use.exportsToday + 1
      if (use.action !== 'export' || holds(count, op, n)) return []
      const message = `A fan may export ${boundWords(op, n, n === 1 ? ' remix' : ' remixes')} a day; this would be export ${count} in 24 hours.`
      return [v('export_limit', message)]
    }
  }
}

function prohibitionViolations(p: Prohibition, ctx: Context): Violation[] {
  const { use, name } = ctx
  const guarded = (id: string) => {
    const stem = campaignStem(id, ctx)
    return stem !== undefined && stemMatches(p.target ?? 'voice', stem)
  }
  const output = use.action !== 'generateParts'
  switch (p.action) {
    case 'commercialUse': {
      const message =
        'The artist does not allow commercial use of these stems; this request is for commercial use.'
      return use.purpose === 'commercial' ? [v('commercial_use', message)] : []
    }
    case 'externalAudio': {
      const external = (id: string) => campaignStem(id, ctx) === undefined
      if (!output)
        return (use.sourceStems ?? []).filter(external).map((id) => {
          const message = `The AI assistant may use only the campaign's stems; “${id}” is not one of them.`
          return v('external_audio', message)
        })
      return use.recipe.tracks.flatMap((t, i) => {
        if (!external(t.stem)) return []
        const message = `A remix may use only the campaign's stems; track ${i + 1} plays “${t.stem}”, which is not one of them.`
        return [v('external_audio', message, ['tracks', i, 'stem'])]
      })
    }
    case 'voiceIsolation': {
      if (!output) return protectedSources('voice_isolation', p, ctx)
      // A guarded stem heard at all needs another stem that is really used beside it.
      const heard = [...ctx.heard.keys()].filter(guarded)
      if (heard.length === 0 || ctx.used.some((id) => !guarded(id))) return []
      const faint = unusedHeard(ctx).filter((id) => !guarded(id))
      const others = faint.length ? ` that counts${faintWords(faint, ctx)}` : ''
      const message = `${listWords(heard.map(name), 'and')} may not be heard on ${heard.length > 1 ? 'their' : 'its'} own; this remix plays nothing else${others}. Add another stem to the mix.`
      return [v('voice_isolation', message)]
    }
    case 'voiceIdentityChange':
      return output ? identityViolations(p, ctx) : protectedSources('voice_identity', p, ctx)
    case 'voiceSynthesis': {
      const sources = (use.sourceStems ?? use.stems.map((s) => s.id)).filter(guarded)
      if (output || sources.length === 0) return []
      const message = `The AI assistant may not generate new parts from ${listWords(sources.map(name), 'or')}; choose other source stems.`
      return [v('voice_synthesis', message)]
    }
    case 'reverse': // a recipe cannot reverse audio yet
    case 'textAndDataMining': // a reservation the export manifest carries; no action here mines
      return []
  }
}

const DERIVATION_WORDS = {
  voice_isolation: 'lift it out on its own',
  voice_identity: 'change its identity',
} as const

// Transcribing a protected voice lifts its line out of the mix and re-sings it: never a source.
function protectedSources(
  code: keyof typeof DERIVATION_WORDS,
  p: Prohibition,
  ctx: Context,
): Violation[] {
  const sources = (ctx.use.sourceStems ?? ctx.use.stems.map((s) => s.id)).filter((id) => {
    const stem = campaignStem(id, ctx)
    return stem !== undefined && stemMatches(p.target ?? 'voice', stem)
  })
  if (sources.length === 0) return []
  const message = `The AI assistant may not transcribe or derive new parts from ${listWords(sources.map(ctx.name), 'or')}: that would ${DERIVATION_WORDS[code]}, which the artist does not allow.`
  return [v(code, message)]
}

// Identity change: distortion, or a pitch shift past the stem's own pitchShift bound (none without one).
function identityViolations(p: Prohibition, ctx: Context): Violation[] {
  const { use, name } = ctx
  return tracksOf(p.target ?? 'voice', ctx).flatMap(({ ti, stem }) => {
    const head = `Changing the identity of ${name(stem.id)} is not allowed`
    const distorted = activeEffects(use.recipe, ti)
      .filter(({ effect }) => effect.type === 'distortion')
      .map(({ path }) => {
        const message = `${head}; this remix puts distortion on ${onWords(path, name(stem.id))}.`
        return v('voice_identity', message, path)
      })
    // A bound of the stem's own is enforced as pitch_out_of_range already.
    if (ownPitchRules(ctx.policy, stem).length) return distorted
    const shifted = use.recipe.tracks[ti]!.regions.flatMap((_, ri) => {
      const shift = regionShift(use.recipe, ti, ri)
      if (pitchHolds(shift, { operator: 'lteq', rightOperand: 0 })) return []
      const unpitched = `${head}, so it may not be pitch-shifted; this remix`
      return [pitchViolation('voice_identity', unpitched, stem, shift, ctx, ti, ri)]
    })
    return [...distorted, ...shifted]
  })
}

/** A range a control may take, bounds included. */
export type Range = { min: number; max: number }

/** What the studio may offer on one stem's tracks, with a reason for each limit. */
export type StemLimits = {
  pitch: Range | null // total shift in semitones: region pitch + playback rate + pitch-shift effects
  rate: Range | null
  effectTypes: { allowed: EffectType[] | null; forbidden: EffectType[] } // null: all but forbidden
  reasons: Partial<Record<'pitch' | 'rate' | EffectType, string>>
}

// Exclusive bounds (lt, gt) come back this far inside, so a control clamped to them passes.
const INSIDE = 1e-6

/** The limits a licence's `remix` permission and voice protections set on one stem. */
export function limitsForStem(
  policy: LicencePolicy,
  stem: LicenceStem,
  names: StemNames = {},
): StemLimits {
  const who = names[stem.id] ?? stem.id
  const rules = remixRules(policy).filter((c) => stemMatches(c.target, stem))
  const limits: StemLimits = {
    pitch: null,
    rate: null,
    effectTypes: { allowed: null, forbidden: [] },
    reasons: {},
  }
  // Each end of a range keeps the reason that set it; the two read as one.
  const ends: Record<'pitch' | 'rate', [string, string]> = { pitch: ['', ''], rate: ['', ''] }
  const narrow = (key: 'pitch' | 'rate', min: number, max: number, reason: string) => {
    const r = limits[key] ?? { min: -Infinity, max: Infinity }
    if (min > r.min) ends[key][0] = reason
    if (max < r.max) ends[key][1] = reason
    if (min <= r.min && max >= r.max) return
    limits[key] = { min: Math.max(min, r.min), max: Math.min(max, r.max) }
    limits.reasons[key] = [...new Set(ends[key])].filter(Boolean).join(' ')
  }
  const forbid = (types: readonly EffectType[], reason: string) => {
    const forbidden = limits.effectTypes.forbidden
    forbidden.push(...types.filter((t) => !forbidden.includes(t)))
    for (const t of types) limits.reasons[t] ??= reason
  }
  const identity = policy.prohibitions.some(
    (p) => p.action === 'voiceIdentityChange' && stemMatches(p.target ?? 'voice', stem),
  )
  for (const c of rules) {
    const n = c.rightOperand as number
    const inside = c.operator === 'lt' || c.operator === 'gt' ? INSIDE : 0
    const reason = `${ruleWords(
      c,
      subjectOf(c.target, () => who),
    )}.`
    if (c.leftOperand === 'pitchShift') narrow('pitch', -(n - inside), n - inside, reason)
    if (c.leftOperand === 'playbackRate') {
      const min = ['gt', 'gteq', 'eq'].includes(c.operator) ? n + inside : 0
      const max = ['lt', 'lteq', 'eq'].includes(c.operator) ? n - inside : Infinity
      narrow('rate', min, max, reason)
    }
    if (c.leftOperand === 'effectType' && c.operator === 'isNoneOf')
      forbid(listOf(c) as EffectType[], reason)
    if (c.leftOperand === 'effectType' && c.operator === 'isAnyOf') {
      const allowed = limits.effectTypes.allowed ?? EFFECT_TYPES
      limits.effectTypes.allowed = allowed.filter((t) => listOf(c).includes(t))
      for (const t of allowed.filter((t) => !listOf(c).includes(t))) limits.reasons[t] ??= reason
    }
  }
  if (identity) {
    const unpitched = `Changing the identity of ${who} is not allowed, so it may not be pitch-shifted.`
    if (ownPitchRules(policy, stem).length === 0) narrow('pitch', 0, 0, unpitched)
    forbid(['distortion'], `Distortion would change the identity of ${who}, which is not allowed.`)
  }
  const { allowed, forbidden } = limits.effectTypes
  limits.effectTypes.allowed = allowed && allowed.filter((t) => !forbidden.includes(t))
  if (limits.pitch) {
    const reason = `${limits.reasons.pitch?.slice(0, -1)}, and playing faster or slower shifts the pitch.`
    narrow('rate', 2 ** (limits.pitch.min / 12), 2 ** (limits.pitch.max / 12), reason)
  }
  return limits
}

function remixRules(policy: LicencePolicy): Constraint[] {
  return policy.permissions
    .filter((p) => p.action === 'remix')
    .flatMap((p) => p.constraints)
    .filter((c) => constraintProblem(c) === null)
}

// Pitch bounds the licence sets on this stem itself (by id or as a voice), not on every stem.
function ownPitchRules(policy: LicencePolicy, stem: LicenceStem): Constraint[] {
  return remixRules(policy).filter(
    (c) => c.leftOperand === 'pitchShift' && c.target !== undefined && stemMatches(c.target, stem),
  )
}

// Whom a per-stem rule is about: every stem, voice stems, or the one stem it names.
function subjectOf(target: string | undefined, nameOf: (ref: string) => string): string {
  if (target === undefined) return 'Stems'
  return target === 'voice' ? 'Voice stems' : nameOf(target)
}

function who(target: string | undefined, ctx: Context): string {
  return subjectOf(target, (ref) => ctx.name(stemFor(ref, ctx.use.stems)?.id ?? ref))
}

type Shift = ReturnType<typeof regionShift>

function pitchHolds(shift: Shift, c: Pick<Constraint, 'operator' | 'rightOperand'>): boolean {
  const n = c.rightOperand as number
  return holds(Math.abs(shift.low), c.operator, n) && holds(Math.abs(shift.high), c.operator, n)
}

// Points at the biggest cause of the shift, and says so when the playback rate is one.
function pitchViolation(
  code: ViolationCode,
  head: string,
  stem: LicenceStem,
  shift: Shift,
  ctx: Context,
  ti: number,
  ri: number,
): Violation {
  const worst = Math.abs(shift.low) > Math.abs(shift.high) ? shift.low : shift.high
  const cause = shift.parts
    .filter((p) => Math.sign(p.semitones) === Math.sign(worst))
    .reduce<ShiftPart | null>(
      (a, b) => (a && Math.abs(a.semitones) >= Math.abs(b.semitones) ? a : b),
      null,
    )
  const rate = ctx.use.recipe.tracks[ti]!.regions[ri]!.rate
  const byRate = numberWords(semitonesFromRate(rate))
  const note = rate === 1 ? '' : ` (playing at ${numberWords(rate)}× alone shifts it by ${byRate})`
  const message = `${head} shifts ${ctx.name(stem.id)} by ${numberWords(worst)}${note}.`
  return v(code, message, cause?.path ?? ['tracks', ti, 'regions', ri, 'pitch'])
}

// Recipes and the AI assistant name stems by `id`; only the licence may use manifest ids.
function campaignStem(id: string, ctx: Context): LicenceStem | undefined {
  return ctx.use.stems.find((s) => s.id === id)
}

function tracksOf(target: string | undefined, ctx: Context) {
  return ctx.use.recipe.tracks.flatMap((t, ti) => {
    const stem = campaignStem(t.stem, ctx)
    return stem && stemMatches(target, stem) ? [{ ti, stem }] : []
  })
}

function regionsOf(target: string | undefined, ctx: Context) {
  return tracksOf(target, ctx).flatMap(({ ti, stem }) =>
    ctx.use.recipe.tracks[ti]!.regions.map((_, ri) => ({ ti, ri, stem })),
  )
}

// Stems heard somewhere that do not count as used: too briefly or too quietly.
function unusedHeard(ctx: Context): string[] {
  const heard = [...new Set([...ctx.heard.keys(), ...ctx.presence.keys()])]
  return heard.filter((id) => !ctx.used.includes(id))
}

// "; Pads (2 seconds) is heard above -40 dB for less than the 8 seconds a stem needs to count"
function faintWords(ids: readonly string[], ctx: Context): string {
  if (ids.length === 0) return ''
  const each = ids.map((id) => `${ctx.name(id)} (${numberWords(ctx.presence.get(id) ?? 0)} s)`)
  const needed = useSecondsFor(ctx.use.recipe.length)
  const tenth = needed < 8 ? ', a tenth of this remix,' : ''
  return `; ${listWords(each, 'and')} ${ids.length > 1 ? 'are' : 'is'} heard above ${AUDIBLE_FLOOR_DB} dB for less than the ${numberWords(needed)} seconds${tenth} a stem needs to count`
}

function onWords(path: RecipePath, who: string): string {
  return path[0] === 'master' ? `the master bus, which ${who} plays through` : who
}

function listOf(c: Constraint): string[] {
  return Array.isArray(c.rightOperand) ? c.rightOperand : [String(c.rightOperand)]
}

// Float sums (2 + 4e-16) must not break a bound they meet.
function holds(value: number, operator: Operator, bound: number): boolean {
  const e = 1e-9
  if (operator === 'eq') return Math.abs(value - bound) <= e
  if (operator === 'lt') return value < bound - e
  if (operator === 'lteq') return value <= bound + e
  if (operator === 'gt') return value > bound + e
  if (operator === 'gteq') return value >= bound - e
  return false
}

function v(code: ViolationCode, message: string, path?: RecipePath): Violation {
  return path ? { code, message, path } : { code, message }
}

// One violation per code and place: a track effect breaks a rule once, not once per region.
function unique(violations: Violation[]): Violation[] {
  const seen = new Set<string>()
  return violations.filter((x) => {
    const key = `${x.code} ${x.path ? JSON.stringify(x.path) : x.message}`
    return !seen.has(key) && !!seen.add(key)
  })
}
