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
    expect(stepOfMissing('Artwork.')).toBe('artwork')
    expect(stepOfMissing('At least 2 ready stems (1 so far).')).toBe('stems')
    expect(stepOfMissing('Stem “Bass”: resample it to 48 kHz.')).toBe('stems')
    expect(stepOfMissing('A licence.')).toBe('licence')
    expect(stepOfMissing('The licence names stem “x”, which the campaign does not have.')).toBe(
      'licence',
    )
    expect(stepOfMissing('Splits for every stem.')).toBe('splits')
    expect(stepOfMissing('Splits: a stem’s shares must sum to 10000 basis points.')).toBe('splits')
    expect(stepOfMissing('An opening date and time.')).toBe('details')
    expect(stepOfMissing('A closing date in the future: this window has already ended.')).toBe(
      'details',
    )
    expect(nextStep('details')).toBe('artwork')
    expect(nextStep('review')).toBeNull()
  })
})
