import { DomainError } from '../errors.ts'
import type { Violation } from '../licence/evaluate.ts'
import { secondsPerBar } from '../recipe/grid.ts'
import type { AiAction, Recipe } from '../recipe/schema.ts'
import { buildRecipe, lengthFor, sourceBarsOf, type Plan } from './build.ts'
import { FLAVOURS } from './intents.ts'
import { boundsFrom, exportViolations, mayGenerateFrom, type LicenceBounds } from './licence-fit.ts'
import { hashOf } from '../lib/random.ts'
import { quietSpansOf } from './quiet.ts'
import { clockWords } from '../moderation/summary.ts'
import {
  AssistRequestSchema,
  INTENT_NAMES,
  type AssistStem,
  type GeneratePartRequest,
  type Proposal,
  type ProposeInput,
  type Refusal,
} from './types.ts'

/** The assistant's name and version, as AI actions record them. */
export const ASSIST_TOOL = 'stemfair-assistant'
export const ASSIST_VERSION = '1.0.0'

const MAX_REPAIRS = 8

/** Three proposals for an intent, each checked against the licence, and the ones refused with why. */
export function proposeAll(input: ProposeInput): { proposals: Proposal[]; refused: Refusal[] } {
  const request = AssistRequestSchema.safeParse(input)
  if (!request.success)
    throw new DomainError(
      'bad_request',
      request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    )
  if (input.stems.length === 0) throw new DomainError('bad_request', 'This campaign has no stems.')
  const at = input.at ?? new Date().toISOString()
  const bounds = boundsFrom(input.policy, input.stems)
  const proposals: Proposal[] = []
  const refused: Refusal[] = []
  const partVariant = input.seed % 3
  FLAVOURS[input.intent].forEach((flavour, variant) => {
    let plan = planFor(input, variant, bounds)
    const repairs: string[] = []
    for (let attempt = 0; ; attempt++) {
      const recipe = buildRecipe(plan, input.recipe, input.campaign, bounds)
      const violations = exportViolations(input.policy, recipe, input.stems, at)
      const quiet = violations.length === 0 ? quietSpansOf(recipe, input.stems, input.campaign) : []
      if (quiet.length > 0) {
        refused.push({ name: flavour.name, variant, reasons: quiet.map(quietReason) })
        return
      }
      if (violations.length === 0) {
        const withPart = variant === partVariant ? attachPart(input, plan, recipe, at) : null
        proposals.push(
          proposalFrom(input, plan, withPart?.recipe ?? recipe, repairs, withPart?.request ?? null),
        )
        return
      }
      const next =
        attempt < MAX_REPAIRS
          ? repaired(plan, recipe, violations, input.stems, bounds, repairs)
          : null
      if (!next) {
        const reasons = violations.filter(
          (v, i) => violations.findIndex((w) => w.message === v.message) === i,
        )
        refused.push({ name: flavour.name, variant, reasons })
        return
      }
      plan = next
    }
  })
  return { proposals, refused }
}

/** The proposals that pass the licence (up to 3, distinct); see `proposeAll` for the refusals. */
export function propose(input: ProposeInput): Proposal[] {
  return proposeAll(input).proposals
}

/** The recipe a proposal makes, with the AI action that records it, applied at `appliedAt`. */
export function recipeFromProposal(proposal: Proposal, appliedAt: string): Recipe {
  const { recipe } = proposal
  const action: AiAction = {
    id: `ai-${recipe.aiActions.length}-${hashOf(proposal.id, appliedAt).toString(36)}`,
    tool: ASSIST_TOOL,
    version: ASSIST_VERSION,
    provider: proposal.provider,
    parameters: proposal.parameters,
    appliedAt,
  }
  return { ...recipe, aiActions: [...recipe.aiActions, action].slice(-256) }
}

const quietReason = ([from, to]: [number, number]) => ({
  code: 'quiet' as const,
  message: `It would be silent from ${clockWords(from)} to ${clockWords(to)}.`,
})

