import type { UserRow } from './users.ts'

/** A live session's user, with when the session was last seen (seconds since the epoch). */
export type SessionUserRow = UserRow & { last_seen_at: number }

export async function insertSession(
  db: D1Database,
  s: { id: string; userId: string; now: number; expiresAt: number },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at)
       VALUES (?1, ?2, ?3, ?3, ?4)`,
    )
    .bind(s.id, s.userId, s.now, s.expiresAt)
    .run()
}

/** The user of a session that is not revoked, not past its absolute or idle expiry, not blocked. */
export async function findSessionUser(
  db: D1Database,
  id: string,
  now: number,
  idleSeconds: number,
): Promise<SessionUserRow | null> {
  return db
    .prepare(
      `SELECT u.*, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2 AND s.last_seen_at > ?2 - ?3
         AND u.blocked_at IS NULL`,
    )
    .bind(id, now, idleSeconds)
    .first<SessionUserRow>()
}

/** Moves the idle clock forward (at most once per `every` seconds, so most requests write nothing). */
export async function touchSession(db: D1Database, id: string, now: number, every: number) {
  await db
    .prepare('UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1 AND last_seen_at <= ?2 - ?3')
    .bind(id, now, every)
    .run()
}

export async function revokeSession(db: D1Database, id: string, now: number): Promise<void> {
  await db
    .prepare('UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL')
    .bind(id, now)
    .run()
}

const revokeAll = (db: D1Database, userId: string, now: number) =>
  db
    .prepare('UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL')
    .bind(userId, now)

/** A new password hash and every session of the user revoked, in one transaction. */
export async function changePassword(
  db: D1Database,
  userId: string,
  passwordHash: string,
  now: number,
): Promise<void> {
  await db.batch([
    db.prepare('UPDATE users SET password_hash = ?2 WHERE id = ?1').bind(userId, passwordHash),
    revokeAll(db, userId, now),
  ])
}

/** Blocks a user and revokes their sessions, in one transaction; false if there is no such user. */
export async function blockUser(db: D1Database, userId: string, now: number): Promise<boolean> {
  const [blocked] = await db.batch([
    db
      .prepare('UPDATE users SET blocked_at = COALESCE(blocked_at, ?2) WHERE id = ?1')
      .bind(userId, new Date(now * 1000).toISOString()),
    revokeAll(db, userId, now),
  ])
  return blocked!.meta.changes === 1
}
