import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import type { ExportView } from '../../core/api/exports.ts'
import { dropFile, launch, watchErrors } from './browser.ts'
import { api, saveDemoRemix } from './api.ts'
import { linkOf } from '../support/downloads.ts'

const baseUrl = inject('baseUrl')
const stemPath = (name: string) =>
  fileURLToPath(new URL(`../../stems/audio/${name}.mp3`, import.meta.url))

let browser: Browser
let page: Page
let errors: string[]
let exported: ExportView
let mp3: Uint8Array

/** Exports a remix through the API as the demo fan and downloads its MP3. */
async function exportDemoRemix(): Promise<void> {
  const { cookie, remix } = await saveDemoRemix('Checked drive')
  // The server renders the saved remix from the stems: the request carries no audio.
  const queued = await api<{ export: ExportView }>('/api/exports', {
    method: 'POST',
    cookie,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ remix: remix.id, version: remix.version }),
  })
  await vi.waitFor(
    async () => {
      const read = await api<{ export: ExportView }>(`/api/exports/${queued.export.id}`, {
        cookie,
      })
      exported = read.export
      expect(exported.status).toMatch(/ready|rejected/)
    },
    { timeout: 180_000, interval: 250 },
  )
  expect(exported).toMatchObject({ status: 'ready', reason: null })
  const download = await fetch(`${baseUrl}${linkOf(exported.downloads, 'mp3-192')}`)
  mp3 = new Uint8Array(await download.arrayBuffer())
}

beforeAll(async () => {
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  errors = watchErrors(page)
  await exportDemoRemix()
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

describe('the /verify page', () => {
  it('names the export of a dropped MP3, with its remix, fan, licence and credits', async () => {
    await page.goto(baseUrl)
    await page.getByRole('link', { name: 'Verify a file' }).click()
    await page.waitForURL(/\/verify$/)
    await dropFile(page, mp3, 'checked-drive.mp3', 'audio/mpeg')
    const result = page.getByTestId('verify-result')
    await expect.poll(() => result.getAttribute('data-found'), { timeout: 60_000 }).toBe('true')
    expect(await result.getAttribute('data-status')).toBe('ready')
    expect(await page.getByTestId('verify-export-id').textContent()).toBe(exported.id)
    const text = (await result.textContent())!
    expect(text).toMatch(/Licensed export/)
    expect(text).toMatch(/“Checked drive” — remix by Demo Fan/)
    expect(text).toMatch(/Copper Moons/)
    expect(text).toMatch(/Halcyon Drift/)
    expect(text).toMatch(/Mira Vale/)
    expect(text).toMatch(/Licence .*\(version \d+\)/)
    expect(text).toMatch(/Confidence\d+ %/)
    expect(await page.getByTestId('verify-share').getAttribute('href')).toBe(
      `${baseUrl}/r/${exported.id}`,
    )
  })

  it('names the stem an unwatermarked copy of a campaign recording uses, chosen with the picker', async () => {
    await page.getByTestId('verify-file').setInputFiles(stemPath('bass'))
    const result = page.getByTestId('verify-result')
    await expect
      .poll(() => result.getAttribute('data-found'), { timeout: 60_000 })
      .toBe('unlicensed')
    expect(await page.getByTestId('verify-uses').textContent()).toMatch(/Bass/)
  }, 120_000)

  it('shows the server’s reason for a file it cannot read', async () => {
    await dropFile(page, new TextEncoder().encode('not a song at all'), 'notes.mp3', 'audio/mpeg')
    const error = page.getByTestId('verify-error')
    await expect.poll(() => error.textContent()).toMatch(/notes\.mp3: .*not an audio file/)
    expect(await page.getByTestId('verify-result').count()).toBe(0)
    expect(errors.filter((e) => !/400 \(Bad Request\)/.test(e))).toEqual([])
  })
})
