/** Half-width of Foote's checkerboard kernel, in bars. */
const KERNEL_BARS = 4
/** Shortest section, in bars. */
const MIN_SECTION_BARS = 2
/** A novelty peak counts when it reaches this share of the highest peak. */
const PEAK_SHARE = 0.3
/** Sections whose mean features correlate at least this much share a label. */
const SAME_LABEL = 0.6

/** Sections over bars: `starts[i]` is the first bar of section i (starts[0] = 0), with its label. */
export type BarSections = { starts: number[]; labels: string[]; novelty: Float32Array }

/**
 * Sections of a piece from per-bar features (`bars` × `dims`, bar-major, already scaled): a
 * self-similarity matrix, Foote's Gaussian checkerboard novelty, peaks at least two bars apart, and
 * labels A, B, … by correlating each section's mean features with earlier ones.
 */
export function sectionsFrom(features: Float32Array, dims: number): BarSections {
  const bars = features.length / dims
  const sim = similarityMatrix(features, dims, bars)
  const novelty = footeNovelty(sim, bars)
  const starts = [0, ...pickPeaks(novelty, bars)]
  return { starts, labels: labelsFor(features, dims, bars, starts), novelty }
}

function similarityMatrix(x: Float32Array, dims: number, n: number): Float32Array {
  const d2 = new Float32Array(n * n)
  const all: number[] = []
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let s = 0
      for (let k = 0; k < dims; k++) s += (x[i * dims + k]! - x[j * dims + k]!) ** 2
      d2[i * n + j] = d2[j * n + i] = s
      all.push(s)
    }
  all.sort((a, b) => a - b)
  const scale = all[Math.floor(all.length / 2)] || 1
  return d2.map((v) => Math.exp(-v / scale))
}

/** Foote novelty with a Gaussian-tapered checkerboard, averaged over the cells inside the matrix. */
function footeNovelty(sim: Float32Array, n: number): Float32Array {
  const L = KERNEL_BARS
  const sigma = L / 2
  const novelty = new Float32Array(n)
  for (let i = 1; i < n; i++) {
    let within = 0
    let withinWeight = 0
    let across = 0
    let acrossWeight = 0
    for (let a = -L; a < L; a++)
      for (let b = -L; b < L; b++) {
        const r = i + a
        const c = i + b
        if (r < 0 || c < 0 || r >= n || c >= n) continue
        const g = Math.exp(-((a + 0.5) ** 2 + (b + 0.5) ** 2) / (2 * sigma * sigma))
        if (a < 0 === b < 0) {
          within += g * sim[r * n + c]!
          withinWeight += g
        } else {
          across += g * sim[r * n + c]!
          acrossWeight += g
        }
      }
    novelty[i] = Math.max(0, within / withinWeight - across / acrossWeight)
  }
  return novelty
}

function pickPeaks(novelty: Float32Array, n: number): number[] {
  let max = 0
  for (let i = MIN_SECTION_BARS; i <= n - MIN_SECTION_BARS; i++) max = Math.max(max, novelty[i]!)
  const peaks: number[] = []
  for (let i = MIN_SECTION_BARS; i <= n - MIN_SECTION_BARS; i++) {
    const v = novelty[i]!
    if (v < PEAK_SHARE * max || v <= 0) continue
    let isMax = true
    for (let j = i - MIN_SECTION_BARS; j <= i + MIN_SECTION_BARS && isMax; j++)
      if (j !== i && j >= 0 && j < n && (novelty[j]! > v || (novelty[j]! === v && j < i)))
        isMax = false
    if (isMax) peaks.push(i)
  }
  return peaks
}

function labelsFor(x: Float32Array, dims: number, bars: number, starts: number[]): string[] {
  const means = starts.map((s, i) => {
    const end = starts[i + 1] ?? bars
    const m = new Float64Array(dims)
    for (let b = s; b < end; b++)
      for (let k = 0; k < dims; k++) m[k] = m[k]! + x[b * dims + k]! / (end - s)
    return m
  })
  const labels: string[] = []
  const firstOf: number[] = [] // section index that introduced each label
  for (let i = 0; i < means.length; i++) {
    let best = -1
    let bestR = SAME_LABEL
    for (let l = 0; l < firstOf.length; l++) {
      const r = correlation(means[i]!, means[firstOf[l]!]!)
      if (r >= bestR) {
        bestR = r
        best = l
      }
    }
    if (best < 0) {
      best = firstOf.length
      firstOf.push(i)
    }
    labels.push(String.fromCharCode(65 + Math.min(best, 25)))
  }
  return labels
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n
    mb += b[i]! / n
  }
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb)
    saa += (a[i]! - ma) ** 2
    sbb += (b[i]! - mb) ** 2
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0
}
