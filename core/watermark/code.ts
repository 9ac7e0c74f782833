// The payload's channel code: 64 bits + CRC-16, a K=7 rate-1/3 convolutional code with zero tail,
// and soft-decision Viterbi decoding.

/** Payload bits before the check code. */
export const PAYLOAD_BITS = 64
const CRC_BITS = 16
const CONSTRAINT = 7
const TAIL = CONSTRAINT - 1
const STATES = 1 << TAIL
/** Generator polynomials (octal 133, 171, 165). */
const GENERATORS = [0o133, 0o171, 0o165]
const RATE = GENERATORS.length
const INPUT_BITS = PAYLOAD_BITS + CRC_BITS + TAIL
/** Coded bits per block. */
export const CODED_BITS = INPUT_BITS * RATE

function parity(v: number): number {
  v ^= v >>> 16
  v ^= v >>> 8
  v ^= v >>> 4
  v ^= v >>> 2
  v ^= v >>> 1
  return v & 1
}

/** CRC-16/CCITT-FALSE over bits (MSB first). */
function crc16(bits: Uint8Array, count: number): number {
  let crc = 0xffff
  for (let i = 0; i < count; i++) {
    const top = ((crc >>> 15) & 1) ^ bits[i]!
    crc = (crc << 1) & 0xffff
    if (top) crc ^= 0x1021
  }
  return crc
}

/** Bits (MSB first) of a 16-hex-digit payload. */
export function bitsFromHex(hex: string): Uint8Array {
  const bits = new Uint8Array(PAYLOAD_BITS)
  for (let i = 0; i < PAYLOAD_BITS; i++) bits[i] = (parseInt(hex[i >> 2]!, 16) >> (3 - (i & 3))) & 1
  return bits
}

/** A 16-hex-digit payload from its bits. */
export function hexFromBits(bits: Uint8Array): string {
  let hex = ''
  for (let i = 0; i < PAYLOAD_BITS; i += 4)
    hex += ((bits[i]! << 3) | (bits[i + 1]! << 2) | (bits[i + 2]! << 1) | bits[i + 3]!).toString(16)
  return hex
}

/** The coded bits (0/1) for a payload: payload, CRC, tail, convolutionally encoded. */
export function encodePayload(payload: Uint8Array): Uint8Array {
  const input = new Uint8Array(INPUT_BITS)
  input.set(payload)
  const crc = crc16(payload, PAYLOAD_BITS)
  for (let i = 0; i < CRC_BITS; i++) input[PAYLOAD_BITS + i] = (crc >>> (CRC_BITS - 1 - i)) & 1
  const coded = new Uint8Array(CODED_BITS)
  let state = 0
  for (let t = 0; t < INPUT_BITS; t++) {
    const reg = (input[t]! << TAIL) | state
    for (let g = 0; g < RATE; g++) coded[t * RATE + g] = parity(reg & GENERATORS[g]!)
    state = reg >>> 1
  }
  return coded
}

/** Result of decoding soft bits: the payload bits if the CRC holds, else null. */
export interface DecodeResult {
  payload: Uint8Array | null
  /** Coded bits whose hard decision disagrees with the re-encoded best path. */
  bitErrors: number
}

const outputs = (() => {
  // outputs[(state << 1) | bit] packs the RATE coded bits of that transition.
  const table = new Uint8Array(STATES * 2)
  for (let s = 0; s < STATES; s++)
    for (let b = 0; b < 2; b++) {
      const reg = (b << TAIL) | s
      let out = 0
      for (let g = 0; g < RATE; g++) out |= parity(reg & GENERATORS[g]!) << g
      table[(s << 1) | b] = out
    }
  return table
})()

/** Soft-decision Viterbi over `soft` (positive means bit 0), then the CRC check. */
export function decodeSoft(soft: Float64Array): DecodeResult {
  let metric = new Float64Array(STATES).fill(-Infinity)
  let next = new Float64Array(STATES)
  metric[0] = 0
  const decisions = new Uint8Array(INPUT_BITS * STATES)
  for (let t = 0; t < INPUT_BITS; t++) {
    next.fill(-Infinity)
    const y = t * RATE
    for (let s = 0; s < STATES; s++) {
      const m = metric[s]!
      if (m === -Infinity) continue
      for (let b = 0; b < 2; b++) {
        const out = outputs[(s << 1) | b]!
        let branch = 0
        for (let g = 0; g < RATE; g++) branch += (out >> g) & 1 ? -soft[y + g]! : soft[y + g]!
        const to = ((b << TAIL) | s) >>> 1
        const candidate = m + branch
        if (candidate > next[to]!) {
          next[to] = candidate
          decisions[t * STATES + to] = s & 1
        }
      }
    }
    ;[metric, next] = [next, metric]
  }
  const input = new Uint8Array(INPUT_BITS)
  let state = 0
  for (let t = INPUT_BITS - 1; t >= 0; t--) {
    input[t] = (state >>> (TAIL - 1)) & 1
    state = ((state << 1) & (STATES - 1)) | decisions[t * STATES + state]!
  }
  const payload = input.slice(0, PAYLOAD_BITS)
  const coded = encodePayload(payload)
  let bitErrors = 0
  for (let i = 0; i < CODED_BITS; i++) if ((soft[i]! < 0 ? 1 : 0) !== coded[i]) bitErrors++
  let crc = 0
  for (let i = 0; i < CRC_BITS; i++) crc = (crc << 1) | input[PAYLOAD_BITS + i]!
  const tailClear = input.subarray(PAYLOAD_BITS + CRC_BITS).every((b) => b === 0)
  return { payload: crc === crc16(payload, PAYLOAD_BITS) && tailClear ? payload : null, bitErrors }
}
