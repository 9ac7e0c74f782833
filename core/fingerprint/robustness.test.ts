// A sample of the robustness sweep (robustness.soak.test.ts, in the soak project, holds every edit
// of demo stems and generated music with measured floors): generated music under three edits, and
// the demo bass under other music, which only the low band finds.
import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg } from '../watermark/testing/audio.ts'
import { Catalogue, crop, demoStem, EDITS, generated } from './testing/catalogue.ts'
import { MIN_ALIGNED } from './match.ts'

const SAMPLE = ['mp3 64 kbit/s', 'noise 20 dB SNR', 'tempo +5 %']

const catalogue = new Catalogue()
let ref = 0
let clip: ReturnType<typeof crop>
let bassRef = 0
let bassClip: ReturnType<typeof crop>

beforeAll(() => {
  if (!hasFfmpeg()) throw new Error('ffmpeg is needed for the fingerprint robustness tests')
  const music = generated(101, 60)
  ref = catalogue.add('generated 101', music)
  catalogue.add('generated 102', generated(102, 60))
  clip = crop(music, 25, 10)
  // 30 s of the bass line indexed, a 10 s clip from inside it queried.
  const bass = crop(demoStem('bass'), 30, 30)
  bassRef = catalogue.add('bass', bass)
  bassClip = crop(bass, 10, 10)
}, 300_000)

describe('fingerprint robustness (sample, 10 s clips)', () => {
  for (const edit of SAMPLE)
    it(
      `finds the recording after ${edit}, and so does searchIndex`,
      { timeout: 120_000 },
      async () => {
        const edited = EDITS[edit]!(clip)
        const [top] = catalogue.query(edited)
        expect(top?.ref, edit).toBe(ref)
        expect(top!.aligned, edit).toBeGreaterThanOrEqual(MIN_ALIGNED)
        expect(
          (await catalogue.search(edited)).map((m) => m.ref),
          edit,
        ).toEqual([ref])
      },
    )

  it('finds the bass line under other music at equal loudness', { timeout: 120_000 }, async () => {
    const edited = EDITS['mix, equal loudness']!(bassClip)
    const [top] = catalogue.query(edited)
    expect(top?.ref).toBe(bassRef)
    expect(top!.aligned).toBeGreaterThanOrEqual(MIN_ALIGNED)
    expect((await catalogue.search(edited)).map((m) => m.ref)).toEqual([bassRef])
  })
})
