import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg } from '../watermark/testing/audio.ts'
import { Catalogue, crop, demoStem, EDITS, generated } from './testing/catalogue.ts'
import { MIN_ALIGNED } from './match.ts'

// Aligned triplets the right recording gets, per edit, for a 10 s clip: floors at about half of
// what was measured (see the fingerprint section of the README for the measured figures).
const FLOORS: Record<string, { demo: number; generated: number }> = {
  'mp3 64 kbit/s': { demo: 30, generated: 80 },
  aac: { demo: 30, generated: 70 },
  'noise 20 dB SNR': { demo: 30, generated: 70 },
  'mix, equal loudness': { demo: 100, generated: 20 },
  'tempo +5 %': { demo: 10, generated: 30 },
  'tempo −5 %': { demo: 25, generated: 45 },
  'pitch +1 semitone': { demo: 12, generated: 30 },
  'pitch −1 semitone': { demo: 15, generated: 30 },
  'speed +5 %': { demo: 18, generated: 40 },
  'speed −5 %': { demo: 25, generated: 40 },
}

/**
 * Not met: sustained pads (and the bass and drums, measured in the benchmark) drown under a full
 * chordal mix at equal loudness; the mix row asserts on the voice and generated music only.
 */
const MIX_SKIPS = new Set(['pads'])

const catalogue = new Catalogue()
const clips: {
  name: string
  ref: number
  clip: ReturnType<typeof crop>
  kind: 'demo' | 'generated'
}[] = []

beforeAll(() => {
  if (!hasFfmpeg()) throw new Error('ffmpeg is needed for the fingerprint robustness tests')
  for (const id of ['vox', 'pads', 'lead']) {
    const stem = demoStem(id)
    const ref = catalogue.add(id, stem)
    if (id !== 'lead') clips.push({ name: id, ref, clip: crop(stem, 20, 10), kind: 'demo' })
  }
  for (const seed of [101, 102]) {
    const music = generated(seed, 60)
    const ref = catalogue.add(`generated ${seed}`, music)
    clips.push({ name: `generated ${seed}`, ref, clip: crop(music, 25, 10), kind: 'generated' })
  }
}, 300_000)

describe('fingerprint robustness (10 s clips)', () => {
  for (const [edit, apply] of Object.entries(EDITS))
    it(`finds the recording after ${edit}`, { timeout: 120_000 }, async () => {
      const measured: string[] = []
      for (const { name, ref, clip, kind } of clips) {
        if (edit.startsWith('mix') && MIX_SKIPS.has(name)) continue
        const edited = apply(clip)
        const [top] = catalogue.query(edited)
        measured.push(`${name}: ${top ? `${catalogue.names[top.ref - 1]} ${top.aligned}` : 'none'}`)
        expect(top?.ref, `${edit}, ${name} (${measured.join('; ')})`).toBe(ref)
        expect(top!.aligned, `${edit}, ${name}`).toBeGreaterThanOrEqual(
          Math.max(MIN_ALIGNED, FLOORS[edit]![kind]),
        )
        // What verify reports (searchIndex, early exit included) names the same recording first.
        expect((await catalogue.search(edited))[0]?.ref, `${edit}, ${name}: searchIndex`).toBe(ref)
      }
      expect(measured.length).toBeGreaterThan(0)
    })
})
