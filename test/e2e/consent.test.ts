// Consent at the front door, end to end: a stranger signs up as an artist, sends the verification
// form, uploads the demo campaign's own voice and bass again, sees the fingerprint match on the
// stem and cannot publish; an admin sees the request and the match, and refuses the match.
// The match comes from the fingerprint step of ingest (branch `fingerprint`); this story needs it.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { DEMO, launch, logIn, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
const root = new URL('../../', import.meta.url).pathname
// A 1×1 PNG: the artwork only has to be a real image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)
const STRANGER = {
  name: 'Jo Stranger',
  email: `stranger-${Date.now()}@example.test`,
  password: 'not-my-stems-26',
}
const SLUG = 'totally-my-moons'

let browser: Browser
let stranger: Page
let errors: string[]
let dir: string
let wavs: string[]

/** The demo's own stems, decoded from its MP3s to the 16-bit WAV masters an uploader would send. */
function demoStemsAsWav(names: string[]): string[] {
  return names.map((name) => {
    const out = join(dir, `${name}.wav`)
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-i',
      join(root, 'stems', 'audio', `${name}.mp3`),
      '-c:a',
      'pcm_s16le',
      out,
    ])
    return out
  })
}

const step = (name: string) => stranger.getByRole('link', { name: new RegExp(`^\\d\\. ${name}`) })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stemfair-consent-'))
  wavs = demoStemsAsWav(['vox', 'bass'])
  browser = await launch()
  stranger = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  errors = watchErrors(stranger)
  stranger.on('response', (r) => {
    if (r.status() >= 500) errors.push(`${r.status()} ${r.request().method()} ${r.url()}`)
  })
})

afterAll(async () => {
  await browser?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a stranger uploads someone else’s recordings', () => {
  it('signs up as an artist, learns what verification asks, and lands in the wizard awaiting it', async () => {
    await stranger.goto(`${baseUrl}/login`)
    await stranger.getByRole('button', { name: 'Create an account' }).click()
    await stranger.getByLabel('I’m an artist or label').check()
    expect(await stranger.getByTestId('signup-verification').textContent()).toMatch(
      /ISNI and IPI.*signed statement/s,
    )
    await stranger.getByLabel(/Display name/).fill(STRANGER.name)
    await stranger.getByLabel('Email').fill(STRANGER.email)
    await stranger.getByLabel('Password').fill(STRANGER.password)
    await stranger.getByRole('button', { name: 'Sign up' }).click()
    await stranger.waitForURL(/\/console\/campaigns\/new$/)
    const panel = stranger.getByTestId('verification')
    await expect.poll(() => panel.getAttribute('data-state')).toBe('none')
    expect(await panel.getByRole('heading').textContent()).toBe('Your account awaits verification')
  })

  it('sends the verification form: a malformed ISNI is named beside its field, then it is pending', async () => {
    const form = stranger.getByRole('form', { name: 'Verification' })
    await form.getByLabel('Legal name', { exact: true }).fill(STRANGER.name)
    await form.getByLabel('Artist or label name').fill('Halcyon Drift')
    await form.getByLabel('Distributor or label', { exact: true }).fill('Self-released')
    await form.getByLabel('Distributor or label contact email').fill('jo@example.test')
    await form.getByLabel('ISNI (optional)').fill('1234')
    await form.getByLabel(/Links to your releases/).fill('https://stranger.example/music')
    await form.getByLabel('I agree to this statement').check()
    await form.getByLabel('Type your legal name to sign').fill(STRANGER.name)
    await form.getByRole('button', { name: 'Send for verification' }).click()
    await expect
      .poll(() => form.getByLabel('ISNI (optional)').getAttribute('aria-invalid'))
      .toBe('true')
    expect(await form.textContent()).toMatch(/an ISNI is 16 characters/)
    await form.getByLabel('ISNI (optional)').fill('')
    await form.getByRole('button', { name: 'Send for verification' }).click()
    await expect
      .poll(() => stranger.getByTestId('verification').getAttribute('data-state'))
      .toBe('pending')
  })

  it('drafts a campaign and uploads the demo’s voice and bass again', async () => {
    await stranger.getByLabel('Title').fill('Copper Moons')
    await stranger.getByLabel('Address').fill(SLUG)
    await stranger.getByRole('button', { name: 'Create draft' }).click()
    await stranger.waitForURL(/\/console\/campaigns\/[^/]+\/artwork$/)
    await stranger.locator('input[name=artwork]').setInputFiles({
      name: 'cover.png',
      mimeType: 'image/png',
      buffer: PNG,
    })
    await expect
      .poll(() => stranger.getByTestId('wizard-save').first().getAttribute('data-state'))
      .toBe('saved')
    await step('Stems').click()
    await stranger.waitForURL(/\/stems$/)
    await stranger.locator('input[name=stems]').setInputFiles(wavs)
    await expect
      .poll(
        () =>
          stranger
            .getByTestId('stem-row')
            .evaluateAll((els) => els.map((el) => el.getAttribute('data-status'))),
        { timeout: 240_000, interval: 1000 },
      )
      .toEqual(['ready', 'ready'])
  }, 300_000)

  it('sees the fingerprint match on the voice stem', async () => {
    const voice = stranger.locator('[data-testid=stem-row][data-file="vox.wav"]')
    await expect
      .poll(
        async () => {
          await stranger.reload()
          await voice.waitFor()
          return voice.getByTestId('stem-match').allTextContents()
        },
        { timeout: 120_000, interval: 3000 },
      )
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^This recording matches “Voice” of “Copper Moons” by Halcyon Drift, \d+:\d\d–\d+:\d\d/,
          ),
        ]),
      )
  }, 180_000)

  it('cannot publish: the review names the pending verification and the uncleared match', async () => {
    await step('Review').click()
    await stranger.getByRole('button', { name: 'Publish' }).click()
    await expect.poll(() => stranger.getByTestId('publish-error').isVisible()).toBe(true)
    const blocks = stranger.getByTestId('publish-blocks')
    expect(await blocks.textContent()).toMatch(/Verification is pending/)
    expect(await blocks.textContent()).toMatch(
      /Stem “[^”]+”: This recording matches “Voice” of “Copper Moons” by Halcyon Drift.*An admin must clear this match/,
    )
    expect(await stranger.getByTestId('campaign-status').textContent()).toBe('draft')
    // The refused form (400) and publish (422) are logged by Chromium; nothing else may be.
    expect(errors.filter((e) => !/status of (400|422)/.test(e))).toEqual([])
  })
})

