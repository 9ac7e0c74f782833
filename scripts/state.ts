// Where local D1/R2/Queues state lives: .wrangler/state by default, another folder for tests.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

process.env.WRANGLER_SEND_METRICS ??= 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

export const root = fileURLToPath(new URL('..', import.meta.url))

/** The persistence folder shared by vite (Cloudflare plugin), wrangler and the seed. */
export const statePath = process.env.STEMFAIR_STATE ?? `${root}.wrangler/state`

/** Local secrets, each a fresh random value the first time `.dev.vars` lacks it. */
const DEV_SECRETS = ['SESSION_SECRET', 'WATERMARK_KEY', 'SIGNING_KEY'] as const

/** A fresh value of a local secret: random hex, or for SIGNING_KEY a private Ed25519 JWK (quoted). */
function freshSecret(name: (typeof DEV_SECRETS)[number]): string {
  if (name !== 'SIGNING_KEY') return randomBytes(32).toString('hex')
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
  return `'${JSON.stringify(jwk)}'`
}

/** Creates .dev.vars, or adds to it, so it holds every local secret; never changes one. */
export function ensureDevVars(): void {
  const file = `${root}.dev.vars`
  const current = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const missing = DEV_SECRETS.filter((name) => !new RegExp(`^${name}=`, 'm').test(current))
  if (!missing.length) return
  const lines = missing.map((name) => `${name}=${freshSecret(name)}\n`)
  appendFileSync(file, (current && !current.endsWith('\n') ? '\n' : '') + lines.join(''))
  console.log(`Wrote a fresh local ${missing.join(' and ')} to .dev.vars`)
}
