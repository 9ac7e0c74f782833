import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launch, watchErrors } from './browser.ts'
import { makeLongStem, makeTestStems } from './stems.ts'

const baseUrl = inject('baseUrl')
const files = makeTestStems()
// A 1×1 PNG: the artwork only has to be a real image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)
const TITLE = 'Tide Lines'
const SLUG = 'tide-lines'

let browser: Browser
let artist: Page
let errors: string[]

const step = (name: string) => artist.getByRole('link', { name: new RegExp(`^\\d\\. ${name}`) })
const stemRows = () => artist.getByTestId('stem-row')
const saved = () => artist.getByTestId('wizard-save').first().getAttribute('data-state')

async function logIn(page: Page, next: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL(new RegExp(`${next.replace(/\//g, '\\/')}$`))
}

beforeAll(async () => {
  browser = await launch()
  artist = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  errors = watchErrors(artist)
  artist.on('response', (r) => {
    if (r.status() >= 500) errors.push(`${r.status()} ${r.request().method()} ${r.url()}`)
  })
})

afterAll(async () => {
  await browser?.close()
  rmSync(files.dir, { recursive: true, force: true })
})

describe('an artist launches a campaign from their own stems', () => {
  it('starts from the console and is told when the address is taken', async () => {
    await logIn(artist, '/console', 'artist@stemfair.test', 'copper-moons-26')
    await artist.getByRole('link', { name: 'New campaign' }).click()
    await artist.waitForURL(/\/console\/campaigns\/new$/)
    await artist.getByLabel('Title').fill('Copper Moons')
    expect(await artist.getByLabel('Address').inputValue()).toBe('copper-moons')
    await artist.getByRole('button', { name: 'Create draft' }).click()
    await expect
      .poll(() => artist.getByTestId('slug-help').textContent())
      .toMatch(/\/c\/copper-moons is taken/)
    expect(await artist.getByLabel('Address').getAttribute('aria-invalid')).toBe('true')

    await artist.getByLabel('Title').fill(TITLE)
    await artist.getByLabel('Address').fill(SLUG)
    await artist.getByLabel('Description').fill('Three stems from a tidal session.')
    await artist.getByLabel(/Artist name/).fill('The Tide Lines')
    await artist.getByRole('button', { name: 'Create draft' }).click()
    await artist.waitForURL(/\/console\/campaigns\/[^/]+\/artwork$/)
  })

  it('uploads the artwork and sees it', async () => {
    await artist.locator('input[name=artwork]').setInputFiles({
      name: 'cover.png',
      mimeType: 'image/png',
      buffer: PNG,
    })
    await expect.poll(saved).toBe('saved')
    await expect
      .poll(() => artist.getByTestId('artwork-preview').getAttribute('src'))
      .toMatch(/^\/|^http/)
  })

  it('drops three stems at once; each is read by the worker and becomes ready', async () => {
    await step('Stems').click()
    await artist.waitForURL(/\/stems$/)
    await artist.locator('input[name=stems]').setInputFiles(files.stems.map((s) => s.path))
    const failed = artist.locator('[data-testid=upload-row][data-status=failed]')
    await expect
      .poll(async () => (await stemRows().count()) + (await failed.count()), { timeout: 60_000 })
      .toBe(3)
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([])
    expect(await failed.allTextContents()).toEqual([])
    await expect
      .poll(
        () => stemRows().evaluateAll((els) => els.map((el) => el.getAttribute('data-status'))),
        {
          timeout: 120_000,
        },
      )
      .toEqual(['ready', 'ready', 'ready'])
    expect(await artist.getByTestId('stem-problem').count()).toBe(0)
    expect(await stemRows().first().textContent()).toMatch(
      /WAV · 24-bit · 44\.1 kHz · stereo · 0:08/,
    )

    for (const { name } of files.stems) {
      const row = artist.locator(`[data-testid=stem-row][data-file="${name}.wav"]`)
      await row.getByLabel('Role').selectOption(name)
      await expect
        .poll(() => row.getByTestId('wizard-save').getAttribute('data-state'))
        .toBe('saved')
    }
  })

  it('is told the stems cannot carry the watermark, per stem and for the mix, before publishing', async () => {
    // A kick, a sine bass and a low chord: nothing between 1 and 6 kHz to carry the mark.
    const verdict = artist.getByTestId('markability')
    await expect
      .poll(() => verdict.getAttribute('data-level'), { timeout: 180_000 })
      .toBe('unmarkable')
    const words = (await verdict.textContent())!
    expect(words).toMatch(/Watermark: cannot carry the watermark/)
    expect(words).toMatch(/between 1 and 6 kHz/)
    expect(words).toMatch(/not read back/)
    expect(words).toMatch(/choose in the licence step what exports do/)
    expect(
      await artist
        .getByTestId('stem-markability')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-level'))),
    ).toEqual(['unmarkable', 'unmarkable', 'unmarkable'])
  })

  it('runs the null test against the reference mix', async () => {
    await artist.locator('input[name=reference]').setInputFiles(files.reference)
    await expect
      .poll(() => artist.getByTestId('null-test').getAttribute('data-residual'), {
        timeout: 120_000,
      })
      .not.toBeNull()
    const residual = Number(await artist.getByTestId('null-test').getAttribute('data-residual'))
    expect(residual).toBeLessThan(-60)
  })

  it('cannot publish yet: the review lists what is missing', async () => {
    await step('Review').click()
    await artist.getByRole('button', { name: 'Publish' }).click()
    await expect.poll(() => artist.getByTestId('publish-error').isVisible()).toBe(true)
    const missing = (await artist.getByTestId('missing').textContent())!
    expect(missing).toMatch(/licen[cs]e/i)
    expect(await artist.getByTestId('campaign-status').textContent()).toBe('draft')
  })

  it('picks a licence preset', async () => {
    await step('Licence').click()
    await artist.locator('[data-preset=open-remix]').click()
    await artist.getByRole('button', { name: 'Save licence' }).click()
    await expect.poll(() => artist.getByTestId('current-licence').isVisible()).toBe(true)
  })

  it('cannot publish until it chooses what unwatermarked exports do, then chooses', async () => {
    await step('Review').click()
    await expect
      .poll(() => artist.getByTestId('missing').textContent())
      .toMatch(/what exports do without a watermark/)
    await step('Licence').click()
    const choice = artist.getByTestId('unwatermarked-choice')
    await choice.getByLabel(/Allow exports without a watermark/).check()
    await expect
      .poll(() => choice.getByLabel(/Allow exports without a watermark/).isChecked())
      .toBe(true)
    await step('Review').click()
    // Splits are still missing; the watermark choice no longer is.
    await expect
      .poll(() => artist.getByTestId('missing').textContent())
      .not.toMatch(/without a watermark/)
  })

  it('sets splits and credits', async () => {
    await step('Splits').click()
    const editor = artist.getByTestId('splits-editor')
    await editor.getByLabel('Fan creator’s share (%)').fill('10')
    const holders = editor.getByLabel(/: rights holder 1$/)
    const shares = editor.getByLabel(/: share of rights holder 1 \(%\)$/)
    const count = await holders.count()
    expect(count).toBe(3)
    for (let i = 0; i < count; i++) {
      await holders.nth(i).fill('The Tide Lines')
      await shares.nth(i).fill('100')
    }
    if ((await editor.getByLabel('Contributor 1: name').count()) === 0)
      await editor.getByRole('button', { name: 'Add a contributor' }).click()
    await editor.getByLabel('Contributor 1: name').fill('The Tide Lines')
    await editor.getByLabel('Contributor 1: roles').fill('artist, producer')
    await editor.getByRole('button', { name: 'Save splits and credits' }).click()
    await expect.poll(() => editor.getByText('Splits and credits saved.').isVisible()).toBe(true)
  })

  it('publishes, and links to the public page', async () => {
    await step('Review').click()
    await expect.poll(() => artist.getByTestId('missing').count()).toBe(0)
    await artist.getByRole('button', { name: 'Publish' }).click()
    await expect
      .poll(() => artist.getByTestId('published').getAttribute('data-status'))
      .toBe('live')
    expect(
      await artist
        .getByRole('link', { name: 'Open the public campaign page' })
        .getAttribute('href'),
    ).toBe(`/c/${SLUG}`)
    // The refused requests (409 slug, 422 publish) are logged by Chromium; nothing else may be.
    expect(errors.filter((e) => !/status of (409|422)/.test(e))).toEqual([])
  })

  it('is listed in the console with its status', async () => {
    await artist.goto(`${baseUrl}/console`)
    const row = artist.locator(`[data-testid=artist-campaign][data-slug=${SLUG}]`)
    await expect.poll(() => row.textContent()).toMatch(/live/)
    expect(await row.getByTestId('campaign-markability').textContent()).toBe('cannot be carried')
    // The seeded demo was measured too (scripts/seed.ts), as ingest measures uploaded stems.
    const demo = artist.locator('[data-testid=artist-campaign][data-slug=copper-moons]')
    expect(await demo.getByTestId('campaign-markability').textContent()).toBe('carried')
  })
})

