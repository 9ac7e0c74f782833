import { describe, expect, it } from 'vitest'
import {
  barsBeatsFrom,
  formatBarsBeats,
  gridLines,
  secondsPerBar,
  secondsPerBeat,
  snapTime,
} from './grid.ts'

const common = [4, 4] as const
const sixEight = [6, 8] as const

describe('beat and bar lengths', () => {
  it('counts quarter notes in the tempo and scales the beat by the signature', () => {
    expect(secondsPerBeat(100)).toBe(0.6)
    expect(secondsPerBeat(120)).toBe(0.5)
    expect(secondsPerBar(100, common)).toBe(2.4)
    expect(secondsPerBar(90, sixEight)).toBe(2)
    expect(secondsPerBar(120, [3, 4])).toBe(1.5)
    expect(secondsPerBar(60, [7, 8])).toBe(3.5)
  })
})

describe('snapTime at 100 BPM in 4/4', () => {
  it('snaps to the nearest beat, landing exactly on it', () => {
    expect(snapTime(1.7, 'beat', 100, common)).toBe(1.8)
    expect(snapTime(1.95, 'beat', 100, common)).toBe(1.8)
    expect(snapTime(4.79, 'beat', 100, common)).toBe(4.8)
    expect(snapTime(0.29, 'beat', 100, common)).toBe(0)
  })

  it('snaps to the nearest bar', () => {
    expect(snapTime(1.7, 'bar', 100, common)).toBe(2.4)
    expect(snapTime(3.5, 'bar', 100, common)).toBe(2.4)
    expect(snapTime(3.7, 'bar', 100, common)).toBe(4.8)
  })

  it('never goes below 0, and passes through when off', () => {
    expect(snapTime(-1, 'beat', 100, common)).toBe(0)
    expect(snapTime(-3, 'bar', 100, common)).toBe(0)
    expect(snapTime(1.234, 'off', 100, common)).toBe(1.234)
    expect(snapTime(-0.5, 'off', 100, common)).toBe(0)
  })
})

describe('snapTime at 90 BPM in 6/8', () => {
  it('snaps to eighth-note beats and two-second bars', () => {
    expect(snapTime(0.9, 'beat', 90, sixEight)).toBe(1)
    expect(snapTime(0.2, 'beat', 90, sixEight)).toBe(1 / 3)
    expect(snapTime(1.1, 'bar', 90, sixEight)).toBe(2)
    expect(snapTime(0.9, 'bar', 90, sixEight)).toBe(0)
    expect(snapTime(5.2, 'bar', 90, sixEight)).toBe(6)
  })
})

describe('barsBeatsFrom and formatBarsBeats', () => {
  it('puts 4.8 s at 100 BPM exactly on bar 3, beat 1, whatever float noise it carries', () => {
    expect(barsBeatsFrom(4.8, 100, common)).toEqual({ bar: 3, beat: 1, tick: 0 })
    expect(barsBeatsFrom(0.6 * 8, 100, common)).toEqual({ bar: 3, beat: 1, tick: 0 })
    expect(barsBeatsFrom(0.1 * 48, 100, common)).toEqual({ bar: 3, beat: 1, tick: 0 })
    expect(barsBeatsFrom(4.8 - 1e-12, 100, common)).toEqual({ bar: 3, beat: 1, tick: 0 })
    expect(barsBeatsFrom(0.6 * 3, 100, common)).toEqual({ bar: 1, beat: 4, tick: 0 })
  })

  it('formats on and between beats at 100 BPM in 4/4', () => {
    expect(formatBarsBeats(0, 100, common)).toBe('1:1')
    expect(formatBarsBeats(0.6, 100, common)).toBe('1:2')
    expect(formatBarsBeats(4.8, 100, common)).toBe('3:1')
    expect(formatBarsBeats(1.35, 100, common)).toBe('1:3.250')
    expect(formatBarsBeats(4.8 + 0.15, 100, common)).toBe('3:1.250')
    expect(formatBarsBeats(0.006, 100, common)).toBe('1:1.010')
    expect(formatBarsBeats(-2, 100, common)).toBe('1:1')
  })

  it('truncates to the thousandth of a beat rather than rounding up to the next beat', () => {
    expect(barsBeatsFrom(0.6 * 0.9999, 100, common)).toEqual({ bar: 1, beat: 1, tick: 999 })
    expect(formatBarsBeats(2.4 - 0.0003, 100, common)).toBe('1:4.999')
  })

  it('counts eighth-note beats at 90 BPM in 6/8', () => {
    expect(formatBarsBeats(1 / 3, 90, sixEight)).toBe('1:2')
    expect(formatBarsBeats(3 * (1 / 3), 90, sixEight)).toBe('1:4')
    expect(formatBarsBeats(5 / 3, 90, sixEight)).toBe('1:6')
    expect(formatBarsBeats(2, 90, sixEight)).toBe('2:1')
    expect(formatBarsBeats(2 + 5 / 3, 90, sixEight)).toBe('2:6')
    expect(formatBarsBeats(0.5, 90, sixEight)).toBe('1:2.500')
    expect(barsBeatsFrom(0.1 * 60, 90, sixEight)).toEqual({ bar: 4, beat: 1, tick: 0 })
  })
})

describe('gridLines', () => {
  it('lists the bars and beats in a range, ends included, at exact times', () => {
    expect(gridLines(0, 4.8, 'bar', 100, common)).toEqual([0, 2.4, 4.8])
    expect(gridLines(1, 3, 'beat', 100, common)).toEqual([1.2, 1.8, 2.4, 3])
    expect(gridLines(0, 1, 'beat', 90, sixEight)).toEqual([0, 1 / 3, 2 / 3, 1])
    expect(gridLines(0.5, 6, 'bar', 90, sixEight)).toEqual([2, 4, 6])
  })

  it('forgives float noise at the ends', () => {
    expect(gridLines(2.4000000000000004, 4.799999999999999, 'bar', 100, common)).toEqual([2.4, 4.8])
  })

  it('starts at 0 and is empty for an empty or unbounded range', () => {
    expect(gridLines(-5, 1, 'beat', 100, common)).toEqual([0, 0.6])
    expect(gridLines(5, 1, 'beat', 100, common)).toEqual([])
    expect(gridLines(0, Infinity, 'beat', 100, common)).toEqual([])
  })

  it('gives snapTime the same lines', () => {
    for (const t of gridLines(0, 60, 'beat', 90, sixEight)) {
      expect(snapTime(t + 0.01, 'beat', 90, sixEight)).toBe(t)
    }
  })
})
