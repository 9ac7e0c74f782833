// The studio and the share page on a 390×844 phone, driven by real touch events (CDP), as a fan
// opening a messenger link would use them.
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { DEMO, launch, logIn, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
const PHONE = { width: 390, height: 844 }
let browser: Browser
let context: BrowserContext
let page: Page
let touch: CDPSession
let errors: string[]
let shareUrl: string

type Point = { x: number; y: number }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One finger: down at `from`, `steps` moves to `to`, up; `hold` ms still before it moves. */
async function drag(from: Point, to: Point, { hold = 0, steps = 10 } = {}) {
  const at = (p: Point) => [{ x: p.x, y: p.y, id: 1 }]
  await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(from) })
  if (hold) await sleep(hold)
  for (let i = 1; i <= steps; i++) {
    const p = {
      x: from.x + ((to.x - from.x) * i) / steps,
      y: from.y + ((to.y - from.y) * i) / steps,
    }
    await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) })
  }
  await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
}

/** Two fingers moving apart symmetrically around `mid`, from `from` to `to` px each side. */
async function pinch(mid: Point, from: number, to: number, steps = 8) {
  const at = (d: number) => [
    { x: mid.x - d, y: mid.y, id: 1 },
    { x: mid.x + d, y: mid.y, id: 2 },
  ]
  await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(from) })
  for (let i = 1; i <= steps; i++)
    await touch.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: at(from + ((to - from) * i) / steps),
    })
  await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
}

const pageWidth = (p: Page) => p.evaluate(() => document.scrollingElement!.scrollWidth)
const scroller = () => page.getByTestId('timeline-scroll')
const scrollLeft = () => scroller().evaluate((el) => el.scrollLeft)
const position = async () => Number(await page.getByTestId('position').getAttribute('data-seconds'))
const drums = () => page.locator('[data-testid=lane][data-track$=-drums] [data-testid=region]')
const drumsStart = async () => Number(await drums().first().getAttribute('data-start'))

beforeAll(async () => {
  browser = await launch()
  context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })
  page = await context.newPage()
  touch = await context.newCDPSession(page)
  errors = watchErrors(page)
})

afterAll(async () => {
  await browser?.close()
})

