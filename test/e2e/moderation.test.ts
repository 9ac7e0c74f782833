import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import demo from '../../stems/manifest.json'
import { DEMO, launch, logIn, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
const CAMPAIGN_ID = 'cmp-copper-moons'
let browser: Browser
let artistContext: BrowserContext
let artist: Page
let artistErrors: string[]
let exportId: string
let licenceVersion: number

/** The status the worker answers for a share page and its API, seen by someone signed out. */
const statusOf = async (path: string) => (await fetch(`${baseUrl}${path}`)).status

beforeAll(async () => {
  browser = await launch()
  artistContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  artist = await artistContext.newPage()
  artistErrors = watchErrors(artist)
})

afterAll(async () => {
  // The demo campaign gets its own terms back (as a new version) for the tests that follow.
  await artistContext?.request
    .put(`${baseUrl}/api/artist/campaigns/${CAMPAIGN_ID}/licence`, {
      data: { policy: demo.licence },
    })
    .catch(() => null)
  await browser?.close()
})

describe('moderation of an approval-required campaign', () => {
  it('the artist makes the live demo campaign approval-required in the licence editor', async () => {
    await logIn(artist, baseUrl, DEMO.artist, `/console/campaigns/${CAMPAIGN_ID}/licence`)
    const editor = artist.getByTestId('licence-editor')
    const note = artist.getByTestId('licence-version-note')
    await expect.poll(() => note.textContent()).toMatch(/live\. Saving creates licence version \d+/)
    licenceVersion = Number(/version (\d+)/.exec((await note.textContent())!)![1])

    await editor.getByRole('button', { name: /Approval required/ }).click()
    const preview = artist.getByTestId('licence-preview')
    expect(await preview.textContent()).toMatch(
      /The artist approves a remix before it is shared publicly\./,
    )
    expect(
      await editor.getByLabel('Wait for my approval before a remix is shared publicly').isChecked(),
    ).toBe(true)

    // A value the engine cannot enforce is named next to its field, and blocks the save.
    const save = editor.getByRole('button', { name: 'Save licence' })
    const length = editor.getByLabel('Length of the remix: value').first()
    await length.fill('')
    await expect
      .poll(() => editor.locator('.le-issues').first().textContent())
      .toBe('outputDuration gteq needs a number of 0 or more')
    expect(await save.isDisabled()).toBe(true)
    expect(await preview.textContent()).toMatch(/One term is left out until fixed/)
    await length.fill('30')
    await expect.poll(() => save.isEnabled()).toBe(true)
    expect(await preview.textContent()).toMatch(/length at least 30 seconds/)

    await save.click()
    await expect.poll(() => editor.getByRole('status').textContent()).toBe('Licence saved.')
    await expect
      .poll(() => artist.getByTestId('current-licence').textContent())
      .toMatch(new RegExp(`version ${licenceVersion}\\)`))
    expect(await artist.getByTestId('current-licence').textContent()).toMatch(
      /The artist approves a remix before it is shared publicly/,
    )
  })

  it(
    'a fan’s export then waits for the artist: its share page does not exist yet',
    { timeout: 300_000 },
    async () => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
      const fan = await context.newPage()
      await logIn(fan, baseUrl, DEMO.fan, '/c/copper-moons/studio')
      await expect
        .poll(() => fan.getByTestId('licence-panel').textContent())
        .toMatch(/within the licence/)
      const exportButton = fan.getByRole('button', { name: 'Export', exact: true })
      await expect.poll(() => exportButton.isEnabled(), { timeout: 60_000 }).toBe(true)
      const created = fan.waitForResponse(
        (r) => new URL(r.url()).pathname === '/api/exports' && r.request().method() === 'POST',
        { timeout: 240_000 },
      )
      await exportButton.click()
      // the files the dialog suggests (MP3 320, WAV 24)
      await fan.getByRole('button', { name: 'Start export' }).click()
      const response = await created
      expect(response.status()).toBe(202)
      exportId = ((await response.json()) as { export: { id: string } }).export.id
      // Follow the export through the worker's pipeline (the dialog's own follow-up is the export
      // test's subject); a request that fails while the job runs is tried again.
      const statusNow = async () => {
        const res = await context.request
          .get(`${baseUrl}/api/exports/${exportId}`)
          .catch(() => null)
        if (!res?.ok()) return { status: 'unavailable', licenceVersion: 0 }
        return ((await res.json()) as { export: { status: string; licenceVersion: number } }).export
      }
      await expect
        .poll(async () => (await statusNow()).status, { timeout: 240_000, interval: 500 })
        .toMatch(/^(ready|rejected)$/)
      expect(await statusNow()).toMatchObject({ status: 'ready', licenceVersion })
      await context.close()

      expect(await statusOf(`/api/share/${exportId}`)).toBe(404)
      expect(await statusOf(`/r/${exportId}`)).toBe(404)
    },
  )

  it('waits in the artist’s queue with its audio, recipe and licence check; approving it publishes it', async () => {
    await artist.goto(`${baseUrl}/console`)
    await expect
      .poll(() => artist.locator('main').textContent(), { timeout: 60_000 })
      .toMatch(/Moderation: remixes waiting for approval/)
    await artist.getByRole('link', { name: 'Moderation', exact: true }).click()
    await artist.waitForURL(/\/console\/moderation$/)
    const item = artist.locator(`[data-testid=queue-item][data-export="${exportId}"]`)
    await expect.poll(() => item.getAttribute('data-kind')).toBe('approval')
    expect(await item.textContent()).toMatch(/waiting for approval/)
    expect(await item.textContent()).toMatch(/by Demo Fan/)
    expect(await item.getByTestId('licence-check').getAttribute('data-ok')).toBe('true')
    expect(await item.locator('ul.small li').count()).toBeGreaterThan(0)

    // The artist can listen: the audio element loads the export the public cannot reach yet.
    const audio = item.locator('audio')
    expect(await audio.getAttribute('src')).toBe(`/api/share/${exportId}/audio`)
    await audio.evaluate((a: HTMLAudioElement) => {
      a.preload = 'metadata'
      a.load()
    })
    await expect
      .poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration), { timeout: 60_000 })
      .toBeGreaterThan(30)

    await item.getByRole('button', { name: 'Approve' }).click()
    await expect
      .poll(() => artist.getByTestId('moderation-notice').textContent())
      .toMatch(/^Approved “.+”: its share page is public now\.$/)
    await expect.poll(() => item.count()).toBe(0)
    const shared = artist.locator(`[data-testid=shared-remixes] tr[data-export="${exportId}"]`)
    await expect.poll(() => shared.count()).toBe(1)
    const log = artist.getByTestId('audit-log')
    expect(await log.locator('tbody tr').first().getAttribute('data-action')).toBe('approve')
    expect(await log.locator('tbody tr').first().textContent()).toMatch(/Halcyon Drift.*approved/)

    expect(await statusOf(`/api/share/${exportId}`)).toBe(200)
    expect(await statusOf(`/r/${exportId}`)).toBe(200)
  })

  it('the share page appears, under the licence version it was made with, and takes a report', async () => {
    const context = await browser.newContext()
    const listener = await context.newPage()
    await listener.goto(`${baseUrl}/r/${exportId}`)
    await expect
      .poll(() =>
        listener.getByRole('heading', { name: `Licence (version ${licenceVersion})` }).count(),
      )
      .toBe(1)
    expect(await listener.locator('.licence').textContent()).toMatch(
      /The artist approves a remix before it is shared publicly/,
    )

    await listener.getByRole('button', { name: 'Report this remix' }).click()
    const form = listener.getByTestId('report-form')
    const send = form.getByRole('button', { name: 'Send report' })
    await form.getByLabel('What is wrong with this remix?').fill('ok')
    expect(await send.isDisabled()).toBe(true)
    expect(await form.textContent()).toMatch(/3 characters or more/)
    await form.getByLabel('What is wrong with this remix?').fill('The voice is pitched far down.')
    await send.click()
    await expect.poll(() => listener.getByTestId('report-sent').count()).toBe(1)

    // Reports are rate-limited per address: past the limit the page answers politely.
    let status = 0
    for (let i = 0; i < 12 && status !== 429; i++) {
      const res = await fetch(`${baseUrl}/api/share/${exportId}/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reason: `automated report ${i}` }),
      })
      status = res.status
      expect([201, 429]).toContain(status)
    }
    expect(status).toBe(429)
    await listener.reload()
    await listener.getByRole('button', { name: 'Report this remix' }).click()
    await listener.getByLabel('What is wrong with this remix?').fill('Once more, please.')
    await listener.getByRole('button', { name: 'Send report' }).click()
    await expect
      .poll(() => listener.getByTestId('report-limited').textContent())
      .toMatch(/Please wait a while/)
    await context.close()
  })

  it('the artist sees the report and takes the remix down with a reason; its page answers 410', async () => {
    await artist.reload()
    const item = artist.locator(`[data-testid=queue-item][data-export="${exportId}"]`)
    await expect.poll(() => item.getAttribute('data-kind')).toBe('report')
    expect(await item.textContent()).toMatch(/“The voice is pitched far down\.”/)

    await item.getByRole('button', { name: 'Take down…' }).click()
    const dialog = artist.getByRole('dialog')
    const confirm = dialog.getByRole('button', { name: 'Take down' })
    expect(await confirm.isDisabled()).toBe(true)
    await dialog.getByLabel('Reason').fill('Reported by listeners: the voice is altered.')
    await confirm.click()
    await expect
      .poll(() => artist.getByTestId('moderation-notice').textContent())
      .toMatch(/^Took down “.+”\.$/)
    expect(await artist.getByRole('dialog').count()).toBe(0)
    await expect.poll(() => item.count()).toBe(0)
    const shared = artist.locator(`[data-testid=shared-remixes] tr[data-export="${exportId}"]`)
    expect(await shared.getAttribute('data-status')).toBe('taken_down')
    expect(await shared.getByRole('button', { name: 'Take down…' }).count()).toBe(0)
    const top = artist.getByTestId('audit-log').locator('tbody tr').first()
    expect(await top.getAttribute('data-action')).toBe('takedown')
    expect(await top.textContent()).toMatch(
      /took down.*Reported by listeners: the voice is altered\./,
    )
    expect(artistErrors).toEqual([])

    expect(await statusOf(`/r/${exportId}`)).toBe(410)
    expect(await statusOf(`/api/share/${exportId}`)).toBe(410)
    expect(await statusOf(`/api/share/${exportId}/audio`)).toBe(410)
    const context = await browser.newContext()
    const listener = await context.newPage()
    // Opened from a link: the worker's own page says so.
    const page = await listener.goto(`${baseUrl}/r/${exportId}`)
    expect(page?.status()).toBe(410)
    expect(await listener.getByRole('heading', { level: 1 }).textContent()).toBe(
      'This remix was taken down',
    )
    // Reached inside the app (an open tab, a link in the console): the share page says it too.
    await listener.goto(baseUrl)
    await listener.evaluate((path) => {
      window.history.pushState(null, '', path)
      window.dispatchEvent(new PopStateEvent('popstate'))
    }, `/r/${exportId}`)
    const notice = listener.getByTestId('share-error')
    await expect.poll(() => notice.getAttribute('data-status')).toBe('410')
    expect(await notice.getByRole('heading', { level: 1 }).textContent()).toBe(
      'This remix was taken down',
    )
    expect(await notice.textContent()).toMatch(
      /The artist has taken this remix down\. It can no longer be played or downloaded\./,
    )
    await context.close()
  })
})
