import type {
  ArtistAccountView,
  ArtistVerificationView,
  ConsentAction,
  ConsentLogEntry,
  StemMatchView,
  VerificationQueueItem,
  VerificationRequestView,
  VerificationState,
  VerificationSubmission,
} from '../../core/consent/verification.ts'

/** Who acts: the signed-in user (null for the seed). */
export type ConsentActor = { id: string | null; name: string }

type StandingRow = {
  id: string
  email: string
  display_name: string
  role: string
  verification: VerificationState
  suspended_at: string | null
}

type RequestRow = {
  id: string
  user_id: string
  submitted_at: string
  legal_name: string
  artist_name: string
  contact_name: string
  contact_email: string
  isni: string | null
  ipi: string | null
  isrcs: string
  links: string
  statement_name: string
  statement_text: string
  statement_signed_at: string
}

type LogRow = {
  id: string
  at: string
  actor_name: string
  action: ConsentAction
  user_id: string
  request_id: string | null
  stem_id: string | null
  matched_stem_id: string | null
  reason: string | null
}

type MatchRow = {
  stem_id: string
  stem_name: string
  campaign_id: string
  campaign_title: string
  campaign_slug: string
  matched_stem_id: string
  matched_name: string | null
  matched_campaign_id: string
  matched_campaign_title: string | null
  matched_campaign_slug: string | null
  matched_artist: string | null
  stem_start: number
  stem_end: number
  matched_start: number
  matched_end: number
  strength: number
  status: StemMatchView['status']
  reason: string | null
  decided_at: string | null
}

function accountFrom(row: StandingRow): ArtistAccountView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    state: row.verification,
    suspended: row.suspended_at !== null,
  }
}

function requestFrom(row: RequestRow): VerificationRequestView {
  return {
    id: row.id,
    submittedAt: row.submitted_at,
    legalName: row.legal_name,
    artistName: row.artist_name,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    isni: row.isni,
    ipi: row.ipi,
    isrcs: JSON.parse(row.isrcs) as string[],
    links: JSON.parse(row.links) as string[],
    statement: {
      name: row.statement_name,
      text: row.statement_text,
      signedAt: row.statement_signed_at,
    },
  }
}

function logFrom(row: LogRow): ConsentLogEntry {
  return {
    id: row.id,
    at: row.at,
    actorName: row.actor_name,
    action: row.action,
    userId: row.user_id,
    requestId: row.request_id,
    stemId: row.stem_id,
    matchedStemId: row.matched_stem_id,
    reason: row.reason,
  }
}

/** A match as stored: every fact of the view but its sentence (worker/views/consent.ts adds it). */
export type MatchFacts = Omit<StemMatchView, 'words'>

function matchFrom(row: MatchRow): MatchFacts {
  return {
    stem: {
      id: row.stem_id,
      name: row.stem_name,
      campaignId: row.campaign_id,
      campaignTitle: row.campaign_title,
      campaignSlug: row.campaign_slug,
    },
    matched: {
      id: row.matched_stem_id,
      name: row.matched_name ?? 'a protected recording',
      campaignId: row.matched_campaign_id,
      campaignTitle: row.matched_campaign_title ?? 'a protected recording',
      campaignSlug: row.matched_campaign_slug ?? '',
      artist: row.matched_artist ?? 'its rights holder',
    },
    stemStart: row.stem_start,
    stemEnd: row.stem_end,
    matchedStart: row.matched_start,
    matchedEnd: row.matched_end,
    strength: row.strength,
    status: row.status,
    reason: row.reason,
    decidedAt: row.decided_at,
  }
}

/** An artist's account standing, or null for no such user. */
export async function findStanding(db: D1Database, userId: string) {
  const row = await db
    .prepare(
      'SELECT id, email, display_name, role, verification, suspended_at FROM users WHERE id = ?1',
    )
    .bind(userId)
    .first<StandingRow>()
  return row ? { ...accountFrom(row), role: row.role } : null
}

/** The reason the artist's current state was given (the last decision or suspension). */
export async function currentReason(db: D1Database, userId: string): Promise<string | null> {
  const { results } = await db
    .prepare(
      `SELECT action, reason FROM consent_log
       WHERE user_id = ?1 AND action IN ('submit', 'approve', 'more_info', 'refuse', 'seed_verified',
         'suspend', 'reinstate')
       ORDER BY rowid DESC`,
    )
    .bind(userId)
    .all<{ action: ConsentAction; reason: string | null }>()
  const suspension = results.find((r) => r.action === 'suspend' || r.action === 'reinstate')
  if (suspension?.action === 'suspend') return suspension.reason
  const decision = results.find((r) => r.action !== 'suspend' && r.action !== 'reinstate')
  return decision && (decision.action === 'more_info' || decision.action === 'refuse')
    ? decision.reason
    : null
}

export async function latestRequest(db: D1Database, userId: string) {
  const row = await db
    .prepare(
      'SELECT * FROM verification_requests WHERE user_id = ?1 ORDER BY submitted_at DESC, rowid DESC LIMIT 1',
    )
    .bind(userId)
    .first<RequestRow>()
  return row ? requestFrom(row) : null
}

