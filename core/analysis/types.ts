import type { BPM, Decibels, Seconds } from '../units.ts'

/** Loudness units relative to full scale (EBU R128). */
export type Lufs = number
/** Loudness units: differences of LUFS. */
export type LoudnessUnits = number

/** EBU R128 / ITU-R BS.1770-4 measurements of a signal. */
export type Loudness = {
  integratedLufs: Lufs // −70 when nothing passes the gates
  rangeLu: LoudnessUnits
  truePeakDbtp: Decibels
}

/** Bars [startBar, endBar) counted from 0 on the analysis bar grid. */
export type BarRange = { startBar: number; endBar: number }

/** A section of the full mix; `label` repeats for sections that sound alike (A, B, A, …). */
export type Section = {
  start: Seconds
  end: Seconds
  startBar: number
  endBar: number // exclusive
  label: string
}

/**
 * What the analysis reads from a full mix: grid, key and sections. Without a steady beat (silence,
 * a few hits) tempo is 0, there are no beats or bars, and one section spans it all.
 */
export type MixAnalysis = {
  tempo: BPM
  timeSignature: [number, number] // 4/4 assumed
  beats: Seconds[]
  downbeats: Seconds[] // bar b starts at downbeats[b]
  key: string | null // "D minor"; null when nothing pitched is heard
  keyConfidence: number // best correlation minus the runner-up's, 0..2
  sections: Section[]
}

/** A campaign's analysis: the mix's grid, key and sections, and the mix's loudness. */
export type CampaignAnalysis = MixAnalysis & { version: 1; loudness: Loudness }

/** A stem's own measurements on the campaign's bar grid. */
export type StemMeasures = { loudness: Loudness; activity: BarRange[] }
