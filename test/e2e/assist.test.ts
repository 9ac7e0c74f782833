import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ARTWORK_TOOL } from '../../core/artwork/plan.ts'
import { DEMO, launch, logIn, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
let browser: Browser
let page: Page
let errors: string[]

const cards = () => page.getByTestId('proposal')
const regionCount = () => page.getByTestId('region').count()
const playButton = () => page.getByRole('button', { name: /^(Play|Pause)$/ }).first()

beforeAll(async () => {
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
  errors = watchErrors(page)
})

afterAll(async () => {
  await browser?.close()
})

describe('the remix assistant', () => {
  it('opens with A and answers "ambient" with three proposals from the local provider', async () => {
    await logIn(page, baseUrl, DEMO.fan, '/c/copper-moons/studio')
    await expect
      .poll(() => page.getByRole('button', { name: 'Play', exact: true }).isEnabled(), {
        timeout: 30_000,
      })
      .toBe(true)
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('a')
    const panel = page.getByTestId('assistant')
    await expect.poll(() => panel.isVisible()).toBe(true)
    await panel.getByLabel('Intent', { exact: true }).selectOption('ambient')
    await panel.getByLabel('Seed', { exact: true }).fill('4242')
    await panel.getByRole('button', { name: 'Generate', exact: true }).click()
    await expect.poll(() => cards().count()).toBe(3)
    expect(await page.getByTestId('assistant-seed').textContent()).toContain('seed 4242')
    const names = await cards().locator('h4').allTextContents()
    expect(new Set(names).size).toBe(3)
    for (const text of await cards().allTextContents()) expect(text).toContain('provider: local')
    // No Workers AI binding here: free text is not offered rather than faked.
    expect(await page.getByTestId('free-text').count()).toBe(0)
  })

  it('auditions each proposal without changing the remix', async () => {
    const before = await regionCount()
    for (let i = 0; i < 3; i++) {
      const button = cards()
        .nth(i)
        .getByRole('button', { name: /audition/i })
      await button.click()
      await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true')
      await expect.poll(() => playButton().getAttribute('aria-label')).toBe('Pause')
      // the timeline shows the proposal being heard, not the fan's remix
      const name = await cards().nth(i).locator('h4').textContent()
      await expect
        .poll(() => page.getByTestId('audition-banner').textContent())
        .toContain(`Auditioning “${name}”`)
    }
    await cards().nth(2).getByRole('button', { name: 'Stop audition' }).click()
    await expect.poll(() => playButton().getAttribute('aria-label')).toBe('Play')
    expect(await page.getByTestId('audition-banner').count()).toBe(0)
    expect(await regionCount()).toBe(before)
  })

  it('applies one as a single undo step, undoes it, applies another', async () => {
    const before = await regionCount()
    await cards().nth(0).getByRole('button', { name: 'Apply' }).click()
    await expect.poll(regionCount).not.toBe(before)
    const first = await regionCount()
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('Control+z')
    await expect.poll(regionCount).toBe(before)
    await cards().nth(1).getByRole('button', { name: 'Apply' }).click()
    await expect.poll(regionCount).not.toBe(before)
    const second = await regionCount()
    expect(second).not.toBe(first)
    await expect
      .poll(() => page.getByTestId('licence-panel').textContent())
      .toContain('within the licence')
    // Now there are edits to lose: Apply asks first, and "Keep mine" keeps them.
    await cards().nth(0).getByRole('button', { name: 'Apply' }).click()
    const ask = page.getByRole('alertdialog', { name: 'Replace your edits?' })
    await ask.getByRole('button', { name: 'Keep mine' }).click()
    expect(await ask.count()).toBe(0)
    expect(await regionCount()).toBe(second)
    await cards().nth(0).getByRole('button', { name: 'Apply' }).click()
    await ask.getByRole('button', { name: 'Replace my edits' }).click()
    await expect.poll(regionCount).toBe(first)
  })

  it('gives the same proposals for the same seed, and new ones on Regenerate', async () => {
    const panel = page.getByTestId('assistant')
    const first = await cards().allTextContents()
    await panel.getByRole('button', { name: 'Generate', exact: true }).click()
    await expect.poll(() => cards().allTextContents()).toEqual(first)
    await panel.getByRole('button', { name: /Regenerate/ }).click()
    await expect
      .poll(() => page.getByTestId('assistant-seed').textContent())
      .not.toContain('seed 4242')
  })

  it('quick mode makes, saves and plays a whole remix that opens in the studio', async () => {
    const quickRemixes = () =>
      page.evaluate(async () => {
        const res = await fetch('/api/remixes')
        const { remixes } = (await res.json()) as { remixes: { id: string; title: string }[] }
        return remixes.filter((r) => r.title.includes('quick remix')).map((r) => r.id)
      })
    await page.goto(`${baseUrl}/c/copper-moons`)
    await page.getByRole('link', { name: 'Quick remix' }).click()
    await page.waitForURL(/\/c\/copper-moons\/quick$/)
    await page.getByLabel('Mood').fill('0.9')
    await page.getByLabel('Tempo').fill('0.6')
    await expect
      .poll(() => page.getByText('Loading the stems…').count(), { timeout: 30_000 })
      .toBe(0)
    await page.getByRole('button', { name: 'Make my remix' }).click()
    await expect
      .poll(() => page.getByTestId('quick-result').textContent())
      .toContain('saved to My remixes')
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1)
    // on one screen: the tempo, the remix's shape with a moving playhead, and its cover
    expect(await page.getByTestId('quick-result').textContent()).toMatch(/ at \d+(\.\d+)? BPM/)
    const head = page.getByTestId('quick-wave').locator('.playhead')
    const left = await head.evaluate((e) => (e as HTMLElement).style.left)
    await expect.poll(() => head.evaluate((e) => (e as HTMLElement).style.left)).not.toBe(left)
    await expect.poll(() => page.getByTestId('quick-cover').count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Export and share' }).isEnabled()).toBe(true)
    const [first] = await quickRemixes()
    // another take replaces this session's remix instead of saving a second one
    await page.getByRole('button', { name: 'Another take' }).click()
    await page.getByRole('button', { name: 'Make my remix' }).click()
    await expect.poll(() => page.getByRole('button', { name: 'Making…' }).count()).toBe(0)
    expect(await quickRemixes()).toEqual([first])
    await page.getByRole('button', { name: 'Open in studio' }).click()
    await page.waitForURL(/\/remix\/[A-Za-z0-9_-]+$/)
    const id = new URL(page.url()).pathname.split('/').pop()!
    const remix = await page.evaluate(async (remixId) => {
      const res = await fetch(`/api/remixes/${remixId}`)
      return (
        (await res.json()) as {
          remix: {
            recipe: {
              aiActions: { tool: string; provider: string; parameters: Record<string, unknown> }[]
            }
          }
        }
      ).remix
    }, id)
    // the assistant's remix, and the cover made for it, each recorded as what AI did
    expect(remix.recipe.aiActions).toEqual([
      expect.objectContaining({
        tool: 'stemfair-assistant',
        provider: 'local',
        parameters: expect.objectContaining({
          mode: 'quick',
          mood: 0.9,
          tempo: 0.6,
          intent: 'club',
        }),
      }),
      expect.objectContaining({ tool: ARTWORK_TOOL }),
    ])
    await expect.poll(() => page.getByTestId('lane').count()).toBeGreaterThan(0)
    expect(id).toBe(first)

    // My remixes lists it as a draft, and renames it
    await page.getByRole('link', { name: 'My remixes' }).click()
    await page.waitForURL(/\/me\/remixes$/)
    const row = page.getByTestId('my-remix').filter({ has: page.locator(`a[href="/remix/${id}"]`) })
    await expect.poll(() => row.getAttribute('data-state')).toBe('draft')
    expect(await row.textContent()).toMatch(/Draft/)
    page.once('dialog', (d) => void d.accept('Late night quick mix'))
    await row.getByRole('button', { name: 'Rename' }).click()
    await expect.poll(() => row.textContent()).toMatch(/Late night quick mix/)
    expect(errors).toEqual([])
  }, 180_000) // two takes and a studio load: generous on a busy machine
})
