import { secondsPerBar } from '../recipe/grid.ts'
import {
  LIMITS,
  RECIPE_VERSION,
  RecipeSchema,
  type Effect,
  type Recipe,
  type Region,
} from '../recipe/schema.ts'
import { MIN_LENGTH_SECONDS } from '../recipe/edits.ts'
import { usedStemsFrom } from '../recipe/audibility.ts'
import type { Seconds } from '../units.ts'
import type { Flavour } from './intents.ts'
import { curveAt, layoutBlocks, sectionsFrom, type Block } from './layout.ts'
import { effectAllowed, type LicenceBounds } from './licence-fit.ts'
import { hashOf, randomFrom } from '../lib/random.ts'
import { effectOf, gainFor, masterChain, masterGainFor, panFor, trackChain } from './sound.ts'
import type { AssistCampaign, AssistStem, EnergyCurve, Intent } from './types.ts'
import { activeSpansOf, coveredIn } from './quiet.ts'
import type { Span } from '../recipe/audibility.ts'

/** Every choice a proposal is built from; repairs change the plan and build again. */
export type Plan = {
  intent: Intent
  variant: number
  flavour: Flavour
  seed: number
  stems: AssistStem[] // the stems it plays, in the order they come in as energy rises
  rate: number // every region's playback rate; pitch compensates so the key stays
  target: Seconds // the length asked for (the fan's, or the flavour's)
  sourceBar: Seconds // one bar of the campaign's grid
  bars: number // output bars
  length: Seconds
  energy: EnergyCurve | undefined
  banned: Set<string> // `${stemId}:${type}` or `master:${type}`
}

/** Bars every one of the stems has, on the campaign's grid. */
export function sourceBarsOf(stems: readonly AssistStem[], campaign: AssistCampaign): number {
  const bar = secondsPerBar(campaign.tempo, campaign.timeSignature)
  const shortest = Math.min(...stems.map((s) => s.seconds)) - downbeatOf(campaign)
  return Math.max(1, Math.floor(shortest / bar + 1e-6))
}

/** Where bar 0 starts in the stems: the analysis' first downbeat, when it is inside the first bar. */
export function downbeatOf(campaign: AssistCampaign): Seconds {
  const bar = secondsPerBar(campaign.tempo, campaign.timeSignature)
  const first = campaign.firstDownbeat ?? 0
  return first > 0 && first < bar ? first : 0
}

/** Output bars and length for a target, kept inside the licence's length and the recipe limit. */
export function lengthFor(
  targetSeconds: Seconds,
  barSeconds: Seconds,
  bounds: LicenceBounds,
): { bars: number; length: Seconds } {
  const max = Math.min(bounds.length.max, LIMITS.length)
  const minBars = Math.max(1, Math.ceil(bounds.length.min / barSeconds - 1e-9))
  const maxBars = Math.floor(max / barSeconds + 1e-9)
  const wanted = Math.max(1, Math.round(targetSeconds / barSeconds))
  if (minBars <= maxBars) {
    const bars = Math.min(maxBars, Math.max(minBars, wanted))
    return { bars, length: bars * barSeconds }
  }
  // No whole number of bars fits: play into the next bar and stop inside the licence's range.
  const bars = Math.max(1, maxBars + 1)
  const length = Math.min(max, Math.max(bounds.length.min, bars * barSeconds))
  // A licence no length can meet still gets a valid recipe, which its check then refuses.
  return { bars, length: Math.max(MIN_LENGTH_SECONDS, length) }
}

const fix = (x: number) => Math.round(x * 1e6) / 1e6

/**
 * Builds the recipe a plan describes. A chosen stem the layout leaves too short or too faint to
 * count as used (`usedStemsFrom`) comes in for more blocks until it counts or none are left.
 */
export function buildRecipe(
  plan: Plan,
  base: Recipe,
  campaign: AssistCampaign,
  bounds: LicenceBounds,
): Recipe {
  const extra = new Map<string, number>()
  for (;;) {
    const { recipe, blocks } = assemble(plan, base, campaign, bounds, extra)
    const used = usedStemsFrom(recipe, plan.stems)
    const short = plan.stems.filter((s) => !used.has(s.id) && (extra.get(s.id) ?? 0) < blocks)
    if (short.length === 0) return recipe
    for (const s of short) extra.set(s.id, (extra.get(s.id) ?? 0) + 1)
  }
}

