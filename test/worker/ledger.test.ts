import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { shortLicence } from '../support/licence.ts'
import { FAN, manifest, seed, seedInput, seedWithMasters } from './fixture.ts'
import { call, json, requestExport } from './http.ts'
import type { EventRow } from '../../worker/db/events.ts'
import { archiveDay, eventArchiveKey, eventStores } from '../../worker/events/archive.ts'
import { CAPS } from '../../worker/events/caps.ts'
import { consumeEvents } from '../../worker/events/consumer.ts'
import type { EventMessage } from '../../worker/events/event.ts'
import {
  EVENT_DB_BINDINGS,
  EVENT_QUEUE_BINDINGS,
  EVENT_QUEUES,
  databaseOf,
  eventsQueueName,
  queueOf,
  sendEvents,
} from '../../worker/events/shard.ts'
import { forwardShards, takenDownIn, writeShard } from '../../worker/events/store.ts'
import { eventCount, eventsDbOf } from './events.ts'
import { seal } from '../../worker/lib/hmac.ts'
import { base64urlOf } from '../../core/lib/crypto.ts'
import { ledgerOf } from '../../worker/events/listener.ts'
import { TICKET_PURPOSE } from '../../worker/events/ticket.ts'
import { type ListenerLedger, REDEEM_LIMIT } from '../../worker/events/listener-ledger.ts'
import {
  countsOf,
  headersOf,
  listen,
  newListener,
  playThrough,
  redeem,
  rowsOf,
  ticketFor,
  untilWritten,
} from './plays.ts'
import { linkOf } from '../support/downloads.ts'

const SLUG = 'ledger-moons'
let fan: string
let exportId: string
let remixId: string
const campaignId = `cmp-${SLUG}`
/** The events database shard of this campaign, and its database. */
const shard = databaseOf(campaignId)
const shardDb = () => eventsDbOf(campaignId)

type ErrorBody = { error: { code: string; message: string } }
const codeOf = async (res: Response) => ((await res.json()) as ErrorBody).error.code
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  await seed()
  await seedWithMasters({
    ...(await seedInput()),
    manifest: { ...manifest, slug: SLUG, licence: shortLicence(manifest.licence) },
  })
  const login = await call('/api/auth/login', {
    method: 'POST',
    ...json({ email: FAN.email, password: FAN.password }),
  })
  fan = login.headers.get('Set-Cookie')!.split(';')[0]!
  const recipe = {
    version: 2,
    campaign: SLUG,
    tempo: 100,
    timeSignature: [4, 4],
    length: 1,
    tracks: ['drums', 'bass'].map((stem) => ({
      id: stem,
      stem: `${SLUG}-${stem}`,
      regions: [{ id: `${stem}-r`, start: 0, offset: 0, duration: 0.1, loops: 10 }],
    })),
  }
  const created = await call('/api/remixes', {
    method: 'POST',
    ...json({ campaign: SLUG, title: 'Replay', recipe }, fan),
  })
  const { remix } = (await created.json()) as { remix: RemixView }
  remixId = remix.id
  const res = await requestExport(remix.id, 1, fan)
  exportId = ((await res.json()) as { export: ExportView }).export.id
  await vi.waitFor(
    async () => {
      const view = await call(`/api/exports/${exportId}`, { headers: { Cookie: fan } })
      expect(((await view.json()) as { export: ExportView }).export.status).toBe('ready')
    },
    { timeout: 20_000, interval: 100 },
  )
}, 60_000)

