import { describe, expect, it } from 'vitest'
import {
  HISTORY_LIMIT,
  amend,
  canRedo,
  canUndo,
  historyFrom,
  push,
  redo,
  undo,
  type History,
} from './history.ts'

const pushAll = (h: History<string>, ...states: string[]) => states.reduce(push, h)

describe('history', () => {
  it('starts with nothing to undo or redo', () => {
    const h = historyFrom('a')
    expect(h).toEqual({ past: [], present: 'a', future: [] })
    expect(canUndo(h)).toBe(false)
    expect(canRedo(h)).toBe(false)
    expect(undo(h)).toBe(h)
    expect(redo(h)).toBe(h)
  })

  it('undoes and redoes pushed steps in order', () => {
    const h = pushAll(historyFrom('a'), 'b', 'c')
    expect(h).toEqual({ past: ['a', 'b'], present: 'c', future: [] })
    const back = undo(undo(h))
    expect(back).toEqual({ past: [], present: 'a', future: ['b', 'c'] })
    expect(canUndo(back)).toBe(false)
    expect(canRedo(back)).toBe(true)
    expect(redo(back)).toEqual({ past: ['a'], present: 'b', future: ['c'] })
    expect(redo(redo(back))).toEqual(h)
  })

  it('clears the redo steps on push, and ignores pushing the present', () => {
    const h = undo(pushAll(historyFrom('a'), 'b', 'c'))
    expect(push(h, 'x')).toEqual({ past: ['a', 'b'], present: 'x', future: [] })
    expect(push(h, 'b')).toBe(h)
  })

  it('amends the present without a new step, so one undo reverts a whole drag', () => {
    let h = push(historyFrom('start'), 'drag-1')
    h = amend(h, 'drag-2')
    h = amend(h, 'drag-3')
    expect(h).toEqual({ past: ['start'], present: 'drag-3', future: [] })
    expect(amend(h, 'drag-3')).toBe(h)
    expect(undo(h)).toEqual({ past: [], present: 'start', future: ['drag-3'] })
  })

  it('drops redo steps on amend, which changes the present they followed', () => {
    const h = undo(pushAll(historyFrom('a'), 'b'))
    expect(amend(h, 'a2')).toEqual({ past: [], present: 'a2', future: [] })
  })

  it(`keeps at most ${HISTORY_LIMIT} undo steps, dropping the oldest`, () => {
    const states = Array.from({ length: 250 }, (_, i) => `s${i + 1}`)
    const h = pushAll(historyFrom('s0'), ...states)
    expect(h.past).toHaveLength(HISTORY_LIMIT)
    expect(h.past[0]).toBe('s50')
    expect(h.present).toBe('s250')
    let back = h
    while (canUndo(back)) back = undo(back)
    expect(back.present).toBe('s50')
    expect(back.future).toHaveLength(HISTORY_LIMIT)
  })

  it('compares by identity, so equal-looking objects are separate steps', () => {
    const a = { n: 1 }
    const h = push(historyFrom(a), { n: 1 })
    expect(canUndo(h)).toBe(true)
    expect(undo(h).present).toBe(a)
  })
})
