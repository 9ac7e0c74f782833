import { z } from 'zod'
import { base64urlOf } from '../../core/lib/crypto.ts'
import { PLAY_SECONDS, TICKET_GRACE_SECONDS } from './caps.ts'
import { seal, unseal } from '../lib/hmac.ts'

/** What a ticket's HMAC key is derived for (worker/events/hmac.ts). */
export const TICKET_PURPOSE = 'play-ticket'

/** What a play ticket binds: one listener, one export, when it was issued, what must be heard. */
const TicketSchema = z.object({
  t: z.string().regex(/^[A-Za-z0-9_-]{16}$/), // ticket id
  e: z.string().regex(/^[0-9a-f]{16}$/), // export
  r: z.string().min(1).max(100), // remix
  k: z.string().min(1).max(100), // campaign
  l: z.string().min(1).max(64), // listener
  iat: z.number().int(), // issued, ms since the epoch
  need: z.number().positive(), // seconds of playback
  bytes: z.number().int().nonnegative(), // bytes of audio the worker must have served
})
export type Ticket = z.infer<typeof TicketSchema>

export type TicketProblem = 'ticket_invalid' | 'ticket_expired' | 'ticket_mismatch' | 'too_early'

/** Seconds of playback a remix of `seconds` needs to count, and the bytes of its `size`-byte MP3. */
export function requirement(seconds: number, size: number): { need: number; bytes: number } {
  const need = Math.min(PLAY_SECONDS, seconds)
  return { need, bytes: Math.min(size, Math.ceil((size * need) / Math.max(seconds, 1e-9))) }
}

export async function issueTicket(
  secret: string,
  t: Omit<Ticket, 't' | 'iat'>,
): Promise<{ ticket: string; payload: Ticket }> {
  const payload = {
    ...t,
    t: base64urlOf(crypto.getRandomValues(new Uint8Array(12))),
    iat: Date.now(),
  }
  return { ticket: await seal(secret, TICKET_PURPOSE, JSON.stringify(payload)), payload }
}

/** When the ticket stops being accepted (ms). */
export const expiryOf = (t: Ticket) => t.iat + (t.need + TICKET_GRACE_SECONDS) * 1000

/**
 * The ticket if it is ours, unexpired, for this export and listener, and old enough for the
 * listening it stands for; otherwise what is wrong with it.
 */
export async function checkTicket(
  secret: string,
  token: string,
  expect: { exportId: string; listener: string | null; now: number },
): Promise<Ticket | TicketProblem> {
  const text = await unseal(secret, TICKET_PURPOSE, token)
  if (text === null) return 'ticket_invalid'
  let parsed
  try {
    parsed = TicketSchema.safeParse(JSON.parse(text))
  } catch {
    return 'ticket_invalid'
  }
  if (!parsed.success) return 'ticket_invalid'
  const t = parsed.data
  if (expect.now > expiryOf(t)) return 'ticket_expired'
  if (t.e !== expect.exportId || t.l !== expect.listener) return 'ticket_mismatch'
  if (expect.now - t.iat < t.need * 1000) return 'too_early'
  return t
}
