import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg, type Pcm } from '../watermark/testing/audio.ts'
import { Catalogue, crop, demoStem, EDITS, generated } from './testing/catalogue.ts'
import { MIN_ALIGNED } from './match.ts'

// Aligned triplets the right recording gets, per edit and clip, for a 10 s clip: floors at about
// half of what was measured (vox / pads / bass / drums / generated 101 and 102, lower of the two):
//   mp3 64k 293/383/406/123/310, aac 314/359/427/129/293, noise 414/461/528/148/281,
//   mix 274/75/50/14/66, tempo +5 % 172/177/370/154/172, −5 % 185/153/430/135/148,
//   pitch +1 152/149/308/97/129, −1 176/113/288/93/130, speed +5 % 229/267/335/168/185,
//   −5 % 239/222/378/187/177.
// The drums under other music are found at the match threshold: their kick, at one pitch, leaves
// no low-band hashes (see LOW_BAND), and the rest of the kit is mostly above 3.4 kHz.
type Kind = 'vox' | 'pads' | 'bass' | 'drums' | 'generated'
const FLOORS: Record<string, Record<Kind, number>> = {
  'mp3 64 kbit/s': { vox: 145, pads: 190, bass: 200, drums: 60, generated: 155 },
  aac: { vox: 155, pads: 180, bass: 210, drums: 60, generated: 145 },
  'noise 20 dB SNR': { vox: 205, pads: 230, bass: 260, drums: 70, generated: 140 },
  'mix, equal loudness': { vox: 135, pads: 35, bass: 25, drums: MIN_ALIGNED, generated: 30 },
  'tempo +5 %': { vox: 85, pads: 85, bass: 185, drums: 75, generated: 85 },
  'tempo −5 %': { vox: 90, pads: 75, bass: 215, drums: 65, generated: 70 },
  'pitch +1 semitone': { vox: 75, pads: 70, bass: 150, drums: 45, generated: 60 },
  'pitch −1 semitone': { vox: 85, pads: 55, bass: 140, drums: 45, generated: 65 },
  'speed +5 %': { vox: 115, pads: 130, bass: 165, drums: 80, generated: 90 },
  'speed −5 %': { vox: 120, pads: 110, bass: 185, drums: 90, generated: 85 },
}

/**
 * Where each demo clip starts. The pads rest in bars 8–11 (19.2–28.8 s at 100 BPM), so a clip at
 * 20 s holds only a reverb tail and a slow attack: mixed "at equal loudness" (equal RMS over the
 * clip), the other music then covers the few seconds where the pads sound. At 40 s they sound
 * throughout (a new chord every 2.4 s, filter opening), as in most of the song.
 */
const DEMO_CLIPS = { vox: 20, pads: 40, bass: 40, drums: 40 } as const

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
  kind: Kind
}[] = []

beforeAll(() => {
  if (!hasFfmpeg()) throw new Error('ffmpeg is needed for the fingerprint robustness tests')
  for (const id of ['vox', 'pads', 'lead', 'bass', 'drums'] as const) {
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
