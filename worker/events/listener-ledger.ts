import { DurableObject } from 'cloudflare:workers'
import { CAPS } from './caps.ts'
import { addInterval, covered, type Intervals } from './intervals.ts'

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

/**
 * The anonymous listeners' audio and tickets. Listeners share LEDGER_BUCKETS objects, picked by
 * their random id (`ledgerOf`, ./listener.ts): a Durable Object runs one call at a time, so every
 * check and change below is one atomic step, and a few hundred objects that stay warm cost less
 * than one cold object per listener (a cold start opens the object's storage; a listener's play
 * is redeemed 30 s after its audio, by when its own object would have gone idle). Keys, per
 * listener `<l>`:
 * - `l:<l>:<export>`: bytes of the export's audio served to this listener since its last counted
 *   play, and the issue time of the ticket that counted it: a ticket issued no later is refused,
 *   so a replay needs no per-ticket key, no expiry sweep and no alarm;
 * - `d:<l>:<export>:<format>` / `dd:<l>:<export>`: bytes of a download served, and the day it
 *   last completed;
 * - `c:<l>:<type>`: the exports of plays (downloads) counted for this listener on one UTC day, for
 *   the listener cap (CAPS.listenerPerDay): a listener's exports span campaigns and so the events
 *   databases, but all its calls come here.
 */
export class ListenerLedger extends DurableObject {
  /** This minute's redemption attempts per listener: in memory only, a lost count merely restarts it. */
  private window = { start: 0, counts: new Map<string, number>() }

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

  /** Records that the worker served [start, end) of an export's share audio to this listener. */
  served(listener: string, exportId: string, start: number, end: number): void {
    const l = this.listening(listener, exportId)
    this.kv.put(listeningKey(listener, exportId), {
      ...l,
      served: addInterval(l.served, start, end),
    })
  }

  /**
   * Redeems a ticket issued at `issuedAt`: refused when this listener redeems too often, when a
   * ticket issued no earlier was redeemed for this export, or when less than `bytes` of the audio
   * was served; otherwise one write marks it used and starts the next play from zero bytes, and
   * the play is checked against the listener's cap for `day` (the play's UTC day).
   */
  redeem(
    listener: string,
    exportId: string,
    issuedAt: number,
    bytes: number,
    day: string,
  ): Redemption {
    const { window } = redeemWindow(Date.now())
    if (this.window.start !== window) this.window = { start: window, counts: new Map() }
    const count = (this.window.counts.get(listener) ?? 0) + 1
    this.window.counts.set(listener, count)
    if (count > REDEEM_LIMIT.limit) return 'rate_limited'
    const l = this.listening(listener, exportId)
    if (issuedAt <= l.redeemedAt) return 'ticket_used'
    if (covered(l.served) < bytes) return 'not_enough_audio'
    this.kv.put(listeningKey(listener, exportId), { served: [], redeemedAt: issuedAt })
    return { capped: this.overCap(listener, exportId, 'play', day) }
  }

  /**
   * Records [start, end) of a download served; accepted exactly when this completes the whole
   * file (`size` bytes) for the first time on `day` — the download to count — and `capped` when
   * the listener is past its daily cap; otherwise false.
   */
  downloaded(
    listener: string,
    exportId: string,
    format: string,
    start: number,
    end: number,
    size: number,
    day: string,
  ): false | { capped: boolean } {
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
    return { capped: this.overCap(listener, exportId, 'download', day) }
  }
}
