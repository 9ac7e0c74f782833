// Who may see or change a thing that belongs to someone: the one home of that rule. A fan's
// remixes and exports are theirs alone; a campaign, and what hangs off it (its uploads, reports,
// moderation), is its artist's, and admins may act on every campaign.
import type { UserView } from '../../core/api/users.ts'
import { DomainError } from '../../core/errors.ts'

/** Whether the user (if any) is the owner. An unknown owner (null) is nobody's. */
export const owns = (user: UserView | null, ownerId: string | null): boolean =>
  user !== null && ownerId !== null && user.id === ownerId

/** Whether the user (if any) is the owner or an admin. */
export const ownsOrAdmin = (user: UserView | null, ownerId: string | null): boolean =>
  owns(user, ownerId) || user?.role === 'admin'

/** The owner filter of a list: null (everyone's) for an admin, else the user's own. */
export const ownerScope = (user: UserView): string | null =>
  user.role === 'admin' ? null : user.id

/** What a refused load answers: 404 with `notFound`, 403 with `forbidden`. */
export type Refusals = { notFound: string; forbidden: string }

type Owned = { owner_id: string }

function loaded<R extends Owned>(
  row: R | null | undefined,
  allowed: (row: R) => boolean,
  refusals: Refusals,
): R {
  if (!row) throw new DomainError('not_found', refusals.notFound)
  if (!allowed(row)) throw new DomainError('forbidden', refusals.forbidden)
  return row
}

/** The row if the user owns it: 404 when it is missing, 403 when it is someone else's. */
export const ownedBy = <R extends Owned>(
  row: R | null | undefined,
  user: UserView,
  refusals: Refusals,
): R => loaded(row, (r) => owns(user, r.owner_id), refusals)

/** The row if the user owns it or is an admin: 404 when it is missing, 403 otherwise. */
export const ownedOrAdmin = <R extends Owned>(
  row: R | null | undefined,
  user: UserView,
  refusals: Refusals,
): R => loaded(row, (r) => ownsOrAdmin(user, r.owner_id), refusals)
