import { describe, expect, it } from 'vitest'
import { isoFromLocalInput, localInputFrom, nextStep, slugFrom } from './steps.ts'

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

  it('walks the steps in order', () => {
    expect(nextStep('details')).toBe('artwork')
    expect(nextStep('review')).toBeNull()
  })
})
