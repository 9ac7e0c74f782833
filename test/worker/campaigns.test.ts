import { exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CampaignDetail, CampaignSummary } from '../../core/api/campaigns.ts'
import { manifest, seed, seedInput } from './fixture.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { env } from 'cloudflare:test'

const get = (path: string, init?: RequestInit) => exports.default.fetch(`http://x${path}`, init)

beforeAll(async () => {
  await seed()
})

describe('seed', () => {
  it('changes nothing when run again', async () => {
    expect(await seedCampaign(env, await seedInput())).toEqual({
      usersCreated: 0,
      objectsWritten: 0,
      rowsChanged: 0,
    })
  })
})

describe('GET /api/campaigns', () => {
  it('lists the seeded campaign', async () => {
    const res = await get('/api/campaigns')
    expect(res.status).toBe(200)
    const { campaigns } = (await res.json()) as { campaigns: CampaignSummary[] }
    expect(campaigns.map((c) => c.slug)).toEqual([manifest.slug])
    expect(campaigns[0]).toMatchObject({
      title: manifest.title,
      artist: manifest.artist,
      status: 'live',
    })
  })
})

describe('GET /api/campaigns/:slug', () => {
  it('gives the campaign with stems, analysis, credits and the licence in plain words', async () => {
    const res = await get(`/api/campaigns/${manifest.slug}`)
    expect(res.status).toBe(200)
    const { campaign } = (await res.json()) as { campaign: CampaignDetail }
    expect(campaign.stems.map((s) => s.name)).toEqual(manifest.stems.map((s) => s.name))
    expect(campaign.stems.find((s) => s.role === 'vocals')).toMatchObject({ isVoice: true })
    expect(campaign.stems[0]!.analysis).toMatchObject({ tempo: manifest.tempo, key: manifest.key })
    expect(campaign.credits).toEqual(manifest.credits)
    expect(campaign.splits.fanCreatorBps).toBe(manifest.splits.fanCreatorBps)
    expect(campaign.licenceSummary.length).toBeGreaterThan(3)
    expect(campaign.licenceSummary.join(' ')).toMatch(
      /pitch shift at most 2 semitones on voice stems/,
    )
    expect(campaign.licenceSummary.join(' ')).toMatch(/non-commercial/)
  })

  it('answers an unknown slug with a JSON 404', async () => {
    const res = await get('/api/campaigns/no-such-campaign')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: expect.stringContaining('no-such-campaign') },
    })
  })

  it('serves the artwork', async () => {
    const res = await get(`/api/campaigns/${manifest.slug}/artwork`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml')
    expect(await res.text()).toBe('<svg/>')
  })
})
