import { describe, expect, it } from 'vitest'
import { licencePresets } from '../licence/presets.ts'
import {
  SlugSchema,
  missingFor,
  nextLicence,
  slugFrom,
  sniffImage,
  statusAt,
  unknownLicenceStems,
  windowProblem,
  windowViolation,
  type Missing,
  type Draft,
  type DraftStem,
} from './authoring.ts'

const NOW = '2026-06-01T12:00:00Z'
const licence = licencePresets()[1]!.policy

const stem = (id: string, changes: Partial<DraftStem> = {}): DraftStem => ({
  id,
  name: id.toUpperCase(),
  status: 'ready',
  sampleRate: 48000,
  lengthSamples: 480000,
  ...changes,
})

const shares = [{ party: 'Artist', bps: 10_000 }]

function complete(changes: Partial<Draft> = {}): Draft {
  return {
    slug: 'night-bus',
    stems: [stem('a'), stem('b')],
    licence,
    splits: {
      fanCreatorBps: 1000,
      stems: [
        { stem: 'a', shares },
        { stem: 'b', shares },
      ],
    },
    hasArtwork: true,
    opensAt: '2026-05-01T00:00:00Z',
    closesAt: '2026-12-31T00:00:00Z',
    ...changes,
  }
}

/** Missing items as [step, code, message], to compare in one line each. */
const triples = (missing: Missing[]) => missing.map((m) => [m.step, m.code, m.message])

