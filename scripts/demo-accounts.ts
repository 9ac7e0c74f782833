// The demo's accounts, seeded locally (scripts/seed.ts) and used by the e2e tests and benches.
// Kept apart from the seed input so tests can import them without the worker's types.
import type { UserView } from '../core/api/users.ts'

/** A demo account: what the seed writes and what a test types into the login page. */
export type DemoAccount = {
  email: string
  displayName: string
  role: UserView['role']
  password: string
}

/** Local demo accounts; the README's local section lists them. Never seeded in production. */
export const DEMO_ARTIST: DemoAccount = {
  email: 'artist@stemfair.test',
  displayName: 'Halcyon Drift',
  role: 'artist',
  password: 'copper-moons-26',
}
export const DEMO_FAN: DemoAccount = {
  email: 'fan@stemfair.test',
  displayName: 'Demo Fan',
  role: 'fan',
  password: 'remix-it-all-26',
}
/** Reviews artists' verification requests and fingerprint matches (the admin console). */
export const DEMO_ADMIN: DemoAccount = {
  email: 'admin@stemfair.test',
  displayName: 'Stemfair Admin',
  role: 'admin',
  password: 'consent-first-26',
}
