import { describe, expect, it } from 'vitest'
import { seededRandom } from '../lib/random.ts'
import { defaultRecipeFrom, stemSecondsFrom, type CampaignForRecipe } from './default.ts'
import { MIN_REGION_SECONDS, applyEdit, findRegion, type Edit, type EditContext } from './edits.ts'
import {
  LIMITS,
  RecipeSchema,
  regionEnd,
  regionSourceSpan,
  type Effect,
  type Recipe,
  type Region,
} from './schema.ts'

const stem = (id: string, seconds: number) => ({
  id,
  lengthSamples: seconds * 44_100,
  sampleRate: 44_100,
})

const campaign: CampaignForRecipe = {
  slug: 'copper-moons',
  tempo: 100,
  timeSignature: [4, 4],
  stems: [stem('drums', 48), stem('bass', 48), stem('pads', 60), stem('lead', 30), stem('vox', 24)],
}
const ctx: EditContext = { stemSeconds: stemSecondsFrom(campaign) }
const base = deepFreeze(defaultRecipeFrom(campaign))

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    Object.values(value).forEach(deepFreeze)
  }
  return value
}

/** Checks what the schema cannot: every region reads inside its stem. */
function expectInsideStems(recipe: Recipe, context: EditContext = ctx) {
  for (const track of recipe.tracks) {
    const seconds = context.stemSeconds[track.stem] ?? Infinity
    for (const r of track.regions) {
      expect(r.offset).toBeGreaterThanOrEqual(0)
      expect(r.duration).toBeGreaterThanOrEqual(MIN_REGION_SECONDS - 1e-12)
      expect(r.offset + regionSourceSpan(r)).toBeLessThanOrEqual(seconds + 1e-9)
    }
  }
}

/** Applies edits to frozen inputs, checking each input is untouched and each result valid. */
function apply(recipe: Recipe, ...edits: Edit[]): Recipe {
  return edits.reduce((r, edit) => {
    const before: unknown = JSON.parse(JSON.stringify(r))
    const next = applyEdit(deepFreeze(r), edit, ctx)
    expect(r).toEqual(before)
    expect(RecipeSchema.parse(next)).toEqual(next)
    expectInsideStems(next)
    return next
  }, recipe)
}

const region = (recipe: Recipe, trackId: string, regionId: string): Region => {
  const found = findRegion(recipe, trackId, regionId)
  if (!found) throw new Error(`no region ${regionId} on ${trackId}`)
  return found
}
const regionIds = (recipe: Recipe, trackId: string) =>
  recipe.tracks.find((t) => t.id === trackId)?.regions.map((r) => r.id)
const chainIds = (recipe: Recipe, target: string) =>
  (target === 'master' ? recipe.master : recipe.tracks.find((t) => t.id === target))?.effects.map(
    (e) => e.id,
  )

/** A region of the lead (a 30 s stem) placed at 10 s: plays 10..40 s from the stem's 0..30 s. */
const leadAt10 = apply(base, {
  type: 'moveRegion',
  trackId: 't-lead',
  regionId: 'r-lead',
  start: 10,
})
const setLead = (patch: Extract<Edit, { type: 'setRegion' }>['patch'], from = leadAt10) =>
  apply(from, { type: 'setRegion', trackId: 't-lead', regionId: 'r-lead', patch })

const filter = (id: string, frequency = 800): Extract<Effect, { type: 'filter' }> => ({
  id,
  bypass: false,
  type: 'filter',
  mode: 'lowpass',
  frequency,
  q: 1,
})

describe('findRegion', () => {
  it('finds a region of a track, or null', () => {
    expect(findRegion(base, 't-vox', 'r-vox')).toMatchObject({ id: 'r-vox', duration: 24 })
    expect(findRegion(base, 't-bass', 'r-vox')).toBeNull()
    expect(findRegion(base, 't-none', 'r-vox')).toBeNull()
  })
})

