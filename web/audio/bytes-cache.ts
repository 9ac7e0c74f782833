/**
 * A cache that keeps its most recently used entries up to a budget of bytes: the oldest go first,
 * and the newest entry stays even when it alone is over the budget.
 */
export class BytesCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>()
  private total = 0

  constructor(private readonly budget: number) {}

  /** The bytes held now. */
  get bytes(): number {
    return this.total
  }

  /** The entry, now the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  /** Keeps an entry of `bytes`, the most recently used, and lets the oldest go past the budget. */
  set(key: K, value: V, bytes: number): void {
    this.delete(key)
    this.entries.set(key, { value, bytes })
    this.total += bytes
    for (const [old, entry] of this.entries) {
      if (this.total <= this.budget || old === key) break
      this.entries.delete(old)
      this.total -= entry.bytes
    }
  }

  /** Lets an entry go (only if it is `only`, when given). */
  delete(key: K, only?: V): void {
    const entry = this.entries.get(key)
    if (!entry || (only !== undefined && entry.value !== only)) return
    this.entries.delete(key)
    this.total -= entry.bytes
  }

  /** Lets every entry go. */
  clear(): void {
    this.entries.clear()
    this.total = 0
  }
}
