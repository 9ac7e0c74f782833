import { describe, expect, it } from 'vitest'
import { ebur128Of } from './testing/ebur128-reference.ts'
import { fixtureFrom, sineFrom, type FixtureSection } from './testing/fixtures.ts'
import { loudnessFrom, SILENT_LUFS } from './loudness.ts'

const part = (bars: number, on: Partial<FixtureSection>): FixtureSection => ({
  bars,
  drums: false,
  bass: false,
  chords: false,
  lead: false,
  progression: 0,
  ...on,
})

function expectNearFfmpeg(channels: Float32Array[], sampleRate: number) {
  const mine = loudnessFrom(channels, sampleRate)
  const ffmpeg = ebur128Of(channels, sampleRate)
  expect(Math.abs(mine.integratedLufs - ffmpeg.integratedLufs)).toBeLessThanOrEqual(0.5)
  expect(Math.abs(mine.rangeLu - ffmpeg.rangeLu)).toBeLessThanOrEqual(0.5)
  expect(Math.abs(mine.truePeakDbtp - ffmpeg.truePeakDbtp)).toBeLessThanOrEqual(0.5)
  return { mine, ffmpeg }
}

describe('loudnessFrom', { timeout: 180_000 }, () => {
  it('reads a stereo 1 kHz sine of amplitude 0.1 as −20 LUFS with no range (BS.1770 calibration)', () => {
    const got = loudnessFrom(sineFrom(1000, 0.1, 10, 48000), 48000)
    expect(got.integratedLufs).toBeCloseTo(-20, 1)
    expect(got.rangeLu).toBeCloseTo(0, 1)
    expect(got.truePeakDbtp).toBeCloseTo(-20, 1)
  })

  it('reads a mono 997 Hz sine at −6 dBFS as −9.03 LUFS (one channel: 3 dB below stereo)', () => {
    const got = loudnessFrom([sineFrom(997, 0.5, 10, 44100)[0]!], 44100)
    expect(got.integratedLufs).toBeCloseTo(-9.03, 1)
  })

  it('reports silence as −70 LUFS, 0 LU and no peak', () => {
    const silent = [new Float32Array(44100 * 5), new Float32Array(44100 * 5)]
    expect(loudnessFrom(silent, 44100)).toEqual({
      integratedLufs: SILENT_LUFS,
      rangeLu: 0,
      truePeakDbtp: -120,
    })
  })

  it.each([32000, 44100, 48000, 96000])(
    'agrees with ffmpeg ebur128 within 0.5 LU on a loop with a loud and a quiet part at %i Hz',
    (sampleRate) => {
      const f = fixtureFrom({
        sampleRate,
        tempo: 128,
        tonic: 4,
        mode: 'major',
        sections: [
          part(6, { drums: true, bass: true, chords: true }),
          part(6, { chords: true, lead: true, progression: 1 }),
        ],
      })
      const { mine } = expectNearFfmpeg(f.mix, sampleRate)
      expect(mine.rangeLu).toBeGreaterThan(2) // the quiet half is really quieter
      expect(mine.truePeakDbtp).toBeGreaterThan(-3.5) // the mix's sample peak is −3 dBFS
    },
  )

  it('agrees with ffmpeg ebur128 on each stem of a loop, a stem with gaps included', () => {
    const f = fixtureFrom({
      tempo: 97,
      tonic: 7,
      mode: 'minor',
      sections: [part(4, { chords: true }), part(8, { drums: true, bass: true, lead: true })],
    })
    for (const stem of Object.values(f.stems)) expectNearFfmpeg(stem, f.sampleRate)
  })
})