/** The consent log, oldest first: of one artist, or all of it when `userId` is null. */
export async function listConsentLog(
  db: D1Database,
  userId: string | null,
): Promise<ConsentLogEntry[]> {
  const { results } = await db
    .prepare('SELECT * FROM consent_log WHERE ?1 IS NULL OR user_id = ?1 ORDER BY rowid')
    .bind(userId)
    .all<LogRow>()
  return results.map(logFrom)
}

/** What an artist sees of their own verification. */
export async function artistVerification(
  db: D1Database,
  userId: string,
): Promise<ArtistVerificationView> {
  const [standing, request, reason, history] = await Promise.all([
    findStanding(db, userId),
    latestRequest(db, userId),
    currentReason(db, userId),
    listConsentLog(db, userId),
  ])
  return {
    state: standing?.state ?? 'none',
    suspended: standing?.suspended ?? false,
    reason,
    request,
    history,
  }
}

const at = () => new Date().toISOString()

/**
 * Stores the evidence and logs the submission in one transaction, only while the artist may
 * submit (no request pending, not verified). Answers the request id, or null when refused.
 */
export async function submitVerification(
  db: D1Database,
  artist: { id: string; name: string },
  s: VerificationSubmission,
): Promise<string | null> {
  const id = crypto.randomUUID()
  const now = at()
  await db.batch([
    db
      .prepare(
        `INSERT INTO verification_requests (id, user_id, submitted_at, legal_name, artist_name,
           contact_name, contact_email, isni, ipi, isrcs, links, statement_name, statement_text,
           statement_signed_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?3 FROM users
         WHERE id = ?2 AND role = 'artist' AND verification IN ('none', 'more_info', 'refused')`,
      )
      .bind(
        id,
        artist.id,
        now,
        s.legalName,
        s.artistName,
        s.contactName,
        s.contactEmail,
        s.isni,
        s.ipi,
        JSON.stringify(s.isrcs),
        JSON.stringify(s.links),
        s.statement.name,
        s.statement.text,
      ),
    db
      .prepare(
        `INSERT INTO consent_log (id, at, actor_id, actor_name, action, user_id, request_id)
         SELECT ?1, ?2, ?3, ?4, 'submit', ?3, ?5
         WHERE EXISTS (SELECT 1 FROM verification_requests WHERE id = ?5)`,
      )
      .bind(crypto.randomUUID(), now, artist.id, artist.name, id),
  ])
  const stored = await db
    .prepare('SELECT 1 FROM verification_requests WHERE id = ?1')
    .bind(id)
    .first()
  return stored ? id : null
}

/** The artists admins review, newest request first; filtered by state unless `state` is null. */
export async function listVerificationQueue(
  db: D1Database,
  state: VerificationState | null,
): Promise<VerificationQueueItem[]> {
  const { results } = await db
    .prepare(
      `SELECT u.id, u.email, u.display_name, u.role, u.verification, u.suspended_at,
         (SELECT r.id FROM verification_requests r WHERE r.user_id = u.id
            ORDER BY r.submitted_at DESC, r.rowid DESC LIMIT 1) AS request_id,
         (SELECT MAX(r.submitted_at) FROM verification_requests r WHERE r.user_id = u.id) AS latest,
         (SELECT COUNT(*) FROM stem_matches m JOIN stems s ON s.id = m.stem_id
            JOIN campaigns c ON c.id = s.campaign_id
            WHERE c.owner_id = u.id AND m.status = 'open') AS open_matches
       FROM users u
       WHERE u.role = 'artist' AND (?1 IS NULL OR u.verification = ?1)
       ORDER BY latest IS NULL, latest DESC, u.display_name`,
    )
    .bind(state)
    .all<StandingRow & { request_id: string | null; open_matches: number }>()
  const requests = await Promise.all(
    results.map((r) =>
      r.request_id
        ? db
            .prepare('SELECT * FROM verification_requests WHERE id = ?1')
            .bind(r.request_id)
            .first<RequestRow>()
        : null,
    ),
  )
  return results.map((r, i) => ({
    artist: accountFrom(r),
    request: requests[i] ? requestFrom(requests[i]) : null,
    openMatches: r.open_matches,
  }))
}

const MATCH_SELECT = `SELECT m.stem_id, s.name AS stem_name, c.id AS campaign_id,
    c.title AS campaign_title, c.slug AS campaign_slug, m.matched_stem_id,
    ms.name AS matched_name, m.matched_campaign_id, mc.title AS matched_campaign_title,
    mc.slug AS matched_campaign_slug, mc.artist AS matched_artist, m.stem_start, m.stem_end,
    m.matched_start, m.matched_end, m.strength, m.status, m.reason, m.decided_at
  FROM stem_matches m
  JOIN stems s ON s.id = m.stem_id
  JOIN campaigns c ON c.id = s.campaign_id
  LEFT JOIN stems ms ON ms.id = m.matched_stem_id
  LEFT JOIN campaigns mc ON mc.id = m.matched_campaign_id`

