import { describe, expect, it } from 'vitest'
import demo from '../../stems/manifest.json'
import type { ExportApproval } from '../api/exports.ts'
import { LicencePolicySchema } from '../licence/policy.ts'
import { needsApproval } from '../licence/policy.ts'
import { approvalAfter, takedownOf, type RemixStatus } from './rules.ts'

const open = LicencePolicySchema.parse(demo.licence)
const approval = { ...open, duties: [...open.duties, { action: 'obtainApproval' as const }] }

const STATUSES: RemixStatus[] = ['draft', 'submitted', 'published', 'taken_down']
const APPROVALS: ExportApproval[] = ['none', 'pending', 'approved', 'rejected']

/** Every approval × decision, as `approval → next` or `approval ✗`. */
function table(decision: 'approve' | 'reject') {
  return APPROVALS.map((a) => {
    const t = approvalAfter(a, decision)
    return t.allowed ? `${a} → ${t.approval}` : `${a} ✗`
  })
}

describe('approvalAfter', () => {
  it('approves only an export waiting for approval', () => {
    expect(table('approve')).toEqual(['none ✗', 'pending → approved', 'approved ✗', 'rejected ✗'])
  })

  it('rejects only an export waiting for approval', () => {
    expect(table('reject')).toEqual(['none ✗', 'pending → rejected', 'approved ✗', 'rejected ✗'])
  })

  it('says why a decision does not apply', () => {
    expect(approvalAfter('approved', 'approve')).toEqual({
      allowed: false,
      message: 'Only an export waiting for approval can be approved; this one is already approved.',
    })
    expect(approvalAfter('none', 'reject')).toEqual({
      allowed: false,
      message: 'Only an export waiting for approval can be rejected; this one needs no approval.',
    })
  })
})

describe('takedownOf', () => {
  it('takes down a submitted or published remix; a second takedown changes nothing', () => {
    expect(
      STATUSES.map((s) => {
        const t = takedownOf(s)
        return t.allowed ? `${s} → ${t.status}${t.changed ? '' : ' (unchanged)'}` : `${s} ✗`
      }),
    ).toEqual([
      'draft ✗',
      'submitted → taken_down',
      'published → taken_down',
      'taken_down → taken_down (unchanged)',
    ])
    expect(takedownOf('draft')).toEqual({
      allowed: false,
      message: 'Only a shared or submitted remix can be taken down; this one is a draft.',
    })
  })
})

describe('needsApproval', () => {
  it('is the licence’s obtainApproval duty', () => {
    expect(needsApproval(open)).toBe(false)
    expect(needsApproval(approval)).toBe(true)
  })
})