describe('play tickets', () => {
  it('counts a play heard through, once per listener and day', async () => {
    const alice = await newListener(exportId, '198.51.100.1')
    const first = await playThrough(exportId, alice)
    expect(first.status).toBe(202)
    expect(await first.json()).toEqual({ accepted: true })
    await untilWritten(exportId, 'play', 1)
    expect(await countsOf(exportId, 'play')).toEqual({ counted: 1, held: 0 })

    // The same listener again today: accepted, written once. Another listener: a second play.
    expect((await playThrough(exportId, alice)).status).toBe(202)
    const bob = await newListener(exportId, '198.51.100.2')
    expect((await playThrough(exportId, bob)).status).toBe(202)
    await untilWritten(exportId, 'play', 2)
    await sleep(2500) // the consumer's batch window, twice: nothing else arrives
    expect(await rowsOf(exportId, 'play')).toBe(2)
    expect(await countsOf(exportId, 'play')).toEqual({ counted: 2, held: 0 })
  }, 60_000)

  it('refuses forged, expired, replayed, foreign and premature tickets, counting nothing', async () => {
    const before = await countsOf(exportId, 'play')
    const rows = await rowsOf(exportId, 'play')
    const carol = await newListener(exportId, '198.51.100.3')
    const { ticket } = await ticketFor(exportId, carol)

    // Premature: redeemed before the remix could have been heard.
    expect(await codeOf(await redeem(exportId, carol, ticket))).toBe('too_early')
    await sleep(1100)
    // Not enough audio served: none yet, then only the first 100 bytes.
    const early = await redeem(exportId, carol, ticket)
    expect(early.status).toBe(409)
    expect(await codeOf(early)).toBe('not_enough_audio')
    await listen(exportId, carol, 'bytes=0-99')
    await sleep(200)
    expect(await codeOf(await redeem(exportId, carol, ticket))).toBe('not_enough_audio')

    // Forged: made up, tampered with, signed with another key.
    const [body, sig] = ticket.split('.') as [string, string]
    const tampered = `${body.slice(0, -2)}${body.endsWith('AA') ? 'BB' : 'AA'}.${sig}`
    const otherKey = await seal('another-secret-that-is-long-enough-000', TICKET_PURPOSE, atob(''))
    for (const forged of ['not-a-ticket', tampered, otherKey, `${body}.${sig}x`]) {
      const res = await redeem(exportId, carol, forged)
      expect(res.status, forged).toBe(403)
      expect(await codeOf(res)).toBe('ticket_invalid')
    }
    // Expired: a real ticket of ours, issued two hours ago.
    const payload = JSON.parse(new TextDecoder().decode(base64url(body))) as { iat: number }
    const old = await seal(
      env.SESSION_SECRET,
      TICKET_PURPOSE,
      JSON.stringify({ ...payload, iat: Date.now() - 2 * 3600_000 }),
    )
    expect(await codeOf(await redeem(exportId, carol, old))).toBe('ticket_expired')
    // For another export, or redeemed by another listener (or without the cookie).
    const other = await call(`/api/share/0123456789abcdef/plays`, {
      method: 'POST',
      headers: headersOf(carol, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ ticket }),
    })
    expect(await codeOf(other)).toBe('ticket_mismatch')
    const dave = await newListener(exportId, '198.51.100.3')
    expect(await codeOf(await redeem(exportId, dave, ticket))).toBe('ticket_mismatch')
    const anonymous = await call(`/api/share/${exportId}/plays`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ticket }),
    })
    expect(await codeOf(anonymous)).toBe('ticket_mismatch')
    // Malformed bodies.
    for (const bad of [{}, { ticket: 42 }, { ticket: '' }])
      expect(
        (await call(`/api/share/${exportId}/plays`, { method: 'POST', ...json(bad) })).status,
      ).toBe(400)

    // Heard through, it counts once; replayed, it is refused.
    await listen(exportId, carol)
    let ok!: Response
    await vi.waitFor(async () => {
      ok = await redeem(exportId, carol, ticket)
      expect(ok.status).toBe(202)
    })
    const replay = await redeem(exportId, carol, ticket)
    expect(replay.status).toBe(409)
    expect(await codeOf(replay)).toBe('ticket_used')
    await untilWritten(exportId, 'play', rows + 1)
    await sleep(2500)
    expect(await countsOf(exportId, 'play')).toEqual({
      counted: before.counted + 1,
      held: before.held,
    })
  }, 60_000)

  it('refuses a ticket issued before the one that counted, and a replay loop with 429', async () => {
    const rows = await rowsOf(exportId, 'play')
    const erin = await newListener(exportId, '198.51.100.4')
    const earlier = await ticketFor(exportId, erin)
    await sleep(5) // a later issue time
    const later = await ticketFor(exportId, erin)
    await listen(exportId, erin)
    await sleep(later.needSeconds * 1000 + 20)
    await vi.waitFor(async () =>
      expect((await redeem(exportId, erin, later.ticket)).status).toBe(202),
    )
    // Even with the audio served again, the earlier ticket is spent by the later one.
    await listen(exportId, erin)
    await sleep(200) // the served bytes are recorded after the response
    const stale = await redeem(exportId, erin, earlier.ticket)
    expect(stale.status).toBe(409)
    expect(await codeOf(stale)).toBe('ticket_used')

    let res!: Response
    for (let i = 0; i <= 2 * REDEEM_LIMIT.limit && res?.status !== 429; i++)
      res = await redeem(exportId, erin, later.ticket)
    expect(res.status).toBe(429)
    expect(await codeOf(res)).toBe('rate_limited')
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    await untilWritten(exportId, 'play', rows + 1)
    await sleep(2500)
    expect(await rowsOf(exportId, 'play')).toBe(rows + 1)
  }, 60_000)

  it('keeps apart two listeners whose ledgers share one object', async () => {
    const rows = await rowsOf(exportId, 'play')
    // Two ids whose first two bytes are equal: ledgerOf puts them in the same object.
    const idWith = (last: number) =>
      base64urlOf(new Uint8Array([7, 9, ...new Array<number>(13).fill(1), last]))
    const [a, b] = [idWith(1), idWith(2)]
    expect(ledgerOf(env, a).id.equals(ledgerOf(env, b).id)).toBe(true)
    const cookieOf = async (id: string) =>
      `sf_listener=${await seal(env.SESSION_SECRET, 'listener-cookie', id)}`
    const heard = { cookie: await cookieOf(a), address: '198.51.100.31' }
    const silent = { cookie: await cookieOf(b), address: '198.51.100.32' }
    const [heardTicket, silentTicket] = [
      await ticketFor(exportId, heard),
      await ticketFor(exportId, silent),
    ]
    await listen(exportId, heard)
    await sleep(heardTicket.needSeconds * 1000 + 20)
    // The audio served to one listener is not the other's: the silent one's ticket is refused.
    const refused = await redeem(exportId, silent, silentTicket.ticket)
    expect(refused.status).toBe(409)
    expect(await codeOf(refused)).toBe('not_enough_audio')
    await vi.waitFor(async () => {
      const res = await redeem(exportId, heard, heardTicket.ticket)
      expect(res.status).toBe(202)
    })
    await untilWritten(exportId, 'play', rows + 1)
  }, 60_000)

  it('holds what one address plays past the caps: a burst of 1 000 listeners', async () => {
    const before = await countsOf(exportId, 'play')
    const rows = await rowsOf(exportId, 'play')
    const address = '203.0.113.7'
    const listeners = await Promise.all(
      Array.from({ length: 1000 }, () => newListener(exportId, address)),
    )
    const answers = await Promise.all(listeners.map((l) => playThrough(exportId, l)))
    expect(answers.every((r) => r.status === 202)).toBe(true)
    await untilWritten(exportId, 'play', rows + 1000)
    const after = await countsOf(exportId, 'play')
    expect(after.counted - before.counted).toBe(20) // CAPS.addressPerExportPerDay
    expect(after.held - before.held).toBe(980)
    const reasons = await shardDb()
      .prepare(
        `SELECT hold_reason AS reason, COUNT(*) AS n FROM ledger_events
       WHERE export_id = ?1 AND status = 'held' GROUP BY hold_reason`,
      )
      .bind(exportId)
      .all<{ reason: string; n: number }>()
    expect(reasons.results).toEqual([{ reason: 'address', n: 980 }])
    // 1 000 listeners through the real local stack: minutes on a loaded 2-core machine
  }, 600_000)
})

