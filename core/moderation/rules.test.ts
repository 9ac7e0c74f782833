import { describe, expect, it } from 'vitest'
import demo from '../../stems/manifest.json'
import { LicencePolicySchema } from '../licence/policy.ts'
import {
  needsApproval,
  statusAfterExport,
  transitionOf,
  type ModerationDecision,
  type RemixStatus,
} from './rules.ts'

const open = LicencePolicySchema.parse(demo.licence)
const approval = { ...open, duties: [...open.duties, { action: 'obtainApproval' as const }] }

const STATUSES: RemixStatus[] = ['draft', 'submitted', 'published', 'taken_down']

/** Every status × decision, as `status → next` or `status ✗`. */
function table(decision: ModerationDecision) {
  return STATUSES.map((s) => {
    const t = transitionOf(s, decision)
    return t.allowed ? `${s} → ${t.status}${t.changed ? '' : ' (unchanged)'}` : `${s} ✗`
  })
}

describe('transitionOf', () => {
  it('approves only a submitted remix, which becomes public', () => {
    expect(table('approve')).toEqual([
      'draft ✗',
      'submitted → published',
      'published ✗',
      'taken_down ✗',
    ])
  })

  it('rejects only a submitted remix, which goes back to its fan as a draft', () => {
    expect(table('reject')).toEqual(['draft ✗', 'submitted → draft', 'published ✗', 'taken_down ✗'])
  })

  it('takes down a submitted or published remix; a second takedown changes nothing', () => {
    expect(table('takedown')).toEqual([
      'draft ✗',
      'submitted → taken_down',
      'published → taken_down',
      'taken_down → taken_down (unchanged)',
    ])
  })

  it('says why a decision does not apply', () => {
    expect(transitionOf('published', 'approve')).toEqual({
      allowed: false,
      message: 'Only a remix waiting for approval can be approved; this one is already published.',
    })
    expect(transitionOf('draft', 'takedown')).toEqual({
      allowed: false,
      message: 'Only a shared or submitted remix can be taken down; this one is a draft.',
    })
  })
})

describe('statusAfterExport', () => {
  it('submits the remix when the licence asks for approval, and publishes it otherwise', () => {
    expect(needsApproval(open)).toBe(false)
    expect(needsApproval(approval)).toBe(true)
    expect(STATUSES.map((s) => statusAfterExport(approval, s))).toEqual([
      'submitted',
      'submitted',
      'submitted',
      'taken_down',
    ])
    expect(STATUSES.map((s) => statusAfterExport(open, s))).toEqual([
      'published',
      'published',
      'published',
      'taken_down',
    ])
  })
})
