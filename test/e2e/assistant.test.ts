// The assistant's whole story in Chromium: a fan asks for "ambient", auditions the three proposals,
// applies one, undoes it, applies another, exports, and the share page discloses what the AI did.
import { parseBuffer } from 'music-metadata'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createHash } from 'node:crypto'
import { decodeSource } from '../../core/artwork/image.ts'
import { encodePng } from '../../core/artwork/png.ts'
import { artworkSource, rasterizeArtwork } from '../../core/artwork/raster.ts'
import { artworkFeatures, artworkOf, planOf } from '../../core/artwork/request.ts'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { DEMO, launch, logIn, watchErrors, watchServerFailures } from './browser.ts'
import { EMBEDDED_COVER_BYTES, embeddedCoverFrom } from '../../core/artwork/cover.ts'

const baseUrl = inject('baseUrl')
const SEED = 4242
let browser: Browser
let page: Page
let errors: string[]
let server: ReturnType<typeof watchServerFailures>
let shareUrl: string
let mp3Url: string
let pngUrl: string
let remixId: string
let applied: { name: string; arrangement: string }

type SavedAction = { tool: string; provider: string; parameters: Record<string, unknown> }
type SavedRemix = {
  recipe: { aiActions: SavedAction[]; tracks: { gainDb: number; regions: unknown[] }[] }
}

const panel = () => page.getByTestId('assistant')
const cards = () =>
  panel()
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading') })
const playButton = () =>
  page
    .getByRole('toolbar', { name: 'Studio tools' })
    .getByRole('button', { name: /^(Play|Pause)$/ })

