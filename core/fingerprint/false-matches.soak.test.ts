import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg } from '../watermark/testing/audio.ts'
import { FINGERPRINT_RATE } from './landmarks.ts'
import { Catalogue, DEMO_STEMS, demoStem, generated } from './testing/catalogue.ts'
import { unrelated } from './testing/unrelated.ts'

const catalogue = new Catalogue()

beforeAll(() => {
  if (!hasFfmpeg()) throw new Error('ffmpeg is needed to decode the demo stems')
  for (const id of DEMO_STEMS) catalogue.add(id, demoStem(id, 1, 11025))
  for (const seed of [101, 102]) catalogue.add(`generated ${seed}`, generated(seed, 60, 11025))
}, 300_000)

describe('fingerprint false matches', () => {
  it('matches none of 1 000 unrelated clips', { timeout: 600_000 }, async () => {
    const falseMatches: string[] = []
    for (let i = 0; i < 1000; i++) {
      const clip = { channels: [unrelated(i)], sampleRate: FINGERPRINT_RATE }
      for (const m of [...catalogue.query(clip), ...(await catalogue.search(clip))])
        falseMatches.push(`clip ${i} → ${catalogue.names[m.ref - 1]} (${m.aligned})`)
    }
    expect(falseMatches).toEqual([])
  })
})