describe('applyEdit: no-ops', () => {
  const unknown: Edit[] = [
    { type: 'removeTrack', trackId: 'nope' },
    { type: 'addRegion', trackId: 'nope', regionId: 'r9', start: 0, offset: 0, duration: 1 },
    { type: 'moveRegion', trackId: 't-bass', regionId: 'nope', start: 3 },
    { type: 'moveRegion', trackId: 'nope', regionId: 'r-bass', start: 3 },
    { type: 'moveRegion', trackId: 't-bass', regionId: 'r-bass', start: 3, toTrackId: 'nope' },
    { type: 'trimRegionStart', trackId: 't-bass', regionId: 'nope', start: 1 },
    { type: 'trimRegionEnd', trackId: 'nope', regionId: 'r-bass', end: 1 },
    { type: 'splitRegion', trackId: 't-bass', regionId: 'nope', at: 1, newRegionId: 'r9' },
    { type: 'duplicateRegion', trackId: 't-bass', regionId: 'nope', newRegionId: 'r9' },
    { type: 'deleteRegion', trackId: 't-bass', regionId: 'r-vox' },
    { type: 'setRegion', trackId: 'nope', regionId: 'r-bass', patch: { gainDb: -3 } },
    { type: 'setTrack', trackId: 'nope', patch: { muted: true } },
    { type: 'addEffect', target: 'nope', effect: filter('fx1') },
    { type: 'updateEffect', target: 't-bass', effectId: 'nope', patch: { q: 2 } },
    { type: 'removeEffect', target: 'master', effectId: 'nope' },
    { type: 'moveEffect', target: 't-bass', effectId: 'nope', toIndex: 0 },
  ]

  it.each(unknown.map((edit) => [edit.type, edit] as const))(
    'returns the same recipe for %s naming something unknown',
    (_, edit) => {
      expect(applyEdit(base, edit, ctx)).toBe(base)
    },
  )

  it('returns the same recipe when an edit changes nothing', () => {
    const same: Edit[] = [
      { type: 'moveRegion', trackId: 't-bass', regionId: 'r-bass', start: 0 },
      { type: 'moveRegion', trackId: 't-bass', regionId: 'r-bass', start: -5 },
      { type: 'trimRegionEnd', trackId: 't-bass', regionId: 'r-bass', end: 100 },
      { type: 'setTrack', trackId: 't-bass', patch: { gainDb: 0, muted: false } },
      { type: 'setRegion', trackId: 't-bass', regionId: 'r-bass', patch: { gainDb: undefined } },
      { type: 'setMaster', patch: {} },
      { type: 'setLength', length: 60 },
    ]
    for (const edit of same) expect(applyEdit(base, edit, ctx)).toBe(base)
  })

  it('ignores edits carrying NaN', () => {
    const edits: Edit[] = [
      { type: 'moveRegion', trackId: 't-bass', regionId: 'r-bass', start: NaN },
      { type: 'setRegion', trackId: 't-bass', regionId: 'r-bass', patch: { rate: NaN } },
      { type: 'setLength', length: NaN },
      { type: 'addEffect', target: 'master', effect: filter('fx1', NaN) },
    ]
    for (const edit of edits) expect(applyEdit(base, edit, ctx)).toBe(base)
  })

  it('shares the parts an edit does not touch', () => {
    const next = apply(base, { type: 'setTrack', trackId: 't-bass', patch: { pan: 0.5 } })
    expect(next.tracks[0]).toBe(base.tracks[0])
    expect(next.tracks[1]!.regions).toBe(base.tracks[1]!.regions)
    expect(next.master).toBe(base.master)
  })
})

describe('applyEdit: tracks', () => {
  it('adds a track of a known stem with defaults and no regions', () => {
    const next = apply(base, { type: 'addTrack', trackId: 't-drums-2', stem: 'drums' })
    expect(next.tracks).toHaveLength(6)
    expect(next.tracks[5]).toEqual({
      id: 't-drums-2',
      stem: 'drums',
      gainDb: 0,
      pan: 0,
      muted: false,
      soloed: false,
      effects: [],
      regions: [],
    })
  })

  it('adds no track with a taken or malformed id, an unknown stem, or past the limit', () => {
    for (const [trackId, stem] of [
      ['t-drums', 'drums'],
      ['r-vox', 'vox'],
      ['a b', 'drums'],
      ['master', 'drums'],
      ['t-kazoo', 'kazoo'],
      ['t-proto', 'toString'],
    ]) {
      expect(applyEdit(base, { type: 'addTrack', trackId: trackId!, stem: stem! }, ctx)).toBe(base)
    }
    const adds = Array.from({ length: 40 }, (_, i): Edit => ({
      type: 'addTrack',
      trackId: `x${i}`,
      stem: 'pads',
    }))
    expect(apply(base, ...adds).tracks).toHaveLength(LIMITS.tracks)
  })

  it('removes a track', () => {
    const next = apply(base, { type: 'removeTrack', trackId: 't-pads' })
    expect(next.tracks.map((t) => t.id)).toEqual(['t-drums', 't-bass', 't-lead', 't-vox'])
  })

  it('sets mix settings, clamped', () => {
    const next = apply(base, {
      type: 'setTrack',
      trackId: 't-vox',
      patch: { gainDb: 20, pan: -3, muted: true, soloed: true },
    })
    expect(next.tracks[4]).toMatchObject({ gainDb: 12, pan: -1, muted: true, soloed: true })
    const low = apply(next, {
      type: 'setTrack',
      trackId: 't-vox',
      patch: { gainDb: -90, pan: 0.25 },
    })
    expect(low.tracks[4]).toMatchObject({ gainDb: -60, pan: 0.25, muted: true, soloed: true })
  })
})

