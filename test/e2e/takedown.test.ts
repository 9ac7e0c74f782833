// Unlicensed use, end to end: the demo's rights holder drops a 20-second remix clip that nobody
// exported from Stemfair — the demo voice pitched up a semitone over other music, as an MP3 — on
// /verify, sees which stem it uses and where, and downloads the takedown notice it generates.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { crop, demoStem, mixWith } from '../../core/fingerprint/testing/catalogue.ts'
import { filter, musicLike, type Pcm } from '../../core/watermark/testing/audio.ts'
import { DEMO, dropFile, launch, logIn, watchErrors } from './browser.ts'

const baseUrl = inject('baseUrl')
const RATE = 44100
/** Where the clip starts in the demo voice, in seconds. */
const FROM = 20
const SECONDS = 20

let browser: Browser
let page: Page
let errors: string[]
let clip: Uint8Array

/** MP3 at 128 kbit/s of mono float PCM, by ffmpeg. */
function mp3Of(pcm: Pcm): Uint8Array {
  const input = Buffer.from(pcm.channels[0]!.buffer, pcm.channels[0]!.byteOffset)
  const args = [
    '-loglevel',
    'error',
    '-f',
    'f32le',
    '-ar',
    String(RATE),
    '-ac',
    '1',
    '-i',
    'pipe:0',
  ]
  return execFileSync(
    'ffmpeg',
    [...args, '-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3', 'pipe:1'],
    {
      input,
      maxBuffer: 1 << 26,
    },
  )
}

/** The demo voice from 0:20, pitched +1 semitone, over generated music at equal loudness. */
function unlicensedRemix(): Uint8Array {
  const voice = crop(demoStem('vox', 1, RATE), FROM, SECONDS)
  const pitched = filter(voice, 'rubberband=pitch=1.0594631')
  return mp3Of(mixWith(pitched, musicLike(SECONDS, RATE, 777), 0))
}

const seconds = (clock: string) => {
  const [m, s] = clock.split(':').map(Number)
  return m! * 60 + s!
}

beforeAll(async () => {
  clip = unlicensedRemix()
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true })
  errors = watchErrors(page)
  await logIn(page, baseUrl, DEMO.artist, '/verify')
})

afterAll(async () => {
  await browser?.close()
})

describe('a rights holder proves unlicensed use', () => {
  it('drops the remix clip on /verify and sees the voice stem, where, and the pitch change', async () => {
    await dropFile(page, clip, 'found-online.mp3', 'audio/mpeg')
    const result = page.getByTestId('verify-result')
    await expect
      .poll(() => result.getAttribute('data-found'), { timeout: 90_000 })
      .toBe('unlicensed')
    const voice = page.getByTestId('verify-use').filter({ hasText: 'ISRC QZSF12600005' })
    expect(await voice.count()).toBe(1)
    const line = (await voice.textContent())!
    expect(line).toMatch(/^Copper Moons by Halcyon Drift: “Voice” \(ISRC QZSF12600005\)/)
    const where = /file (\d+:\d\d)–(\d+:\d\d) uses stem (\d+:\d\d)–(\d+:\d\d)/.exec(line)
    expect(where, line).not.toBeNull()
    const [fileStart, fileEnd, stemStart, stemEnd] = where!.slice(1).map(seconds)
    // The clip is the voice from 0:20 to 0:40; matched landmarks span most of it.
    expect(fileStart).toBeLessThanOrEqual(2)
    expect(fileEnd).toBeGreaterThanOrEqual(SECONDS - 3)
    expect(Math.abs(stemStart! - fileStart! - FROM)).toBeLessThanOrEqual(1)
    expect(Math.abs(stemEnd! - fileEnd! - FROM)).toBeLessThanOrEqual(1)
    expect(line).toMatch(/pitch \+1\.0 semitones/)
    expect(line).toMatch(/Rights holders: Mira Vale, Halcyon Drift, Stemfair Demo Records/)
  }, 120_000)

  it('generates a takedown notice and downloads it as text and HTML, with the evidence', async () => {
    const sha256 = createHash('sha256').update(clip).digest('hex')
    await page.getByTestId('takedown-request').click()
    await page.getByTestId('takedown-ready').waitFor({ timeout: 90_000 })
    const [text] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('takedown-text').click(),
    ])
    const notice = readFileSync((await text.path())!, 'utf8')
    expect(notice).toContain(sha256)
    expect(notice).toMatch(
      /“Voice” \(ISRC QZSF12600005\): file \d+:\d\d–\d+:\d\d uses stem 0:[12]\d–/,
    )
    expect(notice).toMatch(
      /Campaign: “Copper Moons” by Halcyon Drift — http:\/\/[^ ]+\/c\/copper-moons/,
    )
    expect(notice).toMatch(/Rights holders: Mira Vale, Halcyon Drift, Stemfair Demo Records/)
    const [html] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('takedown-html').click(),
    ])
    const document = readFileSync((await html.path())!, 'utf8')
    expect(document).toMatch(/^<!doctype html>/i)
    expect(document).toContain(sha256)
    expect(document).toContain('QZSF12600005')
    expect(errors).toEqual([])
  }, 120_000)

  it('lists the stored notice in the console, its documents a click away', async () => {
    const sha256 = createHash('sha256').update(clip).digest('hex')
    await page.goto(`${baseUrl}/console`)
    // newest first: the notice just issued
    const row = page.getByTestId('takedown-notices').getByTestId('takedown-notice').first()
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Copper Moons')
    const [text] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: 'Text' }).click(),
    ])
    expect(readFileSync((await text.path())!, 'utf8')).toContain(sha256)
    expect(errors).toEqual([])
  })
})
