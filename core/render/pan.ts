/**
 * The studio's pan laws (Web Audio's StereoPannerNode, as Tone.Panner uses it): a mono signal pans
 * with the equal-power law (−3 dB per side at centre); a stereo one is balanced, unity at centre.
 */

/** The left and right gains of a mono signal at `pan` (−1 … 1). */
export function monoPanGains(pan: number): [number, number] {
  const x = ((pan + 1) / 2) * (Math.PI / 2)
  return [Math.cos(x), Math.sin(x)]
}

/**
 * Adds `gain` × the panned signal into the bus. Mono: equal power. Stereo at pan ≤ 0: L + R·cos,
 * R·sin (x = pan + 1); at pan > 0: L·cos, R + L·sin (x = pan).
 */
export function panInto(
  left: Float32Array,
  right: Float32Array,
  channels: 1 | 2,
  pan: number,
  gain: number,
  busL: Float32Array,
  busR: Float32Array,
  n: number,
): void {
  if (channels === 1) {
    const [gl, gr] = monoPanGains(pan)
    const a = gl * gain
    const b = gr * gain
    for (let i = 0; i < n; i++) {
      const x = left[i]!
      busL[i] = busL[i]! + x * a
      busR[i] = busR[i]! + x * b
    }
    return
  }
  const x = (pan <= 0 ? pan + 1 : pan) * (Math.PI / 2)
  const c = Math.cos(x)
  const s = Math.sin(x)
  if (pan <= 0) {
    for (let i = 0; i < n; i++) {
      const l = left[i]!
      const r = right[i]!
      busL[i] = busL[i]! + (l + r * c) * gain
      busR[i] = busR[i]! + r * s * gain
    }
  } else {
    for (let i = 0; i < n; i++) {
      const l = left[i]!
      const r = right[i]!
      busL[i] = busL[i]! + l * c * gain
      busR[i] = busR[i]! + (r + l * s) * gain
    }
  }
}
