import { exports } from 'cloudflare:workers'

/** A request to the worker's own fetch handler, as a client would send it. */
export const call = (path: string, init?: RequestInit) =>
  exports.default.fetch(`http://x${path}`, init)

/** The session cookie a response sets, ready for a `Cookie` header. */
export const cookieOf = (res: Response) => res.headers.get('Set-Cookie')!.split(';')[0]!

/** Request options with a JSON body, signed in when a cookie is given. */
export const json = (body: unknown, cookie?: string): RequestInit => ({
  headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
  body: JSON.stringify(body),
})

/** Logs in through the real route and answers the session cookie. */
export async function login(email: string, password: string): Promise<string> {
  return cookieOf(await call('/api/auth/login', { method: 'POST', ...json({ email, password }) }))
}

/** Asks the worker to export a saved remix version as the studio does: JSON and a fresh key. */
export const requestExport = (
  remix: string,
  version: number,
  cookie?: string,
  key: string = crypto.randomUUID(),
) =>
  call('/api/exports', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Idempotency-Key': key,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: JSON.stringify({ remix, version }),
  })
