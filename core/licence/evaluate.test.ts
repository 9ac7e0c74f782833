import { describe, expect, it } from 'vitest'
import demo from '../../stems/manifest.json'
import { DomainError } from '../errors.ts'
import { RecipeSchema, type Recipe } from '../recipe/schema.ts'
import { evaluateLicence, limitsForStem, territoryViolation, type LicenceUse } from './evaluate.ts'
import { LicencePolicySchema, type Constraint, type LicencePolicy } from './policy.ts'

const policy = LicencePolicySchema.parse(demo.licence)
const stems = demo.stems.map((s) => ({ id: s.id, isVoice: s.isVoice }))
const names = Object.fromEntries(demo.stems.map((s) => [s.id, s.name]))
const ids = stems.map((s) => s.id)
const VOX = ids.indexOf('vox')
const DRUMS = ids.indexOf('drums')

type Edit = (r: Recipe) => void

/** The demo's default remix, 96 s with every stem whole, after `edit`. */
function remix(edit: Edit = () => {}): Recipe {
  const recipe = RecipeSchema.parse({
    version: 2,
    campaign: 'copper-moons',
    tempo: 100,
    timeSignature: [4, 4],
    length: 96,
    // Explicit: zod shares a default's nested arrays between parses, and tests push to these.
    master: { effects: [] },
    tracks: ids.map((id) => ({
      id: `t-${id}`,
      stem: id,
      regions: [{ id: `r-${id}`, start: 0, offset: 0, duration: 96 }],
    })),
  })
  edit(recipe)
  return recipe
}

function use(change: Partial<LicenceUse> = {}, edit?: Edit): LicenceUse {
  return {
    action: 'export',
    at: '2026-06-01T12:00:00Z',
    country: 'GB',
    purpose: 'non-commercial',
    recipe: remix(edit),
    stems,
    exportsToday: 0,
    approved: false,
    names,
    ...change,
  }
}

const codes = (p: LicencePolicy, u: LicenceUse) =>
  evaluateLicence(p, u).violations.map((x) => x.code)
const only = (p: LicencePolicy, u: LicenceUse) => {
  const { violations } = evaluateLicence(p, u)
  expect(violations).toHaveLength(1)
  return violations[0]!
}

const track = (r: Recipe, i: number) => r.tracks[i]!
const region = (r: Recipe, i: number) => r.tracks[i]!.regions[0]!
const fx = (type: string, extra: object = {}) => ({
  id: `fx-${type}`,
  type,
  bypass: false,
  ...extra,
})
const addFx = (r: Recipe, i: number | 'master', effect: object) =>
  (i === 'master' ? r.master.effects : track(r, i).effects).push(effect as never)

/** A policy granting `remix` (and share, download) under `constraints`, with `extra` merged in. */
function policyWith(constraints: Constraint[], extra: Partial<LicencePolicy> = {}): LicencePolicy {
  return LicencePolicySchema.parse({
    version: 1,
    uid: 'urn:test',
    permissions: [{ action: 'remix', constraints }, { action: 'share' }, { action: 'download' }],
    ...extra,
  })
}

