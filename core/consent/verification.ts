import { z } from 'zod'
import { IsrcSchema } from '../campaign/manifest.ts'
import { IpiSchema, IsniSchema } from '../credits/splits.ts'

/** Where an artist's verification as a rights holder stands. */
export type VerificationState = 'none' | 'pending' | 'more_info' | 'verified' | 'refused'

/** The statement an artist signs: the exact words are stored with the request. */
export const RIGHTS_STATEMENT =
  'I hold, or am authorised by everyone who holds, the rights in the recordings I upload to ' +
  'Stemfair and in the works they embody, and I may license their stems to fans for remixing ' +
  'under the terms I set for each campaign. I understand that uploading recordings I do not ' +
  'control can get my account suspended and my campaigns taken down.'

/** What verification asks for, in words, for the sign-up page and the form. */
export const VERIFICATION_ASKS = [
  'your legal name, and the artist or label name you publish under',
  'a distributor or label contact who can confirm you (name and email)',
  'your ISNI and IPI numbers, if you have them',
  'the ISRCs of the recordings you will upload, where they have them',
  'links where your releases can be found (a store, streaming or label page)',
  'a signed statement that you hold the rights to license stems for remixing',
] as const

const text = (max: number, what: string) =>
  z.string().trim().min(1, `enter ${what}`).max(max, `at most ${max} characters`)

/** Spaces, hyphens and dots people type inside codes are not part of them. */
const code = (schema: z.ZodType<string, string>) =>
  z
    .string()
    .transform((s) => s.replace(/[\s.-]/g, '').toUpperCase())
    .pipe(z.union([z.literal(''), schema]))
    .transform((s) => (s === '' ? null : s))

const link = z
  .string()
  .trim()
  .max(500)
  .pipe(z.url({ protocol: /^https?$/, message: 'a link is an http(s) address' }))

/** Evidence an artist submits for verification. 400 by field when it does not validate. */
export const VerificationSubmissionSchema = z
  .object({
    legalName: text(200, 'your legal name'),
    artistName: text(200, 'the artist or label name'),
    contactName: text(200, 'the distributor or label'),
    contactEmail: z
      .string()
      .trim()
      .toLowerCase()
      .max(254)
      .pipe(z.email('enter the contact’s email address')),
    isni: code(IsniSchema).optional(),
    ipi: code(IpiSchema).optional(),
    isrcs: z.array(code(IsrcSchema)).max(200, 'at most 200 ISRCs').default([]),
    links: z.array(link).min(1, 'add at least one link to your releases').max(20),
    statement: z.object({
      name: text(200, 'your name to sign'),
      text: z.literal(RIGHTS_STATEMENT, {
        message: 'the statement is not the current one; reload the page',
      }),
      accepted: z.literal(true, { message: 'tick the box to sign the statement' }),
    }),
  })
  .transform((s) => ({
    ...s,
    isni: s.isni ?? null,
    ipi: s.ipi ?? null,
    isrcs: [...new Set(s.isrcs.filter((i): i is string => i !== null))],
  }))
  .superRefine((s, ctx) => {
    const norm = (n: string) => n.toLocaleLowerCase().replace(/\s+/g, ' ').trim()
    if (norm(s.statement.name) !== norm(s.legalName))
      ctx.addIssue({
        code: 'custom',
        path: ['statement', 'name'],
        message: 'sign with your legal name as entered above',
      })
  })
export type VerificationSubmission = z.output<typeof VerificationSubmissionSchema>
export type VerificationSubmissionInput = z.input<typeof VerificationSubmissionSchema>

/** A submitted request as the artist and admins see it. */
export type VerificationRequestView = {
  id: string
  submittedAt: string
  legalName: string
  artistName: string
  contactName: string
  contactEmail: string
  isni: string | null
  ipi: string | null
  isrcs: string[]
  links: string[]
  statement: { name: string; text: string; signedAt: string }
}

/** What a consent decision did. */
export type ConsentAction =
  | 'submit'
  | 'approve'
  | 'more_info'
  | 'refuse'
  | 'seed_verified'
  | 'suspend'
  | 'reinstate'
  | 'clear_match'
  | 'refuse_match'

/** One entry of the append-only consent log. */
export type ConsentLogEntry = {
  id: string
  at: string
  actorName: string
  action: ConsentAction
  userId: string
  requestId: string | null
  stemId: string | null
  matchedStemId: string | null
  reason: string | null
}

