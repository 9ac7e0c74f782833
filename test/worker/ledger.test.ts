import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportView, RemixView } from '../../core/campaign/views.ts'
import type { LicencePolicy } from '../../core/licence/policy.ts'
import { recordLedgerEvent } from '../../worker/db/ledger.ts'
import { FAN, manifest, seed, seedInput, seedWithMasters } from './fixture.ts'
import { call, json, requestExport } from './http.ts'

const SLUG = 'ledger-moons'
let fan: string
let exportId: string

function licence(): LicencePolicy {
  const policy = structuredClone(manifest.licence)
  const remix = policy.permissions.find((p) => p.action === 'remix')!
  remix.constraints = remix.constraints.filter((c) => c.leftOperand !== 'outputDuration')
  return policy
}

const playRows = async (id: string) =>
  env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_events WHERE export_id = ?1 AND type = 'play'")
    .bind(id)
    .first<number>('n')

const play = (listener: string) =>
  call(`/api/share/${exportId}/plays`, { method: 'POST', ...json({ listener }) })

const listener = (i: number) => `listener-${String(i).padStart(4, '0')}`

beforeAll(async () => {
  await seed()
  await seedWithMasters({
    ...(await seedInput()),
    manifest: { ...manifest, slug: SLUG, licence: licence() },
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

describe('the play ledger under replay and concurrency', () => {
  it('counts 200 parallel listeners once each, whatever 50 replays do', async () => {
    const sends = [
      ...Array.from({ length: 200 }, (_, i) => play(listener(i))),
      ...Array.from({ length: 50 }, (_, i) => play(listener(i * 4))),
    ]
    const responses = await Promise.all(sends)
    expect(responses.every((r) => r.status === 202)).toBe(true)
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { counted: boolean }[]
    expect(bodies.filter((b) => b.counted)).toHaveLength(200)
    expect(await playRows(exportId)).toBe(200)
    const { results } = await env.DB.prepare(
      "SELECT id FROM ledger_events WHERE export_id = ?1 AND type = 'play' ORDER BY id",
    )
      .bind(exportId)
      .all<{ id: string }>()
    expect(results.map((r) => r.id)).toEqual(
      Array.from({ length: 200 }, (_, i) => `play:${exportId}:${listener(i)}`).sort(),
    )

    // Replaying all of them later changes nothing either.
    const again = await Promise.all(Array.from({ length: 200 }, (_, i) => play(listener(i))))
    const later = (await Promise.all(again.map((r) => r.json()))) as { counted: boolean }[]
    expect(later.every((b) => !b.counted)).toBe(true)
    expect(await playRows(exportId)).toBe(200)
  })

  it('keeps the first version of a replayed event', async () => {
    const event = {
      id: `play:${exportId}:replayed-listener`,
      type: 'play' as const,
      exportId,
      remixId: 'r',
      campaignId: `cmp-${SLUG}`,
      occurredAt: '2026-05-01T00:00:00.000Z',
    }
    expect(await recordLedgerEvent(env.DB, event)).toBe(true)
    expect(
      await recordLedgerEvent(env.DB, { ...event, occurredAt: '2026-06-01T00:00:00.000Z' }),
    ).toBe(false)
    const row = await env.DB.prepare('SELECT occurred_at FROM ledger_events WHERE id = ?1')
      .bind(event.id)
      .first<string>('occurred_at')
    expect(row).toBe(event.occurredAt)
  })
})
