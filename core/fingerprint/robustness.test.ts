// A sample of the robustness sweep (robustness.soak.test.ts, in the soak project, holds every edit
// of demo stems and generated music with measured floors): generated music under three edits.
import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg } from '../watermark/testing/audio.ts'
import { Catalogue, crop, EDITS, generated } from './testing/catalogue.ts'
import { MIN_ALIGNED } from './match.ts'

const SAMPLE = ['mp3 64 kbit/s', 'noise 20 dB SNR', 'tempo +5 %']

const catalogue = new Catalogue()
let ref = 0
let clip: ReturnType<typeof crop>

beforeAll(() => {
  if (!hasFfmpeg()) throw new Error('ffmpeg is needed for the fingerprint robustness tests')
  const music = generated(101, 60)
  ref = catalogue.add('generated 101', music)
  catalogue.add('generated 102', generated(102, 60))
  clip = crop(music, 25, 10)
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
})