function planFor(input: ProposeInput, variant: number, bounds: LicenceBounds): Plan {
  const flavour = FLAVOURS[input.intent][variant]!
  const rank = (s: AssistStem) => {
    const i = flavour.priority.indexOf(s.role)
    return i < 0 ? flavour.priority.length : i
  }
  const candidates = input.stems
    .filter((s) => !bounds.excluded.has(s.id))
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
    .map(({ s }) => s)
  const { min, max } = bounds.stemCount
  const want = Math.min(
    candidates.length,
    Math.max(min, Math.min(max, flavour.stems(candidates.length))),
  )
  const chosen = new Set(candidates.filter((s) => bounds.required.has(s.id)).map((s) => s.id))
  for (const s of candidates) if (chosen.size < want) chosen.add(s.id)
  if (bounds.voiceIsolation([...chosen])) {
    const other = candidates.find((s) => !chosen.has(s.id) && !bounds.voiceIsolation([s.id]))
    if (other) {
      const drop = [...chosen].reverse().find((id) => !bounds.required.has(id))
      if (chosen.size >= max && drop) chosen.delete(drop)
      chosen.add(other.id)
    }
  }
  const stems = candidates.filter((s) => chosen.has(s.id))
  const rate = flavour.rate === 1 ? (input.rate ?? 1) : flavour.rate
  return { ...sized(input, flavour, stems, rate, bounds), intent: input.intent, variant, flavour }
}

// Bars and length for the stems and rate: the fan's target, else the flavour's share of the song.
function sized(
  input: ProposeInput,
  flavour: Plan['flavour'],
  stems: AssistStem[],
  rate: number,
  bounds: LicenceBounds,
): Omit<Plan, 'intent' | 'variant' | 'flavour'> {
  const sourceBar = secondsPerBar(input.campaign.tempo, input.campaign.timeSignature)
  const bar = sourceBar / rate
  const own = stems.length > 0 ? stems : input.stems
  const target =
    input.targetSeconds ??
    Math.round(sourceBarsOf(own, input.campaign) * flavour.lengthFactor) * bar
  return {
    seed: input.seed,
    target,
    sourceBar,
    stems,
    rate,
    ...lengthFor(target, bar, bounds),
    energy: input.energy,
    banned: new Set(),
  }
}

// A plan that avoids the violations, or null when the licence cannot be met by changing the recipe.
function repaired(
  plan: Plan,
  recipe: Recipe,
  violations: readonly Violation[],
  all: readonly AssistStem[],
  bounds: LicenceBounds,
  notes: string[],
): Plan | null {
  let next: Plan = { ...plan, banned: new Set(plan.banned), stems: [...plan.stems] }
  const name = (id: string) => all.find((s) => s.id === id)?.name ?? id
  const addStem = (pick: (s: AssistStem) => boolean) => {
    const stem = all.find((s) => !next.stems.includes(s) && !bounds.excluded.has(s.id) && pick(s))
    if (stem) next.stems.push(stem)
    return stem
  }
  for (const v of violations) {
    const [where, ti, part, index] = v.path ?? []
    if (where === 'master' && v.path?.[1] === 'effects') {
      const type = recipe.master.effects[ti as number]?.type
      if (!type) return null
      next.banned.add(`master:${type}`)
      notes.push(`No ${type} on the master: ${v.message}`)
    } else if (where === 'tracks' && part === 'effects') {
      const track = recipe.tracks[ti as number]!
      const type = track.effects[index as number]?.type
      if (!type) return null
      next.banned.add(`${track.stem}:${type}`)
      notes.push(`No ${type} on ${name(track.stem)}: ${v.message}`)
    } else if (['pitch_out_of_range', 'rate_out_of_range', 'voice_identity'].includes(v.code)) {
      if (next.rate !== plan.rate) continue // one rate change a round: it covers every region
      if (next.rate === 1) return null
      const clamped = clampedRate(next, bounds)
      next = { ...next, rate: clamped !== next.rate ? clamped : 1 }
      notes.push(`Played at ${next.rate}× instead of ${plan.rate}×: ${v.message}`)
    } else if (v.code === 'too_few_stems' || v.code === 'voice_isolation') {
      const other = addStem((s) => v.code === 'too_few_stems' || !bounds.voiceIsolation([s.id]))
      if (!other) return null
      notes.push(`Added ${other.name}: ${v.message}`)
    } else if (v.code === 'stem_required') {
      const required = [...bounds.required].find((id) => !next.stems.some((s) => s.id === id))
      if (!required || !addStem((s) => s.id === required)) return null
      notes.push(`Added ${name(required)}: ${v.message}`)
    } else if (v.code === 'too_many_stems' || v.code === 'stem_excluded') {
      const drop =
        v.code === 'stem_excluded'
          ? next.stems.find((s) => bounds.excluded.has(s.id))
          : [...next.stems].reverse().find((s) => !bounds.required.has(s.id))
      if (!drop) return null
      next.stems = next.stems.filter((s) => s !== drop)
      notes.push(`Left out ${drop.name}: ${v.message}`)
    } else return null
  }
  if (next.stems.length === 0) return null
  const resized = next.rate === plan.rate ? {} : resize(next, bounds)
  return { ...next, ...resized }
}