describe('evaluateLicence on the demo campaign', () => {
  it('allows the default remix for export, download and share, with the duties', () => {
    for (const action of ['export', 'download', 'share'] as const) {
      expect(evaluateLicence(policy, use({ action }))).toEqual({
        allowed: true,
        violations: [],
        duties: policy.duties,
      })
    }
    expect(policy.duties.map((d) => d.action)).toEqual(['attribute', 'discloseAi'])
  })

  it('refuses before the window opens and after it closes', () => {
    expect(only(policy, use({ at: '2025-12-31T23:00:00Z' }))).toEqual({
      code: 'campaign_not_open',
      message:
        'The campaign opens on Thu, 01 Jan 2026 00:00 UTC; this request was made on Wed, 31 Dec 2025 23:00 UTC.',
    })
    expect(only(policy, use({ at: '2027-12-31T23:59:59Z' })).code).toBe('campaign_closed')
    expect(only(policy, use({ at: '2028-01-02T00:00:00Z' })).message).toMatch(
      /^The campaign closed on Fri, 31 Dec 2027 23:59 UTC; this request was made on Sun, 02 Jan 2028/,
    )
    expect(evaluateLicence(policy, use({ at: '2026-01-01T00:00:00Z' })).allowed).toBe(true)
  })

  it('refuses commercial use under both the purpose constraint and the prohibition', () => {
    const { violations } = evaluateLicence(policy, use({ purpose: 'commercial' }))
    expect(violations.map((x) => x.code)).toEqual(['purpose', 'commercial_use'])
    expect(violations[0]!.message).toBe(
      'This licence is for non-commercial use only; this request is for commercial use.',
    )
  })

  it('refuses remixes too short or too long', () => {
    expect(
      only(
        policy,
        use({}, (r) => (r.length = 20)),
      ),
    ).toEqual({
      code: 'too_short',
      message: 'A remix must be at least 30 seconds long; this one is 20 seconds.',
      path: ['length'],
    })
    expect(
      only(
        policy,
        use({}, (r) => (r.length = 700)),
      ).message,
    ).toBe('A remix must be at most 600 seconds long; this one is 700 seconds.')
  })

  it('counts only the stems heard: one stem is too few', () => {
    const drumsAlone = (r: Recipe) => r.tracks.forEach((t, i) => (t.muted = i !== DRUMS))
    expect(only(policy, use({}, drumsAlone))).toEqual({
      code: 'too_few_stems',
      message: 'A remix must use at least 2 stems; this one uses 1 (Drums).',
    })
  })

  it('lets the voice be shifted ±2 semitones and no further', () => {
    expect(
      evaluateLicence(
        policy,
        use({}, (r) => (region(r, VOX).pitch = -2)),
      ).allowed,
    ).toBe(true)
    expect(
      only(
        policy,
        use({}, (r) => (region(r, VOX).pitch = 5)),
      ),
    ).toEqual({
      code: 'pitch_out_of_range',
      message:
        'Voice stems may be pitch-shifted by at most ±2 semitones; this remix shifts Voice by 5.',
      path: ['tracks', VOX, 'regions', 0, 'pitch'],
    })
  })

  it('counts the playback rate as a pitch shift, since regions play varispeed', () => {
    expect(
      only(
        policy,
        use({}, (r) => (region(r, VOX).rate = 1.5)),
      ),
    ).toEqual({
      code: 'pitch_out_of_range',
      message:
        'Voice stems may be pitch-shifted by at most ±2 semitones; this remix shifts Voice by 7.02 (playing at 1.5× alone shifts it by 7.02).',
      path: ['tracks', VOX, 'regions', 0, 'rate'],
    })
    const wholeTone = (r: Recipe) => (region(r, VOX).rate = 2 ** (2 / 12))
    expect(evaluateLicence(policy, use({}, wholeTone)).allowed).toBe(true)
  })

  it('adds pitch-shift effects on the track and the master to the region pitch', () => {
    const edit = (r: Recipe) => {
      region(r, DRUMS).pitch = 10
      addFx(r, DRUMS, fx('pitchShift', { semitones: 2, wet: 1 }))
      addFx(r, 'master', fx('pitchShift', { semitones: 1, wet: 0.5 }))
    }
    const { violations } = evaluateLicence(policy, use({}, edit))
    expect(violations).toContainEqual({
      code: 'pitch_out_of_range',
      message:
        'Stems may be pitch-shifted by at most ±12 semitones; this remix shifts Drums by 13.',
      path: ['tracks', DRUMS, 'regions', 0, 'pitch'],
    })
    // The master's shift reaches the voice too: +1 is within its ±2.
    expect(violations.map((x) => x.code)).toEqual(['pitch_out_of_range'])
  })

  it('keeps playback rates within 0.5× to 2×', () => {
    const { violations } = evaluateLicence(
      policy,
      use({}, (r) => (region(r, DRUMS).rate = 3)),
    )
    expect(violations.map((x) => x.code)).toEqual(['pitch_out_of_range', 'rate_out_of_range'])
    expect(violations[1]).toEqual({
      code: 'rate_out_of_range',
      message: 'Stems must play at a rate of at most 2×; this remix plays Drums at 3×.',
      path: ['tracks', DRUMS, 'regions', 0, 'rate'],
    })
    expect(
      codes(
        policy,
        use({}, (r) => (region(r, DRUMS).rate = 0.25)),
      ),
    ).toContain('rate_out_of_range')
  })

  it('allows 20 exports a day, counting this one, and does not count shares', () => {
    expect(evaluateLicence(policy, use({ exportsToday: 19 })).allowed).toBe(true)
    expect(only(policy, use({ exportsToday: 20 }))).toEqual({
      code: 'export_limit',
      message: 'A fan may export at most 20 remixes a day; this would be export 21 in 24 hours.',
    })
    expect(evaluateLicence(policy, use({ action: 'share', exportsToday: 50 })).allowed).toBe(true)
  })

  it('refuses sharing from North Korea, but not exporting or an unknown country', () => {
    expect(only(policy, use({ action: 'share', country: 'KP' }))).toEqual({
      code: 'territory',
      message: 'This licence does not apply in KP; this request comes from KP.',
    })
    expect(evaluateLicence(policy, use({ country: 'KP' })).allowed).toBe(true)
    expect(evaluateLicence(policy, use({ action: 'share', country: null })).allowed).toBe(true)
  })

  it('refuses the voice on its own', () => {
    const soloVox = (r: Recipe) => (track(r, VOX).soloed = true)
    const { violations } = evaluateLicence(policy, use({}, soloVox))
    expect(violations.map((x) => x.code)).toEqual(['too_few_stems', 'voice_isolation'])
    expect(violations[1]!.message).toBe(
      'Voice may not be heard on its own; this remix plays nothing else. Add another stem to the mix.',
    )
  })

  it('refuses distortion on the voice, on its track or the master, unless bypassed or dry', () => {
    expect(
      only(
        policy,
        use({}, (r) => addFx(r, VOX, fx('distortion', { amount: 0.5, wet: 1 }))),
      ),
    ).toEqual({
      code: 'voice_identity',
      message:
        'Changing the identity of Voice is not allowed; this remix puts distortion on Voice.',
      path: ['tracks', VOX, 'effects', 0],
    })
    const master = (r: Recipe) => addFx(r, 'master', fx('distortion', { amount: 0.5, wet: 0.3 }))
    expect(only(policy, use({}, master)).message).toBe(
      'Changing the identity of Voice is not allowed; this remix puts distortion on the master bus, which Voice plays through.',
    )
    const bypassed = (r: Recipe) =>
      addFx(r, VOX, fx('distortion', { amount: 0.5, wet: 1, bypass: true }))
    const dry = (r: Recipe) => addFx(r, VOX, fx('distortion', { amount: 0.5, wet: 0 }))
    expect(evaluateLicence(policy, use({}, bypassed)).allowed).toBe(true)
    expect(evaluateLicence(policy, use({}, dry)).allowed).toBe(true)
    expect(
      codes(
        policy,
        use({}, (r) => addFx(r, DRUMS, fx('distortion', { amount: 1, wet: 1 }))),
      ),
    ).toEqual([])
  })

  it('refuses audio from outside the campaign', () => {
    const kazoo = (r: Recipe) => r.tracks.push({ ...track(r, 0), id: 't-kazoo', stem: 'kazoo' })
    expect(only(policy, use({}, kazoo))).toEqual({
      code: 'external_audio',
      message:
        "A remix may use only the campaign's stems; track 6 plays “kazoo”, which is not one of them.",
      path: ['tracks', 5, 'stem'],
    })
  })

  it('lets the AI assistant generate parts from the instruments, never from the voice', () => {
    expect(codes(policy, use({ action: 'generateParts', sourceStems: ['lead'] }))).toEqual([])
    expect(codes(policy, use({ action: 'generateParts', sourceStems: ['lead', 'vox'] }))).toEqual([
      'voice_isolation',
      'voice_identity',
      'voice_synthesis',
    ])
    // Only for non-commercial remixes, and only while the campaign is open.
    expect(
      codes(policy, use({ action: 'generateParts', sourceStems: ['lead'], purpose: 'commercial' })),
    ).toContain('commercial_use')
    expect(
      codes(
        policy,
        use({ action: 'generateParts', sourceStems: ['lead'], at: '2030-01-01T00:00:00Z' }),
      ),
    ).toEqual(['campaign_closed'])
  })

  it('reports every broken rule at once, and still returns the duties', () => {
    const decision = evaluateLicence(
      policy,
      use({ at: '2030-01-01T00:00:00Z', purpose: 'commercial', exportsToday: 40 }, (r) => {
        r.length = 10
        region(r, VOX).pitch = -6
      }),
    )
    expect(decision.allowed).toBe(false)
    expect(decision.violations.map((x) => x.code)).toEqual([
      'campaign_closed',
      'purpose',
      'too_short',
      'pitch_out_of_range',
      'export_limit',
      'commercial_use',
    ])
    expect(decision.duties).toEqual(policy.duties)
  })
})

