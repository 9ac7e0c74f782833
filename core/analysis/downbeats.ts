/**
 * The bar phase of a beat sequence in `beatsPerBar`: the offset p whose beats (p, p + n, …) carry the
 * most low-frequency onset energy and harmonic change, each z-scored over all beats.
 */
export function barPhase(
  bassOnsetAtBeat: Float32Array,
  chromaChangeAtBeat: Float32Array,
  beatsPerBar: number,
): number {
  const bass = zScores(bassOnsetAtBeat)
  const change = zScores(chromaChangeAtBeat)
  let best = 0
  let bestScore = -Infinity
  for (let p = 0; p < beatsPerBar; p++) {
    let sum = 0
    let count = 0
    for (let i = p; i < bass.length; i += beatsPerBar) {
      sum += bass[i]! + change[i]!
      count++
    }
    const score = count ? sum / count : -Infinity
    if (score > bestScore) {
      bestScore = score
      best = p
    }
  }
  return best
}

function zScores(x: Float32Array): Float32Array {
  const n = x.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += x[i]! / n
  let variance = 0
  for (let i = 0; i < n; i++) variance += (x[i]! - mean) ** 2 / n
  const sd = Math.sqrt(variance) || 1
  return x.map((v) => (v - mean) / sd)
}
