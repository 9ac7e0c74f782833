// A query against an index in two lookups: first the triplets' own cells (one hash per triplet,
// about a fifth of a query's hashes and of the rows read); only when that finds no confident match,
// the probed neighbouring cells too, matched with the first rows as one query.
import { primaryHashesOf, type Hashes } from './hashes.ts'
import { matchHits, MIN_ALIGNED, significantMatches, type Hits, type Match } from './match.ts'

/** Index rows for a set of distinct hashes (D1, or the in-memory index). */
export type Lookup = (hashes: Uint32Array) => Promise<Hits> | Hits

/** A first-lookup match this strong ends the search: far above any unrelated clip's best. */
export const CONFIDENT_ALIGNED = 2 * MIN_ALIGNED

/** What a search found and what it cost. */
export interface Search {
  matches: Match[]
  /** Lookups made (1 or 2) and the hashes and rows they read. */
  lookups: number
  hashes: number
  rows: number
}

const distinct = (values: ArrayLike<number>, skip?: Set<number>): Uint32Array => {
  const seen = new Set<number>()
  for (let i = 0; i < values.length; i++) if (!skip?.has(values[i]!)) seen.add(values[i]!)
  return Uint32Array.from(seen)
}

/** The significant matches of a query (queryFingerprintOf) in an index, strongest first. */
export async function searchIndex(query: Hashes, lookup: Lookup): Promise<Search> {
  const first = primaryHashesOf(query)
  const firstHashes = distinct(first.hash)
  const firstHits = await lookup(firstHashes)
  const early = significantMatches(matchHits(first, firstHits))
  const restHashes = distinct(query.hash, new Set(firstHashes))
  if ((early[0]?.aligned ?? 0) >= CONFIDENT_ALIGNED || restHashes.length === 0)
    return { matches: early, lookups: 1, hashes: firstHashes.length, rows: firstHits.count }
  const restHits = await lookup(restHashes)
  const count = firstHits.count + restHits.count
  const hash = new Float64Array(count)
  const entry = new Float64Array(count)
  for (let i = 0; i < firstHits.count; i++) {
    hash[i] = firstHits.hash[i]!
    entry[i] = firstHits.entry[i]!
  }
  for (let i = 0; i < restHits.count; i++) {
    hash[firstHits.count + i] = restHits.hash[i]!
    entry[firstHits.count + i] = restHits.entry[i]!
  }
  return {
    matches: significantMatches(matchHits(query, { count, hash, entry })),
    lookups: 2,
    hashes: firstHashes.length + restHashes.length,
    rows: count,
  }
}