describe('evaluateLicence, each constraint kind', () => {
  it('keeps to the listed territories; an unknown country is not one of them', () => {
    const p = policyWith([
      { leftOperand: 'spatial', operator: 'isAnyOf', rightOperand: ['GB', 'IE'] },
    ])
    expect(evaluateLicence(p, use({ country: 'gb' })).allowed).toBe(true)
    expect(only(p, use({ country: 'FR' })).message).toBe(
      'This licence applies only in GB or IE; this request comes from FR.',
    )
    expect(only(p, use({ country: null })).message).toBe(
      "This licence applies only in GB or IE; this request's country is unknown.",
    )
    const eq = policyWith([{ leftOperand: 'spatial', operator: 'eq', rightOperand: 'IE' }])
    expect(codes(eq, use({ country: 'GB' }))).toEqual(['territory'])
  })

  it('reads purpose as a list of what is excluded too', () => {
    const p = policyWith([
      { leftOperand: 'purpose', operator: 'isNoneOf', rightOperand: ['commercial'] },
    ])
    expect(evaluateLicence(p, use()).allowed).toBe(true)
    expect(codes(p, use({ purpose: 'commercial' }))).toEqual(['purpose'])
  })

  it('limits the stem count from above, and exclusive bounds exclude', () => {
    const p = policyWith([{ leftOperand: 'stemCount', operator: 'lteq', rightOperand: 3 }])
    expect(only(p, use())).toEqual({
      code: 'too_many_stems',
      message:
        'A remix must use at most 3 stems; this one uses 5 (Drums, Bass, Pads, Lead Synth and Voice).',
    })
    const lt = policyWith([{ leftOperand: 'outputDuration', operator: 'lt', rightOperand: 96 }])
    expect(codes(lt, use())).toEqual(['too_long'])
    const gt = policyWith([{ leftOperand: 'outputDuration', operator: 'gt', rightOperand: 96 }])
    expect(codes(gt, use())).toEqual(['too_short'])
  })

  it('counts a stem only when unmuted, above -40 dB in all and inside the remix', () => {
    const p = policyWith([{ leftOperand: 'stemCount', operator: 'gteq', rightOperand: 5 }])
    const quiet = (r: Recipe) => {
      track(r, 0).muted = true
      track(r, 1).gainDb = -60
      track(r, 2).gainDb = -30
      region(r, 2).gainDb = -30
      region(r, 3).start = 96
    }
    expect(only(p, use({}, quiet)).message).toBe(
      'A remix must use at least 5 stems; this one uses 1 (Voice).',
    )
    // Heard at -59 dB is heard, but too quietly to count: named, not counted.
    const faint = (r: Recipe) => {
      quiet(r)
      track(r, 2).gainDb = -29
    }
    expect(only(p, use({}, faint)).message).toBe(
      'A remix must use at least 5 stems; this one uses 1 (Voice); Pads (0 s) is heard above -40 dB for less than the 8 seconds a stem needs to count.',
    )
    const pads = (r: Recipe) => {
      quiet(r)
      track(r, 2).gainDb = -9
      r.tracks.push({ ...track(r, 2), id: 't-pads-2' })
    }
    // Two tracks of one stem are one stem.
    expect(only(p, use({}, pads)).message).toMatch(/this one uses 2 \(Pads and Voice\)\.$/)
    expect(
      only(
        p,
        use({}, (r) => (r.master.gainDb = -60)),
      ).message,
    ).toMatch(/this one uses 0\.$/)
  })

  it('requires and excludes stems, naming the track', () => {
    const p = policyWith([
      { leftOperand: 'stemsUsed', operator: 'isAllOf', rightOperand: ['drums', 'bass'] },
      { leftOperand: 'stemsUsed', operator: 'isNoneOf', rightOperand: ['lead'] },
    ])
    const noLead = (r: Recipe) => (track(r, 3).muted = true)
    expect(only(p, use())).toEqual({
      code: 'stem_excluded',
      message: 'A remix may not use Lead Synth; this one does.',
      path: ['tracks', 3],
    })
    expect(evaluateLicence(p, use({}, noLead)).allowed).toBe(true)
    const noDrums = (r: Recipe) => {
      noLead(r)
      track(r, DRUMS).gainDb = -60
    }
    expect(only(p, use({}, noDrums))).toEqual({
      code: 'stem_required',
      message: 'A remix must use Drums; it is not heard in this one.',
      path: ['tracks', DRUMS],
    })
    const noBass = (r: Recipe) => {
      noLead(r)
      r.tracks.splice(1, 1)
    }
    expect(only(p, use({}, noBass))).toEqual({
      code: 'stem_required',
      message: 'A remix must use Bass; this one has no track for it.',
    })
  })

  it('matches stems by the manifest id the licence uses when recipes use row ids', () => {
    const p = policyWith([
      { leftOperand: 'stemsUsed', operator: 'isNoneOf', rightOperand: ['lead'] },
      { leftOperand: 'pitchShift', operator: 'lteq', rightOperand: 0, target: 'drums' },
    ])
    const rows = stems.map((s) => ({ ...s, id: `copper-moons-${s.id}`, manifestId: s.id }))
    const rowIds = (r: Recipe) => {
      r.tracks.forEach((t) => (t.stem = `copper-moons-${t.stem}`))
      region(r, DRUMS).pitch = 1
    }
    const named = { 'copper-moons-lead': 'Lead Synth', 'copper-moons-drums': 'Drums' }
    expect(evaluateLicence(p, use({ stems: rows, names: named }, rowIds)).violations).toEqual([
      {
        code: 'stem_excluded',
        message: 'A remix may not use Lead Synth; this one does.',
        path: ['tracks', 3],
      },
      {
        code: 'pitch_out_of_range',
        message:
          'Drums may be pitch-shifted by at most ±0 semitones; this remix shifts Drums by 1.',
        path: ['tracks', DRUMS, 'regions', 0, 'pitch'],
      },
    ])
  })

  it('bounds pitch on one stem, exclusively with lt, counting every copy a wet mix lets through', () => {
    const p = policyWith([
      { leftOperand: 'pitchShift', operator: 'lt', rightOperand: 2, target: 'bass' },
    ])
    expect(
      evaluateLicence(
        p,
        use({}, (r) => (region(r, 1).pitch = 1.5)),
      ).allowed,
    ).toBe(true)
    expect(
      only(
        p,
        use({}, (r) => (region(r, 1).pitch = -2)),
      ).message,
    ).toBe('Bass may be pitch-shifted by less than ±2 semitones; this remix shifts Bass by -2.')
    expect(
      evaluateLicence(
        p,
        use({}, (r) => (region(r, 0).pitch = 12)),
      ).allowed,
    ).toBe(true)
    // +7 and -7, each half wet: the sum is 0 but both shifted copies are heard.
    const sneaky = (r: Recipe) => {
      addFx(r, 1, { ...fx('pitchShift', { semitones: 7, wet: 0.5 }), id: 'up' })
      addFx(r, 1, { ...fx('pitchShift', { semitones: -7, wet: 0.5 }), id: 'down' })
    }
    expect(only(p, use({}, sneaky))).toEqual({
      code: 'pitch_out_of_range',
      message: 'Bass may be pitch-shifted by less than ±2 semitones; this remix shifts Bass by 7.',
      path: ['tracks', 1, 'effects', 0],
    })
  })

  it('refuses any shift under a bound of less than 0, pointing at the region', () => {
    const p = policyWith([
      { leftOperand: 'pitchShift', operator: 'lt', rightOperand: 0, target: 'bass' },
    ])
    expect(only(p, use()).path).toEqual(['tracks', 1, 'regions', 0, 'pitch'])
  })

  it('reports a track effect once, not once per region', () => {
    const p = policyWith([{ leftOperand: 'pitchShift', operator: 'lteq', rightOperand: 2 }])
    const edit = (r: Recipe) => {
      track(r, 1).regions.push({ ...region(r, 1), id: 'r2', start: 50 })
      addFx(r, 1, fx('pitchShift', { semitones: 5, wet: 1 }))
    }
    expect(only(p, use({}, edit)).path).toEqual(['tracks', 1, 'effects', 0])
  })

  it('holds playback rate to an exact value', () => {
    const p = policyWith([
      { leftOperand: 'playbackRate', operator: 'eq', rightOperand: 1, target: 'drums' },
    ])
    expect(
      only(
        p,
        use({}, (r) => (region(r, DRUMS).rate = 1.1)),
      ).message,
    ).toBe('Drums must play at a rate of exactly 1×; this remix plays Drums at 1.1×.')
  })

  it('allows only listed effect types, or forbids listed ones, including on the master', () => {
    const only2 = policyWith([
      {
        leftOperand: 'effectType',
        operator: 'isAnyOf',
        rightOperand: ['reverb', 'delay'],
        target: 'voice',
      },
    ])
    const filter = fx('filter', { mode: 'lowpass', frequency: 800, q: 1 })
    expect(
      only(
        only2,
        use({}, (r) => addFx(r, VOX, filter)),
      ),
    ).toEqual({
      code: 'effect_not_allowed',
      message:
        'Voice stems may only have reverb or delay effects; this remix puts filter on Voice.',
      path: ['tracks', VOX, 'effects', 0],
    })
    expect(
      evaluateLicence(
        only2,
        use({}, (r) => addFx(r, DRUMS, filter)),
      ).allowed,
    ).toBe(true)
    const none = policyWith([
      { leftOperand: 'effectType', operator: 'isNoneOf', rightOperand: ['distortion', 'eq3'] },
    ])
    expect(
      only(
        none,
        use({}, (r) => addFx(r, 'master', fx('eq3', { low: 0, mid: 0, high: 0 }))),
      ),
    ).toEqual({
      code: 'effect_not_allowed',
      message:
        'Stems may not have distortion or EQ; this remix puts EQ on the master bus, which Drums plays through.',
      path: ['master', 'effects', 0],
    })
    const nothing = policyWith([
      { leftOperand: 'effectType', operator: 'isAnyOf', rightOperand: [], target: 'drums' },
    ])
    expect(
      only(
        nothing,
        use({}, (r) => addFx(r, DRUMS, filter)),
      ).message,
    ).toBe('Drums may not have effects; this remix puts filter on Drums.')
  })

  it('refuses a constraint it cannot enforce rather than ignoring it', () => {
    const p = policyWith([])
    p.permissions[0]!.constraints.push({
      leftOperand: 'pitchShift',
      operator: 'gteq',
      rightOperand: 2,
    })
    expect(only(p, use()).code).toBe('invalid_constraint')
    expect(only(p, use()).message).toMatch(/pitchShift takes lt, lteq, not gteq/)
  })

  it('treats several grants of one action as alternatives', () => {
    const p = LicencePolicySchema.parse({
      version: 1,
      uid: 'urn:test',
      permissions: [
        {
          action: 'remix',
          constraints: [{ leftOperand: 'spatial', operator: 'eq', rightOperand: 'GB' }],
        },
        {
          action: 'remix',
          constraints: [{ leftOperand: 'spatial', operator: 'eq', rightOperand: 'IE' }],
        },
      ],
    })
    expect(evaluateLicence(p, use({ country: 'IE' })).allowed).toBe(true)
    expect(codes(p, use({ country: 'FR' }))).toEqual(['territory'])
  })
})

