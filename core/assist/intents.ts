import type { StemRole } from '../campaign/manifest.ts'
import type { Intent } from './types.ts'

/** What a stretch of the arrangement does. */
export type SegmentKind = 'intro' | 'body' | 'build' | 'drop' | 'breakdown' | 'outro'

/**
 * One stretch of a flavour's arrangement: a fixed number of bars looped from one phrase, or a
 * share of the remaining bars (`share`) played through the song's sections in order.
 */
export type Segment =
  | { kind: Exclude<SegmentKind, 'body' | 'drop'>; bars: number; energy: number }
  | { kind: 'body' | 'drop'; share: number; energy: number }

/** One of an intent's three proposals: a named arrangement, stem choice and sound. */
export type Flavour = {
  name: string
  description: string
  segments: Segment[]
  priority: StemRole[] // the order stems come in as the energy rises
  stems: (available: number) => number // how many stems it wants
  lengthFactor: number // output bars per source bar when the fan sets no length
  rate: number // playback rate of every region (half-time: 0.5, pitch compensated)
  start: 'top' | 'hook' | 'seeded' // where the body starts reading the song
  trimRepeats: boolean // drop repeated sections first when the body is shorter than the song
}

const ALL = (n: number) => n
const GROOVE: StemRole[] = ['drums', 'bass', 'keys', 'guitar', 'pads', 'lead', 'vocals', 'fx']
const SONG: StemRole[] = ['keys', 'vocals', 'drums', 'bass', 'guitar', 'pads', 'lead', 'fx']
const AIR: StemRole[] = ['pads', 'keys', 'vocals', 'guitar', 'lead', 'fx', 'bass', 'drums']
const BARE: StemRole[] = ['vocals', 'keys', 'guitar', 'pads', 'lead', 'bass', 'drums', 'fx']

const seg = (kind: 'intro' | 'build' | 'breakdown' | 'outro', bars: number, energy: number) =>
  ({ kind, bars, energy }) as const
const body = (share: number, energy: number) => ({ kind: 'body', share, energy }) as const
const drop = (share: number) => ({ kind: 'drop', share, energy: 1 }) as const

const base = { stems: ALL, lengthFactor: 1, rate: 1, start: 'top', trimRepeats: false } as const