function resize(plan: Plan, bounds: LicenceBounds) {
  return lengthFor(plan.target, plan.sourceBar / plan.rate, bounds)
}

// The rate moved into every chosen stem's licensed range, or 1 when the ranges miss.
function clampedRate(plan: Plan, bounds: LicenceBounds): number {
  let lo = 0
  let hi = Infinity
  for (const s of plan.stems) {
    const r = bounds.limits.get(s.id)?.rate
    if (r) [lo, hi] = [Math.max(lo, r.min), Math.min(hi, r.max)]
  }
  const rate = Math.min(hi, Math.max(lo, plan.rate))
  // Pitch compensation reaches ±12 semitones: rates beyond an octave are not offered.
  return lo <= hi && rate >= 0.5 && rate <= 2 ? Math.round(rate * 1e4) / 1e4 : 1
}

// The generated-part hook: where the licence lets the assistant derive a line, ask the generator.
function attachPart(input: ProposeInput, plan: Plan, recipe: Recipe, at: string) {
  if (!input.generatePart) return null
  const sources = plan.stems.filter((s) => !s.isVoice && s.role !== 'drums').map((s) => s.id)
  if (sources.length === 0 || !mayGenerateFrom(input.policy, recipe, input.stems, sources, at))
    return null
  const request: GeneratePartRequest = {
    kind: (['counterMelody', 'arpeggio', 'bassVariation'] as const)[plan.variant]!,
    key: input.campaign.key ?? null,
    tempo: recipe.tempo,
    timeSignature: input.campaign.timeSignature,
    bars: { startBar: Math.floor(plan.bars / 4), endBar: Math.floor((plan.bars * 3) / 4) },
    sourceStems: sources,
    seed: hashOf(input.seed, plan.intent, plan.variant, 'part'),
  }
  const withPart = input.generatePart(request, recipe)
  if (!withPart || exportViolations(input.policy, withPart, input.stems, at).length > 0) return null
  return { recipe: withPart, request }
}

function proposalFrom(
  input: ProposeInput,
  plan: Plan,
  recipe: Recipe,
  repairs: string[],
  part: GeneratePartRequest | null,
): Proposal {
  const minutes = `${Math.floor(recipe.length / 60)}:${String(Math.round(recipe.length % 60)).padStart(2, '0')}`
  // The stems are named from the campaign, so a description never promises one it lacks.
  const names = plan.stems.map((s) => s.name).join(', ')
  const facts = `${plan.bars} bars, ${minutes}, ${plan.stems.length} ${plan.stems.length === 1 ? 'stem' : 'stems'} (${names})${plan.rate === 1 ? '' : `, at ${plan.rate}×`}.`
  return {
    id: `${input.intent}-${plan.variant}-${input.seed}`,
    name: plan.flavour.name,
    description: `${plan.flavour.description} ${facts}`,
    intent: input.intent,
    seed: input.seed,
    variant: plan.variant,
    provider: 'local',
    recipe,
    repairs,
    generatedPart: part,
    parameters: {
      intent: input.intent,
      intentName: INTENT_NAMES[input.intent],
      seed: input.seed,
      variant: plan.variant,
      proposal: plan.flavour.name,
      ...(input.targetSeconds !== undefined ? { targetSeconds: input.targetSeconds } : {}),
      ...(input.energy ? { energy: input.energy } : {}),
      ...(part ? { generatedPart: part.kind } : {}),
    },
  }
}