describe('evaluateLicence, actions, prohibitions and duties', () => {
  it('needs a download or share permission besides remix', () => {
    const p = LicencePolicySchema.parse({
      version: 1,
      uid: 'u',
      permissions: [{ action: 'remix' }],
    })
    expect(evaluateLicence(p, use()).allowed).toBe(true)
    expect(only(p, use({ action: 'download' }))).toEqual({
      code: 'not_permitted',
      message: 'This licence does not allow downloading exports.',
    })
    expect(only(p, use({ action: 'share' })).message).toBe(
      'This licence does not allow sharing remixes.',
    )
    const shareOnly = LicencePolicySchema.parse({
      version: 1,
      uid: 'u',
      permissions: [{ action: 'share' }],
    })
    expect(codes(shareOnly, use({ action: 'share' }))).toEqual(['not_permitted'])
  })

  it('applies the remix rules when sharing and downloading', () => {
    for (const action of ['share', 'download'] as const)
      expect(
        codes(
          policy,
          use({ action }, (r) => (r.length = 10)),
        ),
      ).toEqual(['too_short'])
  })

  it('needs the artist to approve a share when the licence says so, and returns the duty', () => {
    const p = policyWith([], {
      duties: [{ action: 'obtainApproval' }, { action: 'attribute', text: 'Song by Band' }],
    })
    expect(evaluateLicence(p, use({ action: 'share' }))).toEqual({
      allowed: false,
      violations: [
        {
          code: 'approval_required',
          message: 'The artist must approve this remix before it is shared.',
        },
      ],
      duties: p.duties,
    })
    expect(evaluateLicence(p, use({ action: 'share', approved: true })).allowed).toBe(true)
    expect(evaluateLicence(p, use())).toEqual({ allowed: true, violations: [], duties: p.duties })
  })

  it('generates parts only when granted, and never from a protected voice', () => {
    const off = policyWith([], { prohibitions: [{ action: 'voiceSynthesis', target: 'voice' }] })
    expect(codes(off, use({ action: 'generateParts', sourceStems: ['drums'] }))).toEqual([
      'not_permitted',
    ])
    const on = LicencePolicySchema.parse({
      version: 1,
      uid: 'u',
      permissions: [{ action: 'generateParts' }],
      prohibitions: [{ action: 'voiceSynthesis' }, { action: 'externalAudio' }],
    })
    const parts = (sourceStems?: string[]) => use({ action: 'generateParts', sourceStems })
    expect(evaluateLicence(on, parts(['drums', 'bass'])).allowed).toBe(true)
    expect(only(on, parts(['bass', 'vox']))).toEqual({
      code: 'voice_synthesis',
      message: 'The AI assistant may not generate new parts from Voice; choose other source stems.',
    })
    expect(codes(on, parts())).toEqual(['voice_synthesis'])
    expect(only(on, parts(['kazoo'])).message).toBe(
      "The AI assistant may use only the campaign's stems; “kazoo” is not one of them.",
    )
    const open = LicencePolicySchema.parse({
      version: 1,
      uid: 'u',
      permissions: [{ action: 'generateParts' }],
    })
    expect(evaluateLicence(open, parts(['vox'])).allowed).toBe(true)
  })

  it('forbids any voice pitch shift as an identity change when the licence sets no voice bound', () => {
    const p = policyWith([{ leftOperand: 'pitchShift', operator: 'lteq', rightOperand: 12 }], {
      prohibitions: [{ action: 'voiceIdentityChange' }],
    })
    expect(
      only(
        p,
        use({}, (r) => (region(r, VOX).pitch = 1)),
      ),
    ).toEqual({
      code: 'voice_identity',
      message:
        'Changing the identity of Voice is not allowed, so it may not be pitch-shifted; this remix shifts Voice by 1.',
      path: ['tracks', VOX, 'regions', 0, 'pitch'],
    })
    expect(
      evaluateLicence(
        p,
        use({}, (r) => (region(r, DRUMS).pitch = 12)),
      ).allowed,
    ).toBe(true)
  })

  it('carries the reverse and text-and-data-mining reservations without refusing anything', () => {
    const p = policyWith([], {
      prohibitions: [{ action: 'reverse' }, { action: 'textAndDataMining' }],
    })
    expect(evaluateLicence(p, use()).allowed).toBe(true)
  })

  it('allows what no prohibition forbids: commercial use, outside audio, the voice alone', () => {
    const p = policyWith([])
    const edit = (r: Recipe) => {
      track(r, VOX).soloed = true
      r.tracks.push({ ...track(r, 0), id: 't-kazoo', stem: 'kazoo', muted: true })
    }
    expect(evaluateLicence(p, use({ purpose: 'commercial' }, edit)).allowed).toBe(true)
  })
})

