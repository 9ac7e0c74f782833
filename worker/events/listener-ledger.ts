import { DurableObject } from 'cloudflare:workers'
import type { Bindings } from '../env.ts'
import { CAPS } from './caps.ts'
import { dayOf, type EventDraft, type EventMessage } from './event.ts'
import { addInterval, covered, type Intervals } from './intervals.ts'
import { sendEvents } from './shard.ts'

/** Why a redemption is refused. */
export type Refusal = 'ticket_used' | 'not_enough_audio' | 'rate_limited'
/**
 * A redemption: refused, or accepted — `capped` when the listener is past its daily cap of
 * different exports (the play is then recorded as held, not paid).
 */
export type Redemption = Refusal | { capped: boolean }

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

/** The exports a listener was counted for today, per type: the listener cap. */
type Today = { day: string; exports: string[] }

const listeningKey = (listener: string, exportId: string) => `l:${listener}:${exportId}`

/** An accepted event waiting in the object for its queue. */
const OUTBOX = 'q:'
/** How long accepted events gather before the alarm enqueues them; and the wait after a failed send. */
export const FLUSH_MS = 1000
const RETRY_MS = 10_000
/** Outbox events one alarm enqueues at most. */
const OUTBOX_PAGE = 500

/**
 * The anonymous listeners' audio and tickets. Listeners share LEDGER_BUCKETS objects, picked by
 * their random id (`ledgerOf`, ./listener.ts): a Durable Object runs one call at a time, so every
 * check and change below is one atomic step, and a few hundred objects that stay warm cost less
 * than one cold object per listener (a cold start opens the object's storage; a listener's play
 * is redeemed 30 s after its audio, by when its own object would have gone idle). Keys, per
 * listener `<l>`:
 * - `l:<l>:<export>`: bytes of the export's audio served to this listener since its last counted
 *   play, and the issue time of the ticket that counted it: a ticket issued no later is refused,
 *   so a replay needs no per-ticket key and no expiry sweep;
 * - `d:<l>:<export>:<format>` / `dd:<l>:<export>`: bytes of a download served, and the day it
 *   last completed;
 * - `c:<l>:<type>`: the exports of plays (downloads) counted for this listener on one UTC day, for
 *   the listener cap (CAPS.listenerPerDay): a listener's exports span campaigns and so the events
 *   databases, but all its calls come here;
 * - `q:<event id>`: an accepted play or download, written in the same storage commit as the
 *   ticket's use (the download's completion), before the route answers: the alarm enqueues the
 *   object's events in batches (`sendEvents`) within FLUSH_MS and deletes those sent. A worker
 *   that dies after the answer loses nothing; an object that dies after a send but before the
 *   delete sends those events again, and the consumer writes each id once.
 */
export class ListenerLedger extends DurableObject<Bindings> {
  /** This minute's redemption attempts per listener: in memory only, a lost count merely restarts it. */
  private window = { start: 0, counts: new Map<string, number>() }
  /** Whether this instance has set the alarm that will send its outbox (lost on eviction: set again). */
  private flushing = false

  private get kv() {
    return this.ctx.storage.kv
  }

  private listening(listener: string, exportId: string): Listening {
    return this.kv.get<Listening>(listeningKey(listener, exportId)) ?? { served: [], redeemedAt: 0 }
  }

  /**
   * Whether this `type` event of `exportId` puts the listener past its daily cap of different
   * exports on `day`; if not, the export is noted for the day (the cap counts exports accepted
   * here, before the address and export caps).
   */
  private overCap(listener: string, exportId: string, type: string, day: string): boolean {
    const key = `c:${listener}:${type}`
    const today = this.kv.get<Today>(key)
    const exports = today?.day === day ? today.exports : []
    if (exports.includes(exportId)) return false
    if (exports.length >= CAPS.listenerPerDay) return true
    this.kv.put(key, { day, exports: [...exports, exportId] })
    return false
  }

