// Where local D1/R2/Queues state lives: .wrangler/state by default, another folder for tests.
import { randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

process.env.WRANGLER_SEND_METRICS ??= 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

export const root = fileURLToPath(new URL('..', import.meta.url))

/** The persistence folder shared by vite (Cloudflare plugin), wrangler and the seed. */
export const statePath = process.env.STEMFAIR_STATE ?? `${root}.wrangler/state`

/** Creates .dev.vars with a random local SESSION_SECRET unless it exists. */
export function ensureDevVars(): void {
  const file = `${root}.dev.vars`
  if (existsSync(file)) return
  writeFileSync(file, `SESSION_SECRET=${randomBytes(32).toString('hex')}\n`)
  console.log('Wrote .dev.vars with a fresh local SESSION_SECRET')
}