describe('limitsForStem', () => {
  it('gives the demo voice ±2 semitones, the rates that keep to them, and no distortion', () => {
    const limits = limitsForStem(policy, { id: 'vox', isVoice: true }, names)
    expect(limits.pitch).toEqual({ min: -2, max: 2 })
    expect(limits.rate!.min).toBeCloseTo(0.8909, 4)
    expect(limits.rate!.max).toBeCloseTo(1.1225, 4)
    expect(limits.effectTypes).toEqual({ allowed: null, forbidden: ['distortion'] })
    expect(limits.reasons).toEqual({
      pitch: 'Voice stems may be pitch-shifted by at most ±2 semitones.',
      rate: 'Voice stems may be pitch-shifted by at most ±2 semitones, and playing faster or slower shifts the pitch.',
      distortion: 'Distortion would change the identity of Voice, which is not allowed.',
    })
  })

  it('gives other demo stems ±12 semitones and 0.5× to 2×, any effect', () => {
    expect(limitsForStem(policy, { id: 'drums', isVoice: false }, names)).toEqual({
      pitch: { min: -12, max: 12 },
      rate: { min: 0.5, max: 2 },
      effectTypes: { allowed: null, forbidden: [] },
      reasons: {
        pitch: 'Stems may be pitch-shifted by at most ±12 semitones.',
        rate: 'Stems must play at a rate of at least 0.5×. Stems must play at a rate of at most 2×.',
      },
    })
  })

  it('reads effect lists, exclusive bounds, and a voice without its own pitch bound', () => {
    const p = policyWith(
      [
        {
          leftOperand: 'effectType',
          operator: 'isAnyOf',
          rightOperand: ['reverb', 'delay', 'distortion'],
        },
        {
          leftOperand: 'effectType',
          operator: 'isNoneOf',
          rightOperand: ['delay'],
          target: 'voice',
        },
        { leftOperand: 'playbackRate', operator: 'gt', rightOperand: 0.5, target: 'bass' },
        { leftOperand: 'pitchShift', operator: 'lt', rightOperand: 3, target: 'bass' },
      ],
      { prohibitions: [{ action: 'voiceIdentityChange', target: 'voice' }] },
    )
    const vox = limitsForStem(p, { id: 'vox', isVoice: true }, names)
    expect(vox.pitch).toEqual({ min: 0, max: 0 })
    expect(vox.rate).toEqual({ min: 1, max: 1 })
    expect(vox.effectTypes).toEqual({
      allowed: ['reverb'],
      forbidden: ['delay', 'distortion'],
    })
    expect(vox.reasons).toMatchObject({
      pitch: 'Changing the identity of Voice is not allowed, so it may not be pitch-shifted.',
      filter: 'Stems may only have reverb, delay or distortion effects.',
      delay: 'Voice stems may not have delay.',
      distortion: 'Distortion would change the identity of Voice, which is not allowed.',
    })
    const bass = limitsForStem(p, { id: 'bass', isVoice: false }, names)
    expect(bass.pitch!.max).toBeLessThan(3)
    expect(bass.pitch!.max).toBeGreaterThan(2.999)
    expect(bass.rate!.min).toBeGreaterThan(0.5)
    expect(bass.rate!.max).toBeCloseTo(2 ** (3 / 12))
    expect(bass.reasons.rate).toBe(
      'Bass may be pitch-shifted by less than ±3 semitones, and playing faster or slower shifts the pitch.',
    )
    expect(limitsForStem(policyWith([]), { id: 'x', isVoice: false })).toEqual({
      pitch: null,
      rate: null,
      effectTypes: { allowed: null, forbidden: [] },
      reasons: {},
    })
  })

  it('agrees with evaluateLicence at its edges', () => {
    const { pitch, rate } = limitsForStem(policy, { id: 'vox', isVoice: true })
    const at = (p: number, r: number) => (x: Recipe) =>
      Object.assign(region(x, VOX), { pitch: p, rate: r })
    expect(evaluateLicence(policy, use({}, at(pitch!.max, 1))).allowed).toBe(true)
    expect(evaluateLicence(policy, use({}, at(0, rate!.max))).allowed).toBe(true)
    expect(evaluateLicence(policy, use({}, at(0, rate!.min))).allowed).toBe(true)
    expect(evaluateLicence(policy, use({}, at(0, rate!.max * 1.01))).allowed).toBe(false)
  })
})

it('throws on a request time that is not a date', () => {
  expect(() => evaluateLicence(policy, use({ at: 'yesterday' }))).toThrow(DomainError)
})

describe('territoryViolation', () => {
  const policy = {
    version: 1,
    uid: 'u',
    permissions: [
      {
        action: 'share' as const,
        constraints: [
          { leftOperand: 'spatial' as const, operator: 'isNoneOf' as const, rightOperand: ['KP'] },
        ],
      },
    ],
    prohibitions: [],
    duties: [],
  }

  it('refuses a listed country with the same sentence evaluateLicence gives, and passes others', () => {
    expect(territoryViolation(policy, 'share', 'KP')).toMatchObject({
      code: 'territory',
      message: expect.stringMatching(/KP/),
    })
    expect(territoryViolation(policy, 'share', 'FR')).toBeNull()
    expect(territoryViolation(policy, 'share', null)).toBeNull()
    expect(territoryViolation(policy, 'download', 'KP')).toBeNull()
  })
})
