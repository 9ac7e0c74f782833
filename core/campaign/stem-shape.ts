import type { Hertz, Samples } from '../units.ts'

/** All stems of a campaign share one sample rate and one length, within this many samples. */
export const LENGTH_TOLERANCE_SAMPLES = 128

/** What a campaign's stems must agree on. */
export type StemShape = { sampleRate: Hertz; lengthSamples: Samples }

/**
 * The campaign's shape: the sample rate most stems have (ties: the earliest stem's), and the
 * length most stems of that rate have within the tolerance (ties: the earliest's). `null` without stems.
 * Stems are given in position order.
 */
export function campaignShape(stems: readonly StemShape[]): StemShape | null {
  if (stems.length === 0) return null
  const sampleRate = mostCommon(stems, (a, b) => a.sampleRate === b.sampleRate).sampleRate
  const sameRate = stems.filter((s) => s.sampleRate === sampleRate)
  const lengthSamples = mostCommon(sameRate, (a, b) => withinTolerance(a, b)).lengthSamples
  return { sampleRate, lengthSamples }
}

function withinTolerance(a: StemShape, b: StemShape): boolean {
  return Math.abs(a.lengthSamples - b.lengthSamples) <= LENGTH_TOLERANCE_SAMPLES
}

function mostCommon(stems: readonly StemShape[], same: (a: StemShape, b: StemShape) => boolean) {
  let best = stems[0]!
  let bestCount = 0
  for (const s of stems) {
    const count = stems.reduce((n, t) => (same(s, t) ? n + 1 : n), 0)
    if (count > bestCount) {
      best = s
      bestCount = count
    }
  }
  return best
}

const seconds = (samples: number, rate: number) => `${(samples / rate).toFixed(3)} s`

/** What is wrong with one stem against the campaign's shape, in words that say what to fix; `null` if nothing. */
export function stemProblem(stem: StemShape, shape: StemShape | null): string | null {
  if (!shape) return null
  if (stem.sampleRate !== shape.sampleRate)
    return `This stem is at ${stem.sampleRate} Hz but the campaign's other stems are at ${shape.sampleRate} Hz; export it again at ${shape.sampleRate} Hz.`
  if (!withinTolerance(stem, shape)) {
    const diff = stem.lengthSamples - shape.lengthSamples
    return `This stem lasts ${seconds(stem.lengthSamples, stem.sampleRate)} (${stem.lengthSamples} samples) but the others last ${seconds(shape.lengthSamples, shape.sampleRate)} (${shape.lengthSamples} samples), ${Math.abs(diff)} samples ${diff > 0 ? 'longer' : 'shorter'}; export every stem from the same start to the same end.`
  }
  return null
}

/** Each stem's problem against the shape of the whole set, in the same order. */
export function stemProblems(stems: readonly StemShape[]): (string | null)[] {
  const shape = campaignShape(stems)
  return stems.map((s) => stemProblem(s, shape))
}
