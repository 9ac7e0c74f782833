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
  it(
    'decodes to at least five sample-aligned 44.1 kHz stereo stems of 90 s or more',
    { timeout: 180_000 },
    async () => {
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

      // The analysis hears what the manifest says: 100 BPM, D minor, 40 bars of 4/4.
      const analysis = input.analysis!
      expect(Math.abs(analysis.tempo - manifest.tempo)).toBeLessThanOrEqual(1)
      expect(analysis.key).toBe(manifest.key)
      expect(analysis.downbeats).toHaveLength(40)
      analysis.downbeats.forEach((t, bar) => expect(Math.abs(t - bar * 2.4)).toBeLessThan(0.08))
      // Sections (stems/README.md): chorus at bar 17, breakdown at 25, chorus again at 29, the two
      // choruses with one label. The intro's hats and voice at bar 5 and the fade are heard as changes too.
      const starts = analysis.sections.map((s) => s.startBar)
      for (const bar of [16, 24, 28]) expect(starts).toContain(bar)
      const label = (bar: number) => analysis.sections.find((s) => s.startBar === bar)!.label
      expect(label(28)).toBe(label(16))
      expect(label(24)).not.toBe(label(16))
      // Activity on the bar grid: the bass plays bars 9–24 and 29–38 and nothing else.
      const bass = stems.find((s) => s.manifest.id === 'bass')!.analysis
      expect(bass.activity).toEqual([
        { startBar: 8, endBar: 24 },
        { startBar: 28, endBar: 38 },
      ])
      // The stems are balanced by loudness (make-stems.ts): all within a few LU of each other.
      const lufs = stems.map((s) => s.analysis.loudness!.integratedLufs)
      expect(Math.max(...lufs) - Math.min(...lufs)).toBeLessThan(6)
      expect(analysis.loudness.truePeakDbtp).toBeLessThan(-1)
    },
  )

  it('stays under 15 MB', () => {
    expect(folderBytes(join(root, 'stems'))).toBeLessThan(15 * 1024 * 1024)
  })
})
