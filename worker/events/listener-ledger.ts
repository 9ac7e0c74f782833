import { DurableObject } from 'cloudflare:workers'
import { addInterval, covered, type Intervals } from './intervals.ts'

export type Redemption = 'ok' | 'ticket_used' | 'not_enough_audio'

/**
 * One anonymous listener's audio and tickets (a Durable Object per listener id, so every check
 * and change below is one atomic step: a Durable Object runs one call at a time).
 * - `a:<export>`: bytes of the export's audio served to this listener since its last counted play;
 * - `r:<ticket>`: a redeemed ticket (until it would have expired anyway), so a replay is refused;
 * - `d:<export>:<format>` / `dd:<export>`: bytes of a download served, and the day it last completed.
 */
export class ListenerLedger extends DurableObject {
  private get kv() {
    return this.ctx.storage.kv
  }

  /** Records that the worker served [start, end) of an export's share audio to this listener. */
  served(exportId: string, start: number, end: number): void {
    const key = `a:${exportId}`
    this.kv.put(key, addInterval(this.kv.get<Intervals>(key) ?? [], start, end))
  }

  /**
   * Redeems a ticket: refused when it was redeemed before, or when less than `bytes` of the audio
   * was served; otherwise marks it used and starts the listener's next play from zero bytes.
   */
  redeem(ticketId: string, exportId: string, bytes: number, expiresAt: number): Redemption {
    const used = `r:${ticketId}`
    if (this.kv.get(used) !== undefined) return 'ticket_used'
    const audio = `a:${exportId}`
    if (covered(this.kv.get<Intervals>(audio) ?? []) < bytes) return 'not_enough_audio'
    this.kv.put(used, expiresAt)
    this.kv.delete(audio)
    void this.ctx.storage.getAlarm().then((at) => {
      if (at === null) return this.ctx.storage.setAlarm(expiresAt + 1000)
    })
    return 'ok'
  }

  /**
   * Records [start, end) of a download served; true exactly when this completes the whole file
   * (`size` bytes) for the first time on `day` — the download to count.
   */
  downloaded(
    exportId: string,
    format: string,
    start: number,
    end: number,
    size: number,
    day: string,
  ): boolean {
    const key = `d:${exportId}:${format}`
    const list = addInterval(this.kv.get<Intervals>(key) ?? [], start, end)
    if (covered(list) < size) {
      this.kv.put(key, list)
      return false
    }
    this.kv.delete(key)
    const done = `dd:${exportId}`
    if (this.kv.get(done) === day) return false
    this.kv.put(done, day)
    return true
  }

  /** Forgets redeemed tickets that have expired (a replay of them is refused as expired). */
  override alarm(): void {
    const now = Date.now()
    let next: number | null = null
    for (const [key, exp] of this.kv.list<number>({ prefix: 'r:' })) {
      if (exp < now) this.kv.delete(key)
      else next = next === null ? exp : Math.min(next, exp)
    }
    if (next !== null) void this.ctx.storage.setAlarm(next + 1000)
  }
}
