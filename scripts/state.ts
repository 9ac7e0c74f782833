// Where local D1/R2/Queues state lives: .wrangler/state by default, another folder for tests.
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))

/** The persistence folder shared by vite (Cloudflare plugin), wrangler and the seed. */
export const statePath = process.env.STEMFAIR_STATE ?? `${root}.wrangler/state`
