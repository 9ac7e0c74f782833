import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseBuffer } from 'music-metadata'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launch, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
let browser: Browser
let page: Page
let errors: string[]
let mp3Url: string
let flacUrl: string
let shareUrl: string

beforeAll(async () => {
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })
  errors = watchErrors(page)
})

afterAll(async () => {
  await browser?.close()
})

/**
 * The status of the page's POST /plays: the redemption of its play ticket, sent once the listener
 * heard 30 s (or the whole of a shorter remix).
 */
function redeemedPlay(p: Page): Promise<number> {
  return p
    .waitForResponse((r) => r.url().includes('/plays') && r.request().method() === 'POST', {
      timeout: 120_000,
    })
    .then((r) => r.status())
}

describe('export from the studio to a shared, credited MP3', () => {
  it(
    'shows the remix is within the licence, then exports it with progress',
    { timeout: 240_000 },
    async () => {
      await page.goto(`${baseUrl}/login?next=/c/copper-moons/studio`)
      await page.getByLabel('Email').fill('fan@stemfair.test')
      await page.getByLabel('Password').fill('remix-it-all-26')
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.waitForURL(/\/studio$/)
      await expect
        .poll(() => page.getByTestId('licence-panel').textContent())
        .toMatch(/within the licence/)
      // The fan edits: the drums down 2 dB (the studio saves before it exports).
      const drums = page.getByLabel('Drums gain', { exact: true })
      const before = Number(await drums.inputValue())
      await drums.focus()
      for (let i = 0; i < 4; i++) await drums.press('ArrowDown')
      await expect.poll(async () => Number(await drums.inputValue())).toBe(before - 2)
      const exportButton = page.getByRole('button', { name: 'Export', exact: true })
      await expect.poll(() => exportButton.isEnabled(), { timeout: 60_000 }).toBe(true)
      const posted = page.waitForRequest(
        (r) => new URL(r.url()).pathname === '/api/exports' && r.method() === 'POST',
      )
      await exportButton.click()
      // The dialog asks which files to make, saying what each is; the fan takes FLAC and MP3 192.
      const dialog = page.getByTestId('export-dialog')
      await expect.poll(() => dialog.getAttribute('data-step')).toBe('choosing')
      const box = (label: string) => dialog.getByRole('checkbox', { name: label })
      expect(await box('MP3, 320 kbit/s').isChecked()).toBe(true)
      expect(await box('WAV, 24-bit').isChecked()).toBe(true)
      await box('MP3, 320 kbit/s').uncheck()
      await box('WAV, 24-bit').uncheck()
      expect(await dialog.getByRole('button', { name: 'Start export' }).isDisabled()).toBe(true)
      await box('FLAC, 24-bit (lossless)').check()
      await box('MP3, 192 kbit/s').check()
      await dialog.getByRole('button', { name: 'Start export' }).click()
      // The browser sends the remix, its version and the formats, not audio: the server renders.
      const request = await posted
      expect(request.headers()['content-type']).toMatch(/^application\/json/)
      expect(request.headers()['idempotency-key']).toMatch(/^[\x21-\x7e]{8,}$/)
      const asked = JSON.parse(request.postData()!) as {
        remix: string
        version: number
        formats: string[]
      }
      expect(Object.keys(asked).sort()).toEqual(['formats', 'remix', 'version'])
      expect(asked.formats).toEqual(['mp3-192', 'flac'])
      const steps = new Set<string>()
      await expect
        .poll(
          async () => {
            const step = (await dialog.getAttribute('data-step')) ?? ''
            steps.add(step)
            return step
          },
          { timeout: 200_000, interval: 100 },
        )
        .toMatch(/ready|failed/)
      expect(await dialog.textContent()).not.toMatch(/licence does not allow|failed/i)
      expect(await dialog.getAttribute('data-step')).toBe('ready')
      // The job's own progress, as the server reported it.
      expect(steps.has('rendering')).toBe(true)
      expect(steps.has('uploading')).toBe(false)
      // What was exported is the saved, edited version.
      const remix = await page.request.get(`${baseUrl}/api/remixes/${asked.remix}`)
      const saved = (await remix.json()) as {
        remix: { version: number; recipe: { tracks: { stem: string; gainDb: number }[] } }
      }
      expect(saved.remix.version).toBe(asked.version)
      expect(saved.remix.recipe.tracks.find((t) => t.stem.endsWith('-drums'))!.gainDb).toBe(
        before - 2,
      )
      // Each file is listed with what it is and its size.
      const listed = (await dialog.locator('.downloads').textContent())!
      expect(listed).toMatch(/MP3, 192 kbit\/s\s*\d[\d.]* MB/)
      expect(listed).toMatch(/FLAC, 24-bit \(lossless\)\s*\d[\d.]* MB/)
      mp3Url = new URL((await page.getByTestId('download-mp3-192').getAttribute('href'))!, baseUrl)
        .href
      flacUrl = new URL((await page.getByTestId('download-flac').getAttribute('href'))!, baseUrl)
        .href
      // The browser downloads the FLAC as a named file that the reference decoder tests clean.
      const downloading = page.waitForEvent('download')
      await page.getByTestId('download-flac').click()
      const download = await downloading
      expect(download.suggestedFilename()).toBe('Copper Moons (remix) (Stemfair remix, flac).flac')
      const path = join(mkdtempSync(join(tmpdir(), 'export-')), 'remix.flac')
      await download.saveAs(path)
      execFileSync('flac', ['-t', '-s', path])
      const probe = execFileSync(
        'ffprobe',
        [
          '-v',
          'error',
          '-show_entries',
          'stream=codec_name,sample_rate,bits_per_raw_sample',
          '-of',
          'csv=p=0',
          path,
        ],
        { encoding: 'utf8' },
      )
      expect(probe.trim()).toBe('flac,44100,24')
      shareUrl = new URL((await page.getByTestId('share-link').getAttribute('href'))!, baseUrl).href
    },
  )

  it('downloads the MP3 and the FLAC, whose tags carry the credits, the AI label and the export id', async () => {
    const res = await fetch(mp3Url)
    expect(res.status).toBe(200)
    const bytes = new Uint8Array(await res.arrayBuffer())
    const { common, native, format } = await parseBuffer(bytes, { mimeType: 'audio/mpeg' })
    expect(format.codec).toMatch(/MPEG/)
    expect(format.duration).toBeGreaterThan(90)
    expect(common.title).toBe('Copper Moons (remix)')
    expect(common.artist).toMatch(/Halcyon Drift/)
    expect(common.artist).toMatch(/Demo Fan/)
    const frames = Object.values(native).flat()
    const text = JSON.stringify(frames)
    // a remix edited by hand says so, and carries no AI label
    expect(text).toMatch(/Remix of officially licensed stems, edited by hand: no AI/)
    expect(text).not.toMatch(/AI-assisted/)
    expect(text).toMatch(/Mira Vale/)
    expect(text).toMatch(/Stemfair Demo Records/)
    const exportId = shareUrl.split('/').pop()!
    expect(text).toContain(exportId)
    // The file is the one the server rendered and signed: its hash is in the signed manifest.
    const manifest = (await (
      await fetch(new URL(`/api/manifests/${exportId}`, baseUrl))
    ).json()) as {
      manifest: { outputs: Record<string, { sha256: string }> }
    }
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex')
    expect(manifest.manifest.outputs['mp3-192']!.sha256).toBe(digest)
    expect(Object.keys(manifest.manifest.outputs).sort()).toEqual(['flac', 'mp3-192'])
    // The 192 kbit/s the fan chose.
    expect(format.bitrate).toBe(192_000)
    // And the FLAC: lossless, the same tags, its hash signed too.
    const flac = new Uint8Array(await (await fetch(flacUrl)).arrayBuffer())
    const lossless = await parseBuffer(flac, { mimeType: 'audio/flac' })
    expect(lossless.format).toMatchObject({ codec: 'FLAC', lossless: true, bitsPerSample: 24 })
    expect(lossless.common.title).toBe('Copper Moons (remix)')
    const flacDigest = Buffer.from(await crypto.subtle.digest('SHA-256', flac)).toString('hex')
    expect(manifest.manifest.outputs['flac']!.sha256).toBe(flacDigest)
  })

  it('refuses the same download link once tampered with', async () => {
    const tampered = mp3Url.replace(
      /sig=([0-9a-f])/,
      (_, c: string) => `sig=${c === '0' ? '1' : '0'}`,
    )
    expect((await fetch(tampered)).status).toBe(403)
  })

  it('serves the share page with Open Graph tags, so links unfurl', async () => {
    const html = await (await fetch(shareUrl)).text()
    expect(html).toContain(
      '<meta property="og:title" content="Copper Moons (remix) — remix by Demo Fan" />',
    )
    expect(html).toMatch(/<meta property="og:audio" content="http:[^"]+\/api\/share\/\w+\/audio"/)
    expect((await fetch(new URL('/r/0000000000000000', shareUrl))).status).toBe(404)
  })

  it('plays on the share page, labelled as made by hand, and redeems a play ticket once heard', async () => {
    const share = await browser.newPage()
    const shareErrors = watchErrors(share)
    await share.goto(shareUrl)
    await expect
      .poll(() => share.getByTestId('ai-label').textContent())
      .toBe('Remix of officially licensed stems, edited by hand: no AI')
    expect(await share.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Copper Moons (remix)',
    )
    expect(await share.locator('.credits').textContent()).toMatch(/Mira Vale/)
    const play = share.getByRole('button', { name: 'Play', exact: true })
    await expect.poll(() => play.isEnabled(), { timeout: 60_000 }).toBe(true)
    const first = redeemedPlay(share)
    await play.click()
    expect(await first).toBe(202)

    // The same listener (the worker's cookie) again today: accepted, and counted once (below).
    await share.reload()
    await expect.poll(() => play.isEnabled(), { timeout: 60_000 }).toBe(true)
    const second = redeemedPlay(share)
    await play.click()
    expect(await second).toBe(202)
    expect(shareErrors).toEqual([])
    await share.close()
  }, 300_000)

  it('shows the artist the play in the console, with a statement that adds up to the pool', async () => {
    const context = await browser.newContext()
    const artist = await context.newPage()
    const artistErrors = watchErrors(artist)
    await artist.goto(`${baseUrl}/login?next=/console`)
    await artist.getByLabel('Email').fill('artist@stemfair.test')
    await artist.getByLabel('Password').fill('copper-moons-26')
    await artist.getByRole('button', { name: 'Log in' }).click()
    await artist.waitForURL(/\/console$/)
    const campaign = artist.locator('[data-testid=console-campaign][data-slug=copper-moons]')
    await expect.poll(() => campaign.getByTestId('totals').getAttribute('data-plays')).toBe('1')
    expect(await campaign.getByTestId('top-remixes').textContent()).toMatch(
      /Copper Moons \(remix\).*Demo Fan.*1/,
    )
    await campaign.getByRole('button', { name: 'Compute' }).click()
    const rows = campaign.getByTestId('statement').locator('tbody tr')
    await expect.poll(() => rows.count()).toBeGreaterThan(2)
    const cents = await rows.evaluateAll((trs) =>
      trs.map((tr) => Number(tr.lastElementChild!.getAttribute('data-minor'))),
    )
    expect(cents.reduce((a, b) => a + b, 0)).toBe(100000)
    expect(await campaign.getByTestId('statement').textContent()).toMatch(
      /Demo Fan \(fan creator\)/,
    )
    expect(artistErrors).toEqual([])
    await context.close()
  })

  it('logged no console errors in the studio', () => {
    expect(errors).toEqual([])
  })
})