describe('a fan finds the new campaign', () => {
  it('on the home page, and opens it in the studio with one lane per stem', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    const fan = await context.newPage()
    const fanErrors = watchErrors(fan)
    await logIn(fan, '/', 'fan@stemfair.test', 'remix-it-all-26')
    await fan.getByRole('link', { name: new RegExp(TITLE) }).click()
    await fan.waitForURL(new RegExp(`/c/${SLUG}$`))
    // Told before exporting, on the campaign page and in the export dialog: no watermark here.
    await expect
      .poll(() => fan.getByTestId('export-notice').textContent())
      .toMatch(/go out without a watermark/)
    await fan.getByRole('link', { name: 'Remix in the studio' }).click()
    await fan.waitForURL(new RegExp(`/c/${SLUG}/studio$`))
    await expect.poll(() => fan.getByTestId('lane').count()).toBe(3)
    // The export dialog says it too (web/components/studio/ExportDialog.tsx); this licence
    // holds the default mix back, so here the studio's licence panel is what says it.
    await expect
      .poll(() => fan.getByTestId('licence-panel').getByTestId('export-notice').textContent())
      .toMatch(/go out without a watermark/)
    await expect
      .poll(() => fan.getByRole('button', { name: 'Play', exact: true }).isEnabled(), {
        timeout: 60_000,
      })
      .toBe(true)
    expect(fanErrors).toEqual([])
    await context.close()
  })

  it('but a fan has no campaign list in the console and cannot open the wizard', async () => {
    const context = await browser.newContext()
    const fan = await context.newPage()
    await logIn(fan, '/console', 'fan@stemfair.test', 'remix-it-all-26')
    await expect.poll(() => fan.getByTestId('fan-console').count()).toBe(1)
    expect(await fan.getByTestId('artist-campaigns').count()).toBe(0)
    await fan.goto(`${baseUrl}/console/campaigns/new`)
    await expect
      .poll(() => fan.locator('main').textContent())
      .toMatch(/Campaigns are made from artist accounts/)
    expect(await fan.getByLabel('Title').count()).toBe(0)
    await context.close()
  })
})

