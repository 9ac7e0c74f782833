import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { seedInputFrom } from './seed-input.ts'
import { root } from './state.ts'

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) =>
      sum + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  )
}

describe('the demo campaign in stems/', () => {
  it('decodes to at least five sample-aligned 44.1 kHz stereo stems of 90 s or more', async () => {
    const input = await seedInputFrom(join(root, 'stems'))
    const { stems, manifest } = input
    expect(stems.length).toBeGreaterThanOrEqual(5)
    expect(new Set(stems.map((s) => s.manifest.role))).toEqual(
      new Set(['drums', 'bass', 'pads', 'lead', 'vocals']),
    )
    expect(stems.filter((s) => s.manifest.isVoice).map((s) => s.manifest.id)).toEqual(['vox'])
    for (const stem of stems) {
      expect(stem.sampleRate, stem.manifest.id).toBe(44100)
      expect(stem.channels, stem.manifest.id).toBe(2)
      expect(stem.lengthSamples, stem.manifest.id).toBe(stems[0]!.lengthSamples)
      expect(stem.peaks.channels[0]!.length).toBe(
        Math.ceil(stem.lengthSamples / stem.peaks.samplesPerPeak),
      )
      // Audible but with headroom: the five together must not clip.
      expect(stem.analysis.peakDbfs).toBeLessThan(-3)
      expect(stem.analysis.rmsDbfs).toBeGreaterThan(-35)
    }
    expect(stems[0]!.lengthSamples / 44100).toBeGreaterThanOrEqual(90)
    expect(manifest.tempo).toBe(100)
  })

  it('stays under 15 MB', () => {
    expect(folderBytes(join(root, 'stems'))).toBeLessThan(15 * 1024 * 1024)
  })
})
