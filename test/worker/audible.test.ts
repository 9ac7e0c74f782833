import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { RemixView } from '../../core/api/remixes.ts'
import { FAN, manifest, seed } from './fixture.ts'
import { call, json, login, requestExport } from './http.ts'
import { eventCount } from './events.ts'

vi.setConfig({ testTimeout: 120_000 })

type Refusal = { error: { code: string; message: string; violations: { code: string }[] } }

const SLUG = manifest.slug // the demo licence: at least 2 stems, at least 30 seconds
let fan: string

beforeAll(async () => {
  await seed()
  fan = await login(FAN.email, FAN.password)
})

// 30 s of a 0.1 s test stem: five regions of 60 loops.
const throughout = (id: string) =>
  [0, 6, 12, 18, 24].map((start, i) => ({
    id: `${id}r${i}`,
    start,
    offset: 0,
    duration: 0.1,
    loops: 60,
  }))

/** A 30 s remix: drums throughout, and bass as given. */
async function remixWith(bass: { gainDb: number; regions: readonly object[] }) {
  const recipe = {
    version: 2,
    campaign: SLUG,
    tempo: 100,
    timeSignature: [4, 4],
    length: 30,
    tracks: [
      { id: 't1', stem: `${SLUG}-drums`, regions: throughout('t1') },
      { id: 't2', stem: `${SLUG}-bass`, ...bass },
    ],
  }
  const res = await call('/api/remixes', {
    method: 'POST',
    ...json({ campaign: SLUG, title: 'Barely there', recipe }, fan),
  })
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { remix: RemixView }).remix
}

async function written() {
  const exports = await env.DB.prepare('SELECT COUNT(*) AS n FROM exports').first('n')
  const ledger = await eventCount('true')
  const objects = (await env.MEDIA.list()).objects.map((o) => o.key).sort()
  return { exports, ledger, objects }
}

describe('POST /api/exports: a stem counts toward the minimum only when heard for a while', () => {
  for (const [what, bass] of [
    [
      'a bass region one microsecond long',
      { gainDb: 0, regions: [{ id: 'us', start: 0, offset: 0, duration: 1e-6 }] },
    ],
    ['a bass track at -59.99 dB', { gainDb: -59.99, regions: throughout('t2') }],
  ] as const)
    it(`refuses ${what} with 422 naming the stem, writing nothing`, async () => {
      const remix = await remixWith(bass)
      const before = await written()
      const res = await requestExport(remix.id, 1, fan)
      expect(res.status).toBe(422)
      const { error } = (await res.json()) as Refusal
      expect(error.code).toBe('licence_violation')
      expect(error.violations.map((v) => v.code)).toEqual(['too_few_stems'])
      expect(error.message).toMatch(/^A remix must use at least 2 stems; this one uses 1 \(Drums\)/)
      expect(error.message).toMatch(
        /Bass \(0 s\) is heard above -40 dB for less than the 3 seconds, a tenth of this remix,/,
      )
      expect(await written()).toEqual(before)
    })
})
