import { DurableObject } from 'cloudflare:workers'
import type { Bindings } from '../env.ts'
import type { EventMessage } from './event.ts'
import { addInterval, covered, type Intervals } from './intervals.ts'
import { flush, RETRY_MS, stage } from './outbox.ts'

export type Redemption = 'ok' | 'ticket_used' | 'not_enough_audio' | 'rate_limited'

/** Redemption attempts one listener may make a minute (a replay loop, not a player, reaches it). */
export const REDEEM_LIMIT = { limit: 60, windowSeconds: 60 }

/**
 * Ledger objects the listeners are spread over. Each holds many listeners, so it stays warm and
 * sends their events to the queue together; 256 objects carry far more than 10 000 plays/s
 * (a Durable Object serves about 1 000 calls/s).
 */
export const LEDGER_SHARDS = 256

/** The redemption window `now` (ms) falls in, and the seconds until the next one. */
export function redeemWindow(now: number): { window: number; retryAfter: number } {
  const seconds = Math.floor(now / 1000)
  return {
    window: Math.floor(seconds / REDEEM_LIMIT.windowSeconds),
    retryAfter: REDEEM_LIMIT.windowSeconds - (seconds % REDEEM_LIMIT.windowSeconds),
  }
}

/** The ledger object that holds `listener` (a random id the worker issued: any hash spreads it). */
export function ledgerOf(
  ns: DurableObjectNamespace<ListenerLedger>,
  listener: string,
): DurableObjectStub<ListenerLedger> {
  let h = 0
  for (let i = 0; i < listener.length; i++) h = (Math.imul(h, 31) + listener.charCodeAt(i)) >>> 0
  return ns.get(ns.idFromName(`ledger-${h % LEDGER_SHARDS}`))
}

/** What the object keeps of one export's listening: bytes served since the last counted play. */
type Listening = { served: Intervals; redeemedAt: number }

/**
 * The audio and tickets of the anonymous listeners of one shard (ledgerOf). A Durable Object runs
 * one call at a time, so every check and change below is one atomic step.
 * - `l:<listener>:<export>`: bytes of the export's audio served to the listener since its last
 *   counted play, and the issue time of the ticket that counted it: a ticket issued no later is
 *   refused, so a replay needs no per-ticket key and no expiry sweep;
 * - `d:<listener>:<export>:<format>` / `dd:<listener>:<export>`: bytes of a download served, and
 *   the day it last completed;
 * - `o:<event id>`: the outbox (worker/events/outbox.ts). A counted play or download is staged in
 *   the same commit that decides it and sent to the events queue from here, so the request waits
 *   for one round trip and no event is lost between the decision and the queue.
 */
export class ListenerLedger extends DurableObject<Bindings> {
  /** This minute's redemption attempts per listener: in memory only, a lost count restarts. */
  private window = { start: 0, counts: new Map<string, number>() }
  /** The outbox send under way, and whether events were staged since it started. */
  private sending: Promise<void> | null = null
  private again = false

  private get kv() {
    return this.ctx.storage.kv
  }

  private listening(key: string): Listening {
    return this.kv.get<Listening>(key) ?? { served: [], redeemedAt: 0 }
  }

  /** Records that the worker served [start, end) of an export's share audio to `listener`. */
  served(listener: string, exportId: string, start: number, end: number): void {
    const key = `l:${listener}:${exportId}`
    const l = this.listening(key)
    this.kv.put(key, { ...l, served: addInterval(l.served, start, end) })
  }

  /**
   * Sends the outbox after the answer, one send at a time: what is staged meanwhile goes in the
   * next batch. The alarm set when staging covers a send that fails or is cut short.
   */
  private send(): void {
    if (this.sending) {
      this.again = true
      return
    }
    this.sending = (async () => {
      let delivered
      do {
        this.again = false
        delivered = await flush(this.ctx.storage, this.env.EVENTS)
      } while (delivered && this.again)
      this.sending = null
    })()
  }

  /** The outbox's retry: what the first send did not deliver. */
  override async alarm(): Promise<void> {
    if (!(await flush(this.ctx.storage, this.env.EVENTS)))
      await this.ctx.storage.setAlarm(Date.now() + RETRY_MS)
  }

  /**
   * Redeems a ticket issued at `issuedAt` for the play `event`: refused when its listener redeems
   * too often, when a ticket issued no earlier was redeemed for this export, or when less than
   * `bytes` of the audio was served; otherwise one commit marks it used, starts the next play from
   * zero bytes and stages the event, which is on its way to the queue once this answers.
   */
  redeem(issuedAt: number, bytes: number, event: EventMessage): Redemption {
    const { window } = redeemWindow(Date.now())
    if (this.window.start !== window) this.window = { start: window, counts: new Map() }
    const attempts = (this.window.counts.get(event.listener) ?? 0) + 1
    this.window.counts.set(event.listener, attempts)
    if (attempts > REDEEM_LIMIT.limit) return 'rate_limited'
    const key = `l:${event.listener}:${event.exportId}`
    const l = this.listening(key)
    if (issuedAt <= l.redeemedAt) return 'ticket_used'
    if (covered(l.served) < bytes) return 'not_enough_audio'
    this.kv.put(key, { served: [], redeemedAt: issuedAt })
    stage(this.ctx.storage, event)
    this.send()
    return 'ok'
  }

  /**
   * Records [start, end) of a `format` download served to the event's listener; when this
   * completes the whole file (`size` bytes) for the first time on the event's day, stages `event`
   * — the download to count — and answers true.
   */
  downloaded(
    format: string,
    start: number,
    end: number,
    size: number,
    event: EventMessage,
  ): boolean {
    const of = `${event.listener}:${event.exportId}`
    const key = `d:${of}:${format}`
    const list = addInterval(this.kv.get<Intervals>(key) ?? [], start, end)
    if (covered(list) < size) {
      this.kv.put(key, list)
      return false
    }
    this.kv.delete(key)
    const done = `dd:${of}`
    const day = event.occurredAt.slice(0, 10)
    if (this.kv.get(done) === day) return false
    this.kv.put(done, day)
    stage(this.ctx.storage, event)
    this.send()
    return true
  }
}
