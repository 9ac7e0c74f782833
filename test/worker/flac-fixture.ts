/**
 * A minimal FLAC encoder for tests that run inside workerd (no `flac` CLI there): STREAMINFO and
 * frames of VERBATIM subframes with their CRC-8 and CRC-16, a valid stream any decoder reads.
 */
import { CRC16, CRC8 } from '../../core/audio/flac-crc.ts'

class BitWriter {
  bytes: number[] = []
  private acc = 0
  private n = 0
  write(value: number, bits: number): void {
    for (let b = bits - 1; b >= 0; b--) {
      this.acc = (this.acc << 1) | (Math.floor(value / 2 ** b) & 1)
      if (++this.n === 8) {
        this.bytes.push(this.acc)
        this.acc = 0
        this.n = 0
      }
    }
  }
  align(): void {
    while (this.n !== 0) this.write(0, 1)
  }
}

const BLOCK = 4096

/** Encodes planar float samples as a 16- or 24-bit FLAC; `totalSamples` may claim another length. */
export function encodeFlac(
  channels: readonly Float32Array[],
  sampleRate: number,
  bits: 16 | 24,
  totalSamples = channels[0]!.length,
): Uint8Array {
  const frames = channels[0]!.length
  const scale = 2 ** (bits - 1)
  const w = new BitWriter()
  for (const c of 'fLaC') w.write(c.charCodeAt(0), 8)
  w.write(0x80, 8) // last metadata block, STREAMINFO
  w.write(34, 24)
  w.write(BLOCK, 16)
  w.write(BLOCK, 16)
  w.write(0, 24)
  w.write(0, 24)
  w.write(sampleRate, 20)
  w.write(channels.length - 1, 3)
  w.write(bits - 1, 5)
  w.write(totalSamples, 36)
  for (let i = 0; i < 16; i++) w.write(0, 8) // MD5 unknown
  for (let start = 0, index = 0; start < frames; start += BLOCK, index++) {
    const size = Math.min(BLOCK, frames - start)
    const from = w.bytes.length
    w.write(0xfff8, 16)
    w.write(7, 4) // block size in 16 bits at the end of the header
    w.write(0, 4) // sample rate from STREAMINFO
    w.write(channels.length - 1, 4)
    w.write(bits === 16 ? 4 : 6, 3)
    w.write(0, 1)
    if (index < 0x80) w.write(index, 8)
    else {
      w.write(0xc0 | (index >> 6), 8)
      w.write(0x80 | (index & 0x3f), 8)
    }
    w.write(size - 1, 16)
    let crc8 = 0
    for (let i = from; i < w.bytes.length; i++) crc8 = CRC8[crc8 ^ w.bytes[i]!]!
    w.write(crc8, 8)
    for (const pcm of channels) {
      w.write(0x02, 8) // VERBATIM, no wasted bits
      for (let i = start; i < start + size; i++) {
        const v = Math.max(-scale, Math.min(scale - 1, Math.round(pcm[i]! * scale)))
        w.write(v < 0 ? v + 2 ** bits : v, bits)
      }
    }
    w.align()
    let crc16 = 0
    for (let i = from; i < w.bytes.length; i++)
      crc16 = ((crc16 << 8) & 0xffff) ^ CRC16[(crc16 >>> 8) ^ w.bytes[i]!]!
    w.write(crc16, 16)
  }
  return Uint8Array.from(w.bytes)
}
