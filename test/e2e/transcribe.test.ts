import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launch, watchErrors } from './browser.ts'

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

const panel = () => page.getByTestId('transcribe-panel')
const selectTrack = (name: string) =>
  page.getByTestId('track-head').filter({ hasText: name }).locator('.track-name').click()

describe('transcription in the studio', () => {
  it('serves the model and the WebAssembly from the build, not from the main bundle', async () => {
    for (const [path, type] of [
      ['/transcribe/model/model.json', 'application/json'],
      ['/transcribe/model/group1-shard1of1.bin', ''],
      ['/transcribe/wasm/tfjs-backend-wasm-simd.wasm', 'application/wasm'],
    ]) {
      const res = await fetch(`${baseUrl}${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type') ?? '', path).toContain(type)
      expect((await res.arrayBuffer()).byteLength, path).toBeGreaterThan(100_000)
    }
  })

  it('offers nothing on drums, shows the lead’s stored notes at once, and refuses the voice in words', async () => {
    await page.goto(`${baseUrl}/login?next=/c/copper-moons/studio`)
    await page.getByLabel('Email').fill('fan@stemfair.test')
    await page.getByLabel('Password').fill('remix-it-all-26')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(/\/c\/copper-moons\/studio$/)
    await expect.poll(() => page.getByTestId('lane').count()).toBe(5)
    await expect.poll(() => panel().textContent()).toContain('Select a track')
    await selectTrack('Drums')
    await expect.poll(() => panel().textContent()).toContain('no notes to transcribe')
    await selectTrack('Lead')
    // The seed stored the lead's notes (stems/make-notes.ts): no model runs, no button to wait on.
    await expect.poll(() => page.getByTestId('transcription').textContent()).toMatch(/\d+ notes · /)
    expect(await page.getByTestId('transcribe-source').textContent()).toContain(
      'made ahead of time',
    )
    expect(
      await panel()
        .getByRole('button', { name: /Transcribe/ })
        .count(),
    ).toBe(0)
    const parts = page.getByRole('list', { name: 'Generated parts' }).getByRole('listitem')
    await panel().getByRole('button', { name: 'Add part' }).click()
    await expect.poll(() => parts.count()).toBe(1)
    expect(await parts.first().textContent()).toContain('from Lead Synth')
    // The voice is never a source, so it offers nothing to transcribe.
    await selectTrack('Voice')
    await expect
      .poll(() => page.getByTestId('transcribe-refused').textContent())
      .toContain('may not transcribe or derive new parts from Voice')
    expect(errors).toEqual([])
  })
})