describe('applyEdit: addRegion', () => {
  const add = (start: number, offset: number, duration: number, trackId = 't-lead') =>
    apply(base, { type: 'addRegion', trackId, regionId: 'r-new', start, offset, duration })

  it('appends a region with defaults', () => {
    const next = add(40, 5, 4)
    expect(regionIds(next, 't-lead')).toEqual(['r-lead', 'r-new'])
    expect(region(next, 't-lead', 'r-new')).toEqual({
      id: 'r-new',
      start: 40,
      offset: 5,
      duration: 4,
      loops: 1,
      fadeIn: 0,
      fadeOut: 0,
      gainDb: 0,
      rate: 1,
      pitch: 0,
    })
  })

  it("clamps into the stem's source", () => {
    expect(region(add(0, 28, 5), 't-lead', 'r-new')).toMatchObject({ offset: 28, duration: 2 })
    const atEnd = region(add(0, 40, 5), 't-lead', 'r-new')
    expect(atEnd.offset).toBe(29.99)
    expect(atEnd.duration).toBeCloseTo(0.01, 12)
    expect(region(add(-3, -1, -2), 't-lead', 'r-new')).toMatchObject({
      start: 0,
      offset: 0,
      duration: 0.01,
    })
    expect(region(add(0, 0, 500), 't-lead', 'r-new')).toMatchObject({ duration: 30 })
  })

  it('leaves the length alone when the region ends past it', () => {
    const next = add(58, 0, 20, 't-pads')
    expect(regionEnd(region(next, 't-pads', 'r-new'))).toBe(78)
    expect(next.length).toBe(60)
  })

  it('refuses an id used by any track, region or effect', () => {
    const withFx = apply(base, { type: 'addEffect', target: 'master', effect: filter('fx1') })
    for (const regionId of ['r-vox', 't-vox', 'fx1', 'bad id', '']) {
      const edit: Edit = {
        type: 'addRegion',
        trackId: 't-lead',
        regionId,
        start: 0,
        offset: 0,
        duration: 1,
      }
      expect(applyEdit(withFx, edit, ctx)).toBe(withFx)
    }
  })

  it('stops at the per-track limit', () => {
    const adds = Array.from({ length: LIMITS.regionsPerTrack + 5 }, (_, i): Edit => ({
      type: 'addRegion',
      trackId: 't-vox',
      regionId: `v${i}`,
      start: i,
      offset: 0,
      duration: 1,
    }))
    const next = adds.reduce((r, e) => applyEdit(r, e, ctx), base as Recipe)
    expect(next.tracks[4]!.regions).toHaveLength(LIMITS.regionsPerTrack)
    expect(RecipeSchema.safeParse(next).success).toBe(true)
  })
})

describe('applyEdit: moveRegion', () => {
  it('moves along the timeline without touching the source or the length', () => {
    expect(region(leadAt10, 't-lead', 'r-lead')).toMatchObject({
      start: 10,
      offset: 0,
      duration: 30,
    })
    const far = apply(leadAt10, {
      type: 'moveRegion',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: 100,
    })
    expect(region(far, 't-lead', 'r-lead').start).toBe(100)
    expect(far.length).toBe(60)
  })

  it('clamps at 0 and at the longest timeline', () => {
    const early = apply(leadAt10, {
      type: 'moveRegion',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: -4,
    })
    expect(region(early, 't-lead', 'r-lead').start).toBe(0)
    const late = apply(leadAt10, {
      type: 'moveRegion',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: 1e9,
    })
    expect(region(late, 't-lead', 'r-lead').start).toBe(LIMITS.length)
  })

  it('moves to another track of the same stem, and only there', () => {
    const two = apply(base, { type: 'addTrack', trackId: 't-drums-2', stem: 'drums' })
    const moved = apply(two, {
      type: 'moveRegion',
      trackId: 't-drums',
      regionId: 'r-drums',
      start: 2.4,
      toTrackId: 't-drums-2',
    })
    expect(regionIds(moved, 't-drums')).toEqual([])
    expect(region(moved, 't-drums-2', 'r-drums')).toMatchObject({
      start: 2.4,
      offset: 0,
      duration: 48,
    })
    const otherStem: Edit = {
      type: 'moveRegion',
      trackId: 't-drums',
      regionId: 'r-drums',
      start: 0,
      toTrackId: 't-bass',
    }
    expect(applyEdit(two, otherStem, ctx)).toBe(two)
  })
})

