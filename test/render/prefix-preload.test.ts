import { afterEach, expect, test, vi } from 'vitest'
import { PREFIX_BYTES } from '../../web/api.ts'
import { StudioEngine } from '../../web/audio/engine.ts'
import { startStudio, takeStudioStart } from '../../web/studio/preload.ts'
import { STEM } from './prefix-stem.ts'

let engine: StudioEngine | undefined
afterEach(() => {
  engine?.dispose()
  vi.restoreAllMocks()
})

const FIRST = `bytes=0-${PREFIX_BYTES - 1}`

/** The requests the page makes, as "path range"; the campaign and peaks answered here, STEM real. */
function recording(): string[] {
  const real = globalThis.fetch
  const asked: string[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const path = String(input)
    asked.push(`${path} ${new Headers(init?.headers).get('Range') ?? 'whole'}`)
    if (path === '/api/campaigns/long')
      return Response.json({
        campaign: { stems: [{ id: 'pads', peaksUrl: '/api/stems/pads/peaks', audioUrl: STEM }] },
      })
    if (path === '/api/stems/pads/peaks')
      return Response.json({ sampleRate: 44_100, length: 0, channels: [] })
    return real(input, init)
  })
  return asked
}

test("a studio's address asks for its campaign, then its stems' peaks and first bytes; no other", async () => {
  const asked = recording()
  startStudio('/c/long')
  startStudio('/remix/abc')
  expect(asked).toEqual([]) // not a campaign's studio: nothing
  startStudio('/c/long/studio')
  expect(takeStudioStart('other')).toBeUndefined()
  const start = takeStudioStart('long')
  expect(takeStudioStart('long')).toBeUndefined() // taken once; a later visit asks anew
  const { campaign, peaks, heads } = await start!
  expect(campaign.stems.map((s) => s.id)).toEqual(['pads'])
  expect((await peaks.get('pads'))?.sampleRate).toBe(44_100)
  expect((await heads.get('pads'))?.ok).toBe(true)
  expect(asked).toEqual([
    '/api/campaigns/long whole',
    '/api/stems/pads/peaks whole',
    `${STEM} ${FIRST}`,
  ])
})

test('the engine plays first bytes asked for before it, and does not ask for them again', async () => {
  const asked = recording()
  startStudio('/c/long/studio')
  const { heads } = await takeStudioStart('long')!
  engine = new StudioEngine([{ id: 'pads', url: STEM, head: heads.get('pads') }])
  await engine.load()
  expect(engine.ready).toBe(true)
  expect(engine.buffers().get('pads')?.duration).toBeGreaterThan(95)
  expect(asked.filter((a) => a === `${STEM} ${FIRST}`)).toHaveLength(1)
  expect(asked.filter((a) => a.startsWith(STEM))).toHaveLength(2) // the first bytes, the rest
})