/** Another ready export row of the same remix, for the cap tests (written as the job would). */
async function extraExport(id: string) {
  await env.DB.prepare(
    `INSERT INTO exports (id, remix_id, remix_version, campaign_id, owner_id, licence_version,
       recipe_hash, idempotency_key, status, manifest, created_at, updated_at)
     SELECT ?2, remix_id, remix_version, campaign_id, owner_id, licence_version, recipe_hash,
       ?2, status, manifest, created_at, updated_at
     FROM exports WHERE id = ?1 ON CONFLICT (id) DO NOTHING`,
  )
    .bind(exportId, id)
    .run()
  return id
}

const event = (o: Partial<EventRow> & { id: string }): EventRow => ({
  type: 'play',
  exportId,
  remixId,
  campaignId,
  occurredAt: '2026-01-05T12:00:00.000Z',
  day: '2026-01-05',
  listener: 'listener-x',
  address: 'address-x',
  listenerCapped: false,
  ...o,
})

/** Writes events to this campaign's shard and forwards its outbox, as the consumer does. */
async function write(
  events: EventRow[],
  caps: { addressPerExportPerDay: number; exportPerDay: number },
) {
  await writeShard(env, shard, events, caps, await takenDownIn(env, events))
  await forwardShards(env, [shard])
}