describe('applyEdit: trimRegionStart', () => {
  const trim = (start: number, from = leadAt10) =>
    region(
      apply(from, { type: 'trimRegionStart', trackId: 't-lead', regionId: 'r-lead', start }),
      't-lead',
      'r-lead',
    )

  it('moves start and offset together and keeps the end', () => {
    const r = trim(12)
    expect(r).toMatchObject({ start: 12, offset: 2, duration: 28 })
    expect(regionEnd(r)).toBe(40)
  })

  it('stops where the source begins', () => {
    const trimmed = apply(leadAt10, {
      type: 'trimRegionStart',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: 12,
    })
    expect(trim(5, trimmed)).toMatchObject({ start: 10, offset: 0, duration: 30 })
  })

  it('stops at timeline 0', () => {
    const shifted = apply(base, {
      type: 'trimRegionStart',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: 3,
    })
    const back = apply(shifted, {
      type: 'moveRegion',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: 1,
    })
    expect(trim(-10, back)).toMatchObject({ start: 0, offset: 2, duration: 28 })
  })

  it('leaves at least the minimum duration', () => {
    const r = trim(45)
    expect(r.duration).toBeCloseTo(MIN_REGION_SECONDS, 9)
    expect(r.start).toBeCloseTo(39.99, 9)
    expect(regionEnd(r)).toBeCloseTo(40, 9)
  })

  it('moves the source by the rate', () => {
    const fast = setLead({ rate: 2 }) // reads 30 s of source in 15 s: 10..25
    expect(region(fast, 't-lead', 'r-lead')).toMatchObject({ start: 10, offset: 0, duration: 15 })
    expect(trim(12, fast)).toMatchObject({ start: 12, offset: 4, duration: 13 })
  })

  it('keeps the fade-out and shrinks the fade-in to fit', () => {
    const faded = setLead({ fadeIn: 4, fadeOut: 5 })
    expect(trim(30, faded)).toMatchObject({ duration: 10, fadeIn: 4, fadeOut: 5 })
    expect(trim(34, faded)).toMatchObject({ duration: 6, fadeIn: 1, fadeOut: 5 })
    expect(trim(37, faded)).toMatchObject({ duration: 3, fadeIn: 0, fadeOut: 3 })
  })
})

describe('applyEdit: trimRegionEnd', () => {
  const trim = (end: number, from = leadAt10) =>
    region(
      apply(from, { type: 'trimRegionEnd', trackId: 't-lead', regionId: 'r-lead', end }),
      't-lead',
      'r-lead',
    )

  it('moves the right edge and keeps the start', () => {
    expect(trim(30)).toMatchObject({ start: 10, offset: 0, duration: 20 })
  })

  it("stops at the stem's end, counting the offset and the rate", () => {
    expect(trim(55).duration).toBe(30)
    const trimmed = apply(leadAt10, {
      type: 'trimRegionStart',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: 15,
    })
    expect(trim(55, trimmed)).toMatchObject({ start: 15, offset: 5, duration: 25 })
    expect(trim(100, setLead({ rate: 0.5 }))).toMatchObject({ duration: 60 })
    expect(trim(55, setLead({ rate: 4 }))).toMatchObject({ duration: 7.5 })
  })

  it('leaves at least the minimum duration', () => {
    expect(trim(0).duration).toBe(MIN_REGION_SECONDS)
  })

  it('trims one pass of a looped region', () => {
    const r = trim(14, setLead({ loops: 3 }))
    expect(r).toMatchObject({ duration: 4, loops: 3 })
    expect(regionEnd(r)).toBe(22)
  })

  it('keeps the fade-in and shrinks the fade-out to fit', () => {
    const faded = setLead({ fadeIn: 4, fadeOut: 5 })
    expect(trim(16, faded)).toMatchObject({ duration: 6, fadeIn: 4, fadeOut: 2 })
    expect(trim(12, faded)).toMatchObject({ duration: 2, fadeIn: 2, fadeOut: 0 })
  })
})