/** A fingerprint match of a stem against another campaign's stem, with names and time ranges. */
export type StemMatchView = {
  stem: {
    id: string
    name: string
    campaignId: string
    campaignTitle: string
    campaignSlug: string
  }
  matched: {
    id: string
    name: string
    campaignId: string
    campaignTitle: string
    campaignSlug: string
    artist: string
  }
  /** Seconds in the stem and in the matched stem. */
  stemStart: number
  stemEnd: number
  matchedStart: number
  matchedEnd: number
  strength: number
  status: 'open' | 'cleared' | 'refused'
  reason: string | null
  decidedAt: string | null
  /** "This recording matches “Voice” of “Copper Moons” by Halcyon Drift, 0:12–1:30 …" */
  words: string
}

/** An artist's own view: state, the reason of the last decision, the latest request, the log. */
export type ArtistVerificationView = {
  state: VerificationState
  suspended: boolean
  /** The reason of the decision that set the state (more_info, refused) or the suspension. */
  reason: string | null
  request: VerificationRequestView | null
  history: ConsentLogEntry[]
}

/** An artist as the admin console lists them. */
export type ArtistAccountView = {
  id: string
  email: string
  displayName: string
  state: VerificationState
  suspended: boolean
}

/** One entry of the admin's queue: the artist, their latest request and how many matches are open. */
export type VerificationQueueItem = {
  artist: ArtistAccountView
  request: VerificationRequestView | null
  openMatches: number
}

/** Everything the admin needs to decide on an artist. */
export type VerificationCase = {
  artist: ArtistAccountView
  request: VerificationRequestView | null
  matches: StemMatchView[]
  history: ConsentLogEntry[]
}

/** 0:12 — whole seconds, as a player shows them. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** The sentence the wizard and the admin queue show for a match. */
export function matchWords(m: Omit<StemMatchView, 'words'>): string {
  return (
    `This recording matches “${m.matched.name}” of “${m.matched.campaignTitle}” by ` +
    `${m.matched.artist}, ${clock(m.matchedStart)}–${clock(m.matchedEnd)} ` +
    `(${clock(m.stemStart)}–${clock(m.stemEnd)} of this file).`
  )
}

/** One reason a draft cannot be published, for the 422 and the wizard. */
export type PublishBlock = {
  code:
    | 'unverified'
    | 'verification_pending'
    | 'verification_more_info'
    | 'verification_refused'
    | 'artist_suspended'
    | 'match_open'
    | 'match_refused'
  message: string
  stemId?: string
}

/** What consent publishing depends on: the owner's standing and the matches on the draft's stems. */
export type ConsentInput = {
  state: VerificationState
  suspended: boolean
  reason: string | null
  matches: readonly Pick<StemMatchView, 'stem' | 'status' | 'words'>[]
}

/** Why a draft may not publish by consent, one sentence each; empty when nothing blocks it. */
export function publishBlocks(c: ConsentInput): PublishBlock[] {
  const blocks: PublishBlock[] = []
  const because = c.reason ? `: ${c.reason}` : '.'
  if (c.suspended)
    blocks.push({
      code: 'artist_suspended',
      message: `The artist account is suspended${because}`,
    })
  if (c.state === 'none')
    blocks.push({
      code: 'unverified',
      message:
        'Verification as a rights holder: submit who you are and sign the rights statement ' +
        '(Console › Verification).',
    })
  else if (c.state === 'pending')
    blocks.push({
      code: 'verification_pending',
      message: 'Verification is pending: an admin is reviewing your evidence.',
    })
  else if (c.state === 'more_info')
    blocks.push({
      code: 'verification_more_info',
      message: `Verification needs more information${because}`,
    })
  else if (c.state === 'refused')
    blocks.push({ code: 'verification_refused', message: `Verification was refused${because}` })
  for (const m of c.matches) {
    if (m.status === 'open')
      blocks.push({
        code: 'match_open',
        stemId: m.stem.id,
        message: `Stem “${m.stem.name}”: ${m.words} An admin must clear this match before publishing.`,
      })
    if (m.status === 'refused')
      blocks.push({
        code: 'match_refused',
        stemId: m.stem.id,
        message: `Stem “${m.stem.name}”: ${m.words} An admin refused this match: remove the stem to publish.`,
      })
  }
  return blocks
}