/** The three flavours of each intent; the seed varies them, the flavour keeps them distinct. */
export const FLAVOURS: Record<Intent, [Flavour, Flavour, Flavour]> = {
  extended: [
    {
      ...base,
      name: 'Long intro',
      description: 'A 16-bar groove intro, a build, the song, a breakdown and a long outro.',
      segments: [
        seg('intro', 16, 0.3),
        seg('build', 8, 0.6),
        body(0.5, 0.85),
        seg('breakdown', 8, 0.3),
        seg('build', 4, 0.7),
        body(0.5, 1),
        seg('outro', 16, 0.3),
      ],
      priority: GROOVE,
      lengthFactor: 1.6,
    },
    {
      ...base,
      name: 'DJ-friendly',
      description:
        'A rhythm-first intro and outro for mixing, with a 16-bar breakdown in the middle.',
      segments: [
        seg('intro', 16, 0.2),
        body(0.4, 0.8),
        seg('breakdown', 16, 0.25),
        body(0.6, 1),
        seg('outro', 16, 0.2),
      ],
      priority: GROOVE,
      lengthFactor: 1.5,
      start: 'seeded',
    },
    {
      ...base,
      name: 'Journey',
      description: 'The song told in three waves, each fuller than the last.',
      segments: [
        seg('intro', 8, 0.25),
        body(0.3, 0.55),
        seg('breakdown', 8, 0.3),
        body(0.3, 0.75),
        seg('build', 8, 0.7),
        body(0.4, 1),
        seg('outro', 8, 0.3),
      ],
      priority: SONG,
      lengthFactor: 1.8,
    },
  ],
  radioEdit: [
    {
      ...base,
      name: 'Straight to it',
      description: 'Repeats trimmed, the song from the top, and a fade on the last bars.',
      segments: [body(1, 0.85), seg('outro', 4, 0.6)],
      priority: SONG,
      lengthFactor: 0.75,
      trimRepeats: true,
    },
    {
      ...base,
      name: 'Short intro',
      description: 'A two-bar intro, the essential sections in order, and a clean fade.',
      segments: [seg('intro', 2, 0.4), body(1, 0.9), seg('outro', 4, 0.5)],
      priority: SONG,
      lengthFactor: 0.75,
      trimRepeats: true,
    },
    {
      ...base,
      name: 'Cold open',
      description: 'Opens on the hook, then the song, trimmed to length with a fade.',
      segments: [body(1, 0.95), seg('outro', 4, 0.6)],
      priority: SONG,
      lengthFactor: 0.75,
      start: 'hook',
      trimRepeats: true,
    },
  ],
  ambient: [
    {
      ...base,
      name: 'Drift',
      description: 'The softest stems in long reverb, slow fades in and out.',
      segments: [seg('intro', 8, 0.15), body(1, 0.4), seg('outro', 8, 0.15)],
      priority: AIR,
      stems: (n) => Math.max(2, Math.ceil(n / 2)),
    },
    {
      ...base,
      name: 'Haze',
      description: 'Washed-out textures with a breakdown to almost nothing and long delays.',
      segments: [body(0.5, 0.3), seg('breakdown', 8, 0.15), body(0.5, 0.45), seg('outro', 8, 0.1)],
      priority: AIR,
      stems: (n) => Math.max(2, Math.ceil(n / 2)),
      start: 'seeded',
    },
    {
      ...base,
      name: 'Glass',
      description: 'A brighter ambient take with the low end kept down.',
      segments: [seg('intro', 4, 0.2), body(1, 0.55), seg('outro', 16, 0.2)],
      priority: AIR,
      stems: (n) => Math.max(2, n - 1),
    },
  ],
  strippedBack: [
    {
      ...base,
      name: 'Unplugged',
      description: 'Two stems, the most essential first, dry and close.',
      segments: [seg('intro', 2, 0.5), body(1, 1), seg('outro', 4, 0.5)],
      priority: BARE,
      stems: () => 2,
    },
    {
      ...base,
      name: 'Trio',
      description: 'Three stems at most, with room around them.',
      segments: [body(1, 0.9), seg('outro', 4, 0.4)],
      priority: ['vocals', 'bass', 'keys', 'guitar', 'pads', 'lead', 'drums', 'fx'],
      stems: () => 3,
    },
    {
      ...base,
      name: 'Sparse groove',
      description: 'Three stems, groove first, the rest left out.',
      segments: [seg('intro', 4, 0.5), body(1, 1), seg('outro', 4, 0.5)],
      priority: ['vocals', 'drums', 'bass', 'keys', 'guitar', 'pads', 'lead', 'fx'],
      stems: () => 3,
      start: 'seeded',
    },
  ],
  club: [
    {
      ...base,
      name: 'Peak time',
      description: 'Groove intro, an 8-bar build into the drop, a breakdown, a second drop.',
      segments: [
        seg('intro', 16, 0.45),
        seg('build', 8, 0.7),
        drop(0.5),
        seg('breakdown', 16, 0.25),
        seg('build', 8, 0.7),
        drop(0.5),
        seg('outro', 16, 0.45),
      ],
      priority: GROOVE,
      lengthFactor: 1.4,
    },
    {
      ...base,
      name: 'Double drop',
      description: 'Short builds and three drops, the last one longest.',
      segments: [
        seg('intro', 8, 0.4),
        seg('build', 4, 0.7),
        drop(0.3),
        seg('breakdown', 8, 0.2),
        seg('build', 4, 0.7),
        drop(0.3),
        seg('build', 4, 0.8),
        drop(0.4),
        seg('outro', 8, 0.4),
      ],
      priority: GROOVE,
      lengthFactor: 1.3,
      start: 'hook',
    },
    {
      ...base,
      name: 'DJ tool',
      description: 'A steady, compressed groove with long intro and outro loops.',
      segments: [seg('intro', 16, 0.55), body(1, 0.9), seg('outro', 16, 0.55)],
      priority: GROOVE,
      lengthFactor: 1.3,
      start: 'seeded',
    },
  ],
  halfTime: [
    {
      ...base,
      name: 'Slow motion',
      description: 'Everything at half speed, pitch kept, with a short intro and a fade.',
      segments: [seg('intro', 2, 0.5), body(1, 0.8), seg('outro', 2, 0.4)],
      priority: GROOVE,
      lengthFactor: 0.6,
      rate: 0.5,
    },
    {
      ...base,
      name: 'Heavy',
      description: 'Half-time with a weighty, saturated low end and compressed drums.',
      segments: [body(1, 1), seg('outro', 2, 0.5)],
      priority: GROOVE,
      lengthFactor: 0.6,
      rate: 0.5,
      start: 'hook',
    },
    {
      ...base,
      name: 'Dream',
      description: 'Half-time and hazy: long reverbs, a dark master filter, drums held back.',
      segments: [seg('intro', 4, 0.3), body(1, 0.6), seg('outro', 4, 0.2)],
      priority: AIR,
      lengthFactor: 0.5,
      rate: 0.5,
      stems: (n) => Math.max(2, n - 1),
    },
  ],
}