describe('applyEdit: splitRegion', () => {
  const split = (at: number, from = leadAt10, newRegionId = 'r-right') =>
    apply(from, { type: 'splitRegion', trackId: 't-lead', regionId: 'r-lead', at, newRegionId })

  it('cuts into two regions that play the same audio, fades kept on the outer edges', () => {
    const faded = setLead({ fadeIn: 1, fadeOut: 2, gainDb: -3, pitch: 2 })
    const next = split(22, faded)
    expect(regionIds(next, 't-lead')).toEqual(['r-lead', 'r-right'])
    expect(region(next, 't-lead', 'r-lead')).toEqual({
      id: 'r-lead',
      start: 10,
      offset: 0,
      duration: 12,
      loops: 1,
      fadeIn: 1,
      fadeOut: 0,
      gainDb: -3,
      rate: 1,
      pitch: 2,
    })
    expect(region(next, 't-lead', 'r-right')).toEqual({
      id: 'r-right',
      start: 22,
      offset: 12,
      duration: 18,
      loops: 1,
      fadeIn: 0,
      fadeOut: 2,
      gainDb: -3,
      rate: 1,
      pitch: 2,
    })
  })

  it('continues the source at the rate', () => {
    const fast = setLead({ rate: 2 })
    const trimmed = apply(fast, {
      type: 'trimRegionStart',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: 12,
    })
    const next = split(15, trimmed)
    expect(region(next, 't-lead', 'r-lead')).toMatchObject({
      start: 12,
      offset: 4,
      duration: 3,
      rate: 2,
    })
    expect(region(next, 't-lead', 'r-right')).toMatchObject({
      start: 15,
      offset: 10,
      duration: 10,
      rate: 2,
    })
  })

  it('shrinks fades that no longer fit a part', () => {
    const faded = setLead({ fadeIn: 10, fadeOut: 10 })
    const next = split(14, faded)
    expect(region(next, 't-lead', 'r-lead')).toMatchObject({ duration: 4, fadeIn: 4, fadeOut: 0 })
    expect(region(next, 't-lead', 'r-right')).toMatchObject({
      duration: 26,
      fadeIn: 0,
      fadeOut: 10,
    })
  })

  it('cuts only strictly inside the first pass', () => {
    const looped = setLead({ loops: 2 }) // passes 10..40 and 40..70
    for (const at of [10, 40, 5, 45, 10.001, 39.999]) {
      expect(
        applyEdit(
          looped,
          { type: 'splitRegion', trackId: 't-lead', regionId: 'r-lead', at, newRegionId: 'r2' },
          ctx,
        ),
      ).toBe(looped)
    }
    const next = split(20, looped)
    expect(region(next, 't-lead', 'r-lead')).toMatchObject({ start: 10, duration: 10, loops: 1 })
    expect(region(next, 't-lead', 'r-right')).toMatchObject({
      start: 20,
      offset: 10,
      duration: 20,
      loops: 1,
    })
  })

  it('needs a fresh id for the right part', () => {
    const edit: Edit = {
      type: 'splitRegion',
      trackId: 't-lead',
      regionId: 'r-lead',
      at: 20,
      newRegionId: 'r-vox',
    }
    expect(applyEdit(leadAt10, edit, ctx)).toBe(leadAt10)
  })
})