describe('the caps', () => {
  it('hold a listener past its daily cap of exports, whatever their campaigns (its Durable Object)', async () => {
    const listener = base64urlOf(new Uint8Array(16).fill(42))
    const ledger = ledgerOf(env, listener)
    const day = '2026-01-06'
    // Downloads completed of CAPS.listenerPerDay + 1 different exports (any campaigns): the last is past the cap.
    const download = (n: number, on: string) => ({
      id: `download:${n}:${listener}:${on}`,
      type: 'download' as const,
      exportId: n.toString(16).padStart(16, '0'),
      remixId: 'rmx-caps',
      campaignId: 'cmp-caps',
      listener,
      address: 'caps-address',
      occurredAt: `${on}T10:00:00.000Z`,
    })
    const answers = []
    for (let i = 0; i <= CAPS.listenerPerDay; i++)
      answers.push(await ledger.downloaded(download(i, day), 'mp3-192', 0, 10, 10))
    expect(answers.slice(0, CAPS.listenerPerDay)).toEqual(
      new Array(CAPS.listenerPerDay).fill({ capped: false }),
    )
    expect(answers[CAPS.listenerPerDay]).toEqual({ capped: true })
    // The next day starts again.
    expect(await ledger.downloaded(download(999, '2026-01-07'), 'mp3-192', 0, 10, 10)).toEqual({
      capped: false,
    })
  })

  it('hold what the listener’s object capped, and an export’s plays past its own cap, in the shard', async () => {
    const caps = { addressPerExportPerDay: 99, exportPerDay: 3 }
    const statusOf = async (ids: string[]) =>
      (
        await shardDb()
          .prepare(
            `SELECT id, status, hold_reason FROM ledger_events WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id`,
          )
          .bind(JSON.stringify(ids))
          .all<{ id: string; status: string; hold_reason: string | null }>()
      ).results
    const other = await extraExport('00000000000000a1')
    const byListener = [false, true].map((listenerCapped, i) =>
      event({
        id: `cap-l-${i}`,
        exportId: other,
        listener: `cap-l-${i}`,
        day: '2026-01-06',
        occurredAt: '2026-01-06T01:00:00.000Z',
        listenerCapped,
      }),
    )
    await write(byListener, caps)
    expect(
      (await statusOf(byListener.map((e) => e.id))).map((r) => [r.status, r.hold_reason]),
    ).toEqual([
      ['counted', null],
      ['held', 'listener'],
    ])
    const byExport = Array.from({ length: 5 }, (_, i) =>
      event({
        id: `cap-e-${i}`,
        listener: `l-${i}`,
        address: `a-${i}`,
        day: '2026-01-07',
        occurredAt: '2026-01-07T01:00:00.000Z',
      }),
    )
    // Two transactions: the cap holds across batches as within one.
    await write(byExport.slice(0, 2), caps)
    await write(byExport.slice(2), caps)
    expect((await statusOf(byExport.map((e) => e.id))).map((r) => r.hold_reason)).toEqual([
      null,
      null,
      null,
      'export',
      'export',
    ])
    const day = await env.DB.prepare(
      "SELECT counted, held FROM daily_counts WHERE export_id = ?1 AND day = '2026-01-07' AND type = 'play'",
    )
      .bind(exportId)
      .first()
    expect(day).toEqual({ counted: 3, held: 2 })
  })
})

type Probe = { acked: number; retried: number }

/** A MessageBatch as the platform hands it to the consumer, recording acks and retries. */
function batchOf(bodies: unknown[], probe: Probe): MessageBatch<unknown> {
  const messages = bodies.map((body, i) => ({
    id: `m${i}`,
    timestamp: new Date(),
    attempts: 1,
    body,
    ack: () => void probe.acked++,
    retry: () => void probe.retried++,
  }))
  return {
    queue: eventsQueueName(0),
    messages,
    ackAll: () => void (probe.acked += messages.length),
    retryAll: () => void (probe.retried += messages.length),
  } as unknown as MessageBatch<unknown>
}

/**
 * D1 that fails part way through a batch (the transaction rolls back), after committing it, or
 * (the forwarder) on deleting forwarded deltas from the outbox.
 */
function faulty(db: D1Database, when: 'mid-batch' | 'after-commit' | 'outbox-delete'): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare' && when === 'outbox-delete')
        return (sql: string) => {
          if (sql.startsWith('DELETE FROM outbox')) throw new Error('the forwarder died')
          return target.prepare(sql)
        }
      if (prop === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          if (when === 'outbox-delete') return target.batch(statements)
          if (when === 'after-commit') {
            await target.batch(statements)
            throw new Error('the consumer died before it could ack')
          }
          const half = Math.floor(statements.length / 2)
          return target.batch([
            ...statements.slice(0, half),
            target.prepare('INSERT INTO no_such_table VALUES (1)'),
            ...statements.slice(half),
          ])
        }
      const value = Reflect.get(target, prop) as unknown
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value
    },
  })
}

