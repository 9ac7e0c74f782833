import type { Hertz, Seconds } from '../units.ts'
import { beatSalience, fitBeats, tempoFromBeats, trackBeats } from './beats.ts'
import { chromaFrom } from './chroma.ts'
import { barPhase } from './downbeats.ts'
import { detectKey } from './key.ts'
import { onsetStrengthFrom } from './onset.ts'
import { sectionsFrom } from './sections.ts'
import { bandEnergiesFrom, BAND_EDGES, segmentMeans } from './segments.ts'
import {
  analysisRateFrom,
  frameRateOf,
  frameSizeFor,
  monoFrom,
  spectrogramFrom,
} from './spectrogram.ts'
import { estimateTempo } from './tempo.ts'
import type { MixAnalysis, Section } from './types.ts'

const BEATS_PER_BAR = 4
/** Fewer tracked beats than this, or onsets on them less salient than this, is no steady beat. */
const MIN_BEATS = 8
const MIN_SALIENCE = 7 // white noise ~5, a pad alone ~4, loops with drums 17 and more
/** A key whose profile correlates less than this with the chroma is not reported (noise: ~0.27). */
const MIN_KEY_CORRELATION = 0.5
/** Relative weight of harmony (chroma) against timbre in the section features. */
const CHROMA_WEIGHT = 0.25

/** Tempo, beat and bar grid, key and labelled sections of a full mix. */
export function analyseMix(channels: readonly Float32Array[], sampleRate: Hertz): MixAnalysis {
  const duration = (channels[0]?.length ?? 0) / sampleRate
  const { pcm: mono, sampleRate: rateHz } = analysisRateFrom(monoFrom(channels), sampleRate)
  const size = frameSizeFor(rateHz, 0.046)
  const spec = spectrogramFrom(mono, rateHz, size, size / 4)
  const rate = frameRateOf(spec)
  const onset = onsetStrengthFrom(spec)
  const tracked = trackBeats(onset, rate, estimateTempo(onset, rate))
  const trackedTimes = Array.from(tracked, (f) => f / rate)
  const tempo = Math.round(tempoFromBeats(trackedTimes) * 100) / 100

  const chromaSpec = spectrogramFrom(mono, rateHz, size * 4, size)
  const chroma = chromaFrom(chromaSpec)
  const meanChroma = meanOfNormalized(chroma, 12)
  const best = meanChroma.some((v) => v > 0) ? detectKey(meanChroma) : null
  const key = best && best.correlation >= MIN_KEY_CORRELATION ? best : null
  const keyFields = {
    key: key?.name ?? null,
    keyConfidence: key ? Math.round(key.margin * 1000) / 1000 : 0,
  }
  if (
    trackedTimes.length < MIN_BEATS ||
    !(tempo > 0) ||
    beatSalience(onset, tracked) < MIN_SALIENCE
  )
    return {
      tempo: 0,
      timeSignature: [BEATS_PER_BAR, 4],
      beats: [],
      downbeats: [],
      ...keyFields,
      sections: [{ start: 0, end: round3(duration), startBar: 0, endBar: 0, label: 'A' }],
    }
  const beats = extendGrid(trackedTimes, duration)

  const beatBounds = [...beats, beats.at(-1)! + 60 / tempo]
  const beatChroma = normalizeRows(
    segmentMeans(chroma, 12, frameRateOf(chromaSpec), beatBounds),
    12,
  )
  const bassOnset = onsetStrengthFrom(spec, 30, 150)
  const bassAtBeat = Float32Array.from(beats, (t) => peakNear(bassOnset, Math.round(t * rate), 2))
  const change = Float32Array.from(beats, (_, i) =>
    i === 0 ? 0 : 1 - dot(beatChroma, i, i - 1, 12),
  )
  const phase = barPhase(bassAtBeat, change, BEATS_PER_BAR)
  const barSeconds = (BEATS_PER_BAR * 60) / tempo
  const downbeats = beats.filter((_, i) => i % BEATS_PER_BAR === phase)
  if (phase > 0 && downbeats[0]! - barSeconds > -barSeconds / 16)
    downbeats.unshift(Math.max(0, downbeats[0]! - barSeconds))

  const barBounds = [...downbeats, Math.min(duration, downbeats.at(-1)! + barSeconds)]
  const features = barFeatures(spec, onset, chroma, frameRateOf(chromaSpec), barBounds)
  const { starts, labels } = sectionsFrom(features.data, features.dims)
  const bars = downbeats.length
  const sections: Section[] = starts.map((startBar, i) => {
    const endBar = starts[i + 1] ?? bars
    return {
      start: round3(i === 0 ? 0 : downbeats[startBar]!),
      end: round3(endBar < bars ? downbeats[endBar]! : duration),
      startBar,
      endBar,
      label: labels[i]!,
    }
  })
  return {
    tempo,
    timeSignature: [BEATS_PER_BAR, 4],
    beats: beats.map(round3),
    downbeats: downbeats.map(round3),
    ...keyFields,
    sections,
  }
}

