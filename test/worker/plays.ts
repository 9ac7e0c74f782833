import { env } from 'cloudflare:test'
import { expect, vi } from 'vitest'
import { call } from './http.ts'
import { eventCount, untilForwarded } from './events.ts'

/** A listener as a browser would be one: the cookie the worker issued, from one address. */
export type Listener = { cookie: string; address: string }

const cookieFrom = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('sf_listener='))

/** Opens the share page as a new listener from `address`: the worker issues the cookie. */
export async function newListener(exportId: string, address: string): Promise<Listener> {
  const res = await call(`/api/share/${exportId}`, { headers: { 'CF-Connecting-IP': address } })
  expect(res.status).toBe(200)
  await res.arrayBuffer()
  const cookie = cookieFrom(res)
  expect(cookie).toBeDefined()
  return { cookie: cookie!, address }
}

export const headersOf = (l: Listener, extra: Record<string, string> = {}) => ({
  Cookie: l.cookie,
  'CF-Connecting-IP': l.address,
  ...extra,
})

export async function ticketFor(
  exportId: string,
  l: Listener,
): Promise<{ ticket: string; needSeconds: number }> {
  const res = await call(`/api/share/${exportId}/tickets`, {
    method: 'POST',
    headers: headersOf(l),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { ticket: string; needSeconds: number }
}

/** Fetches the share audio as the player does (whole, or one range), reading every byte. */
export async function listen(exportId: string, l: Listener, range?: string): Promise<number> {
  const res = await call(`/api/share/${exportId}/audio`, {
    headers: headersOf(l, range ? { Range: range } : {}),
  })
  expect([200, 206]).toContain(res.status)
  return (await res.arrayBuffer()).byteLength
}

export const redeem = (exportId: string, l: Listener, ticket: string) =>
  call(`/api/share/${exportId}/plays`, {
    method: 'POST',
    headers: headersOf(l, { 'Content-Type': 'application/json' }),
    body: JSON.stringify({ ticket }),
  })

/**
 * One honest play: ticket, the audio, the listening time, then the redemption (repeated while
 * the served bytes are still being recorded after the response, which the worker does in
 * `waitUntil`). Answers the redemption's response.
 */
export async function playThrough(exportId: string, l: Listener): Promise<Response> {
  const { ticket, needSeconds } = await ticketFor(exportId, l)
  await listen(exportId, l)
  await new Promise((r) => setTimeout(r, needSeconds * 1000 + 20))
  let res!: Response
  await vi.waitFor(
    async () => {
      res = await redeem(exportId, l, ticket)
      if (res.status === 409) {
        const body = (await res.clone().json()) as { error: { code: string } }
        expect(body.error.code).not.toBe('not_enough_audio')
      }
    },
    { timeout: 5000, interval: 50 },
  )
  return res
}

/** The per-day counts of an export's events of `type`, once the queue consumer caught up. */
export async function countsOf(
  exportId: string,
  type: 'play' | 'download' | 'export',
): Promise<{ counted: number; held: number }> {
  const row = await env.DB.prepare(
    `SELECT COALESCE(SUM(counted), 0) AS counted, COALESCE(SUM(held), 0) AS held
     FROM daily_counts WHERE export_id = ?1 AND type = ?2`,
  )
    .bind(exportId, type)
    .first<{ counted: number; held: number }>()
  return row!
}

/** Raw rows of an export's events of `type`. */
export async function rowsOf(exportId: string, type: string): Promise<number> {
  return eventCount('export_id = ?1 AND type = ?2', exportId, type)
}

/** Waits until the consumer wrote `n` events of `type` for an export (counted and held) and forwarded their counts. */
export async function untilWritten(exportId: string, type: 'play' | 'download', n: number) {
  await vi.waitFor(async () => expect(await rowsOf(exportId, type)).toBe(n), {
    timeout: 30_000,
    interval: 100,
  })
  await untilForwarded()
}
