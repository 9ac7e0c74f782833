import { beforeAll, describe, expect, it } from 'vitest'
import { hasFfmpeg, type Pcm } from '../watermark/testing/audio.ts'
import { Catalogue, crop, demoStem, EDITS, generated } from './testing/catalogue.ts'
import { MIN_ALIGNED } from './match.ts'

// Aligned triplets the right recording gets, per edit and clip, for a 10 s clip: floors at about
// half of what was measured (vox / pads / bass / drums / generated 101 and 102, lower of the two):
//   mp3 64k 294/388/421/193/330, aac 315/364/444/205/314, noise 414/470/553/249/304,
//   mix 274/75/58/41/70, tempo +5 % 172/180/379/160/181, −5 % 185/153/451/147/163,
//   pitch +1 152/149/323/97/148, −1 176/113/308/99/146, speed +5 % 230/267/354/263/196,
//   −5 % 240/227/396/266/192.
type Kind = 'vox' | 'pads' | 'bass' | 'drums' | 'generated'
const FLOORS: Record<string, Record<Kind, number>> = {
  'mp3 64 kbit/s': { vox: 145, pads: 190, bass: 210, drums: 95, generated: 165 },
  aac: { vox: 155, pads: 180, bass: 220, drums: 100, generated: 155 },
  'noise 20 dB SNR': { vox: 200, pads: 230, bass: 275, drums: 125, generated: 150 },
  'mix, equal loudness': { vox: 135, pads: 35, bass: 30, drums: 20, generated: 35 },
  'tempo +5 %': { vox: 85, pads: 90, bass: 190, drums: 80, generated: 90 },
  'tempo −5 %': { vox: 90, pads: 75, bass: 225, drums: 70, generated: 80 },
  'pitch +1 semitone': { vox: 75, pads: 70, bass: 160, drums: 45, generated: 70 },
  'pitch −1 semitone': { vox: 85, pads: 55, bass: 150, drums: 50, generated: 70 },
  'speed +5 %': { vox: 115, pads: 130, bass: 175, drums: 130, generated: 95 },
  'speed −5 %': { vox: 120, pads: 110, bass: 200, drums: 130, generated: 95 },
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
