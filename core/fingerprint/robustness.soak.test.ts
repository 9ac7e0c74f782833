import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg, type Pcm } from '../watermark/testing/audio.ts'
import { Catalogue, crop, demoStem, EDITS, generated } from './testing/catalogue.ts'
import { MIN_ALIGNED } from './match.ts'

// Aligned triplets the right recording gets, per edit and clip, for a 10 s clip: floors at about
// half of what was measured (vox / pads / generated 101 and 102, lowest of the two):
//   mp3 64k 255/314/163, aac 262/287/142, noise 414/327/145, mix 274/69/29,
//   tempo +5 % 170/142/100, −5 % 183/121/92, pitch +1 132/134/66, −1 168/100/63,
//   speed +5 % 170/194/88, −5 % 198/134/86.
const FLOORS: Record<string, { vox: number; pads: number; generated: number }> = {
  'mp3 64 kbit/s': { vox: 120, pads: 150, generated: 80 },
  aac: { vox: 130, pads: 140, generated: 70 },
  'noise 20 dB SNR': { vox: 200, pads: 160, generated: 70 },
  'mix, equal loudness': { vox: 130, pads: 35, generated: 20 },
  'tempo +5 %': { vox: 85, pads: 70, generated: 50 },
  'tempo −5 %': { vox: 90, pads: 60, generated: 45 },
  'pitch +1 semitone': { vox: 65, pads: 65, generated: 30 },
  'pitch −1 semitone': { vox: 80, pads: 50, generated: 30 },
  'speed +5 %': { vox: 85, pads: 95, generated: 40 },
  'speed −5 %': { vox: 95, pads: 65, generated: 40 },
}

/**
 * Where each demo clip starts. The pads rest in bars 8–11 (19.2–28.8 s at 100 BPM), so a clip at
 * 20 s holds only a reverb tail and a slow attack: mixed "at equal loudness" (equal RMS over the
 * clip), the other music then covers the few seconds where the pads sound. At 40 s they sound
 * throughout (a new chord every 2.4 s, filter opening), as in most of the song.
 */
const DEMO_CLIPS = { vox: 20, pads: 40 } as const

/** Level of the quietest second of a clip relative to its loudest, in dB. */
function quietestSecondDb(pcm: Pcm): number {
  const x = pcm.channels[0]!
  const n = pcm.sampleRate
  const levels: number[] = []
  for (let at = 0; at + n <= x.length; at += n) {
    let s = 0
    for (let i = at; i < at + n; i++) s += x[i]! * x[i]!
    levels.push(10 * Math.log10(s / n + 1e-20))
  }
  return Math.min(...levels) - Math.max(...levels)
}

const catalogue = new Catalogue()
const clips: {
  name: string
  ref: number
  clip: Pcm
  kind: 'vox' | 'pads' | 'generated'
}[] = []

beforeAll(() => {
  if (!hasFfmpeg()) throw new Error('ffmpeg is needed for the fingerprint robustness tests')
  for (const id of ['vox', 'pads', 'lead'] as const) {
    const stem = demoStem(id)
    const ref = catalogue.add(id, stem)
    if (id !== 'lead') clips.push({ name: id, ref, clip: crop(stem, DEMO_CLIPS[id], 10), kind: id })
  }
  for (const seed of [101, 102]) {
    const music = generated(seed, 60)
    const ref = catalogue.add(`generated ${seed}`, music)
    clips.push({ name: `generated ${seed}`, ref, clip: crop(music, 25, 10), kind: 'generated' })
  }
}, 300_000)

describe('fingerprint robustness (10 s clips)', () => {
  it('queries clips in which the recording sounds throughout', () => {
    // Otherwise "equal loudness" compares the other music with a few seconds of the recording.
    for (const { name, clip } of clips) expect(quietestSecondDb(clip), name).toBeGreaterThan(-20)
  })

  for (const [edit, apply] of Object.entries(EDITS))
    it(`finds the recording after ${edit}`, { timeout: 120_000 }, async () => {
      const measured: string[] = []
      for (const { name, ref, clip, kind } of clips) {
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
      expect(measured).toHaveLength(clips.length)
    })
})