  /** Keeps an accepted event for the alarm to enqueue, in this call's storage commit. */
  private accept(draft: EventDraft, capped: boolean): void {
    this.kv.put<EventMessage>(OUTBOX + draft.id, { ...draft, listenerCapped: capped })
    if (!this.flushing)
      this.rearm(FLUSH_MS).catch((err: unknown) =>
        console.error('setting the outbox alarm failed', err),
      )
  }

  /** Sets the alarm `ms` from now; a failed set leaves the next accepted event to set it. */
  private async rearm(ms: number): Promise<void> {
    this.flushing = true
    try {
      await this.ctx.storage.setAlarm(Date.now() + ms)
    } catch (err) {
      this.flushing = false
      throw err
    }
  }

  /**
   * Enqueues the outbox a page at a time (OUTBOX_PAGE events: a backlog after a long queue outage
   * stays within an alarm's memory and time), then deletes those sent. A failed send keeps them
   * and tries again after RETRY_MS (never given up); events accepted meanwhile get an alarm too.
   */
  override async alarm(): Promise<void> {
    const pending = [...this.kv.list<EventMessage>({ prefix: OUTBOX, limit: OUTBOX_PAGE })]
    try {
      await sendEvents(
        this.env,
        pending.map(([, e]) => e),
      )
    } catch (err) {
      console.error('enqueueing the ledger outbox failed, will retry', err)
      await this.rearm(RETRY_MS)
      return
    }
    for (const [key] of pending) this.kv.delete(key)
    if (this.kv.list({ prefix: OUTBOX, limit: 1 })[Symbol.iterator]().next().done)
      this.flushing = false
    else await this.rearm(pending.length === OUTBOX_PAGE ? 0 : FLUSH_MS)
  }

  /** Records that the worker served [start, end) of an export's share audio to this listener. */
  served(listener: string, exportId: string, start: number, end: number): void {
    const l = this.listening(listener, exportId)
    this.kv.put(listeningKey(listener, exportId), {
      ...l,
      served: addInterval(l.served, start, end),
    })
  }

  /**
   * Redeems a ticket issued at `issuedAt` for the play `play` (its listener and export): refused
   * when this listener redeems too often, when a ticket issued no earlier was redeemed for this
   * export, or when less than `bytes` of the audio was served; otherwise one write marks it used
   * and starts the next play from zero bytes, the play is checked against the listener's cap for
   * its UTC day, and kept in the outbox — all one storage commit, before the answer.
   */
  redeem(play: EventDraft, issuedAt: number, bytes: number): Redemption {
    const { listener, exportId } = play
    const { window } = redeemWindow(Date.now())
    if (this.window.start !== window) this.window = { start: window, counts: new Map() }
    const count = (this.window.counts.get(listener) ?? 0) + 1
    this.window.counts.set(listener, count)
    if (count > REDEEM_LIMIT.limit) return 'rate_limited'
    const l = this.listening(listener, exportId)
    if (issuedAt <= l.redeemedAt) return 'ticket_used'
    if (covered(l.served) < bytes) return 'not_enough_audio'
    this.kv.put(listeningKey(listener, exportId), { served: [], redeemedAt: issuedAt })
    const capped = this.overCap(listener, exportId, 'play', dayOf(play))
    this.accept(play, capped)
    return { capped }
  }

  /**
   * Records [start, end) of the download `download` (its listener and export) served in `format`;
   * accepted exactly when this completes the whole file (`size` bytes) for the first time on its
   * UTC day — the download to count, kept in the outbox — and `capped` when the listener is past
   * its daily cap; otherwise false.
   */
  downloaded(
    download: EventDraft,
    format: string,
    start: number,
    end: number,
    size: number,
  ): false | { capped: boolean } {
    const { listener, exportId } = download
    const day = dayOf(download)
    const key = `d:${listener}:${exportId}:${format}`
    const list = addInterval(this.kv.get<Intervals>(key) ?? [], start, end)
    if (covered(list) < size) {
      this.kv.put(key, list)
      return false
    }
    this.kv.delete(key)
    const done = `dd:${listener}:${exportId}`
    if (this.kv.get(done) === day) return false
    this.kv.put(done, day)
    const capped = this.overCap(listener, exportId, 'download', day)
    this.accept(download, capped)
    return { capped }
  }
}
