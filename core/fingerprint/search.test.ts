import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg } from '../watermark/testing/audio.ts'
import { monoOf, queryFingerprintOf } from './fingerprint.ts'
import { FINGERPRINT_RATE } from './landmarks.ts'
import { significantMatches } from './match.ts'
import { CONFIDENT_ALIGNED, searchIndex } from './search.ts'
import { Catalogue, crop, demoStem, EDITS } from './testing/catalogue.ts'
import { unrelated } from './testing/unrelated.ts'
import type { Pcm } from '../watermark/testing/audio.ts'

const catalogue = new Catalogue()
const refs: Record<string, number> = {}
let voice: Pcm
let pads: Pcm

/** searchIndex over the catalogue, keeping every set of hashes it looked up. */
async function search(pcm: Pcm) {
  const looked: Uint32Array[] = []
  const query = queryFingerprintOf(monoOf(pcm.channels), pcm.sampleRate)
  const found = await searchIndex(query, (hashes) => {
    looked.push(hashes)
    return catalogue.index.lookup(hashes)
  })
  return { ...found, looked, distinct: new Set(query.hash).size }
}

beforeAll(() => {
  if (!hasFfmpeg()) throw new Error('ffmpeg is needed to decode the demo stems')
  for (const id of ['vox', 'pads', 'lead']) refs[id] = catalogue.add(id, demoStem(id, 1, 11025))
  voice = crop(demoStem('vox'), 20, 10)
  pads = crop(demoStem('pads'), 20, 10)
}, 300_000)

describe('searchIndex', () => {
  it('answers a clear clip from the first lookup: one hash per triplet, a fraction of the rows', async () => {
    const clip = EDITS['mp3 64 kbit/s']!(voice)
    const s = await search(clip)
    expect(s.lookups).toBe(1)
    expect(s.matches[0]?.ref).toBe(refs.vox)
    expect(s.matches[0]!.aligned).toBeGreaterThanOrEqual(CONFIDENT_ALIGNED)
    expect(s.looked).toHaveLength(1)
    expect(s.hashes).toBe(s.looked[0]!.length)
    expect(new Set(s.looked[0]).size).toBe(s.looked[0]!.length)
    // The probed neighbouring cells make up most of a query's hashes; they were not read.
    expect(s.hashes).toBeLessThan(s.distinct / 3)
  })

  it('looks up the probed cells too when the first lookup is not confident, as a full query would', async () => {
    const clip = EDITS['tempo +5 %']!(pads)
    const s = await search(clip)
    expect(s.lookups).toBe(2)
    const [first, rest] = s.looked
    expect(rest!.some((h) => new Set(first).has(h))).toBe(false)
    expect(first!.length + rest!.length).toBe(s.distinct)
    expect(s.matches).toEqual(significantMatches(catalogue.query(clip)))
    expect(s.matches[0]?.ref).toBe(refs.pads)
  })

  it('finds nothing in an unrelated clip, after both lookups', async () => {
    for (const i of [0, 18, 19]) {
      const s = await search({ channels: [unrelated(i)], sampleRate: FINGERPRINT_RATE })
      expect(s.lookups, `clip ${i}`).toBe(2)
      expect(s.matches, `clip ${i}`).toEqual([])
    }
  })
})