describe('the events consumer under faults', () => {
  const messagesOf = (): EventMessage[] =>
    Array.from({ length: 40 }, (_, i) => ({
      id: `fault:${i}`,
      type: 'play',
      exportId,
      remixId,
      campaignId,
      listener: `fault-listener-${i}`,
      address: `fault-address-${i % 4}`,
      occurredAt: '2026-02-01T10:00:00.000Z',
      listenerCapped: false,
    }))
  const written = () => eventCount("id LIKE 'fault:%'")
  /** The environment with this campaign's events database made faulty. */
  const withFaulty = (when: Parameters<typeof faulty>[1]) => ({
    ...env,
    [EVENT_DB_BINDINGS[shard]!]: faulty(shardDb(), when),
  })
  const outbox = async () =>
    (await shardDb().prepare('SELECT COUNT(*) AS n FROM outbox').first<number>('n'))!
  const counted = async () =>
    await env.DB.prepare(
      "SELECT counted, held FROM daily_counts WHERE export_id = ?1 AND day = '2026-02-01' AND type = 'play'",
    )
      .bind(exportId)
      .first<{ counted: number; held: number }>()

  it('writes nothing when it dies mid-batch, each event exactly once on the retry', async () => {
    const messages = messagesOf()
    const probe = { acked: 0, retried: 0 }
    await consumeEvents(batchOf(messages, probe), withFaulty('mid-batch'))
    expect(probe).toEqual({ acked: 0, retried: 40 })
    expect(await written()).toBe(0)
    expect(await counted()).toBeNull()

    const retry = { acked: 0, retried: 0 }
    await consumeEvents(batchOf([...messages, { type: 'play', id: 'malformed' }], retry), env)
    expect(retry).toEqual({ acked: 41, retried: 0 }) // the malformed one dropped, acked
    expect(await written()).toBe(40)
    expect(await counted()).toEqual({ counted: 40, held: 0 })
  })

  it('counts nothing twice when it dies after committing, before the ack', async () => {
    const messages = messagesOf()
    const probe = { acked: 0, retried: 0 }
    await consumeEvents(batchOf(messages, probe), withFaulty('after-commit'))
    expect(probe.retried).toBe(40)
    await consumeEvents(batchOf(messages, { acked: 0, retried: 0 }), env)
    expect(await written()).toBe(40)
    expect(await counted()).toEqual({ counted: 40, held: 0 })
  })

  it('adds a delta once when the forwarder dies between the addition and the outbox delete', async () => {
    const messages = messagesOf().map((m) => ({ ...m, id: `fault:fwd:${m.id}` }))
    const before = (await counted()) ?? { counted: 0, held: 0 }
    const probe = { acked: 0, retried: 0 }
    await consumeEvents(batchOf(messages, probe), withFaulty('outbox-delete'))
    expect(probe).toEqual({ acked: 0, retried: 40 })
    // The addition committed; its delta is still in the outbox.
    expect(await counted()).toEqual({ counted: before.counted + 40, held: 0 })
    expect(await outbox()).toBeGreaterThan(0)
    // The retry inserts nothing and forwards the outbox again: its delta ids are recorded, nothing is added.
    const retry = { acked: 0, retried: 0 }
    await consumeEvents(batchOf(messages, retry), env)
    expect(retry).toEqual({ acked: 40, retried: 0 })
    expect(await outbox()).toBe(0)
    expect(await eventCount("id LIKE 'fault:fwd:%'")).toBe(40)
    expect(await counted()).toEqual({ counted: before.counted + 40, held: 0 })
  })
})

describe('the listener object’s outbox', () => {
  it('keeps an accepted play with the ticket’s use, through a failing queue, and enqueues it once', async () => {
    const listener = base64urlOf(new Uint8Array(16).fill(77))
    const ledger = ledgerOf(env, listener)
    const play = {
      id: `play:${exportId}:${listener}:2026-02-10`,
      type: 'play' as const,
      exportId,
      remixId,
      campaignId,
      listener,
      address: 'outbox-address',
      occurredAt: '2026-02-10T09:00:00.000Z',
    }
    const failing = {
      ...env,
      ...Object.fromEntries(
        EVENT_QUEUE_BINDINGS.map((b) => [
          b,
          { sendBatch: () => Promise.reject(new Error('queue unavailable')) },
        ]),
      ),
    }
    // Every queue refuses while the play is redeemed.
    await runInDurableObject(ledger, (instance: ListenerLedger) => {
      Reflect.set(instance, 'env', failing)
    })
    await ledger.served(listener, exportId, 0, 100)
    expect(await ledger.redeem(play, 1, 100)).toEqual({ capped: false })
    expect(await ledger.redeem(play, 1, 100)).toBe('ticket_used')
    expect(await runDurableObjectAlarm(ledger)).toBe(true) // the send fails
    // The answer was given and the queue has nothing: the play is in the object's storage, its
    // alarm set again.
    await runInDurableObject(ledger, async (_: ListenerLedger, state) => {
      expect([...state.storage.kv.list({ prefix: 'q:' })].map(([k]) => k)).toEqual([`q:${play.id}`])
      expect(await state.storage.getAlarm()).not.toBeNull()
    })
    expect(await eventCount('id = ?1', play.id)).toBe(0)
    // The queue is back: the next alarm enqueues it, and the consumer writes it once.
    await runInDurableObject(ledger, (instance: ListenerLedger) => {
      Reflect.set(instance, 'env', env)
    })
    expect(await runDurableObjectAlarm(ledger)).toBe(true)
    await vi.waitFor(async () => expect(await eventCount('id = ?1', play.id)).toBe(1), {
      timeout: 20_000,
      interval: 100,
    })
    await runInDurableObject(ledger, (_: ListenerLedger, state) => {
      expect([...state.storage.kv.list({ prefix: 'q:' })]).toEqual([])
    })
    expect(await runDurableObjectAlarm(ledger)).toBe(false) // nothing left to send
  })
})

