import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launch, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
let browser: Browser
let page: Page
let errors: string[]

const lanes = () => page.locator('[data-testid=stem-lane]')
const position = async () => Number(await page.getByTestId('position').getAttribute('data-seconds'))

/** Per-stem levels read from each stem's Tone.Meter, after mute/solo (dBFS; -inf when silent). */
async function levels(): Promise<Record<string, number>> {
  const entries = await lanes().evaluateAll((els) =>
    els.map((el) => {
      const level = el.querySelector<HTMLElement>('[data-testid=meter]')!.dataset.level ?? '-inf'
      return [
        (el as HTMLElement).dataset.stem!,
        level === '-inf' ? -Infinity : Number(level),
      ] as const
    }),
  )
  return Object.fromEntries(entries)
}

beforeAll(async () => {
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  errors = watchErrors(page)
})

afterAll(async () => {
  await browser?.close()
})

describe('the demo campaign in the browser', () => {
  it('is listed on the home page and opens', async () => {
    await page.goto(baseUrl)
    await page.getByRole('link', { name: /Copper Moons/ }).click()
    await page.waitForURL(/\/c\/copper-moons$/)
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Copper Moons')
    expect(await page.getByTestId('licence-summary').textContent()).toMatch(/non-commercial/)
  })

  it('draws one waveform per stem from the peaks and decodes every stem', async () => {
    expect(await lanes().count()).toBe(5)
    await expect
      .poll(() =>
        lanes().evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.waveform)),
      )
      .toEqual(['ready', 'ready', 'ready', 'ready', 'ready'])
    const canvases = await page
      .locator('.wave')
      .evaluateAll((els) =>
        els.map((el) => el.firstElementChild?.shadowRoot?.querySelectorAll('canvas').length ?? 0),
      )
    expect(canvases.every((n) => n > 0)).toBe(true)
    await expect
      .poll(
        () => lanes().evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.state)),
        {
          timeout: 30_000,
        },
      )
      .toEqual(['ready', 'ready', 'ready', 'ready', 'ready'])
  })

  it('plays: the transport advances and every stem is heard', async () => {
    await page.getByRole('button', { name: 'Play' }).click()
    await expect.poll(position, { timeout: 10_000 }).toBeGreaterThan(1)
    // Skip to bar 19 (~43 s), where the whole band plays.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight')
    await expect.poll(position).toBeGreaterThan(40)
    await expect
      .poll(async () => Object.values(await levels()).every((db) => db > -50), { timeout: 5_000 })
      .toBe(true)
  })

  it('solo leaves only that stem audible, and unsolo brings the band back', async () => {
    await page.getByRole('button', { name: 'Solo Bass' }).click()
    expect(await page.getByRole('button', { name: 'Solo Bass' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
    await expect
      .poll(
        async () => {
          const { 'copper-moons-bass': bass, ...others } = await levels()
          return bass! > -50 && Object.values(others).every((db) => db === -Infinity)
        },
        { timeout: 5_000 },
      )
      .toBe(true)
    await page.getByRole('button', { name: 'Solo Bass' }).click()
    await expect
      .poll(async () => Object.values(await levels()).every((db) => db > -50), { timeout: 5_000 })
      .toBe(true)
  })

  it('pauses, and the position holds', async () => {
    await page.getByRole('button', { name: 'Pause' }).click()
    // the transport shows the paused state (a frame drawn while the click lands may still move it)
    await expect.poll(() => page.getByRole('button', { name: 'Play' }).count()).toBe(1)
    await page.waitForTimeout(100)
    const held = await position()
    await page.waitForTimeout(500)
    expect(await position()).toBe(held)
  })

  it('keeps Space and the arrows working after the seek bar was used', async () => {
    const seek = page.getByRole('slider', { name: 'Seek' })
    const box = (await seek.boundingBox())!
    await page.mouse.click(box.x + box.width / 4, box.y + box.height / 2) // focus stays on the bar
    const at = await position()
    await page.keyboard.press('ArrowRight')
    await expect.poll(position).toBeCloseTo(at + 5, 0)
    await page.keyboard.press('Space')
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1)
    await page.keyboard.press('Space')
    await expect.poll(() => page.getByRole('button', { name: 'Play' }).count()).toBe(1)
  })

  it('logged no console errors', () => {
    expect(errors).toEqual([])
  })
})

describe('a campaign that does not exist', () => {
  it('says so', async () => {
    await page.goto(`${baseUrl}/c/no-such-campaign`)
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Campaign not found')
  })
})
