import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { concatBytes, utf8 } from './bytes.ts'
import { crc32 } from './crc32.ts'
import { ZipWriter } from './zip.ts'

/** A ZIP of the named entries, written the way the export job streams one. */
function zipOf(files: [string, Uint8Array][]): Uint8Array {
  const zip = new ZipWriter(new Date('2026-12-02T14:30:10Z'))
  const parts: Uint8Array[] = []
  for (const [name, data] of files) parts.push(zip.entry(name, data.length, crc32(data)), data)
  parts.push(zip.end())
  return concatBytes(parts)
}

describe('ZipWriter', () => {
  it('writes a STORE archive that unzip lists and tests, bytes and names intact', () => {
    const big = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff)
    const files: [string, Uint8Array][] = [
      ['Drums.wav', big],
      ['Bass – ünïcode.wav', utf8('hello')],
      ['empty.txt', new Uint8Array(0)],
    ]
    const dir = mkdtempSync(join(tmpdir(), 'zip-'))
    const path = join(dir, 'a.zip')
    writeFileSync(path, zipOf(files))
    const listing = execFileSync('unzip', ['-Z', '-v', path], { encoding: 'utf8' })
    expect(listing).toMatch(/compression method:\s+none \(stored\)/)
    expect(execFileSync('unzip', ['-tq', path], { encoding: 'utf8' })).toMatch(/No errors/)
    // Python's zipfile reads the UTF-8 flag (Info-ZIP's listing depends on the locale)
    const list = 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))'
    const names = execFileSync('python3', ['-c', list, path], { encoding: 'utf8' })
      .trimEnd()
      .split('\n')
    expect(names).toEqual(files.map(([n]) => n))
    const out = execFileSync('unzip', ['-p', path, 'Drums.wav'])
    expect(new Uint8Array(out)).toEqual(big)
  })

  it('refuses what would need ZIP64', () => {
    const zip = new ZipWriter(new Date(0))
    expect(() => zip.entry('huge', 2 ** 32, 0)).toThrow(/ZIP64/)
  })
})