// The recipe of a plan, each stem in `extra` brought into that many more of the largest blocks.
function assemble(
  plan: Plan,
  base: Recipe,
  campaign: AssistCampaign,
  bounds: LicenceBounds,
  extra: ReadonlyMap<string, number>,
): { recipe: Recipe; blocks: number } {
  const rng = randomFrom(hashOf(plan.seed, plan.intent, plan.variant, 'layout'))
  const srcBar = secondsPerBar(campaign.tempo, campaign.timeSignature)
  const outBar = srcBar / plan.rate
  const downbeat = downbeatOf(campaign)
  const pitch = plan.rate === 1 ? 0 : fix(-12 * Math.log2(plan.rate))
  const sourceBars = sourceBarsOf(plan.stems, campaign)
  const sections = sectionsFrom(campaign.sections, sourceBars)
  const blocks = layoutBlocks(plan.flavour, plan.bars, sections, sourceBars, rng)
  const active = activeStems(plan, blocks, extra)
  const tracks = plan.stems.map((stem, ti) => {
    const regions: Region[] = []
    const plays = activeSpansOf(stem, campaign)
    const add = (
      r: Omit<Region, 'id' | 'rate' | 'pitch' | 'gainDb' | 'loops' | 'fadeIn' | 'fadeOut'> &
        Partial<Region>,
    ) => {
      if (r.start >= plan.length - 1e-9) return
      let loops = r.loops ?? 1
      let duration = r.duration
      const room = plan.length - r.start
      if (duration * loops > room + 1e-9) {
        loops = Math.floor(room / duration + 1e-9)
        if (loops < 1) [loops, duration] = [1, room]
      }
      r = {
        ...r,
        offset: playedOffset(plays, r.offset, duration * plan.rate, srcBar, downbeat, stem),
      }
      const fadeIn = Math.min(r.fadeIn ?? 0, duration)
      const fadeOut = Math.min(r.fadeOut ?? 0, duration - fadeIn)
      regions.push({
        gainDb: 0,
        ...r,
        id: `as${ti}r${regions.length}`,
        start: fix(r.start),
        offset: fix(r.offset + downbeat),
        duration: fix(duration),
        loops,
        fadeIn: fix(fadeIn),
        fadeOut: fix(fadeOut),
        rate: plan.rate,
        pitch,
      })
    }
    blocks.forEach((block, bi) => {
      if (!active[bi]!.has(stem.id)) return
      const start = block.outBar * outBar
      const first = bi === 0 || !active[bi - 1]!.has(stem.id)
      const piece = block.pieces[0]!
      if (block.kind === 'build' && stem.role === 'drums') {
        const last = piece.srcBar + piece.bars - 1
        add({ start, offset: last * srcBar, duration: outBar, loops: block.bars })
        return
      }
      if (block.loopBars > 0) {
        const loops = block.bars / block.loopBars
        const fadeIn = block.kind === 'intro' && first ? outBar : 0
        add({
          start,
          offset: piece.srcBar * srcBar,
          duration: block.loopBars * outBar,
          loops,
          fadeIn,
        })
        return
      }
      let at = start
      block.pieces.forEach((p, pi) => {
        const duration = p.bars * outBar
        const lastPiece = pi === block.pieces.length - 1
        const fadeIn =
          pi > 0
            ? 0
            : block.kind === 'build'
              ? duration * 0.75
              : block.kind === 'intro' && first
                ? Math.min(duration, 2 * outBar)
                : 0
        const fadeOut = block.kind === 'outro' && lastPiece ? duration - fadeIn : 0
        const gainDb = block.kind === 'breakdown' ? -2 : 0
        add({ start: at, offset: p.srcBar * srcBar, duration, fadeIn, fadeOut, gainDb })
        at += duration
      })
    })
    const limits = bounds.limits.get(stem.id)
    const effects: Effect[] = trackChain(plan.intent, plan.variant, stem.role, rng)
      .filter((e) => effectAllowed(limits, e.type) && !plan.banned.has(`${stem.id}:${e.type}`))
      .slice(0, LIMITS.effectsPerChain)
      .map((e, ei) => effectOf(e, `as${ti}fx${ei}`))
    return {
      id: `as${ti}`,
      stem: stem.id,
      gainDb: gainFor(stem, plan.intent),
      pan: panFor(stem.role, rng),
      muted: false,
      soloed: false,
      effects,
      regions: regions.slice(0, LIMITS.regionsPerTrack),
    }
  })
  const masterEffects = masterChain(plan.intent, plan.variant, rng)
    .filter(
      (e) =>
        !plan.banned.has(`master:${e.type}`) &&
        plan.stems.every((s) => effectAllowed(bounds.limits.get(s.id), e.type)),
    )
    .map((e, ei) => effectOf(e, `asmfx${ei}`))
  const gains = tracks.map((t) => t.gainDb)
  const recipe = RecipeSchema.parse({
    version: RECIPE_VERSION,
    campaign: base.campaign,
    tempo: Math.min(400, Math.max(20, fix(campaign.tempo * plan.rate))),
    timeSignature: campaign.timeSignature,
    length: fix(plan.length),
    tracks,
    master: {
      gainDb: masterGainFor(plan.stems, gains, plan.intent),
      effects: masterEffects,
      limiter: { enabled: true, ceilingDb: -1 },
    },
    aiActions: base.aiActions,
  })
  return { recipe, blocks: blocks.length }
}