describe('applyEdit: duplicateRegion and deleteRegion', () => {
  it('places the copy right after the original, next to it in the list', () => {
    const two = apply(base, {
      type: 'addRegion',
      trackId: 't-vox',
      regionId: 'r-v2',
      start: 50,
      offset: 1,
      duration: 2,
    })
    const next = apply(two, {
      type: 'duplicateRegion',
      trackId: 't-vox',
      regionId: 'r-vox',
      newRegionId: 'r-copy',
    })
    expect(regionIds(next, 't-vox')).toEqual(['r-vox', 'r-copy', 'r-v2'])
    expect(region(next, 't-vox', 'r-copy')).toEqual({
      ...region(two, 't-vox', 'r-vox'),
      id: 'r-copy',
      start: 24,
    })
  })

  it('places the copy after every pass of a looped region, leaving the length alone', () => {
    const looped = setLead({ loops: 2, fadeIn: 1 })
    const next = apply(looped, {
      type: 'duplicateRegion',
      trackId: 't-lead',
      regionId: 'r-lead',
      newRegionId: 'r-copy',
    })
    expect(region(next, 't-lead', 'r-copy')).toMatchObject({
      start: 70,
      loops: 2,
      fadeIn: 1,
      duration: 30,
    })
    expect(next.length).toBe(60)
  })

  it('does not duplicate past the longest timeline or onto a taken id', () => {
    const late = apply(leadAt10, {
      type: 'moveRegion',
      trackId: 't-lead',
      regionId: 'r-lead',
      start: LIMITS.length - 5,
    })
    const edit: Edit = {
      type: 'duplicateRegion',
      trackId: 't-lead',
      regionId: 'r-lead',
      newRegionId: 'r-copy',
    }
    expect(applyEdit(late, edit, ctx)).toBe(late)
    expect(applyEdit(base, { ...edit, newRegionId: 't-lead' }, ctx)).toBe(base)
  })

  it('deletes a region', () => {
    const next = apply(base, { type: 'deleteRegion', trackId: 't-vox', regionId: 'r-vox' })
    expect(regionIds(next, 't-vox')).toEqual([])
  })
})

describe('applyEdit: setRegion', () => {
  const get = (recipe: Recipe) => region(recipe, 't-lead', 'r-lead')

  it('rounds and clamps loops, gain and pitch', () => {
    expect(get(setLead({ loops: 2.6, gainDb: -6, pitch: 3 }))).toMatchObject({
      loops: 3,
      gainDb: -6,
      pitch: 3,
    })
    expect(get(setLead({ loops: 100, gainDb: 20, pitch: 15 }))).toMatchObject({
      loops: 64,
      gainDb: 12,
      pitch: 12,
    })
    expect(get(setLead({ loops: 0, gainDb: -100, pitch: -13 }))).toMatchObject({
      loops: 1,
      gainDb: -60,
      pitch: -12,
    })
  })

  it('keeps the duration when the rate changes, shortening it if the source runs out', () => {
    expect(get(setLead({ rate: 2 }))).toMatchObject({ rate: 2, duration: 15 })
    expect(get(setLead({ rate: 0.1 }))).toMatchObject({ rate: 0.25, duration: 30 })
    expect(get(setLead({ rate: 8 }))).toMatchObject({ rate: 4, duration: 7.5 })
  })

  it('caps a dragged fade at what the other fade leaves', () => {
    const out = setLead({ fadeOut: 10 })
    expect(get(setLead({ fadeIn: 25 }, out))).toMatchObject({ fadeIn: 20, fadeOut: 10 })
    expect(get(setLead({ fadeIn: 40 }))).toMatchObject({ fadeIn: 30, fadeOut: 0 })
    expect(get(setLead({ fadeOut: -2 }))).toMatchObject({ fadeOut: 0 })
  })

  it('shrinks both fades in proportion when both overflow', () => {
    expect(get(setLead({ fadeIn: 30, fadeOut: 30 }))).toMatchObject({ fadeIn: 15, fadeOut: 15 })
    const faded = setLead({ fadeIn: 10, fadeOut: 10 })
    expect(get(setLead({ rate: 2 }, faded))).toMatchObject({
      duration: 15,
      fadeIn: 7.5,
      fadeOut: 7.5,
    })
  })
})

