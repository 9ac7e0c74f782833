import { DurableObject } from 'cloudflare:workers'
import type { Bindings } from '../env.ts'
import type { EventMessage } from './event.ts'
import { addInterval, covered, type Intervals } from './intervals.ts'
import { flush, RETRY_MS, stage } from './outbox.ts'

export type Redemption = 'ok' | 'ticket_used' | 'not_enough_audio' | 'rate_limited'

/** Redemption attempts one listener may make a minute (a replay loop, not a player, reaches it). */
export const REDEEM_LIMIT = { limit: 60, windowSeconds: 60 }

/** The redemption window `now` (ms) falls in, and the seconds until the next one. */
export function redeemWindow(now: number): { window: number; retryAfter: number } {
  const seconds = Math.floor(now / 1000)
  return {
    window: Math.floor(seconds / REDEEM_LIMIT.windowSeconds),
    retryAfter: REDEEM_LIMIT.windowSeconds - (seconds % REDEEM_LIMIT.windowSeconds),
  }
}

/** What the object keeps of one export's listening: bytes served since the last counted play. */
type Listening = { served: Intervals; redeemedAt: number }

/**
 * One anonymous listener's audio and tickets (a Durable Object per listener id, so every check
 * and change below is one atomic step: a Durable Object runs one call at a time).
 * - `l:<export>`: bytes of the export's audio served to this listener since its last counted play,
 *   and the issue time of the ticket that counted it: a ticket issued no later is refused, so a
 *   replay needs no per-ticket key, no expiry sweep and no alarm;
 * - `d:<export>:<format>` / `dd:<export>`: bytes of a download served, and the day it last completed;
 * - `o:<event id>`: the outbox (worker/events/outbox.ts). A counted play or download is staged in
 *   the same commit that decides it and sent to the events queue from here, so the request waits
 *   for one round trip and no event is lost between the decision and the queue.
 */
export class ListenerLedger extends DurableObject<Bindings> {
  /** This minute's redemption attempts: kept in memory only, a lost count merely restarts it. */
  private window = { start: 0, count: 0 }

  private get kv() {
    return this.ctx.storage.kv
  }

  private listening(exportId: string): Listening {
    return this.kv.get<Listening>(`l:${exportId}`) ?? { served: [], redeemedAt: 0 }
  }

  /** Records that the worker served [start, end) of an export's share audio to this listener. */
  served(exportId: string, start: number, end: number): void {
    const l = this.listening(exportId)
    this.kv.put(`l:${exportId}`, { ...l, served: addInterval(l.served, start, end) })
  }

  /** Sends the outbox now, after the answer; the alarm set when staging covers a send cut short. */
  private send(): void {
    void flush(this.ctx.storage, this.env.EVENTS)
  }

  /** The outbox's retry: what the first send did not deliver. */
  override async alarm(): Promise<void> {
    if (!(await flush(this.ctx.storage, this.env.EVENTS)))
      await this.ctx.storage.setAlarm(Date.now() + RETRY_MS)
  }

  /**
   * Redeems a ticket issued at `issuedAt` for the play `event`: refused when this listener redeems
   * too often, when a ticket issued no earlier was redeemed for this export, or when less than
   * `bytes` of the audio was served; otherwise one commit marks it used, starts the next play from
   * zero bytes and stages the event, which is on its way to the queue once this answers.
   */
  redeem(issuedAt: number, bytes: number, event: EventMessage): Redemption {
    const { window } = redeemWindow(Date.now())
    if (this.window.start !== window) this.window = { start: window, count: 0 }
    if (++this.window.count > REDEEM_LIMIT.limit) return 'rate_limited'
    const l = this.listening(event.exportId)
    if (issuedAt <= l.redeemedAt) return 'ticket_used'
    if (covered(l.served) < bytes) return 'not_enough_audio'
    this.kv.put(`l:${event.exportId}`, { served: [], redeemedAt: issuedAt })
    stage(this.ctx.storage, event)
    this.send()
    return 'ok'
  }

  /**
   * Records [start, end) of a `format` download served; when this completes the whole file
   * (`size` bytes) for the first time on the event's day, stages `event` — the download to count —
   * and answers true.
   */
  downloaded(format: string, start: number, end: number, size: number, event: EventMessage): boolean {
    const key = `d:${event.exportId}:${format}`
    const list = addInterval(this.kv.get<Intervals>(key) ?? [], start, end)
    if (covered(list) < size) {
      this.kv.put(key, list)
      return false
    }
    this.kv.delete(key)
    const done = `dd:${event.exportId}`
    const day = event.occurredAt.slice(0, 10)
    if (this.kv.get(done) === day) return false
    this.kv.put(done, day)
    stage(this.ctx.storage, event)
    this.send()
    return true
  }
}
