import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { DEMO, launch, logIn, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
let browser: Browser
let page: Page
let errors: string[]

const regions = () => page.getByTestId('region')
const starts = () =>
  regions().evaluateAll((els) =>
    els.map(
      (el) =>
        `${el.closest('[data-track]')!.getAttribute('data-track')}:${el.getAttribute('data-start')}`,
    ),
  )
const saveState = () => page.getByTestId('save-state').getAttribute('data-state')

beforeAll(async () => {
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  errors = watchErrors(page)
  // React's devtools hook, which its production build calls on every commit: the commits counted
  await page.addInitScript(() => {
    const w = window as unknown as { commits: number; __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown }
    w.commits = 0
    w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true,
      inject: () => 1,
      onCommitFiberRoot: () => void w.commits++,
      onCommitFiberUnmount: () => undefined,
      onPostCommitFiberRoot: () => undefined,
      setStrictMode: () => undefined,
    }
  })
})

afterAll(async () => {
  await browser?.close()
})

describe('the studio', () => {
  it('opens the demo campaign for a signed-in fan with one lane and region per stem', async () => {
    await logIn(page, baseUrl, DEMO.fan, '/c/copper-moons/studio')
    await expect.poll(() => page.getByTestId('lane').count()).toBe(5)
    expect(await regions().count()).toBe(5)
    await expect
      .poll(() => page.getByRole('button', { name: 'Play', exact: true }).isEnabled(), {
        timeout: 30_000,
      })
      .toBe(true)
  })

  it('plays without re-rendering: the clock and playhead move, React commits nothing', async () => {
    await expect
      .poll(() => page.locator('.toolbar').textContent(), { timeout: 30_000 })
      .not.toMatch(/Loading \d+ of \d+ stems/)
    const seconds = async () =>
      Number(await page.getByTestId('position').getAttribute('data-seconds'))
    const playheadAt = () => page.getByTestId('playhead').evaluate((el) => el.style.transform)
    const commits = () => page.evaluate(() => (window as unknown as { commits: number }).commits)
    const [from, line] = [await seconds(), await playheadAt()]
    await page.getByRole('button', { name: 'Play', exact: true }).click()
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1)
    await page.waitForTimeout(200) // Play's own commit (the button's label) is done
    const before = await commits()
    await page.waitForTimeout(1000)
    const during = (await commits()) - before
    const [to, moved] = [await seconds(), await playheadAt()]
    await page.getByRole('button', { name: 'Pause' }).click()
    expect(during).toBe(0)
    expect(before).toBeGreaterThan(0) // the hook counts: the studio's own renders came through it
    expect(to - from).toBeGreaterThan(0.9)
    expect(moved).not.toBe(line)
  })

  it('moves a region with the mouse, snapped to the beat, as one undo step', async () => {
    const drums = regions().first()
    const box = (await drums.boundingBox())!
    await page.mouse.move(box.x + 200, box.y + box.height / 2)
    await page.mouse.down()
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 200 + i * 6, box.y + box.height / 2)
    await page.mouse.up()
    const moved = Number(await drums.getAttribute('data-start'))
    // 60 px at 12 px/s is 5 s; snapped to 0.6 s beats.
    expect(moved).toBeCloseTo(4.8, 3)
    await page.keyboard.press('Control+z')
    expect(Number(await drums.getAttribute('data-start'))).toBe(0)
    await page.keyboard.press('Control+Shift+z')
    expect(Number(await drums.getAttribute('data-start'))).toBeCloseTo(4.8, 3)
  })

  it('splits at the playhead with S, deletes with Delete, undoes and redoes with the keyboard', async () => {
    const ruler = page.getByTestId('ruler')
    const rbox = (await ruler.boundingBox())!
    await page.mouse.click(rbox.x + 30 * 12, rbox.y + rbox.height / 2) // seek to 30 s
    await expect
      .poll(async () => Number(await page.getByTestId('position').getAttribute('data-seconds')))
      .toBeCloseTo(30, 0)
    const bass = page.locator(
      '[data-testid=lane][data-track=t-copper-moons-bass] [data-testid=region]',
    )
    await bass.first().click({ position: { x: 10, y: 10 } })
    await page.keyboard.press('s')
    await expect.poll(() => bass.count()).toBe(2)
    await page.keyboard.press('Delete')
    await expect.poll(() => bass.count()).toBe(1)
    await page.keyboard.press('Control+z')
    await expect.poll(() => bass.count()).toBe(2)
    await page.keyboard.press('Control+z')
    await expect.poll(() => bass.count()).toBe(1)
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(() => bass.count()).toBe(2)
  })

  it('mutes the selected track with M', async () => {
    await page.keyboard.press('m')
    expect(await page.getByRole('button', { name: 'Mute Bass' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
  })

  it('leaves arrow keys to a focused slider instead of nudging the selected region', async () => {
    const drums = regions().first()
    await drums.click({ position: { x: 10, y: 10 } })
    const start = await drums.getAttribute('data-start')
    const gain = page.getByLabel('Drums gain')
    await gain.focus()
    const before = await gain.inputValue()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => gain.inputValue()).not.toBe(before)
    expect(await drums.getAttribute('data-start')).toBe(start)
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => gain.inputValue()).toBe(before)
  })

  it('warns while regions on one lane overlap, and stops when they no longer do', async () => {
    const bass = page.locator(
      '[data-testid=lane][data-track=t-copper-moons-bass] [data-testid=region]',
    )
    await bass.first().click({ position: { x: 10, y: 10 } })
    const loops = page.getByLabel('Region loops')
    await loops.focus()
    expect(await page.getByTestId('overlap-warning').count()).toBe(0)
    // a second pass of the first half runs over the second half (split at 30 s above)
    await page.keyboard.press('ArrowRight')
    await expect
      .poll(() => page.getByTestId('overlap-warning').textContent())
      .toMatch(/^Regions overlap on Bass at 0:30\.0–\d+:\d\d\.\d: both play there\./)
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => page.getByTestId('overlap-warning').count()).toBe(0)
  })

  it('autosaves to the server, gets its own URL, and reloads to the same remix', async () => {
    await expect.poll(saveState, { timeout: 15_000 }).toBe('saved')
    await page.waitForURL(/\/remix\/[\w-]+$/)
    const before = await starts()
    await page.reload()
    await expect.poll(() => page.getByTestId('lane').count()).toBe(5)
    expect(await starts()).toEqual(before)
    expect(await saveState()).toBe('saved')
    expect(await page.getByRole('button', { name: 'Mute Bass' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
  })

  it('logged no console errors', () => {
    expect(errors).toEqual([])
  })
})
