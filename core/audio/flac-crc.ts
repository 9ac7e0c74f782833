/**
 * The CRC tables of FLAC frames (RFC 9639): CRC-8 (polynomial 0x07) over a frame header and
 * CRC-16 (0x8005) over a whole frame, byte at a time, for the decoder, the encoder and the tests.
 */
export const CRC8 = new Uint8Array(256)
export const CRC16 = new Uint16Array(256)
for (let i = 0; i < 256; i++) {
  let c8 = i
  let c16 = i << 8
  for (let b = 0; b < 8; b++) {
    c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff
    c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff
  }
  CRC8[i] = c8
  CRC16[i] = c16
}
