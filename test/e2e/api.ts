// The API as e2e tests call it without a browser: JSON requests to the served app, the demo fan's
// session, and a saved demo remix (the export tests start from one).
import { inject } from 'vitest'
import type { RemixView } from '../../core/api/remixes.ts'
import { DEMO_FAN } from '../../scripts/demo-accounts.ts'
import { remixRecipe } from '../support/recipe.ts'

/** The demo campaign, and the demo licence's shortest export. */
export const DEMO_SLUG = 'copper-moons'
export const DEMO_EXPORT_SECONDS = 30

/** A JSON request to the served app; throws with the status and body when it is not 2xx. */
export async function api<T>(
  path: string,
  init: RequestInit & { cookie?: string } = {},
): Promise<T> {
  const res = await fetch(`${inject('baseUrl')}${path}`, {
    ...init,
    headers: { ...(init.cookie ? { Cookie: init.cookie } : {}), ...init.headers },
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/**
 * Logs the demo fan in and saves a remix of the demo's drums, bass and lead, as long as the
 * shortest export; returns the fan's session cookie and the remix.
 */
export async function saveDemoRemix(
  title: string,
  aiActions: Parameters<typeof remixRecipe>[0]['aiActions'] = [],
): Promise<{ cookie: string; remix: RemixView }> {
  const login = await fetch(`${inject('baseUrl')}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DEMO_FAN.email, password: DEMO_FAN.password }),
  })
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`)
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!
  const recipe = remixRecipe({
    campaign: DEMO_SLUG,
    stems: ['drums', 'bass', 'lead'],
    length: DEMO_EXPORT_SECONDS,
    region: { duration: DEMO_EXPORT_SECONDS, loops: 1 },
    aiActions,
  })
  const { remix } = await api<{ remix: RemixView }>('/api/remixes', {
    method: 'POST',
    cookie,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ campaign: DEMO_SLUG, title, recipe }),
  })
  return { cookie, remix }
}
