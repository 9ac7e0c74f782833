/**
 * Band-limited interpolation for playback rates: a Kaiser-windowed sinc read from a table with
 * linear interpolation between table points. At rates above 1 the cutoff follows the rate
 * (fc = 1 / rate of the source Nyquist) so reading faster never aliases.
 */

/** Zero crossings of the kernel on each side at full band (it widens by 1/fc below it). */
export const SINC_ZEROS = 16
const RESOLUTION = 512
const BETA = 9

function besselI0(x: number): number {
  let sum = 1
  let term = 1
  const q = (x * x) / 4
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k)
    sum += term
    if (term < 1e-17 * sum) break
  }
  return sum
}

/** The windowed sinc at u = 0, 1/RESOLUTION, … SINC_ZEROS (two guard points past the end). */
const TABLE = (() => {
  const points = SINC_ZEROS * RESOLUTION
  const table = new Float64Array(points + 2)
  const norm = besselI0(BETA)
  for (let i = 0; i <= points; i++) {
    const u = i / RESOLUTION
    const r = u / SINC_ZEROS
    const window = besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / norm
    table[i] = u === 0 ? 1 : (Math.sin(Math.PI * u) / (Math.PI * u)) * window
  }
  return table
})()

/** The cutoff, as a fraction of the source Nyquist, for reading at `rate`. */
export const cutoffFor = (rate: number): number => (rate > 1 ? 1 / rate : 1)

/** How many source frames the kernel reaches on each side of a position at `rate`. */
export const reachFor = (rate: number): number => Math.ceil(SINC_ZEROS / cutoffFor(rate)) + 1

/**
 * The value of `data` (frames 0 .. data.length, zero outside) at fractional `position`, band-limited
 * to `fc` (1 = the source Nyquist).
 */
export function sincAt(data: Float32Array, position: number, fc: number): number {
  const reach = SINC_ZEROS / fc
  const first = Math.max(0, Math.ceil(position - reach))
  const last = Math.min(data.length - 1, Math.floor(position + reach))
  const scale = fc * RESOLUTION
  let sum = 0
  for (let j = first; j <= last; j++) {
    let u = (position - j) * scale
    if (u < 0) u = -u
    const i = u | 0
    if (i >= SINC_ZEROS * RESOLUTION) continue
    const f = u - i
    const k = TABLE[i]! + (TABLE[i + 1]! - TABLE[i]!) * f
    sum += data[j]! * k
  }
  return sum * fc
}
