import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import { DEMO, launch, logIn, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
let browser: Browser
let page: Page
let errors: string[]

beforeAll(async () => {
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  errors = watchErrors(page)
})

afterAll(async () => {
  await browser?.close()
})

describe('the analysis of the demo campaign', () => {
  it('is served with the campaign: 100 BPM, D minor, 40 bars, labelled sections', async () => {
    const res = await fetch(`${baseUrl}/api/campaigns/copper-moons`)
    const { campaign } = (await res.json()) as { campaign: CampaignDetail }
    const analysis = campaign.analysis!
    expect(Math.abs(analysis.tempo - 100)).toBeLessThanOrEqual(1)
    expect(analysis.key).toBe('D minor')
    expect(analysis.downbeats).toHaveLength(40)
    expect(analysis.sections.length).toBeGreaterThanOrEqual(4)
    for (const stem of campaign.stems) {
      expect(stem.analysis.loudness?.integratedLufs).toBeLessThan(-10)
      expect(stem.analysis.activity?.length).toBeGreaterThan(0)
    }
  })

  it('is drawn on the studio ruler: a band per section and a line per beat, bars marked', async () => {
    await logIn(page, baseUrl, DEMO.fan, '/c/copper-moons/studio')
    const ruler = page.getByTestId('ruler')
    await expect.poll(() => ruler.getByTestId('section-band').count()).toBeGreaterThanOrEqual(4)
    const labels = await ruler
      .getByTestId('section-band')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-label')))
    expect(labels[0]).toBe('A')
    expect(new Set(labels).size).toBeLessThan(labels.length) // the second chorus repeats a label
    expect(await ruler.getByTestId('downbeat').count()).toBe(40)
    expect(await ruler.getByTestId('beat').count()).toBe(120)
    // The first chorus (stems/README.md: bars 17–24) has its own band.
    expect(await ruler.locator('[title*="bars 17–24"]').count()).toBe(1)
    expect(errors).toEqual([])
  })
})