/** Fingerprint matches on one campaign's stems, by stem position then time. */
export async function listCampaignMatches(
  db: D1Database,
  campaignId: string,
): Promise<MatchFacts[]> {
  const { results } = await db
    .prepare(`${MATCH_SELECT} WHERE c.id = ?1 ORDER BY s.position, m.stem_start`)
    .bind(campaignId)
    .all<MatchRow>()
  return results.map(matchFrom)
}

/** Matches on stems of an artist's campaigns, or every match (by status) when `ownerId` is null. */
export async function listMatches(
  db: D1Database,
  filter: { ownerId: string | null; status: StemMatchView['status'] | null },
): Promise<MatchFacts[]> {
  const { results } = await db
    .prepare(
      `${MATCH_SELECT} WHERE (?1 IS NULL OR c.owner_id = ?1) AND (?2 IS NULL OR m.status = ?2)
       ORDER BY m.created_at DESC, s.position, m.stem_start`,
    )
    .bind(filter.ownerId, filter.status)
    .all<MatchRow>()
  return results.map(matchFrom)
}

/** One match, or null. */
export async function findMatch(db: D1Database, stemId: string, matchedStemId: string) {
  const row = await db
    .prepare(`${MATCH_SELECT} WHERE m.stem_id = ?1 AND m.matched_stem_id = ?2`)
    .bind(stemId, matchedStemId)
    .first<MatchRow>()
  return row ? matchFrom(row) : null
}

/** Appends one log entry when `condition` (SQL over the bound parameters) holds; true if it did. */
async function appendWhen(
  db: D1Database,
  entry: {
    actor: ConsentActor
    action: ConsentAction
    userId: string
    requestId?: string | null
    stemId?: string | null
    matchedStemId?: string | null
    reason?: string | null
  },
  condition: string,
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO consent_log (id, at, actor_id, actor_name, action, user_id, request_id, stem_id,
         matched_stem_id, reason)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE ${condition}`,
    )
    .bind(
      crypto.randomUUID(),
      at(),
      entry.actor.id,
      entry.actor.name,
      entry.action,
      entry.userId,
      entry.requestId ?? null,
      entry.stemId ?? null,
      entry.matchedStemId ?? null,
      entry.reason ?? null,
    )
    .run()
  return result.meta.changes > 0
}

/**
 * An admin's decision on a request: only on the artist's latest request while it is pending, so
 * a replay or a second admin deciding at the same time changes nothing. Answers whether it did.
 */
export async function decideVerification(
  db: D1Database,
  p: {
    actor: ConsentActor
    requestId: string
    userId: string
    action: 'approve' | 'more_info' | 'refuse'
    reason: string | null
  },
): Promise<boolean> {
  return appendWhen(
    db,
    { ...p },
    `EXISTS (SELECT 1 FROM users WHERE id = ?6 AND verification = 'pending')
     AND ?7 = (SELECT id FROM verification_requests WHERE user_id = ?6
               ORDER BY submitted_at DESC, rowid DESC LIMIT 1)`,
  )
}

/** The request's owner, or null for no such request. */
export async function requestOwner(db: D1Database, requestId: string): Promise<string | null> {
  return db
    .prepare('SELECT user_id FROM verification_requests WHERE id = ?1')
    .bind(requestId)
    .first<string>('user_id')
}

/** Suspends or reinstates an artist; false when they already are (a replay changes nothing). */
export async function setSuspension(
  db: D1Database,
  p: {
    actor: ConsentActor
    userId: string
    action: 'suspend' | 'reinstate'
    reason: string | null
  },
): Promise<boolean> {
  const want = p.action === 'suspend' ? 'suspended_at IS NULL' : 'suspended_at IS NOT NULL'
  return appendWhen(
    db,
    p,
    `EXISTS (SELECT 1 FROM users WHERE id = ?6 AND role = 'artist' AND ${want})`,
  )
}

/** Clears or refuses an open match; false when it was already decided. */
export async function decideMatch(
  db: D1Database,
  p: {
    actor: ConsentActor
    stemId: string
    matchedStemId: string
    userId: string
    action: 'clear_match' | 'refuse_match'
    reason: string | null
  },
): Promise<boolean> {
  return appendWhen(
    db,
    p,
    `EXISTS (SELECT 1 FROM stem_matches WHERE stem_id = ?8 AND matched_stem_id = ?9
       AND status = 'open')`,
  )
}

/** The owner of the campaign a stem belongs to, or null for no such stem. */
export async function stemOwner(db: D1Database, stemId: string): Promise<string | null> {
  return db
    .prepare(
      'SELECT c.owner_id FROM stems s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?1',
    )
    .bind(stemId)
    .first<string>('owner_id')
}

/** Seeded demo artists are verified, with a log entry that says so; false when they already were. */
export async function seedVerified(db: D1Database, userId: string): Promise<boolean> {
  return appendWhen(
    db,
    { actor: { id: null, name: 'seed (local demo)' }, action: 'seed_verified', userId },
    `EXISTS (SELECT 1 FROM users WHERE id = ?6 AND verification != 'verified')`,
  )
}