describe('missingFor', () => {
  it('finds nothing missing in a complete draft', () => {
    expect(triples(missingFor(complete(), NOW))).toEqual([])
  })

  it('lists everything an empty draft lacks', () => {
    const empty: Draft = {
      slug: 'night-bus',
      stems: [],
      licence: null,
      splits: null,
      hasArtwork: false,
      opensAt: null,
      closesAt: null,
    }
    expect(triples(missingFor(empty, NOW))).toEqual([
      ['stems', 'stems_too_few', 'At least 2 ready stems (0 so far).'],
      ['licence', 'licence_missing', 'A licence.'],
      ['splits', 'splits_missing', 'Splits for every stem.'],
      ['artwork', 'artwork_missing', 'Artwork.'],
      ['details', 'opens_missing', 'An opening date and time.'],
      ['details', 'closes_missing', 'A closing date and time.'],
    ])
  })

  it('counts only ready stems and names the ones processing or failed', () => {
    const stems = [stem('a'), stem('b', { status: 'processing' }), stem('c', { status: 'failed' })]
    const splits = { fanCreatorBps: 0, stems: ['a', 'b', 'c'].map((s) => ({ stem: s, shares })) }
    expect(triples(missingFor(complete({ stems, splits }), NOW))).toEqual([
      ['stems', 'stems_too_few', 'At least 2 ready stems (1 so far).'],
      ['stems', 'stem_processing', 'Stem “B” is still being processed.'],
      ['stems', 'stem_failed', 'Stem “C” could not be read: remove it or upload it again.'],
    ])
  })

  it('says per stem what to fix when rates or lengths differ beyond one 128-sample block', () => {
    const stems = [
      stem('a'),
      stem('b', { lengthSamples: 480000 + 128 }),
      stem('c', { lengthSamples: 480000 + 300 }),
      stem('d', { sampleRate: 44100, lengthSamples: 441000 }),
    ]
    const splits = {
      fanCreatorBps: 0,
      stems: ['a', 'b', 'c', 'd'].map((s) => ({ stem: s, shares })),
    }
    const missing = missingFor(complete({ stems, splits }), NOW)
    expect(missing.map((m) => [m.step, m.code])).toEqual([
      ['stems', 'stem_mismatch'],
      ['stems', 'stem_mismatch'],
    ])
    expect(missing[0]!.message).toMatch(/^Stem “C”: .*300 samples longer/)
    expect(missing[1]!.message).toMatch(/^Stem “D”: .*44100 Hz.*export it again at 48000 Hz/)
  })

  it('wants splits covering every stem, each summing to 10 000', () => {
    const splits = { fanCreatorBps: 0, stems: [{ stem: 'a', shares }] }
    expect(triples(missingFor(complete({ splits }), NOW))).toEqual([
      ['splits', 'splits_invalid', 'Splits: no split for stem b.'],
    ])
    const extra = { fanCreatorBps: 0, stems: ['a', 'b', 'z'].map((s) => ({ stem: s, shares })) }
    expect(triples(missingFor(complete({ splits: extra }), NOW))).toEqual([
      ['splits', 'splits_invalid', 'Splits: the split names unknown stem z.'],
    ])
  })

  it('accepts splits naming seeded stems by their manifest id', () => {
    const stems = [stem('night-bus-drums'), stem('night-bus-bass')]
    const splits = { fanCreatorBps: 0, stems: ['drums', 'bass'].map((s) => ({ stem: s, shares })) }
    expect(triples(missingFor(complete({ stems, splits }), NOW))).toEqual([])
  })

  it('wants a window that opens before it closes and has not ended', () => {
    expect(triples(missingFor(complete({ opensAt: '2027-01-01T00:00:00Z' }), NOW))).toEqual([
      ['details', 'window_invalid', 'The window must open before it closes.'],
    ])
    expect(
      triples(
        missingFor(
          complete({ opensAt: '2026-01-01T00:00:00Z', closesAt: '2026-02-01T00:00:00Z' }),
          NOW,
        ),
      ),
    ).toEqual([
      ['details', 'window_ended', 'A closing date in the future: this window has already ended.'],
    ])
  })

  it('flags a licence naming a stem the campaign lacks', () => {
    const targeted = {
      ...licence,
      prohibitions: [...licence.prohibitions, { action: 'reverse' as const, target: 'ghost' }],
    }
    expect(triples(missingFor(complete({ licence: targeted }), NOW))).toEqual([
      [
        'licence',
        'licence_unknown_stem',
        'The licence names stem “ghost”, which the campaign does not have.',
      ],
    ])
    expect(unknownLicenceStems(targeted, 'night-bus', ['a', 'night-bus-ghost'])).toEqual([])
  })

  it('wants the choice of what exports do when the stems cannot carry the watermark', () => {
    const unmarkable = {
      level: 'unmarkable' as const,
      coded: { found: false, confidence: 0.1, bitErrors: null },
      noisy: { found: false, confidence: 0, bitErrors: null },
      codedBits: 204,
      seconds: 16,
    }
    expect(triples(missingFor(complete({ markability: unmarkable }), NOW))).toEqual([
      [
        'licence',
        'licence_unwatermarked_choice',
        'A choice of what exports do without a watermark: the stems cannot carry it.',
      ],
    ])
    const chosen = { ...licence, unwatermarked: 'fingerprint-only' as const }
    expect(missingFor(complete({ markability: unmarkable, licence: chosen }), NOW)).toEqual([])
    const weak = { ...unmarkable, level: 'weak' as const }
    expect(missingFor(complete({ markability: weak }), NOW)).toEqual([])
  })
})