describe('applyEdit: effects', () => {
  const add = (from: Recipe, target: string, effect: Effect, index?: number) =>
    apply(from, { type: 'addEffect', target, effect, ...(index === undefined ? {} : { index }) })
  const three = add(
    add(add(base, 't-bass', filter('a')), 't-bass', filter('b')),
    't-bass',
    filter('c'),
  )

  it('adds to a track or the master, at an index or at the end', () => {
    expect(chainIds(three, 't-bass')).toEqual(['a', 'b', 'c'])
    expect(chainIds(add(three, 't-bass', filter('d'), 0), 't-bass')).toEqual(['d', 'a', 'b', 'c'])
    expect(chainIds(add(three, 't-bass', filter('d'), 99), 't-bass')).toEqual(['a', 'b', 'c', 'd'])
    expect(chainIds(add(three, 'master', filter('d')), 'master')).toEqual(['d'])
  })

  it('clamps parameters into their ranges', () => {
    const next = add(base, 'master', { ...filter('f'), frequency: 50_000, q: 0 })
    expect(next.master.effects[0]).toEqual({ ...filter('f'), frequency: 20_000, q: 0.1 })
  })

  it('refuses invalid effects, taken ids and full chains', () => {
    const bad = { ...filter('f'), mode: 'notch' } as unknown as Effect
    expect(applyEdit(base, { type: 'addEffect', target: 'master', effect: bad }, ctx)).toBe(base)
    expect(
      applyEdit(three, { type: 'addEffect', target: 'master', effect: filter('a') }, ctx),
    ).toBe(three)
    expect(
      applyEdit(three, { type: 'addEffect', target: 'master', effect: filter('t-vox') }, ctx),
    ).toBe(three)
    const full = ['d', 'e', 'f', 'g', 'h'].reduce((r, id) => add(r, 't-bass', filter(id)), three)
    expect(chainIds(full, 't-bass')).toHaveLength(LIMITS.effectsPerChain)
    expect(applyEdit(full, { type: 'addEffect', target: 't-bass', effect: filter('i') }, ctx)).toBe(
      full,
    )
  })

  it('merges parameters, clamped, never changing the type or id', () => {
    const next = apply(three, {
      type: 'updateEffect',
      target: 't-bass',
      effectId: 'b',
      patch: { frequency: 5, mode: 'highpass', bypass: true, type: 'reverb', id: 'z' },
    })
    expect(next.tracks[1]!.effects[1]).toEqual({
      ...filter('b'),
      frequency: 20,
      mode: 'highpass',
      bypass: true,
    })
    const invalid: Edit = {
      type: 'updateEffect',
      target: 't-bass',
      effectId: 'b',
      patch: { mode: 'notch' },
    }
    expect(applyEdit(three, invalid, ctx)).toBe(three)
  })

  it('removes and reorders', () => {
    expect(
      chainIds(apply(three, { type: 'removeEffect', target: 't-bass', effectId: 'b' }), 't-bass'),
    ).toEqual(['a', 'c'])
    const move = (effectId: string, toIndex: number) =>
      chainIds(apply(three, { type: 'moveEffect', target: 't-bass', effectId, toIndex }), 't-bass')
    expect(move('a', 2)).toEqual(['b', 'c', 'a'])
    expect(move('c', 0)).toEqual(['c', 'a', 'b'])
    expect(move('b', -5)).toEqual(['b', 'a', 'c'])
    expect(move('a', 99)).toEqual(['b', 'c', 'a'])
    expect(
      applyEdit(three, { type: 'moveEffect', target: 't-bass', effectId: 'b', toIndex: 1 }, ctx),
    ).toBe(three)
  })
})

describe('applyEdit: master and length', () => {
  it('sets the master, clamped, keeping what the patch leaves out', () => {
    const next = apply(base, {
      type: 'setMaster',
      patch: { gainDb: 20, limiter: { ceilingDb: 3 } },
    })
    expect(next.master).toEqual({
      gainDb: 12,
      effects: [],
      limiter: { enabled: true, ceilingDb: 0 },
    })
    const off = apply(next, {
      type: 'setMaster',
      patch: { limiter: { enabled: false, ceilingDb: -40 } },
    })
    expect(off.master).toEqual({
      gainDb: 12,
      effects: [],
      limiter: { enabled: false, ceilingDb: -12 },
    })
  })

  it('sets the length between a second and the longest timeline', () => {
    expect(apply(base, { type: 'setLength', length: 90 }).length).toBe(90)
    expect(apply(base, { type: 'setLength', length: 0 }).length).toBe(1)
    expect(apply(base, { type: 'setLength', length: -4 }).length).toBe(1)
    expect(apply(base, { type: 'setLength', length: 5000 }).length).toBe(LIMITS.length)
  })
})

