import { env } from 'cloudflare:test'
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { CampaignAnalysis } from '../../core/analysis/types.ts'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { manifest, seedInput } from './fixture.ts'

const get = (path: string) => exports.default.fetch(`http://x${path}`)

const ANALYSIS: CampaignAnalysis = {
  version: 1,
  tempo: 100,
  timeSignature: [4, 4],
  beats: [0, 0.6, 1.2, 1.8, 2.4, 3, 3.6, 4.2],
  downbeats: [0, 2.4],
  key: 'D minor',
  keyConfidence: 0.12,
  sections: [
    { start: 0, end: 2.4, startBar: 0, endBar: 1, label: 'A' },
    { start: 2.4, end: 4.8, startBar: 1, endBar: 2, label: 'B' },
  ],
  loudness: { integratedLufs: -14.6, rangeLu: 8.5, truePeakDbtp: -1.5 },
}

async function detail(): Promise<CampaignDetail> {
  const res = await get(`/api/campaigns/${manifest.slug}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { campaign: CampaignDetail }).campaign
}

describe('the campaign analysis', () => {
  it('is null until the seed brings one, then served as stored; a repeat seed changes nothing', async () => {
    await seedCampaign(env, await seedInput())
    expect((await detail()).analysis).toBeNull()

    const input = { ...(await seedInput()), analysis: ANALYSIS }
    expect((await seedCampaign(env, input)).rowsChanged).toBe(1)
    expect((await detail()).analysis).toEqual(ANALYSIS)
    expect((await seedCampaign(env, input)).rowsChanged).toBe(0)
  })

  it("serves each stem's loudness and activity with the stem", async () => {
    const base = await seedInput()
    const stems = base.stems.map((s) => ({
      ...s,
      analysis: {
        ...s.analysis,
        loudness: { integratedLufs: -20, rangeLu: 3, truePeakDbtp: -9 },
        activity: [{ startBar: 0, endBar: 2 }],
      },
    }))
    await seedCampaign(env, { ...base, stems, analysis: ANALYSIS })
    const campaign = await detail()
    expect(campaign.stems[0]!.analysis.activity).toEqual([{ startBar: 0, endBar: 2 }])
    expect(campaign.stems[0]!.analysis.loudness?.integratedLufs).toBe(-20)
  })
})
