import * as Tone from 'tone'
import { afterEach, expect, test, vi } from 'vitest'
import type { Recipe } from '../../core/recipe/schema.ts'
import { PREFIX_BYTES } from '../../web/api.ts'
import { StudioEngine } from '../../web/audio/engine.ts'
import { earlyStart } from '../../web/studio/early-start.ts'
import { earlyRequests, startStudio, takeStudioStart } from '../../web/studio/preload.ts'
import { STUDIO_PATH } from '../../web/store/route.ts'
import { decodedStem, headsResponse, isHeads, STEM } from './prefix-stem.ts'
import { recipeOf, wholeRegion } from './signals.ts'

let engine: StudioEngine | undefined
afterEach(() => {
  engine?.dispose()
  vi.restoreAllMocks()
})

const HEADS = `/api/campaigns/long/heads?bytes=${PREFIX_BYTES}`

/**
 * The requests the page makes, as "path range" and the priority asked for, if any; the campaign,
 * peaks and heads answered here (the heads from STEM), STEM real.
 */
function recording(onAsk?: (asked: string) => void): string[] {
  const real = globalThis.fetch
  const asked: string[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const path = String(input)
    const range = new Headers(init?.headers).get('Range') ?? 'whole'
    asked.push(`${path} ${range}${init?.priority ? ` ${init.priority}` : ''}`)
    onAsk?.(asked.at(-1)!)
    if (path === '/api/campaigns/long')
      return Response.json({
        campaign: { stems: [{ id: 'pads', peaksUrl: '/api/stems/pads/peaks', audioUrl: STEM }] },
      })
    if (path === '/api/me') return Response.json({ user: { id: 'u', displayName: 'Fan' } })
    if (path === '/api/stems/pads/peaks')
      return Response.json({ sampleRate: 44_100, length: 0, channels: [] })
    if (isHeads(input)) return headsResponse(path, { pads: STEM }, real)
    return real(input, init)
  })
  return asked
}

const REST = [`${STEM} bytes=${PREFIX_BYTES}- low`]

/** A studio engine on the heads its page asked for, once its first seconds are playable. */
async function playableEngine(
  options: { holdRest?: boolean; restAfter?: Promise<void> },
  recipe?: Recipe,
) {
  const asked = recording()
  startStudio('/c/long/studio')
  const { heads } = await takeStudioStart('long')!
  const live = new StudioEngine([{ id: 'pads', url: STEM }], { heads, ...options })
  engine = live
  if (recipe) live.setRecipe(recipe)
  return {
    live,
    /** Resolves when every stem is loaded; started before the engine is playable. */
    loaded: live.load().then(async () => undefined),
    /** The rest of the stem asked for so far. */
    rests: () => asked.filter((a) => a.startsWith(`${STEM} `)),
    playable: () =>
      vi.waitFor(() => expect(live.playable).toBe(true), { timeout: 20_000, interval: 20 }),
  }
}

test("a studio's address asks for all its stems' first bytes in one request, its campaign and who is signed in at once, then peaks; no other", async () => {
  const asked = recording()
  startStudio('/c/long')
  startStudio('/remix/abc')
  expect(asked).toEqual([]) // not a campaign's studio: nothing
  startStudio('/c/long/studio')
  expect(takeStudioStart('other')).toBeUndefined()
  const start = takeStudioStart('long')
  expect(takeStudioStart('long')).toBeUndefined() // taken once; a later visit asks anew
  const { campaign, user, peaks, heads } = await start!
  expect(campaign.stems.map((s) => s.id)).toEqual(['pads'])
  expect(await user).toEqual({ id: 'u', displayName: 'Fan' })
  expect((await peaks.get('pads'))?.sampleRate).toBe(44_100)
  expect((await heads).get('pads')?.bytes.length).toBe(PREFIX_BYTES)
  expect(asked).toEqual([
    `${HEADS} whole high`,
    '/api/campaigns/long whole',
    '/api/me whole',
    '/api/stems/pads/peaks whole',
  ])
})