describe('a big master upload', () => {
  const partsSent: string[] = []
  let stemsPage: string

  it('survives a connection that keeps dropping one part: it fails, and stays resumable', async () => {
    await logIn(artist, '/console', 'artist@stemfair.test', 'copper-moons-26')
    const res = await artist.request.post(`${baseUrl}/api/artist/campaigns`, {
      data: { slug: 'long-take', title: 'Long Take', description: '' },
    })
    expect(res.status()).toBe(201)
    const { campaign } = (await res.json()) as { campaign: { id: string } }
    stemsPage = `${baseUrl}/console/campaigns/${campaign.id}/stems`
    await artist.goto(stemsPage)
    artist.on('request', (r) => {
      const part = /\/parts\/(\d+)$/.exec(r.url())
      if (r.method() === 'PUT' && part) partsSent.push(part[1]!)
    })
    await artist.route(/\/parts\/2$/, (route) => route.abort('connectionreset'))
    await artist.locator('input[name=stems]').setInputFiles(makeLongStem(files.dir))
    const row = artist.getByTestId('upload-row')
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('failed')
    expect(await row.textContent()).toMatch(/connection dropped/)
    // Part 2 was tried six times (the first attempt and five retries); the other parts got through.
    expect(partsSent.filter((n) => n === '2')).toHaveLength(6)
    expect([...new Set(partsSent)].sort()).toEqual(['1', '2', '3', '4'])
  })

  it('resumes after a reload: the same file dropped again sends only the missing part', async () => {
    await artist.unroute(/\/parts\/2$/)
    await artist.reload()
    await expect
      .poll(() => artist.getByTestId('unfinished-uploads').textContent())
      .toMatch(/long-take\.wav/)
    partsSent.length = 0
    await artist.locator('input[name=stems]').setInputFiles(join(files.dir, 'long-take.wav'))
    await expect.poll(() => stemRows().count(), { timeout: 60_000 }).toBe(1)
    expect(partsSent).toEqual(['2'])
    expect(await artist.getByTestId('unfinished-uploads').count()).toBe(0)
  })

  it('cancels an upload: the worker deletes it', async () => {
    const held: Route[] = []
    await artist.route(/\/parts\/\d+$/, (route) => void held.push(route))
    const created = artist.waitForResponse(
      (r) => r.url().endsWith('/uploads') && r.request().method() === 'POST',
    )
    await artist
      .locator('input[name=stems]')
      .setInputFiles(makeLongStem(files.dir, 'second-take.wav', 60))
    const { upload } = (await (await created).json()) as { upload: { id: string } }
    await expect.poll(() => held.length).toBeGreaterThan(0)
    const deleted = artist.waitForResponse((r) => r.request().method() === 'DELETE')
    await artist.getByRole('button', { name: 'Cancel upload of second-take.wav' }).click()
    expect((await deleted).status()).toBe(204)
    await artist.unroute(/\/parts\/\d+$/)
    for (const route of held) await route.abort().catch(() => undefined)
    expect(await artist.getByTestId('upload-row').count()).toBe(0)
    const gone = await artist.request.get(`${baseUrl}/api/artist/uploads/${upload.id}`)
    expect(gone.status()).toBe(404)
    expect(await stemRows().count()).toBe(1)
  })

  it('shows, per file, a stem whose sample rate does not match and what to fix', async () => {
    await artist
      .locator('input[name=stems]')
      .setInputFiles(makeLongStem(files.dir, 'other-session.wav', 4, 48_000))
    await expect.poll(() => stemRows().count(), { timeout: 60_000 }).toBe(2)
    await expect
      .poll(() => artist.getByTestId('stem-problem').allTextContents())
      .toEqual([expect.stringMatching(/48000 Hz.*44100 Hz|44100 Hz.*48000 Hz/)])
    await artist
      .locator('[data-testid=stem-row][data-file="other-session.wav"]')
      .getByRole('button', { name: /^Remove/ })
      .click()
    await expect.poll(() => stemRows().count()).toBe(1)
    await expect.poll(() => artist.getByTestId('stem-problem').count()).toBe(0)
  })

  it('refuses what is not a lossless master, saying why', async () => {
    await artist.locator('input[name=stems]').setInputFiles([
      { name: 'demo.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('ID3') },
      { name: 'notes.wav', mimeType: 'audio/wav', buffer: Buffer.from('these are my notes') },
    ])
    await expect
      .poll(() => artist.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringMatching(/demo\.mp3 is a lossy file/))
    const row = artist.locator('[data-testid=upload-row][data-file="notes.wav"]')
    await expect.poll(() => row.getAttribute('data-status')).toBe('failed')
    expect(await row.getByRole('alert').textContent()).not.toMatch(/Internal Server Error/)
    await row.getByRole('button', { name: 'Dismiss notes.wav' }).click()
    expect(await stemRows().count()).toBe(1)
  })
})
