import type { Context } from 'hono'
import type { AppEnv } from '../env.ts'
import { clientAddress } from '../http/client-address.ts'
import { keyedHash } from '../lib/hmac.ts'

/** The client's address as stored with an event: a keyed hash, never the address itself. */
export const addressTag = (c: Context<AppEnv>): Promise<string> =>
  keyedHash(c.env.SESSION_SECRET, 'event-address', clientAddress(c))
