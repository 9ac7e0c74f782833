// A streaming ZIP writer for STORE (uncompressed) entries whose size and CRC-32 are known before
// their bytes are written (PKWARE APPNOTE 6.3: local headers, central directory, end record).
// No ZIP64: every entry and the whole archive stay under 4 GiB, at most 65 535 entries.
import { utf8 } from './bytes.ts'

/** The largest archive (and so entry) this writer makes: ZIP's 32-bit offsets and sizes. */
export const ZIP_MAX_BYTES = 0xffffffff

type Entry = { name: Uint8Array; size: number; crc: number; offset: number }

/** Bit 11 of the flags: names are UTF-8. */
const UTF8_NAMES = 1 << 11

/** MS-DOS date and time of `at` (2-second resolution, from 1980). */
function dosTimeOf(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getUTCFullYear())
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  }
}

/**
 * Answers the bytes of a ZIP in order: `entry()` before each entry's data (which the caller
 * writes itself, exactly `size` bytes), then `end()`. Nothing but the directory is held.
 */
export class ZipWriter {
  private readonly entries: Entry[] = []
  private offset = 0
  private readonly stamp: { time: number; date: number }

  constructor(modified: Date) {
    this.stamp = dosTimeOf(modified)
  }

  /** The local header of an entry of `size` bytes with CRC-32 `crc`; its data must follow. */
  entry(name: string, size: number, crc: number): Uint8Array {
    const bytes = utf8(name)
    if (this.entries.length === 0xffff) throw new RangeError('a ZIP holds at most 65 535 entries')
    if (this.offset + 30 + bytes.length + size > ZIP_MAX_BYTES)
      throw new RangeError('a ZIP over 4 GiB needs ZIP64, which this writer does not make')
    const header = new Uint8Array(30 + bytes.length)
    const view = new DataView(header.buffer)
    view.setUint32(0, 0x04034b50, true)
    view.setUint16(4, 20, true) // version needed: 2.0
    view.setUint16(6, UTF8_NAMES, true)
    view.setUint16(8, 0, true) // STORE
    view.setUint16(10, this.stamp.time, true)
    view.setUint16(12, this.stamp.date, true)
    view.setUint32(14, crc >>> 0, true)
    view.setUint32(18, size, true)
    view.setUint32(22, size, true)
    view.setUint16(26, bytes.length, true)
    view.setUint16(28, 0, true)
    header.set(bytes, 30)
    this.entries.push({ name: bytes, size, crc, offset: this.offset })
    this.offset += header.length + size
    return header
  }

  /** The central directory and the end record, after the last entry's data. */
  end(): Uint8Array {
    const size = this.entries.reduce((n, e) => n + 46 + e.name.length, 0)
    if (this.offset + size + 22 > ZIP_MAX_BYTES)
      throw new RangeError('a ZIP over 4 GiB needs ZIP64, which this writer does not make')
    const out = new Uint8Array(size + 22)
    const view = new DataView(out.buffer)
    let at = 0
    for (const e of this.entries) {
      view.setUint32(at, 0x02014b50, true)
      view.setUint16(at + 4, 20, true) // made by: MS-DOS attributes, 2.0
      view.setUint16(at + 6, 20, true)
      view.setUint16(at + 8, UTF8_NAMES, true)
      view.setUint16(at + 10, 0, true)
      view.setUint16(at + 12, this.stamp.time, true)
      view.setUint16(at + 14, this.stamp.date, true)
      view.setUint32(at + 16, e.crc >>> 0, true)
      view.setUint32(at + 20, e.size, true)
      view.setUint32(at + 24, e.size, true)
      view.setUint16(at + 28, e.name.length, true)
      // extra, comment, disk, internal and external attributes: zero
      view.setUint32(at + 42, e.offset, true)
      out.set(e.name, at + 46)
      at += 46 + e.name.length
    }
    view.setUint32(at, 0x06054b50, true)
    view.setUint16(at + 8, this.entries.length, true)
    view.setUint16(at + 10, this.entries.length, true)
    view.setUint32(at + 12, size, true)
    view.setUint32(at + 16, this.offset, true)
    return out
  }
}
