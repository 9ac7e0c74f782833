import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import { decodeHeads, STEM_HEADS_TYPE } from '../../core/api/stem-heads.ts'
import { ARTIST, FAN, manifest, seed, stemBytes } from './fixture.ts'
import { call, login } from './http.ts'

let stems: CampaignDetail['stems']
const heads = (ids: readonly string[], bytes: number | string, cookie?: string) =>
  call(`/api/stems/heads?ids=${ids.map(encodeURIComponent).join(',')}&bytes=${bytes}`, {
    headers: cookie ? { Cookie: cookie } : {},
  })

beforeAll(async () => {
  await seed()
  const res = await call(`/api/campaigns/${manifest.slug}`)
  stems = ((await res.json()) as { campaign: CampaignDetail }).campaign.stems
})

describe('GET /api/stems/heads', () => {
  it("answers every named stem's first bytes in the order asked, with its size and ETag", async () => {
    const ids = [stems[2]!.id, stems[0]!.id, stems[1]!.id]
    const res = await heads(ids, 300)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(STEM_HEADS_TYPE)
    expect(res.headers.get('Cache-Control')).toMatch(/^public/)
    const got = decodeHeads(await res.arrayBuffer())
    expect(got.map((h) => h.id)).toEqual(ids)
    for (const [i, index] of [2, 0, 1].entries()) {
      expect(got[i]!.bytes).toEqual(stemBytes(index).slice(0, 300))
      expect(got[i]!.total).toBe(10_000)
      // the ETag the stem's own route answers: the rest, asked for by Range, is checked against it
      const audio = await call(stems[index]!.audioUrl)
      await audio.arrayBuffer()
      expect(got[i]!.etag).toBe(audio.headers.get('ETag'))
    }
  })

  it('answers a whole stem shorter than the bytes asked for', async () => {
    const [head] = decodeHeads(await (await heads([stems[3]!.id], 65_536)).arrayBuffer())
    expect(head!.bytes).toEqual(stemBytes(3))
    expect(head!.length).toBe(10_000)
  })

  it('refuses a malformed request with a JSON 400', async () => {
    const id = stems[0]!.id
    for (const query of [
      `ids=${id}`,
      `ids=${id}&bytes=0`,
      `ids=${id}&bytes=lots`,
      `ids=${id}&bytes=${1024 * 1024}`,
      'ids=&bytes=10',
      `ids=${Array.from({ length: 33 }, () => id).join(',')}&bytes=10`,
    ]) {
      const res = await call(`/api/stems/heads?${query}`)
      expect(res.status, query).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_request' } })
    }
  })

  it('answers 404 when any stem named does not exist', async () => {
    const res = await heads([stems[0]!.id, 'nope'], 100)
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it("keeps a draft campaign's stems to its owner, never cached publicly", async () => {
    const ids = [stems[0]!.id, stems[1]!.id]
    await env.DB.prepare(`UPDATE campaigns SET status = 'draft' WHERE slug = ?1`)
      .bind(manifest.slug)
      .run()
    try {
      expect((await heads(ids, 100)).status).toBe(404)
      expect((await heads(ids, 100, await login(FAN.email, FAN.password))).status).toBe(404)
      const own = await heads(ids, 100, await login(ARTIST.email, ARTIST.password))
      expect(own.status).toBe(200)
      expect(own.headers.get('Cache-Control')).toBe('private, no-store')
      expect(decodeHeads(await own.arrayBuffer()).map((h) => h.bytes)).toEqual([
        stemBytes(0).slice(0, 100),
        stemBytes(1).slice(0, 100),
      ])
    } finally {
      await env.DB.prepare(`UPDATE campaigns SET status = 'live' WHERE slug = ?1`)
        .bind(manifest.slug)
        .run()
    }
  })
})

describe('GET /api/campaigns/:slug/heads', () => {
  const campaignHeads = (slug: string, bytes: number | string) =>
    call(`/api/campaigns/${slug}/heads?bytes=${bytes}`)

  it("answers every stem's first bytes in the campaign's order, as the stems' own heads", async () => {
    const res = await campaignHeads(manifest.slug, 300)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(STEM_HEADS_TYPE)
    expect(res.headers.get('Cache-Control')).toMatch(/^public/)
    const got = decodeHeads(await res.arrayBuffer())
    expect(got.map((h) => h.id)).toEqual(stems.map((s) => s.id))
    const byIds = decodeHeads(
      await (
        await heads(
          stems.map((s) => s.id),
          300,
        )
      ).arrayBuffer(),
    )
    expect(got).toEqual(byIds)
    expect(got[0]!.bytes).toEqual(stemBytes(0).slice(0, 300))
  })

  it('refuses a malformed request with a JSON 400', async () => {
    for (const bytes of ['', '0', 'lots', String(1024 * 1024)]) {
      const res = await campaignHeads(manifest.slug, bytes)
      expect(res.status, bytes).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_request' } })
    }
  })

  it('answers 404 for a campaign that does not exist, or is a draft, as the campaign does', async () => {
    const missing = await campaignHeads('no-such-campaign', 100)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } })
    await env.DB.prepare(`UPDATE campaigns SET status = 'draft' WHERE slug = ?1`)
      .bind(manifest.slug)
      .run()
    try {
      const own = await call(`/api/campaigns/${manifest.slug}/heads?bytes=100`, {
        headers: { Cookie: await login(ARTIST.email, ARTIST.password) },
      })
      expect(own.status).toBe(404)
      expect((await call(`/api/campaigns/${manifest.slug}`)).status).toBe(404)
    } finally {
      await env.DB.prepare(`UPDATE campaigns SET status = 'live' WHERE slug = ?1`)
        .bind(manifest.slug)
        .run()
    }
  })
})
