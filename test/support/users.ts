/**
 * The users the worker tests seed: one builder, and the users several test files share. A user's
 * email and password come from its handle, so a test signs in with the same object it seeded.
 */
import type { UserView } from '../../core/api/users.ts'

/**
 * A user as `seedCampaign` takes it (worker/seed.ts's `SeedUser`, by shape: this folder is also
 * type-checked without the Workers types that module needs).
 */
export type SeedUser = {
  email: string
  displayName: string
  role: UserView['role']
  password: string
}

/** `Artist B` from `artist-b`. */
const titleOf = (handle: string) =>
  handle
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ')

/**
 * A user to seed: `${handle}@example.test`, password `${handle}-password-1`, named after the
 * handle; `overrides` replaces any of these.
 */
export function seedUser(
  handle: string,
  role: SeedUser['role'],
  overrides: Partial<SeedUser> = {},
): SeedUser {
  return {
    email: `${handle}@example.test`,
    displayName: titleOf(handle),
    role,
    password: `${handle}-password-1`,
    ...overrides,
  }
}

/** An admin, for moderation, consent and account actions. */
export const ADMIN = seedUser('admin', 'admin')

/** A second artist, who owns nothing of the demo campaign's. */
export const ARTIST_B = seedUser('artist-b', 'artist')
