import { describe, expect, it } from 'vitest'
import { energyCurve, keyPalette, keyPosition, planArtwork, type ArtworkInput } from './plan.ts'
import { knownWords, wordsEffect } from './words.ts'

const sections = [
  { start: 0, end: 16, label: 'A' },
  { start: 16, end: 48, label: 'B' },
  { start: 48, end: 64, label: 'A' },
]
const input: ArtworkInput = { tempo: 120, key: 'D minor', sections, words: '', seed: 7 }

describe('planArtwork', () => {
  it('gives the same plan for the same inputs and another for another seed', () => {
    const a = planArtwork(input)
    expect(planArtwork({ ...input })).toEqual(a)
    expect(JSON.stringify(planArtwork(input))).toBe(JSON.stringify(a))
    const b = planArtwork({ ...input, seed: 8 })
    expect(b).not.toEqual(a)
    expect(b.palette.background).toEqual(a.palette.background) // the music sets the palette
  })

  it('draws one ring per section, thicker where the energy is higher', () => {
    const plan = planArtwork({ ...input, energy: [0.1, 1, 0.1] })
    const rings = plan.layers.find((l) => l.kind === 'rings')!
    expect(rings.radii).toHaveLength(3)
    expect(rings.widths[1]).toBeGreaterThan(rings.widths[0]!)
  })

  it('refuses a bad seed or too many words', () => {
    expect(() => planArtwork({ ...input, seed: -1 })).toThrow(/seed/)
    expect(() => planArtwork({ ...input, seed: 1.5 })).toThrow(/seed/)
    expect(() => planArtwork({ ...input, words: 'x'.repeat(501) })).toThrow(/characters/)
  })
})

describe('palette from the key', () => {
  it('walks the circle of fifths: neighbouring keys, neighbouring hues', () => {
    expect(keyPosition('C major')).toEqual({ fifths: 0, minor: false })
    expect(keyPosition('G major')).toEqual({ fifths: 1, minor: false })
    expect(keyPosition('A minor')).toEqual({ fifths: 0, minor: true })
    expect(keyPosition('E minor')).toEqual({ fifths: 1, minor: true })
    expect(keyPosition('Bb')).toEqual({ fifths: 10, minor: false })
    expect(keyPosition('nonsense')).toBeNull()
    expect(keyPalette('G major').hue - keyPalette('C major').hue).toBe(30)
  })

  it('makes major keys brighter and more saturated than minor ones', () => {
    const major = keyPalette('C major')
    const minor = keyPalette('A minor')
    expect(major.saturation).toBeGreaterThan(minor.saturation)
    expect(major.lightness).toBeGreaterThan(minor.lightness)
    expect(keyPalette(null).saturation).toBeLessThan(0.2)
  })

  it('changes the plan palette with the key', () => {
    const c = planArtwork({ ...input, key: 'C major' })
    const fs = planArtwork({ ...input, key: 'F# major' })
    expect(Math.abs(c.palette.background[0].h - fs.palette.background[0].h)).toBeCloseTo(180, 0)
  })
})

describe("the fan's words", () => {
  it('knows mood and colour words and ignores the rest', () => {
    expect(knownWords('It felt DREAMY, like floating in blue glorp!')).toEqual([
      'dreamy',
      'floating',
      'blue',
    ])
    expect(planArtwork({ ...input, words: 'glorp zint' })).toEqual(planArtwork(input))
  })

  it('pulls the palette to colour words and the layout to mood words', () => {
    const plain = planArtwork({ ...input, key: 'C major' })
    const red = planArtwork({ ...input, key: 'C major', words: 'red' })
    const blue = planArtwork({ ...input, key: 'C major', words: 'blue' })
    const distance = (h: number, to: number) => Math.abs(((h - to + 540) % 360) - 180)
    expect(distance(red.palette.background[0].h, 0)).toBeLessThan(
      distance(plain.palette.background[0].h, 0),
    )
    expect(distance(blue.palette.background[0].h, 220)).toBeLessThan(
      distance(plain.palette.background[0].h, 220) / 3,
    )
    const calm = planArtwork({ ...input, words: 'calm minimal still' })
    const wild = planArtwork({ ...input, words: 'wild euphoric crowded' })
    expect(wild.params.motion).toBeGreaterThan(calm.params.motion)
    expect(wild.layers.filter((l) => l.kind === 'sphere').length).toBeGreaterThan(
      calm.layers.filter((l) => l.kind === 'sphere').length,
    )
    expect(wordsEffect('sad').warmth).toBeLessThan(0)
  })
})

describe('energyCurve', () => {
  it('is the share of stems active in each section', () => {
    const bars = [
      { start: 0, end: 8, startBar: 0, endBar: 4 },
      { start: 8, end: 16, startBar: 4, endBar: 8 },
    ]
    const activity = [[{ startBar: 0, endBar: 8 }], [{ startBar: 4, endBar: 8 }]]
    expect(energyCurve(bars, activity)).toEqual([0.5, 1])
    expect(energyCurve(bars)).toHaveLength(2)
  })
})