test("index.html's first script asks for a studio's first requests and code; the app takes their answers, asking nothing twice", async () => {
  const asked = recording()
  const early = (path: string) =>
    earlyStart(path, STUDIO_PATH.source, '_slug_', earlyRequests('_slug_'), '/studio-chunk.js')
  early('/c/long')
  expect(asked).toEqual([]) // not a studio: nothing
  early('/c/long/studio')
  const preload = document.head.querySelector('link[href="/studio-chunk.js"]')
  expect(preload?.getAttribute('rel')).toBe('modulepreload')
  preload?.remove()
  expect(asked).toEqual([`${HEADS} whole high`, '/api/campaigns/long whole'])
  startStudio('/c/long/studio')
  const { campaign, user, heads, peaks } = await takeStudioStart('long')!
  expect(campaign.stems.map((s) => s.id)).toEqual(['pads'])
  expect(await user).toEqual({ id: 'u', displayName: 'Fan' })
  expect((await heads).get('pads')?.bytes.length).toBe(PREFIX_BYTES)
  expect((await peaks.get('pads'))?.sampleRate).toBe(44_100)
  // who is signed in and the peaks were left to ask for
  expect(asked).toEqual([
    `${HEADS} whole high`,
    '/api/campaigns/long whole',
    '/api/me whole',
    '/api/stems/pads/peaks whole',
  ])
})

test('the engine plays first bytes asked for before it, not again, and asks for the rest once they play', async () => {
  let playableAtRest: boolean | undefined
  const asked = recording((a) => {
    if (a.startsWith(`${STEM} bytes=`)) playableAtRest = engine?.playable
  })
  startStudio('/c/long/studio')
  const { heads } = await takeStudioStart('long')!
  engine = new StudioEngine([{ id: 'pads', url: STEM }], { heads })
  await engine.load()
  expect(engine.ready).toBe(true)
  expect(engine.buffers().get('pads')?.duration).toBeGreaterThan(95)
  // the first bytes once, in the heads; the rest (streaming for seconds) at low priority, only
  // once the first seconds play
  expect(asked.filter((a) => a.startsWith(STEM) || isHeads(a))).toEqual([
    `${HEADS} whole high`,
    ...REST,
  ])
  expect(playableAtRest).toBe(true)
})

test("a studio's address decodes its stems' first seconds before the engine exists; the engine does not again", async () => {
  const { head } = await decodedStem()
  recording()
  startStudio('/c/long/studio')
  const { heads } = await takeStudioStart('long')!
  // decoded with no engine and no Tone.js context: the studio's code may still be on its way
  const early = await (await heads).get('pads')!.audio!
  expect(early.duration).toBe(head.duration)
  const context = Tone.getContext()
  const decode = context.decodeAudioData.bind(context)
  const sizes: number[] = []
  vi.spyOn(context, 'decodeAudioData').mockImplementation((bytes) => {
    sizes.push(bytes.byteLength)
    return decode(bytes)
  })
  engine = new StudioEngine([{ id: 'pads', url: STEM }], { heads })
  await engine.load()
  expect(engine.ready).toBe(true)
  expect(sizes.length).toBeGreaterThan(0) // the longer prefix and the whole stem
  expect(sizes).not.toContain(PREFIX_BYTES)
})

test('held, the engine plays its first seconds and asks for no rest until loadRest', async () => {
  const { live, loaded, rests, playable } = await playableEngine({ holdRest: true })
  await playable()
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(rests()).toEqual([])
  live.loadRest()
  await loaded
  expect(live.ready).toBe(true)
  expect(rests()).toEqual(REST)
})

test('held, a Play that sounds lets the rest go without loadRest', async () => {
  const { loud } = await decodedStem() // where the pads sound within the first bytes
  const { live, loaded, rests, playable } = await playableEngine(
    { holdRest: true },
    recipeOf({ length: 96, tracks: [{ id: 't', stem: 'pads', regions: [wholeRegion('r', 96)] }] }),
  )
  await playable()
  expect(rests()).toEqual([])
  live.seek(loud)
  await live.play()
  await loaded // never loadRest(): the first sound let the rest go
  expect(live.ready).toBe(true)
  expect(rests()).toEqual(REST)
})

test('held rests wait for what they are told to wait for (the peaks) as well', async () => {
  let peaksIn: () => void = () => undefined
  const peaks = new Promise<void>((resolve) => (peaksIn = resolve))
  const { loaded, rests, playable } = await playableEngine({ restAfter: peaks })
  await playable()
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(rests()).toEqual([])
  peaksIn()
  await loaded
  expect(rests()).toEqual(REST)
})
