import { describe, expect, it } from 'vitest'
import type { MyRemixView } from '../../core/api/remixes.ts'
import { remixStateOf } from './myRemixes.ts'

const base: MyRemixView = {
  id: 'r1',
  campaign: 'copper-moons',
  ownerId: 'u1',
  ownerName: 'Fan',
  title: 'Night drive',
  version: 3,
  status: 'draft',
  moderation: null,
  createdAt: '2026-12-01T10:00:00Z',
  updatedAt: '2026-12-01T11:00:00Z',
  exports: 0,
  latestExport: null,
  shareUrl: null,
  plays: 0,
  downloads: 0,
}
const at = '2026-12-01T12:00:00Z'

describe('remixStateOf', () => {
  it('calls a remix without exports a draft', () => {
    expect(remixStateOf(base)).toMatchObject({ state: 'draft', label: 'Draft' })
  })

  it('shows an export on its way and one that failed, with the reason', () => {
    const queued = {
      ...base,
      exports: 1,
      latestExport: {
        id: 'e',
        status: 'queued',
        reason: null,
        createdAt: at,
        approval: 'none',
        approvalReason: null,
      },
    } as const
    expect(remixStateOf(queued).state).toBe('exporting')
    const failed = {
      ...queued,
      latestExport: { ...queued.latestExport, status: 'rejected', reason: 'A master is missing.' },
    } as const
    expect(remixStateOf(failed)).toMatchObject({
      state: 'export-failed',
      detail: 'A master is missing.',
    })
  })

  it('says a remix waits for the artist, is public, or was taken down and why', () => {
    expect(remixStateOf({ ...base, exports: 1, status: 'submitted' }).state).toBe('pending')
    expect(remixStateOf({ ...base, exports: 1, status: 'published' }).label).toBe('Published')
    const down = remixStateOf({
      ...base,
      exports: 1,
      status: 'taken_down',
      moderation: { action: 'takedown', reason: 'uses a sample we do not own', at },
    })
    expect(down).toEqual({
      state: 'taken-down',
      label: 'Taken down',
      detail: 'The artist took it down: uses a sample we do not own',
    })
  })

  it('tells the fan when the artist did not approve', () => {
    const r = remixStateOf({
      ...base,
      exports: 1,
      moderation: { action: 'reject', reason: 'too loud', at },
    })
    expect(r).toMatchObject({
      label: 'Not approved',
      detail: 'The artist did not approve it: too loud',
    })
  })
  it('tells the fan the decision on their latest export, with its own reason', () => {
    const ready = {
      id: 'e2',
      status: 'ready',
      reason: null,
      createdAt: at,
      approval: 'pending',
      approvalReason: null,
    } as const
    const published = { ...base, exports: 2, status: 'published' } as const
    expect(remixStateOf({ ...published, latestExport: ready })).toMatchObject({
      state: 'pending',
      label: 'Waiting for approval',
    })
    const rejected = {
      ...published,
      moderation: { action: 'reject', reason: 'voice only', at },
      latestExport: { ...ready, approval: 'rejected', approvalReason: 'voice only' },
    } as const
    expect(remixStateOf(rejected)).toEqual({
      state: 'published',
      label: 'Not approved',
      detail: 'The artist did not approve it: voice only. An earlier approved export stays public.',
    })
    // A later export approved after an earlier one was rejected: the remix is simply public.
    expect(
      remixStateOf({
        ...published,
        moderation: { action: 'reject', reason: 'voice only', at },
        latestExport: { ...ready, approval: 'approved' },
      }).label,
    ).toBe('Published')
  })
})