describe('the phone studio at 390×844', () => {
  it('opens with a full-width timeline and no sideways overflow', async () => {
    await logIn(page, baseUrl, DEMO.fan, '/c/copper-moons/studio')
    await expect.poll(() => page.getByTestId('lane').count()).toBe(5)
    await expect
      .poll(() => page.getByRole('button', { name: 'Play', exact: true }).isEnabled(), {
        timeout: 30_000,
      })
      .toBe(true)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    const box = (await scroller().boundingBox())!
    expect(box.width).toBeGreaterThan(PHONE.width - 40)
    // Every lane is on screen without scrolling the page.
    const last = (await page.getByTestId('lane').last().boundingBox())!
    expect(last.y + last.height).toBeLessThanOrEqual(PHONE.height)
  })

  it('scrolls the timeline and moves the playhead with a quick swipe, even over a region', async () => {
    const region = (await drums().first().boundingBox())!
    const y = region.y + region.height / 2
    const [scroll0, pos0, start0] = [await scrollLeft(), await position(), await drumsStart()]
    await drag({ x: 300, y }, { x: 100, y })
    await expect.poll(scrollLeft).toBeGreaterThan(scroll0 + 150)
    const px = (await scrollLeft()) - scroll0
    // 12 px a second at the default zoom: the playhead moved as far as the view did.
    await expect.poll(position).toBeCloseTo(pos0 + px / 12, 1)
    expect(await drumsStart()).toBe(start0)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
  })

  it('moves a region by long-press and drag, snapped to the beat, and saves it', async () => {
    await scroller().evaluate((el) => (el.scrollLeft = 0))
    const region = (await drums().first().boundingBox())!
    const y = region.y + region.height / 2
    const x = region.x + 40
    expect(await drumsStart()).toBe(0)
    await drag({ x, y }, { x: x + 60, y }, { hold: 700 })
    // 60 px at 12 px/s is 5 s; snapped to 0.6 s beats.
    await expect.poll(drumsStart).toBeCloseTo(4.8, 3)
    await page.waitForURL(/\/remix\/[\w-]+$/, { timeout: 30_000 })
    const id = new URL(page.url()).pathname.split('/').pop()!
    await expect
      .poll(async () => {
        const res = await page.request.get(`${baseUrl}/api/remixes/${id}`)
        const { remix } = (await res.json()) as {
          remix: { recipe: { tracks: { stem: string; regions: { start: number }[] }[] } }
        }
        return remix.recipe.tracks.find((t) => t.stem.endsWith('-drums'))!.regions[0]!.start
      })
      .toBeCloseTo(4.8, 3)
  })

  it('trims and fades the selected region by dragging its handles', async () => {
    // the drums region starts at 4.8 s; a tap selects it and shows its handles
    const id = new URL(page.url()).pathname.split('/').pop()!
    const saved = async () => {
      const res = await page.request.get(`${baseUrl}/api/remixes/${id}`)
      const { remix } = (await res.json()) as {
        remix: { recipe: { tracks: { stem: string; regions: RegionFacts[] }[] } }
      }
      return remix.recipe.tracks.find((t) => t.stem.endsWith('-drums'))!.regions[0]!
    }
    type RegionFacts = { start: number; offset: number; fadeIn: number }
    const before = await saved()
    let box = (await drums().first().boundingBox())!
    const mid = { x: box.x + 40, y: box.y + box.height / 2 }
    await drag(mid, mid, { steps: 0 })
    await expect.poll(() => drums().first().getAttribute('aria-pressed')).toBe('true')
    // the left edge, near the bottom (the fade corner is at the top): 24 px is 2 s, snapped to
    // the beat (0.6 s)
    await drag(
      { x: box.x + 4, y: box.y + box.height - 4 },
      { x: box.x + 28, y: box.y + box.height - 4 },
    )
    await expect.poll(drumsStart).toBeCloseTo(6.6, 3)
    await expect.poll(async () => (await saved()).start).toBeCloseTo(6.6, 3)
    // trimming the start moves the source offset with it
    expect((await saved()).offset).toBeCloseTo(before.offset + 1.8, 3)
    // the fade-in corner, at the top: 24 px is 2 s of fade, not snapped
    box = (await drums().first().boundingBox())!
    await drag({ x: box.x + 2, y: box.y + 5 }, { x: box.x + 26, y: box.y + 5 })
    await expect.poll(async () => (await saved()).fadeIn, { timeout: 15_000 }).toBeGreaterThan(1.5)
    expect((await saved()).fadeIn).toBeLessThan(2.5)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
  })

  it('zooms with two fingers', async () => {
    const before = (await drums().first().boundingBox())!.width
    const box = (await scroller().boundingBox())!
    await pinch({ x: box.x + box.width / 2, y: box.y + 60 }, 40, 120)
    await expect
      .poll(async () => (await drums().first().boundingBox())!.width)
      .toBeGreaterThan(before * 2)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
  })

  it('keeps the mixer and effects in a bottom sheet that fits the screen', async () => {
    const gain = page.getByLabel('Drums gain', { exact: true })
    expect(await gain.isVisible()).toBe(false)
    await page.getByRole('button', { name: 'Mixer & effects' }).tap()
    await expect.poll(() => gain.isVisible()).toBe(true)
    const sheet = (await page.getByTestId('studio-panels').boundingBox())!
    expect(sheet.x).toBeGreaterThanOrEqual(0)
    expect(sheet.x + sheet.width).toBeLessThanOrEqual(PHONE.width)
    expect(sheet.y + sheet.height).toBeLessThanOrEqual(PHONE.height + 1)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await page.getByRole('button', { name: 'Close mixer & effects' }).tap()
    await expect.poll(() => gain.isVisible()).toBe(false)
  })

  it(
    'exports from the phone, and the share page does not overflow sideways',
    { timeout: 240_000 },
    async () => {
      const exportButton = page.getByRole('button', { name: 'Export', exact: true })
      await expect.poll(() => exportButton.isEnabled(), { timeout: 60_000 }).toBe(true)
      await exportButton.tap()
      const dialog = page.getByTestId('export-dialog')
      // the files the dialog suggests (MP3 320, WAV 24)
      await dialog.getByRole('button', { name: 'Start export' }).tap()
      await expect
        .poll(() => dialog.getAttribute('data-step'), { timeout: 200_000, interval: 250 })
        .toMatch(/ready|failed/)
      expect(await dialog.getAttribute('data-step')).toBe('ready')
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
      shareUrl = new URL((await page.getByTestId('share-link').getAttribute('href'))!, baseUrl).href
      const share = await context.newPage()
      const shareErrors = watchErrors(share)
      await share.goto(shareUrl)
      await expect.poll(() => share.getByTestId('ai-label').isVisible()).toBe(true)
      await expect
        .poll(() => share.getByTestId('manifest').getAttribute('data-state'))
        .toMatch(/verified|not-verified|error/)
      expect(await pageWidth(share)).toBeLessThanOrEqual(PHONE.width)
      expect(shareErrors).toEqual([])
    },
  )

  it('keeps the header to one line, its links behind Menu', async () => {
    await page.goto(`${baseUrl}/`)
    const nav = page.locator('nav.top')
    const menu = nav.getByRole('button', { name: 'Menu' })
    const mine = nav.getByRole('link', { name: 'My remixes' })
    await expect.poll(() => menu.isVisible()).toBe(true)
    // signed in: the links are there, folded away
    await expect.poll(() => nav.locator('a[href="/me/remixes"]').count()).toBe(1)
    // one row: the brand and the button, at most one line of text tall
    expect((await nav.boundingBox())!.height).toBeLessThan(64)
    expect(await mine.isVisible()).toBe(false)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await menu.tap()
    expect(await menu.getAttribute('aria-expanded')).toBe('true')
    for (const name of ['Verify a file', 'My remixes', 'Console'])
      expect(await nav.getByRole('link', { name }).isVisible()).toBe(true)
    expect(await nav.getByRole('button', { name: 'Log out' }).isVisible()).toBe(true)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await mine.tap()
    await page.waitForURL(/\/me\/remixes$/)
    // following a link closes the menu
    await expect.poll(() => mine.isVisible()).toBe(false)
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
  })

  it('logged no console errors', () => {
    expect(errors).toEqual([])
  })
})