describe('the events queues', () => {
  it('spread one remix over every queue by event id, all into its campaign’s one database', async () => {
    // Ids for each queue, all of this one campaign's export.
    const ids: string[] = []
    for (let i = 0; ids.filter(Boolean).length < EVENT_QUEUES; i++)
      ids[queueOf({ id: `route:${i}` })] ??= `route:${i}`
    const sent: [string, string][] = []
    const spy = { ...env }
    for (const binding of EVENT_QUEUE_BINDINGS)
      spy[binding] = {
        sendBatch: (ms: { body: EventMessage }[]) => {
          for (const m of ms) sent.push([binding, m.body.id])
          return env[binding].sendBatch(ms)
        },
      } as unknown as Queue<EventMessage>
    const message = (id: string): EventMessage => ({
      id,
      type: 'play',
      exportId,
      remixId,
      campaignId,
      listener: `listener-${id}`,
      address: 'route-address',
      occurredAt: '2026-02-03T10:00:00.000Z',
      listenerCapped: false,
    })
    await sendEvents(spy, ids.map(message))
    await sendEvents(spy, [message(ids[2]!)]) // a retried send: the same queue, written once
    expect(sent).toEqual([...ids.map((id, n) => [`EVENTS_${n}`, id]), ['EVENTS_2', ids[2]]])
    await vi.waitFor(
      async () => {
        const { results } = await shardDb()
          .prepare("SELECT id FROM ledger_events WHERE id LIKE 'route:%' ORDER BY id")
          .all<{ id: string }>()
        expect(results.map((r) => r.id)).toEqual([...ids].sort())
      },
      { timeout: 20_000, interval: 100 },
    )
    expect(await eventCount("id LIKE 'route:%'")).toBe(EVENT_QUEUES) // in no other database
  })
})

describe('downloads', () => {
  it('counts a download once per listener and day, only when the whole file was served', async () => {
    const view = await call(`/api/exports/${exportId}`, { headers: { Cookie: fan } })
    const { downloads } = ((await view.json()) as { export: ExportView }).export
    const get = async (url: string, cookie: string, range?: string) => {
      const res = await call(url, {
        headers: { Cookie: cookie, ...(range ? { Range: range } : {}) },
      })
      const set = res.headers.getSetCookie().find((c) => c.startsWith('sf_listener='))
      return { res, bytes: (await res.arrayBuffer()).byteLength, listener: set?.split(';')[0] }
    }
    const first = await get(linkOf(downloads, 'mp3-192'), fan, 'bytes=0-99')
    expect(first.res.status).toBe(206)
    const cookie = `${fan}; ${first.listener!}`
    await sleep(2500)
    expect(await rowsOf(exportId, 'download')).toBe(0) // 100 bytes are not a download
    const size = Number(first.res.headers.get('Content-Range')!.split('/')[1])
    await get(linkOf(downloads, 'mp3-192'), cookie, `bytes=100-${size - 1}`) // the rest: now complete
    await untilWritten(exportId, 'download', 1)
    await get(linkOf(downloads, 'mp3-192'), cookie) // whole again the same day: still one
    await get(linkOf(downloads, 'wav-16'), cookie)
    await sleep(2500)
    expect(await countsOf(exportId, 'download')).toEqual({ counted: 1, held: 0 })
  }, 60_000)
})

