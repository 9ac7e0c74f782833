import type { UserView } from '../../core/api/users.ts'

export type UserRow = {
  id: string
  email: string
  display_name: string
  role: UserView['role']
  password_hash: string
  blocked_at: string | null
}

/** A user with the hash, for login only. */
export type UserWithHash = UserView & { passwordHash: string }

export function userFrom(row: UserRow): UserWithHash {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    passwordHash: row.password_hash,
  }
}

/** Strips the hash before a user leaves the worker. */
export function publicUser({ passwordHash: _, ...user }: UserWithHash): UserView {
  return user
}

/** A user who may log in (blocked users may not). */
export async function findUserByEmail(db: D1Database, email: string): Promise<UserWithHash | null> {
  const row = await db
    .prepare('SELECT * FROM users WHERE email = ?1 AND blocked_at IS NULL')
    .bind(email)
    .first<UserRow>()
  return row ? userFrom(row) : null
}

export async function findUserById(db: D1Database, id: string): Promise<UserWithHash | null> {
  const row = await db.prepare('SELECT * FROM users WHERE id = ?1').bind(id).first<UserRow>()
  return row ? userFrom(row) : null
}

/** Inserts a user; returns false when the email is taken (the UNIQUE constraint decides). */
export async function insertUser(db: D1Database, user: UserWithHash): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO users (id, email, display_name, role, password_hash, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (email) DO NOTHING`,
    )
    .bind(
      user.id,
      user.email,
      user.displayName,
      user.role,
      user.passwordHash,
      new Date().toISOString(),
    )
    .run()
  return result.meta.changes === 1
}
