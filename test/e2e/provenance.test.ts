// The signed manifest in the browser: the share page verifies it with Chromium's WebCrypto
// (Ed25519), a tampered manifest is not verified, and the verify page tells the exact exported
// file from a copy whose watermark matches but whose bytes differ.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import type { ExportView } from '../../core/api/exports.ts'
import { dropFile, launch, watchErrors } from './browser.ts'
import { api, saveDemoRemix } from './api.ts'
import { linkOf } from '../support/downloads.ts'

const baseUrl = inject('baseUrl')
const ASSIST = {
  id: 'ai-assist-1',
  tool: 'stemfair-assistant',
  version: '1',
  provider: 'local',
  parameters: { intent: 'ambient', seed: 4242 },
  appliedAt: '2026-11-20T12:00:00.000Z',
}

let browser: Browser
let page: Page
let errors: string[]
let exported: ExportView
let mp3: Uint8Array

/** Exports a remix with one recorded AI action through the API and downloads its MP3. */
async function exportDemoRemix(): Promise<void> {
  const { cookie, remix } = await saveDemoRemix('Signed drive', [ASSIST])
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
  mp3 = new Uint8Array(
    await (await fetch(`${baseUrl}${linkOf(exported.downloads, 'mp3-192')}`)).arrayBuffer(),
  )
}

/** The MP3 without its ID3v2 tag: the same audio (and watermark), other bytes. */
function untagged(bytes: Uint8Array): Uint8Array {
  expect(String.fromCharCode(...bytes.subarray(0, 3))).toBe('ID3')
  const size = ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!) >>> 0
  return bytes.subarray(10 + size + (bytes[5]! & 0x10 ? 10 : 0))
}

beforeAll(async () => {
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  errors = watchErrors(page)
  await exportDemoRemix()
}, 240_000)

afterAll(async () => {
  await browser?.close()
})

describe('the signed manifest in the browser', () => {
  it('the share page shows the AI disclosure and a manifest verified in the browser', async () => {
    await page.goto(`${baseUrl}/r/${exported.id}`)
    const panel = page.getByTestId('manifest')
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 30_000 }).toBe('verified')
    const status = (await page.getByTestId('manifest-status').textContent())!
    expect(status).toMatch(/Manifest verified/)
    expect(status).toMatch(/checked in your browser/) // Chromium's WebCrypto did the Ed25519 check
    expect(await page.getByTestId('manifest-disclosure').textContent()).toMatch(/AI-assisted/)
    expect(await page.getByTestId('manifest-source-type').textContent()).toMatch(
      /compositeSynthetic/,
    )
    const actions = (await page.getByTestId('manifest-actions').textContent())!
    expect(actions).toMatch(/stemfair-assistant/)
    expect(actions).toMatch(/4242/)
    const text = (await panel.textContent())!
    expect(text).toMatch(/Licence.*version \d+/)
    expect(text).toMatch(/Mira Vale/)
    expect(text).toMatch(/MP3, 192 kbit\/s \([\d.]+ [kM]B\) SHA-256/)
    expect(await page.getByTestId('manifest-link').getAttribute('href')).toMatch(
      new RegExp(`/api/manifests/${exported.id}$`),
    )
  })

  it('says "not verified" when the manifest served was tampered with', async () => {
    const tampered = await browser.newPage()
    await tampered.route(`**/api/manifests/${exported.id}`, async (route) => {
      const res = await route.fetch()
      const body = (await res.json()) as { manifest: { remix: { fan: string } } }
      body.manifest.remix.fan = 'Someone Else'
      await route.fulfill({ response: res, json: body })
    })
    await tampered.goto(`${baseUrl}/r/${exported.id}`)
    const panel = tampered.getByTestId('manifest')
    await expect
      .poll(() => panel.getAttribute('data-state'), { timeout: 30_000 })
      .toBe('not-verified')
    expect(await tampered.getByTestId('manifest-status').textContent()).toMatch(
      /not verified: The signature does not match/,
    )
    await tampered.close()
  })

  it('the verify page knows this exact file, and a re-tagged copy by its watermark only', async () => {
    await page.goto(`${baseUrl}/verify`)
    await dropFile(page, mp3, 'signed-drive.mp3', 'audio/mpeg')
    const match = page.getByTestId('manifest-file')
    await expect.poll(() => match.getAttribute('data-match'), { timeout: 60_000 }).toBe('exact')
    expect(await match.textContent()).toMatch(/This exact file.*MP3/)
    expect(await page.getByTestId('manifest').getAttribute('data-state')).toBe('verified')

    await dropFile(page, untagged(mp3), 'copy.mp3', 'audio/mpeg')
    await expect
      .poll(() => page.getByTestId('manifest-file').getAttribute('data-match'), {
        timeout: 60_000,
      })
      .toBe('transcoded')
    expect(await page.getByTestId('manifest-file').textContent()).toMatch(
      /watermark matched, but the file’s hash differs/,
    )
  })

  it('logged no console errors', () => {
    expect(errors).toEqual([])
  })
})
