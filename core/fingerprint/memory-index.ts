// An in-memory index laid out like the D1 one (hash → entries), for tests and the benchmark.
import { HASH_BITS, type Hashes } from './hashes.ts'
import type { Hits } from './match.ts'
import { indexRowsOf } from './fingerprint.ts'

/** Hash → entries, built once by a counting sort over the hash space. */
export class MemoryIndex {
  private pending: { hash: Uint32Array; entry: Float64Array }[] = []
  private starts: Uint32Array | null = null
  private dirty = false
  private entries = new Float64Array(0)
  rows = 0

  /** Adds a recording's hashes under number `ref`. */
  add(ref: number, hashes: Hashes): void {
    const rows = indexRowsOf(ref, hashes)
    this.pending.push(rows)
    this.rows += rows.hash.length
    this.dirty = true
  }

  private build(): Uint32Array {
    if (this.starts && !this.dirty) return this.starts
    const size = 1 << HASH_BITS
    const starts = new Uint32Array(size + 1)
    const old = this.entries
    const oldStarts = this.starts
    for (const p of this.pending) for (const h of p.hash) starts[h + 1]!++
    if (oldStarts)
      for (let h = 0; h < size; h++) starts[h + 1]! += oldStarts[h + 1]! - oldStarts[h]!
    for (let h = 0; h < size; h++) starts[h + 1]! += starts[h]!
    const entries = new Float64Array(starts[size]!)
    const fill = starts.slice(0, size)
    if (oldStarts)
      for (let h = 0; h < size; h++)
        for (let i = oldStarts[h]!; i < oldStarts[h + 1]!; i++) entries[fill[h]!++] = old[i]!
    for (const p of this.pending)
      for (let i = 0; i < p.hash.length; i++) entries[fill[p.hash[i]!]!++] = p.entry[i]!
    this.pending = []
    this.entries = entries
    this.starts = starts
    this.dirty = false
    return starts
  }

  /** The index rows for a set of hashes. */
  lookup(hashes: Uint32Array): Hits {
    const starts = this.build()
    const unique = [...new Set(hashes)]
    let count = 0
    for (const h of unique) count += starts[h + 1]! - starts[h]!
    const hash = new Uint32Array(count)
    const entry = new Float64Array(count)
    let at = 0
    for (const h of unique)
      for (let i = starts[h]!; i < starts[h + 1]!; i++) {
        hash[at] = h
        entry[at++] = this.entries[i]!
      }
    return { count, hash, entry }
  }
}