describe('sniffImage', () => {
  const bytes = (...b: (number | string)[]) =>
    Uint8Array.from(
      b.flatMap((x) => (typeof x === 'string' ? [...x].map((ch) => ch.charCodeAt(0)) : [x])),
    )
  it('knows PNG, JPEG and WebP by their magic bytes, and nothing else', () => {
    expect(sniffImage(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png')
    expect(sniffImage(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg')
    expect(sniffImage(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp')
    expect(sniffImage(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '))).toBeNull()
    expect(sniffImage(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(sniffImage(bytes(0x89, 'PNG'))).toBeNull()
    expect(sniffImage(new Uint8Array(0))).toBeNull()
  })
})

describe('statusAt', () => {
  const window = { opensAt: '2026-05-01T00:00:00Z', closesAt: '2026-07-01T00:00:00Z' }
  it('opens and closes a published campaign by its window', () => {
    expect(statusAt({ status: 'live', ...window }, '2026-04-30T23:59:59Z')).toBe('scheduled')
    expect(statusAt({ status: 'live', ...window }, '2026-05-01T00:00:00Z')).toBe('live')
    expect(statusAt({ status: 'live', ...window }, '2026-06-30T23:59:59.999Z')).toBe('live')
    expect(statusAt({ status: 'live', ...window }, '2026-07-01T00:00:00Z')).toBe('closed')
  })
  it('keeps drafts drafts and a campaign closed by hand closed', () => {
    expect(statusAt({ status: 'draft', ...window }, NOW)).toBe('draft')
    expect(statusAt({ status: 'closed', ...window }, NOW)).toBe('closed')
  })
})

describe('windowViolation', () => {
  const window = { opensAt: '2026-05-01T00:00:00Z', closesAt: '2026-07-01T00:00:00Z' }
  it('refuses remixes before the window, after it and once closed by hand', () => {
    expect(windowViolation({ status: 'live', ...window }, '2026-04-01T00:00:00Z')).toEqual({
      code: 'campaign_not_open',
      message: 'This campaign opens on Fri, 01 May 2026 00:00 UTC.',
    })
    expect(windowViolation({ status: 'live', ...window }, '2026-07-02T00:00:00Z')).toEqual({
      code: 'campaign_closed',
      message: 'This campaign closed on Wed, 01 Jul 2026 00:00 UTC.',
    })
    expect(windowViolation({ status: 'closed', ...window }, NOW)?.message).toBe(
      'This campaign closed.',
    )
    expect(windowViolation({ status: 'live', ...window }, NOW)).toBeNull()
  })
})

describe('windowProblem', () => {
  it('refuses a window that closes when or before it opens', () => {
    expect(windowProblem('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z')).toMatch(/open before/)
    expect(windowProblem('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toMatch(/open before/)
    expect(windowProblem('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')).toBeNull()
    expect(windowProblem(null, '2026-01-01T00:00:00Z')).toBeNull()
  })
})

describe('slugs', () => {
  it('accepts lowercase words joined by single hyphens, and refuses the rest', () => {
    expect(SlugSchema.safeParse('night-bus-2').success).toBe(true)
    for (const bad of ['Night-Bus', 'night--bus', '-night', 'night_bus', 'ab', 'x'.repeat(61)])
      expect(SlugSchema.safeParse(bad).success).toBe(false)
    expect(SlugSchema.safeParse('admin').error?.issues[0]?.message).toMatch(/reserved/)
  })
  it('suggests one from a title', () => {
    expect(slugFrom('Copper Moons (Live at Café Ø)')).toBe('copper-moons-live-at-cafe')
    expect(SlugSchema.safeParse(slugFrom('  Dub — Version!! ')).data).toBe('dub-version')
  })
})

describe('nextLicence', () => {
  const input = licencePresets()[2]!.policy
  it('keeps a draft at version 1 however often it is edited', () => {
    const first = nextLicence(input, { slug: 'night-bus', published: false, current: null })
    expect(first).toMatchObject({ version: 1, uid: 'urn:stemfair:licence:night-bus:1' })
    const again = nextLicence(licence, { slug: 'night-bus', published: false, current: first })
    expect(again.version).toBe(1)
    expect(again.duties).toEqual(licence.duties)
  })
  it('moves a published licence to the next version, unless the terms are unchanged', () => {
    const v3 = { ...licence, version: 3 }
    expect(nextLicence(input, { slug: 'night-bus', published: true, current: v3 })).toMatchObject({
      version: 4,
      uid: 'urn:stemfair:licence:night-bus:4',
    })
    expect(nextLicence(licence, { slug: 'night-bus', published: true, current: v3 })).toBe(v3)
  })
})
