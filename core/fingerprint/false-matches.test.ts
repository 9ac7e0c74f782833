// A sample of the false-match sweep (false-matches.soak.test.ts, in the soak project): fewer
// recordings indexed and 40 unrelated clips, including the pink noise and the tone sweeps.
import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg } from '../watermark/testing/audio.ts'
import { FINGERPRINT_RATE } from './landmarks.ts'
import { Catalogue, demoStem, generated } from './testing/catalogue.ts'
import { unrelated } from './testing/unrelated.ts'

const catalogue = new Catalogue()

beforeAll(() => {
  if (!hasFfmpeg()) throw new Error('ffmpeg is needed to decode the demo stems')
  catalogue.add('vox', demoStem('vox', 1, 11025))
  for (const seed of [101, 102]) catalogue.add(`generated ${seed}`, generated(seed, 60, 11025))
}, 300_000)

describe('fingerprint false matches (sample)', () => {
  it('matches none of 40 unrelated clips', { timeout: 120_000 }, async () => {
    const falseMatches: string[] = []
    for (let i = 0; i < 40; i++) {
      const clip = { channels: [unrelated(i)], sampleRate: FINGERPRINT_RATE }
      for (const m of [...catalogue.query(clip), ...(await catalogue.search(clip))])
        falseMatches.push(`clip ${i} → ${catalogue.names[m.ref - 1]} (${m.aligned})`)
    }
    expect(falseMatches).toEqual([])
  })
})