describe('an admin reviews the stranger', () => {
  let adminPage: Page
  let adminErrors: string[]

  beforeAll(async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } })
    adminPage = await context.newPage()
    adminErrors = watchErrors(adminPage)
    await logIn(adminPage, baseUrl, DEMO.admin, '/console/admin')
  })

  it('sees the request, its evidence and the match, and refuses the match with a reason', async () => {
    const item = adminPage.locator(
      `[data-testid=verification-item][data-email="${STRANGER.email}"]`,
    )
    await expect.poll(() => item.count()).toBe(1)
    await item.getByRole('button', { name: `Review ${STRANGER.name}` }).click()
    const found = adminPage.getByTestId('admin-case')
    await expect.poll(() => found.getAttribute('data-state')).toBe('pending')
    expect(await found.getByTestId('evidence').textContent()).toMatch(/Jo Stranger.*Self-released/s)
    const match = found
      .getByTestId('admin-match')
      .filter({ hasText: /matches “Voice” of “Copper Moons” by Halcyon Drift/ })
    await expect.poll(() => match.count()).toBe(1)
    await match.getByRole('button', { name: 'Refuse match' }).click()
    await adminPage.getByLabel('Reason').fill('These are Halcyon Drift’s own stems.')
    await adminPage.getByRole('dialog').getByRole('button', { name: 'Refuse match' }).click()
    await expect
      .poll(() =>
        found
          .getByTestId('admin-match')
          .filter({ hasText: /matches “Voice”/ })
          .getAttribute('data-status'),
      )
      .toBe('refused')
    await expect
      .poll(() => adminPage.getByTestId('consent-log').textContent())
      .toMatch(/refused a match.*These are Halcyon Drift’s own stems\./s)
    expect(adminErrors).toEqual([])
  })

  it('the stranger sees the refusal, and still cannot publish', async () => {
    await step('Stems').click()
    await stranger.waitForURL(/\/stems$/)
    await stranger.reload()
    const voice = stranger.locator('[data-testid=stem-row][data-file="vox.wav"]')
    await expect
      .poll(() =>
        voice
          .getByTestId('stem-match')
          .filter({ hasText: /“Voice”/ })
          .getAttribute('data-status'),
      )
      .toBe('refused')
    await step('Review').click()
    await stranger.getByRole('button', { name: 'Publish' }).click()
    await expect
      .poll(() => stranger.getByTestId('publish-blocks').textContent())
      .toMatch(/An admin refused this match/)
    expect(await stranger.getByTestId('campaign-status').textContent()).toBe('draft')
  })
})