const round3 = (t: Seconds) => Math.round(t * 1000) / 1000

/** Per-bar features: L2-normalised chroma, and z-scored band energies and onset strength. */
function barFeatures(
  spec: ReturnType<typeof spectrogramFrom>,
  onset: Float32Array,
  chroma: Float32Array,
  chromaRate: number,
  bounds: number[],
): { data: Float32Array; dims: number } {
  const rate = frameRateOf(spec)
  const bands = BAND_EDGES.length - 1
  const c = normalizeRows(segmentMeans(chroma, 12, chromaRate, bounds), 12)
  const e = zScoreColumns(segmentMeans(bandEnergiesFrom(spec), bands, rate, bounds), bands)
  const o = zScoreColumns(segmentMeans(onset, 1, rate, bounds), 1)
  const bars = bounds.length - 1
  const dims = 12 + bands + 1
  const data = new Float32Array(bars * dims)
  // Chroma rows have unit length; scale them to weigh like z-scored dimensions.
  const cw = CHROMA_WEIGHT * Math.sqrt(bands + 1)
  for (let b = 0; b < bars; b++) {
    for (let k = 0; k < 12; k++) data[b * dims + k] = cw * c[b * 12 + k]!
    for (let k = 0; k < bands; k++) data[b * dims + 12 + k] = e[b * bands + k]!
    data[b * dims + 12 + bands] = o[b]!
  }
  return { data, dims }
}

/**
 * The tracked beats, extended to both ends of the signal along the least-squares line through them
 * (one tracked beat off by a frame does not shift the extension).
 */
function extendGrid(tracked: Seconds[], duration: Seconds): Seconds[] {
  const { first, period } = fitBeats(tracked)
  const last = first + period * (tracked.length - 1)
  const before: Seconds[] = []
  for (let t = first - period; t > -period / 4; t -= period) before.push(Math.max(0, t))
  const after: Seconds[] = []
  for (let t = last + period; t < duration - period / 4; t += period) after.push(t)
  return [...before.reverse(), ...tracked, ...after]
}

function meanOfNormalized(rows: Float32Array, dims: number): Float64Array {
  const mean = new Float64Array(dims)
  for (let r = 0; r < rows.length / dims; r++) {
    let n = 0
    for (let k = 0; k < dims; k++) n += rows[r * dims + k]! ** 2
    if (n < 1e-8) continue
    n = Math.sqrt(n)
    for (let k = 0; k < dims; k++) mean[k] = mean[k]! + rows[r * dims + k]! / n
  }
  return mean
}

function normalizeRows(rows: Float32Array, dims: number): Float32Array {
  for (let r = 0; r < rows.length / dims; r++) {
    let n = 0
    for (let k = 0; k < dims; k++) n += rows[r * dims + k]! ** 2
    n = Math.sqrt(n) || 1
    for (let k = 0; k < dims; k++) rows[r * dims + k] = rows[r * dims + k]! / n
  }
  return rows
}

function zScoreColumns(rows: Float32Array, dims: number): Float32Array {
  const n = rows.length / dims
  for (let k = 0; k < dims; k++) {
    let mean = 0
    for (let r = 0; r < n; r++) mean += rows[r * dims + k]! / n
    let variance = 0
    for (let r = 0; r < n; r++) variance += (rows[r * dims + k]! - mean) ** 2 / n
    const sd = Math.sqrt(variance) || 1
    for (let r = 0; r < n; r++) rows[r * dims + k] = (rows[r * dims + k]! - mean) / sd
  }
  return rows
}

function dot(rows: Float32Array, i: number, j: number, dims: number): number {
  let s = 0
  for (let k = 0; k < dims; k++) s += rows[i * dims + k]! * rows[j * dims + k]!
  return s
}

function peakNear(x: Float32Array, at: number, radius: number): number {
  let m = 0
  for (let i = Math.max(0, at - radius); i <= Math.min(x.length - 1, at + radius); i++)
    m = Math.max(m, x[i]!)
  return m
}
