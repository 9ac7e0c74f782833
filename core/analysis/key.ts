/** Krumhansl–Kessler probe-tone profiles, tonic first. */
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]

/** Pitch-class names, flats where a key signature would use them. */
export const PITCH_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B']

export type KeyEstimate = {
  tonic: number // pitch class, C = 0
  mode: 'major' | 'minor'
  name: string // "D minor"
  /** Pearson correlation of the best key's profile with the chroma. */
  correlation: number
  /** Best correlation minus the runner-up's: how clearly this key won. */
  margin: number
}

/** The key whose rotated Krumhansl–Kessler profile correlates best with a 12-bin chroma vector. */
export function detectKey(chroma: ArrayLike<number>): KeyEstimate {
  const scores: { tonic: number; mode: 'major' | 'minor'; r: number }[] = []
  for (const [mode, profile] of [
    ['major', MAJOR],
    ['minor', MINOR],
  ] as const)
    for (let tonic = 0; tonic < 12; tonic++)
      scores.push({ tonic, mode, r: correlate(chroma, profile, tonic) })
  scores.sort((a, b) => b.r - a.r)
  const best = scores[0]!
  return {
    tonic: best.tonic,
    mode: best.mode,
    name: `${PITCH_NAMES[best.tonic]} ${best.mode}`,
    correlation: best.r,
    margin: best.r - scores[1]!.r,
  }
}

function correlate(chroma: ArrayLike<number>, profile: readonly number[], tonic: number): number {
  let mx = 0
  let my = 0
  for (let i = 0; i < 12; i++) {
    mx += chroma[i]! / 12
    my += profile[i]! / 12
  }
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < 12; i++) {
    const x = chroma[(i + tonic) % 12]! - mx
    const y = profile[i]! - my
    sxy += x * y
    sxx += x * x
    syy += y * y
  }
  return sxx > 0 ? sxy / Math.sqrt(sxx * syy) : 0
}