// Which stems play in each block: the energy picks how many, the flavour's priority which.
function activeStems(
  plan: Plan,
  blocks: readonly Block[],
  extra: ReadonlyMap<string, number>,
): Set<string>[] {
  const n = plan.stems.length
  const total = blocks.reduce((sum, b) => sum + b.bars, 0)
  const sets = blocks.map((b) => {
    const middle = (b.outBar + b.bars / 2) / Math.max(1, total)
    const e = plan.energy ? 0.35 * b.energy + 0.65 * curveAt(plan.energy, middle) : b.energy
    const k = b.kind === 'drop' ? n : Math.max(1, Math.min(n, Math.round(e * n)))
    return new Set(plan.stems.slice(0, k).map((s) => s.id))
  })
  // Every chosen stem is heard somewhere: the fullest block gets those left out.
  const fullest = sets.reduce((best, s, i) => (s.size > sets[best]!.size ? i : best), 0)
  for (const s of plan.stems) if (!sets.some((set) => set.has(s.id))) sets[fullest]?.add(s.id)
  const largest = blocks
    .map((b, i) => ({ bars: b.bars, i }))
    .sort((a, b) => b.bars - a.bars || a.i - b.i)
  for (const [id, more] of extra)
    largest
      .filter(({ i }) => !sets[i]!.has(id))
      .slice(0, more)
      .forEach(({ i }) => sets[i]!.add(id))
  return sets
}

/**
 * Where a region's source starts so that it plays music: `offset` (seconds after the downbeat)
 * when the stem plays through the whole window, else the bar-aligned window of the same length
 * where it plays most, nearest first (a loop of the song's fade-out becomes one of a bar
 * the stem is heard in).
 */
function playedOffset(
  active: readonly Span[] | null,
  offset: Seconds,
  window: Seconds,
  bar: Seconds,
  downbeat: Seconds,
  stem: AssistStem,
): Seconds {
  const heard = (o: Seconds) => coveredIn(active, downbeat + o, downbeat + o + window)
  if (!active || heard(offset) >= window - 1e-6) return offset
  let best = offset
  let most = heard(offset)
  const last = Math.floor((stem.seconds - downbeat - window) / bar + 1e-9)
  for (let k = 0; k <= last; k++) {
    const o = k * bar
    const h = heard(o)
    if (
      h > most + 1e-9 ||
      (Math.abs(h - most) <= 1e-9 && Math.abs(o - offset) < Math.abs(best - offset))
    ) {
      best = o
      most = h
    }
  }
  return best
}