describe('applyEdit: random edit sequences', () => {
  function editFrom(recipe: Recipe, random: () => number, n: number): Edit {
    const pick = <T>(items: readonly T[]): T | undefined =>
      items[Math.floor(random() * items.length)]
    const num = (lo: number, hi: number) => lo + random() * (hi - lo)
    const track = pick(recipe.tracks)
    const trackId = random() < 0.05 || !track ? 'ghost' : track.id
    const regionId = pick(track?.regions ?? [])?.id ?? 'ghost'
    const target = random() < 0.3 ? 'master' : trackId
    const chain = target === 'master' ? recipe.master.effects : (track?.effects ?? [])
    const effectId = pick(chain)?.id ?? 'ghost'
    const fresh = random() < 0.05 ? regionId : `n${n}`
    const effects: Effect[] = [
      { ...filter(fresh, num(0, 30_000)), q: num(-1, 30) },
      {
        id: fresh,
        bypass: false,
        type: 'delay',
        division: '1/8d',
        feedback: num(0, 2),
        wet: num(-1, 2),
      },
      { id: fresh, bypass: false, type: 'pitchShift', semitones: num(-20, 20), wet: 1 },
    ]
    const time = () => num(-10, 90)
    const edits: Edit[] = [
      { type: 'addTrack', trackId: fresh, stem: pick(Object.keys(ctx.stemSeconds))! },
      { type: 'removeTrack', trackId },
      {
        type: 'addRegion',
        trackId,
        regionId: fresh,
        start: time(),
        offset: time(),
        duration: num(-1, 70),
      },
      { type: 'moveRegion', trackId, regionId, start: time(), toTrackId: pick(recipe.tracks)?.id },
      { type: 'moveRegion', trackId, regionId, start: time() },
      { type: 'trimRegionStart', trackId, regionId, start: time() },
      { type: 'trimRegionEnd', trackId, regionId, end: time() },
      { type: 'splitRegion', trackId, regionId, at: time(), newRegionId: fresh },
      { type: 'duplicateRegion', trackId, regionId, newRegionId: fresh },
      { type: 'deleteRegion', trackId, regionId },
      {
        type: 'setRegion',
        trackId,
        regionId,
        patch: {
          loops: num(-2, 80),
          fadeIn: num(-5, 40),
          fadeOut: num(-5, 40),
          rate: num(0, 5),
          pitch: num(-20, 20),
        },
      },
      {
        type: 'setRegion',
        trackId,
        regionId,
        patch: { fadeIn: num(-5, 40), gainDb: num(-80, 20) },
      },
      {
        type: 'setTrack',
        trackId,
        patch: { gainDb: num(-80, 20), pan: num(-2, 2), muted: random() < 0.5 },
      },
      { type: 'addEffect', target, effect: pick(effects)!, index: Math.floor(num(-2, 10)) },
      {
        type: 'updateEffect',
        target,
        effectId,
        patch: { frequency: num(0, 30_000), wet: num(-1, 2), bypass: true },
      },
      { type: 'removeEffect', target, effectId },
      { type: 'moveEffect', target, effectId, toIndex: Math.floor(num(-2, 10)) },
      { type: 'setMaster', patch: { gainDb: num(-80, 20), limiter: { ceilingDb: num(-20, 5) } } },
      { type: 'setLength', length: num(-10, 2000) },
    ]
    return pick(edits)!
  }

  /** What is wrong with a recipe, cheaply: schema, missing fields, regions off their stems. */
  function problemOf(recipe: Recipe): string | null {
    const parsed = RecipeSchema.safeParse(recipe)
    if (!parsed.success) return parsed.error.message
    // Parsing fills in missing fields and drops unknown ones, so equal counts mean equal shapes.
    if (fieldCount(parsed.data) !== fieldCount(recipe)) return 'missing or extra fields'
    for (const t of recipe.tracks) {
      const seconds = ctx.stemSeconds[t.stem]!
      for (const r of t.regions) {
        if (r.offset + regionSourceSpan(r) > seconds + 1e-9) return `${r.id} reads past its stem`
        if (r.duration < MIN_REGION_SECONDS - 1e-12) return `${r.id} is too short`
      }
    }
    return null
  }

  function fieldCount(value: unknown): number {
    if (typeof value !== 'object' || value === null) return 1
    return Object.values(value).reduce((n: number, v) => n + 1 + fieldCount(v), 0)
  }

  it('always yields schema-valid recipes inside their stems, never touching the input', () => {
    const random = seededRandom(20_260_101)
    let applied = 0
    for (let sequence = 0; sequence < 500; sequence++) {
      let recipe: Recipe = base
      for (let step = 0; step < 16; step++) {
        const edit = editFrom(recipe, random, step)
        const next = applyEdit(deepFreeze(recipe), edit, ctx)
        const problem = problemOf(next)
        if (problem) throw new Error(`after ${JSON.stringify(edit)}: ${problem}`)
        if (next !== recipe) applied++
        recipe = next
      }
    }
    expect(applied).toBeGreaterThan(3000)
  })
})
