import { describe, expect, it } from 'vitest'
import { isoFromLocalInput, localInputFrom, nextStep, slugFrom, stepOfMissing } from './steps.ts'

describe('wizard steps', () => {
  it('derives a slug from a title', () => {
    expect(slugFrom('Copper Moons')).toBe('copper-moons')
    expect(slugFrom('  Café — Nuit #2! ')).toBe('cafe-nuit-2')
    expect(slugFrom('---')).toBe('')
  })

  it('round-trips a date-time through the local input format', () => {
    const iso = '2026-03-01T09:30:00.000Z'
    expect(isoFromLocalInput(localInputFrom(iso))).toBe(iso)
    expect(localInputFrom(null)).toBe('')
    expect(isoFromLocalInput('')).toBeNull()
  })

  it('sends each missing item to the step that fixes it', () => {
    expect(stepOfMissing('artwork')).toBe('artwork')
    expect(stepOfMissing('at least 2 ready stems')).toBe('stems')
    expect(stepOfMissing('licence')).toBe('licence')
    expect(stepOfMissing('splits')).toBe('splits')
    expect(stepOfMissing('window (opensAt, closesAt)')).toBe('details')
    expect(nextStep('details')).toBe('artwork')
    expect(nextStep('review')).toBeNull()
  })
})