/** What the fan sees of the arrangement: every region (where, how long) and every track's gain. */
async function arrangement(): Promise<string> {
  const regions = await page
    .getByTestId('region')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
  const gains = await page
    .getByRole('region', { name: 'Mixer' })
    .getByRole('slider', { name: / gain$/ })
    .evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('aria-label')}=${(e as HTMLInputElement).value}`),
    )
  return JSON.stringify({ regions, gains })
}

async function savedRemix(id: string): Promise<SavedRemix> {
  return page.evaluate(async (remix) => {
    const res = await fetch(`/api/remixes/${remix}`)
    return ((await res.json()) as { remix: SavedRemix }).remix
  }, id)
}

beforeAll(async () => {
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
  errors = watchErrors(page)
  server = watchServerFailures(page)
})

afterAll(async () => {
  await browser?.close()
})

describe('from "ambient" to a published remix that says what the AI did', () => {
  it('answers "ambient" with three distinct proposals, each naming its provider', async () => {
    await logIn(page, baseUrl, DEMO.fan, '/c/copper-moons/studio')
    await expect.poll(() => playButton().isEnabled(), { timeout: 60_000 }).toBe(true)

    const toggle = page.getByRole('button', { name: 'Assistant (A)' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('a')
    await expect.poll(() => panel().isVisible()).toBe(true)
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    expect(await panel().getByRole('heading', { name: 'Remix assistant' }).count()).toBe(1)

    await panel().getByLabel('Intent', { exact: true }).selectOption('ambient')
    await panel().getByLabel('Seed', { exact: true }).fill(String(SEED))
    await panel().getByRole('button', { name: 'Generate', exact: true }).click()
    await expect.poll(() => cards().count()).toBe(3)
    const names = await cards().getByRole('heading').allTextContents()
    expect(new Set(names).size).toBe(3)
    for (const name of names) expect(name.trim()).not.toBe('')
    const descriptions = await cards().allTextContents()
    expect(new Set(descriptions).size).toBe(3)
    const providers = await cards()
      .getByText(/provider:/)
      .allTextContents()
    expect(providers).toHaveLength(3)
    // A proposal may add a part generated from stored notes: "provider: local · with a generated …".
    for (const text of providers) expect(text).toMatch(/provider: local( · |$)/)
    expect(await page.getByTestId('assistant-seed').textContent()).toMatch(
      new RegExp(`Ambient.*seed ${SEED}`, 'i'),
    )
  })

  it('auditions each of the three through the player without changing the remix', async () => {
    const before = await arrangement()
    for (let i = 0; i < 3; i++) {
      const button = cards().nth(i).getByRole('button', { name: 'Audition' })
      await button.click()
      const stop = cards().nth(i).getByRole('button', { name: 'Stop audition' })
      await expect.poll(() => stop.getAttribute('aria-pressed')).toBe('true')
      await expect.poll(() => playButton().getAttribute('aria-label')).toBe('Pause')
      // Only one proposal plays at a time.
      expect(await panel().getByRole('button', { name: 'Stop audition' }).count()).toBe(1)
    }
    await cards().nth(2).getByRole('button', { name: 'Stop audition' }).click()
    await expect.poll(() => playButton().getAttribute('aria-label')).toBe('Play')
    expect(await panel().getByRole('button', { name: 'Stop audition' }).count()).toBe(0)
    expect(await arrangement()).toBe(before)
  })

  it('applies one as a single undo step, undoes it, and applies another', async () => {
    const before = await arrangement()
    const names = await cards().getByRole('heading').allTextContents()

    await cards().nth(0).getByRole('button', { name: 'Apply' }).click()
    await expect.poll(arrangement).not.toBe(before)
    const first = await arrangement()

    // One keystroke takes the whole proposal back.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('ControlOrMeta+z')
    await expect.poll(arrangement).toBe(before)

    await cards().nth(1).getByRole('button', { name: 'Apply' }).click()
    await expect.poll(arrangement).not.toBe(before)
    const second = await arrangement()
    expect(second).not.toBe(first)

    // The toolbar's Undo and Redo walk the same single step.
    const tools = page.getByRole('toolbar', { name: 'Studio tools' })
    await tools.getByRole('button', { name: 'Undo', exact: true }).click()
    await expect.poll(arrangement).toBe(before)
    await tools.getByRole('button', { name: 'Redo', exact: true }).click()
    await expect.poll(arrangement).toBe(second)

    await expect
      .poll(() => page.getByTestId('licence-panel').textContent())
      .toContain('within the licence')
    applied = { name: names[1]!.trim(), arrangement: second }
  })

  it('saves the applied proposal with the assistant named as an AI action', async () => {
    await expect
      .poll(() => page.getByTestId('save-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('saved')
    await page.waitForURL(/\/remix\/[A-Za-z0-9_-]+$/)
    remixId = new URL(page.url()).pathname.split('/').pop()!
    const remix = await savedRemix(remixId)
    const assistant = remix.recipe.aiActions.filter((a) => a.tool === 'stemfair-assistant')
    // Only the kept proposal: the undone one left no trace.
    expect(assistant).toEqual([
      expect.objectContaining({
        provider: 'local',
        parameters: expect.objectContaining({
          intent: 'ambient',
          seed: SEED,
          proposal: applied.name,
        }),
      }),
    ])
    const regions = remix.recipe.tracks.reduce((n, t) => n + t.regions.length, 0)
    expect(regions).toBe(await page.getByTestId('region').count())
  })

  it("makes artwork from the official images and the fan's words, saved with the remix", async () => {
    await page
      .getByRole('toolbar', { name: 'Studio tools' })
      .getByRole('button', { name: 'Artwork', exact: true })
      .click()
    const artwork = page.getByRole('region', { name: 'Artwork' })
    await expect.poll(() => artwork.isVisible(), { timeout: 30_000 }).toBe(true)
    await artwork.getByLabel('Your words').fill('calm, dreamy, floating')
    await expect
      .poll(() => artwork.getByTestId('artwork-words').textContent())
      .toMatch(/Steering with: .*calm.*dreamy.*floating/)
    const variants = artwork.getByRole('radiogroup', { name: 'Variants' }).getByRole('radio')
    expect(await variants.count()).toBeGreaterThan(1)
    await variants.nth(1).click()
    await expect.poll(() => variants.nth(1).getAttribute('aria-checked')).toBe('true')
    const seed = Number(/Seed (\d+)/.exec((await variants.nth(1).getAttribute('title'))!)![1])
    const use = artwork.getByRole('button', { name: 'Use as cover art' })
    await expect.poll(() => use.isEnabled(), { timeout: 30_000 }).toBe(true)
    await use.click()
    await expect
      .poll(() => artwork.getByRole('status').textContent(), { timeout: 60_000 })
      .toMatch(/^Saved|error|could not/i)
    expect(await artwork.getByRole('status').textContent()).toMatch(/^Saved/)
    const remix = await savedRemix(remixId)
    expect(remix.recipe.aiActions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tool: 'stemfair-artwork',
          provider: 'local',
          parameters: expect.objectContaining({
            seed,
            words: 'calm, dreamy, floating',
            width: 3000,
            height: 3000,
          }),
        }),
        expect.objectContaining({ tool: 'stemfair-assistant' }),
      ]),
    )
    // Setting the artwork did not change the music.
    expect(await arrangement()).toBe(applied.arrangement)
  })

  it('exports the remix with progress', { timeout: 300_000 }, async () => {
    const exportButton = page
      .getByRole('toolbar', { name: 'Studio tools' })
      .getByRole('button', { name: 'Export', exact: true })
    await expect.poll(() => exportButton.isEnabled(), { timeout: 60_000 }).toBe(true)
    await exportButton.click()
    const dialog = page.getByRole('dialog', { name: 'Export' })
    // the files the dialog suggests (MP3 320, WAV 24)
    await dialog.getByRole('button', { name: 'Start export' }).click()
    await expect
      .poll(() => dialog.getAttribute('data-step'), { timeout: 280_000, interval: 100 })
      .toMatch(/ready|failed/)
    expect(await dialog.textContent()).not.toMatch(/licence does not allow|failed/i)
    expect(await dialog.getAttribute('data-step')).toBe('ready')
    shareUrl = new URL((await page.getByTestId('share-link').getAttribute('href'))!, baseUrl).href
    mp3Url = new URL((await page.getByTestId('download-mp3-320').getAttribute('href'))!, baseUrl)
      .href
    pngUrl = new URL((await page.getByTestId('download-cover-png').getAttribute('href'))!, baseUrl)
      .href
    await dialog.getByRole('button', { name: 'Close' }).click()
    // What was exported is what was applied.
    expect(await arrangement()).toBe(applied.arrangement)
  })

  it("embeds the artwork as the MP3's front cover (a JPEG ≤ 1 MB), the PNG its own download", async () => {
    const res = await fetch(mp3Url)
    expect(res.status).toBe(200)
    const { common } = await parseBuffer(new Uint8Array(await res.arrayBuffer()), {
      mimeType: 'audio/mpeg',
    })
    expect(common.picture).toEqual([expect.objectContaining({ format: 'image/jpeg' })])
    expect(common.picture![0]!.data.length).toBeLessThanOrEqual(EMBEDDED_COVER_BYTES)
    // The cover is the worker's render of the saved plan: core renders the same bytes in Node.
    const remix = (await savedRemix(remixId)) as unknown as { recipe: Recipe }
    const art = artworkOf(remix.recipe)!
    const { campaign } = (await (await fetch(`${baseUrl}/api/campaigns/copper-moons`)).json()) as {
      campaign: CampaignDetail
    }
    const images = await Promise.all(
      art.request.sources.map(async (id) => {
        const url =
          id === 'cover' ? campaign.artworkUrl! : campaign.images.find((i) => i.id === id)!.url
        return new Uint8Array(await (await fetch(new URL(url, baseUrl))).arrayBuffer())
      }),
    )
    const features = artworkFeatures(campaign, campaign.stems, remix.recipe.tempo)
    const png = encodePng(
      rasterizeArtwork(
        planOf(features, art.request),
        3000,
        images.map((b) => artworkSource(decodeSource(b))),
      ),
    )
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
    expect(sha(png)).toBe(art.sha256)
    // the file's cover is core's JPEG of that render; the 3000×3000 PNG downloads as it is
    expect(sha(common.picture![0]!.data)).toBe(sha(embeddedCoverFrom(png).data))
    const download = new Uint8Array(await (await fetch(pngUrl)).arrayBuffer())
    expect(sha(download)).toBe(art.sha256)
  })

  it('shows the AI disclosure, the artwork and a verified manifest naming the assistant and the artwork on the share page', async () => {
    const share = await browser.newPage()
    const shareErrors = watchErrors(share)
    await share.goto(shareUrl)
    await expect
      .poll(() => share.getByTestId('ai-label').textContent())
      .toMatch(/AI-assisted remix of officially licensed stems/)

    // The cover art the fan made, loaded (a broken image would be removed from the page).
    const cover = share.getByRole('img', { name: /^Cover art of this remix/ })
    await expect
      .poll(
        async () =>
          (await cover.count()) === 1
            ? cover.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))
            : -1,
        { timeout: 30_000 },
      )
      .toBe(3000)

    const provenance = share.getByRole('region', { name: 'Provenance' })
    await expect
      .poll(() => share.getByTestId('manifest').getAttribute('data-state'), { timeout: 30_000 })
      .toMatch(/^(verified|not-verified|error)$/)
    expect(await provenance.getByTestId('manifest-status').textContent()).toMatch(
      /^✓ Manifest verified — signed by Stemfair .* checked in your browser$/,
    )
    expect(await share.getByTestId('manifest').getAttribute('data-state')).toBe('verified')
    expect(await provenance.getByTestId('manifest-disclosure').textContent()).toMatch(
      /^AI-assisted remix of officially licensed stems \(arrangement assistant, cover art\)/,
    )
    // Generated material is disclosed: not "human edits only".
    expect(await provenance.getByTestId('manifest-source-type').textContent()).toMatch(
      /IPTC (compositeSynthetic|compositeWithTrainedAlgorithmicMedia)/,
    )
    const actions = provenance.getByRole('table')
    const assistantRow = actions.getByRole('row', { name: /stemfair-assistant/ })
    expect(await assistantRow.count()).toBe(1)
    expect(await assistantRow.getByRole('cell').allTextContents()).toEqual(
      expect.arrayContaining(['stemfair-assistant', 'local', String(SEED)]),
    )
    expect(await actions.getByRole('row', { name: /stemfair-artwork/ }).count()).toBe(1)

    expect(shareErrors).toEqual([])
    await share.close()
  })

  it('logged no console errors in the studio, and the server failed no request', () => {
    if (server.dropped.length) console.warn('vite preview dropped (page retried):', server.dropped)
    expect(server.failed).toEqual([])
    expect(server.besides(errors)).toEqual([])
  })
})