describe('the daily archive to R2', () => {
  it('moves a day’s raw events to one NDJSON object and keeps its counts', async () => {
    const day = '2026-01-20'
    const events = Array.from({ length: 7 }, (_, i) =>
      event({
        id: `archive-${i}`,
        listener: `al-${i}`,
        day,
        occurredAt: `${day}T0${i}:00:00.000Z`,
      }),
    )
    await write(events, { addressPerExportPerDay: 5, exportPerDay: 99 })
    await expect(
      shardDb().prepare('DELETE FROM ledger_events WHERE day = ?1').bind(day).run(),
    ).rejects.toThrow(/only once archived/)
    const store = eventStores(env)[shard]!
    expect(await archiveDay(env.MEDIA, store, day)).toEqual({ events: 7 })
    const object = await env.MEDIA.get(eventArchiveKey(day, shard))
    const lines = (await object!.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; status: string })
    expect(lines.map((l) => l.id)).toEqual(events.map((e) => e.id).sort())
    expect(lines.filter((l) => l.status === 'held')).toHaveLength(2)
    expect(await eventCount('day = ?1', day)).toBe(0)
    const kept = await env.DB.prepare(
      "SELECT counted, held FROM daily_counts WHERE export_id = ?1 AND day = ?2 AND type = 'play'",
    )
      .bind(exportId, day)
      .first()
    expect(kept).toEqual({ counted: 5, held: 2 })
    // Again: nothing to do, nothing changes.
    expect(await archiveDay(env.MEDIA, store, day)).toEqual({ events: 7 })
  })

  it('writes no event of an archived day: a redelivery days late counts nothing twice', async () => {
    const day = '2026-01-22'
    const events = Array.from({ length: 3 }, (_, i) =>
      event({ id: `late-${i}`, listener: `ll-${i}`, day, occurredAt: `${day}T05:00:00.000Z` }),
    )
    const caps = { addressPerExportPerDay: 99, exportPerDay: 99 }
    await write(events, caps)
    const store = eventStores(env)[shard]!
    expect(await archiveDay(env.MEDIA, store, day)).toEqual({ events: 3 })
    const counts = () =>
      env.DB.prepare(
        "SELECT counted, held FROM daily_counts WHERE export_id = ?1 AND day = ?2 AND type = 'play'",
      )
        .bind(exportId, day)
        .first()
    expect(await counts()).toEqual({ counted: 3, held: 0 })

    // The same messages redelivered after the archive, and one more of that day: none is new.
    const late = [
      ...events,
      event({ id: 'late-new', listener: 'll-new', day, occurredAt: `${day}T06:00:00.000Z` }),
    ]
    expect(await writeShard(env, shard, late, caps, new Set())).toEqual([
      false,
      false,
      false,
      false,
    ])
    await forwardShards(env, [shard])
    expect(await counts()).toEqual({ counted: 3, held: 0 })
    expect(await eventCount('day = ?1', day)).toBe(0)
    // Through the consumer too: acked (there is nothing to retry), nothing counted.
    const probe = { acked: 0, retried: 0 }
    const messages = late.map(({ day: _, ...m }) => m)
    await consumeEvents(batchOf(messages, probe), env)
    expect(probe).toEqual({ acked: 4, retried: 0 })
    expect(await counts()).toEqual({ counted: 3, held: 0 })
    expect(await eventCount('day = ?1', day)).toBe(0)
  })

  /**
   * The store's database, with `late` run once just before the archive reads its second page of
   * `day` (after the first page: its rows are already behind the page cursor).
   */
  const lateBetweenPages = (db: D1Database, late: () => Promise<void>): D1Database => {
    let pages = 0
    return new Proxy(db, {
      get(target, prop) {
        if (prop === 'prepare')
          return (sql: string) => {
            const statement = target.prepare(sql)
            if (!/^SELECT .* FROM ledger_events WHERE day = \?1 AND id > \?2/s.test(sql))
              return statement
            return {
              bind: (...values: unknown[]) => {
                const bound = statement.bind(...values)
                return {
                  all: async () => {
                    if (++pages === 2) await late()
                    return bound.all()
                  },
                }
              },
            }
          }
        const value = Reflect.get(target, prop) as unknown
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value
      },
    })
  }
  const idsIn = async (key: string) =>
    (await (await env.MEDIA.get(key))!.text())
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id)

  it('an event of the day arriving while it is paged out is archived or not written, never lost', async () => {
    const day = '2026-01-23'
    const caps = { addressPerExportPerDay: 99, exportPerDay: 99 }
    const events = ['race-b', 'race-c', 'race-d'].map((id) =>
      event({ id, listener: `rl-${id}`, day, occurredAt: `${day}T05:00:00.000Z` }),
    )
    await write(events, caps)
    // A late event of that day (its id sorts before the page cursor) reaches the consumer between
    // two pages of the archive.
    const late = event({ id: 'race-a', listener: 'rl-a', day, occurredAt: `${day}T06:00:00.000Z` })
    let accepted: boolean[] = []
    const store = eventStores(env)[shard]!
    const racing = lateBetweenPages(store.db, async () => {
      accepted = await writeShard(env, shard, [late], caps, new Set())
      await forwardShards(env, [shard])
    })
    const { events: archived } = await archiveDay(env.MEDIA, { ...store, db: racing }, day)
    const counts = () =>
      env.DB.prepare(
        "SELECT counted, held FROM daily_counts WHERE export_id = ?1 AND day = ?2 AND type = 'play'",
      )
        .bind(exportId, day)
        .first<{ counted: number; held: number }>()
    const key = eventArchiveKey(day, shard)
    const ids = await idsIn(key)
    // Every event the database accepted, and only those, is counted and in the archive.
    const written = [...events, ...(accepted[0] ? [late] : [])].map((e) => e.id).sort()
    expect(ids).toEqual(written)
    expect(archived).toBe(written.length)
    expect(await counts()).toEqual({ counted: written.length, held: 0 })
    expect(await eventCount('day = ?1', day)).toBe(0)

    // Replays change nothing: the archive again, the late event and the rest redelivered.
    expect(await archiveDay(env.MEDIA, store, day)).toEqual({ events: written.length })
    expect(await writeShard(env, shard, [late, ...events], caps, new Set())).toEqual([
      false,
      false,
      false,
      false,
    ])
    await forwardShards(env, [shard])
    expect(await counts()).toEqual({ counted: written.length, held: 0 })
    expect(await idsIn(key)).toEqual(written)
  })

  it('the main database’s pre-shard events: a row of the day written while paging is never lost', async () => {
    const day = '2026-01-24'
    const insert = (id: string) =>
      env.DB.prepare(
        `INSERT INTO ledger_events (id, type, export_id, remix_id, campaign_id, occurred_at,
           received_at, day, status, attempt) VALUES (?1, 'play', ?2, ?3, ?4, ?5, ?5, ?6, 'counted', 'old')`,
      )
        .bind(id, exportId, remixId, campaignId, `${day}T05:00:00.000Z`, day)
        .run()
    for (const id of ['old-b', 'old-c']) await insert(id)
    let accepted = 0
    const store = eventStores(env).at(-1)!
    const racing = lateBetweenPages(store.db, async () => {
      accepted = (await insert('old-a')).meta.changes
    })
    const { events: archived } = await archiveDay(env.MEDIA, { ...store, db: racing }, day)
    const written = ['old-b', 'old-c', ...(accepted ? ['old-a'] : [])].sort()
    expect(await idsIn(eventArchiveKey(day))).toEqual(written)
    expect(archived).toBe(written.length)
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM ledger_events WHERE day = ?1')
      .bind(day)
      .first<number>('n')
    expect(left).toBe(0)
  })

  it('deletes a day larger than one chunk completely, resuming after a failure', async () => {
    const day = '2026-01-21'
    const events = Array.from({ length: 25 }, (_, i) =>
      event({
        id: `chunk-${String(i).padStart(2, '0')}`,
        listener: `cl-${i}`,
        address: `ca-${i}`,
        day,
        occurredAt: `${day}T01:00:00.000Z`,
      }),
    )
    await write(events, { addressPerExportPerDay: 99, exportPerDay: 99 })
    const left = () => eventCount('day = ?1', day)
    const store = eventStores(env)[shard]!
    // D1 fails on the second chunk's DELETE: the first chunk is gone, the rest stays archived.
    let deletes = 0
    const failing = new Proxy(store.db, {
      get(target, prop) {
        if (prop === 'prepare')
          return (sql: string) => {
            if (sql.startsWith('DELETE') && ++deletes === 2) throw new Error('D1 went away')
            return target.prepare(sql)
          }
        const value = Reflect.get(target, prop) as unknown
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value
      },
    })
    await expect(archiveDay(env.MEDIA, { ...store, db: failing }, day, 10)).rejects.toThrow(
      /went away/,
    )
    expect(await left()).toBe(15)
    const archived = await store.db
      .prepare('SELECT events, sha256 FROM event_archives WHERE day = ?1')
      .bind(day)
      .first<{ events: number; sha256: string }>()
    expect(archived?.events).toBe(25)
    // The next run deletes the rest in chunks of 10 (10, then 5) and keeps the object it recorded.
    expect(await archiveDay(env.MEDIA, store, day, 10)).toEqual({ events: 25 })
    expect(await left()).toBe(0)
    const object = await env.MEDIA.get(eventArchiveKey(day, shard))
    const bytes = new Uint8Array(await object!.arrayBuffer())
    const sha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
    expect(sha256).toBe(archived?.sha256)
    expect(new TextDecoder().decode(bytes).trim().split('\n')).toHaveLength(25)
    const kept = await env.DB.prepare(
      "SELECT counted, held FROM daily_counts WHERE export_id = ?1 AND day = ?2 AND type = 'play'",
    )
      .bind(exportId, day)
      .first()
    expect(kept).toEqual({ counted: 25, held: 0 })
  })
})

function base64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0))
}
