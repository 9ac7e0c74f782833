import { describe, expect, it } from 'vitest'
import { windowViolation } from '../campaign/authoring.ts'
import {
  RIGHTS_STATEMENT,
  VerificationSubmissionSchema,
  clock,
  matchWords,
  publishBlocks,
} from './verification.ts'

const match = {
  stem: {
    id: 's1',
    name: 'Vocal take',
    campaignId: 'c1',
    campaignTitle: 'Mine',
    campaignSlug: 'mine',
  },
  matched: {
    id: 'copper-moons-vox',
    name: 'Voice',
    campaignId: 'cmp-copper-moons',
    campaignTitle: 'Copper Moons',
    campaignSlug: 'copper-moons',
    artist: 'Halcyon Drift',
  },
  stemStart: 3.9,
  stemEnd: 81.2,
  matchedStart: 12.4,
  matchedEnd: 90.99,
  strength: 0.5,
  status: 'open' as const,
  reason: null,
  decidedAt: null,
}

describe('matchWords', () => {
  it('names the matched stem, campaign and artist, where in it and where in this file', () => {
    expect(matchWords(match)).toBe(
      'This recording matches “Voice” of “Copper Moons” by Halcyon Drift, 0:12–1:30 (0:03–1:21 of this file).',
    )
    expect([clock(0), clock(59.99), clock(60), clock(605)]).toEqual([
      '0:00',
      '0:59',
      '1:00',
      '10:05',
    ])
  })
})

describe('publishBlocks', () => {
  const words = matchWords(match)
  it('blocks nothing for a verified artist without matches, or with cleared ones', () => {
    expect(
      publishBlocks({ state: 'verified', suspended: false, reason: null, matches: [] }),
    ).toEqual([])
    const cleared = { ...match, status: 'cleared' as const, words }
    expect(
      publishBlocks({ state: 'verified', suspended: false, reason: null, matches: [cleared] }),
    ).toEqual([])
  })

  it('names each reason: state, suspension with its reason, open and refused matches by stem', () => {
    const codes = (state: Parameters<typeof publishBlocks>[0]['state']) =>
      publishBlocks({ state, suspended: false, reason: 'x', matches: [] }).map((b) => b.code)
    expect(codes('none')).toEqual(['unverified'])
    expect(codes('pending')).toEqual(['verification_pending'])
    expect(codes('more_info')).toEqual(['verification_more_info'])
    expect(codes('refused')).toEqual(['verification_refused'])
    const blocks = publishBlocks({
      state: 'verified',
      suspended: true,
      reason: 'A dispute is open.',
      matches: [
        { ...match, words },
        { ...match, stem: { ...match.stem, id: 's2', name: 'Bass' }, status: 'refused', words },
      ],
    })
    expect(blocks).toEqual([
      { code: 'artist_suspended', message: 'The artist account is suspended: A dispute is open.' },
      {
        code: 'match_open',
        stemId: 's1',
        message: `Stem “Vocal take”: ${words} An admin must clear this match before publishing.`,
      },
      {
        code: 'match_refused',
        stemId: 's2',
        message: `Stem “Bass”: ${words} An admin refused this match: remove the stem to publish.`,
      },
    ])
  })
})

describe('VerificationSubmissionSchema', () => {
  const good = {
    legalName: 'Ana  Lima',
    artistName: 'Lima',
    contactName: 'Label',
    contactEmail: 'A@B.example',
    isni: '0000-0001-2345-678X',
    ipi: '',
    isrcs: ['br-abc-26-00001', ''],
    links: ['https://lima.example'],
    statement: { name: 'ana lima', text: RIGHTS_STATEMENT, accepted: true },
  }
  it('normalises codes and treats blank ones as absent; the signature matches the legal name loosely', () => {
    expect(VerificationSubmissionSchema.parse(good)).toMatchObject({
      contactEmail: 'a@b.example',
      isni: '000000012345678X',
      ipi: null,
      isrcs: ['BRABC2600001'],
    })
  })
  it('refuses a statement that is not the current text, or not ticked', () => {
    const paths = (input: unknown) =>
      VerificationSubmissionSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'))
    expect(paths({ ...good, statement: { ...good.statement, text: 'ok' } })).toEqual([
      'statement.text',
    ])
    expect(paths({ ...good, statement: { ...good.statement, accepted: false } })).toEqual([
      'statement.accepted',
    ])
  })
})

describe('windowViolation for a suspended artist', () => {
  it('refuses remixes and exports of a live campaign whose artist is suspended', () => {
    const live = {
      status: 'live' as const,
      opensAt: '2026-01-01T00:00:00Z',
      closesAt: '2027-01-01T00:00:00Z',
    }
    expect(windowViolation(live, '2026-06-01T00:00:00Z')).toBeNull()
    expect(windowViolation({ ...live, ownerSuspended: true }, '2026-06-01T00:00:00Z')?.code).toBe(
      'artist_suspended',
    )
  })
})
