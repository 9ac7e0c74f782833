import {
  ContributorSchema,
  SplitsSchema,
  WHOLE_BPS,
  type Contributor,
  type Splits,
} from '../../../core/credits/splits.ts'
import type { BasisPoints } from '../../../core/units.ts'

/** What the splits editor needs of a campaign (a structural part of AuthorCampaign). */
export type SplitsCampaign = {
  stems: readonly { id: string; name: string; rightsHolders: readonly string[] }[]
  splits: Splits | null
  credits: readonly Contributor[]
}

/** One rights holder of a stem as typed: a name and a percentage. */
export type PartyDraft = { party: string; percent: string }
/** One stem's parties. */
export type StemSplitDraft = { stem: string; shares: PartyDraft[] }
/** One credited contributor as typed: roles comma-separated, IPI and ISNI blank when unknown. */
export type ContributorDraft = { name: string; roles: string; ipi: string; isni: string }
/** The whole form. */
export type SplitsDraft = {
  fanCreator: string
  stems: StemSplitDraft[]
  credits: ContributorDraft[]
}

/** Basis points as a percentage without trailing zeros: 3333 → "33.33", 7000 → "70". */
export function percentFromBps(bps: BasisPoints): string {
  return String(bps / 100)
}

/** A typed percentage in basis points, or null when it is not 0–100 with at most two decimals. */
export function bpsFromPercent(text: string): BasisPoints | null {
  const t = text.trim().replace(',', '.')
  if (!/^\d+(\.\d{1,2})?$/.test(t) && !/^\.\d{1,2}$/.test(t)) return null
  const bps = Math.round(Number(t) * 100)
  return bps <= WHOLE_BPS ? bps : null
}

/** The whole split evenly among `n` parties, the leftover basis points going to the first ones. */
export function evenSplit(n: number): BasisPoints[] {
  if (n <= 0) return []
  const base = Math.floor(WHOLE_BPS / n)
  return Array.from({ length: n }, (_, i) => base + (i < WHOLE_BPS - base * n ? 1 : 0))
}

/** A stem's parties with the whole divided evenly among them. */
export function splitEvenly(shares: readonly PartyDraft[]): PartyDraft[] {
  const bps = evenSplit(shares.length)
  return shares.map((s, i) => ({ ...s, percent: percentFromBps(bps[i]!) }))
}

/** What is left to assign on a stem, in basis points: negative when over. Unreadable rows count 0. */
export function remainingBps(shares: readonly PartyDraft[]): BasisPoints {
  return shares.reduce((left, s) => left - (bpsFromPercent(s.percent) ?? 0), WHOLE_BPS)
}

/** The form's draft of a campaign's splits and credits; new stems start with their rights holders. */
export function draftFrom(campaign: SplitsCampaign): SplitsDraft {
  const saved = new Map((campaign.splits?.stems ?? []).map((s) => [s.stem, s.shares]))
  return {
    fanCreator: percentFromBps(campaign.splits?.fanCreatorBps ?? 0),
    stems: campaign.stems.map((stem) => {
      const shares = saved.get(stem.id)
      if (shares)
        return {
          stem: stem.id,
          shares: shares.map((s) => ({ party: s.party, percent: percentFromBps(s.bps) })),
        }
      const holders = stem.rightsHolders.length ? stem.rightsHolders : ['']
      return {
        stem: stem.id,
        shares: splitEvenly(holders.map((party) => ({ party, percent: '' }))),
      }
    }),
    credits: campaign.credits.map((c) => ({
      name: c.name,
      roles: c.roles.join(', '),
      ipi: c.ipi ?? '',
      isni: c.isni ?? '',
    })),
  }
}

/** A contributor from its typed row: roles split on commas, blank identifiers left out. */
export function contributorFrom(d: ContributorDraft): Contributor {
  const ipi = d.ipi.replace(/[\s.-]/g, '')
  const isni = d.isni.replace(/[\s-]/g, '').toUpperCase()
  return {
    name: d.name.trim(),
    roles: d.roles
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    ...(ipi ? { ipi } : {}),
    ...(isni ? { isni } : {}),
  }
}

/** Issue messages by dotted field path, e.g. "stems.1.shares.0.percent" or "credits.2.ipi". */
export type Issues = ReadonlyMap<string, string[]>

const ROLES_EMPTY = 'Give at least one role, e.g. artist, label, producer.'

/** The form checked by the credits schemas: what to save, or every issue by field. */
export function checkSplits(
  d: SplitsDraft,
): { ok: true; splits: Splits; credits: Contributor[] } | { ok: false; issues: Issues } {
  const issues = new Map<string, string[]>()
  const add = (path: (string | number | symbol)[], message: string) => {
    const key = path.map(String).join('.')
    issues.set(key, [...(issues.get(key) ?? []), message])
  }
  const notPercent = 'Enter a percentage from 0 to 100, with at most two decimals.'

  const credits = d.credits.map(contributorFrom)
  credits.forEach((c, k) => {
    const parsed = ContributorSchema.safeParse(c)
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        add(
          ['credits', k, issue.path[0] ?? 'name'],
          issue.path[0] === 'roles' ? ROLES_EMPTY : issue.message,
        )
    if (c.name && credits.findIndex((x) => x.name === c.name) < k)
      add(['credits', k, 'name'], `${c.name} is already in the credits.`)
  })
  const credited = new Set(credits.map((c) => c.name))

  const fanCreatorBps = bpsFromPercent(d.fanCreator)
  if (fanCreatorBps === null) add(['fanCreator'], notPercent)
  const splits = {
    fanCreatorBps: fanCreatorBps ?? 0,
    stems: d.stems.map((s, i) => ({
      stem: s.stem,
      shares: s.shares.map((x, j) => {
        const party = x.party.trim()
        const bps = bpsFromPercent(x.percent)
        if (bps === null) add(['stems', i, 'shares', j, 'percent'], notPercent)
        if (party && !credited.has(party))
          add(
            ['stems', i, 'shares', j, 'party'],
            `${party} is not in the credits: add them below with their role.`,
          )
        if (party && s.shares.findIndex((y) => y.party.trim() === party) < j)
          add(['stems', i, 'shares', j, 'party'], `${party} is listed twice on this stem.`)
        return { party, bps: bps ?? 0 }
      }),
    })),
  }
  const parsed = SplitsSchema.safeParse(splits)
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (p === 'bps' ? 'percent' : p))
      const last = path.at(-1)
      add(path, messageOf(issue.code, last, d.stems[Number(path[1])]?.shares ?? [], issue.message))
    }
  if (issues.size > 0) return { ok: false, issues }
  return { ok: true, splits, credits }
}

function messageOf(
  code: string,
  last: PropertyKey | undefined,
  shares: readonly PartyDraft[],
  message: string,
): string {
  if (last === 'party') return 'Name the rights holder.'
  if (last === 'stems') return 'Upload the stems first: every stem gets its own split.'
  if (last !== 'shares') return message
  if (code === 'too_small') return 'Add at least one rights holder.'
  const left = remainingBps(shares)
  return `The shares must add up to 100%: ${percentFromBps(Math.abs(left))}% ${left > 0 ? 'left to assign' : 'too much'}.`
}
