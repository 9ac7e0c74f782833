// `npm run bench:fingerprint`: fingerprint cost, index size, and a 10 s query against an index
// grown past 50 hours of audio. Figures beside the load average; the last line sums up.
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { DatabaseSync } from 'node:sqlite'
import {
  fingerprintOf,
  indexRowsOf,
  queryFingerprintOf,
} from '../../core/fingerprint/fingerprint.ts'
import { HASH_BITS } from '../../core/fingerprint/hashes.ts'
import { matchHits, type Hits } from '../../core/fingerprint/match.ts'
import { MemoryIndex } from '../../core/fingerprint/memory-index.ts'
import { searchIndex, type Lookup } from '../../core/fingerprint/search.ts'
import { crop, filter, transcode } from '../../core/watermark/testing/audio.ts'
import { DEMO_STEMS, demoStem } from '../../core/fingerprint/testing/catalogue.ts'
import type { Hashes } from '../../core/fingerprint/hashes.ts'

const load = () => `load ${loadavg()[0]!.toFixed(2)}`
const say = (line: string) => console.log(`${line}   [${load()}]`)

// 1. Fingerprinting the demo stems' ~11 kHz analysis copies, as ingest does.
const RATE = 11025
const stems = DEMO_STEMS.map((id) => demoStem(id, 1, RATE))
let seconds = 0
let hashes = 0
let rows = 0
const t0 = performance.now()
const fingerprints: Hashes[] = []
for (const [i, s] of stems.entries()) {
  const h = fingerprintOf(s.channels[0]!, RATE)
  fingerprints.push(h)
  seconds += s.channels[0]!.length / RATE
  hashes += h.count
  rows += indexRowsOf(i + 1, h).hash.length
}
const ingestMs = performance.now() - t0
say(`demo stems: ${seconds.toFixed(0)} s of audio fingerprinted in ${ingestMs.toFixed(0)} ms`)
say(
  `hashes per second of audio: ${(hashes / seconds).toFixed(1)} (index rows ${(rows / seconds).toFixed(1)}/s)`,
)
const rowsPerHour = (rows / seconds) * 3600
// A WITHOUT ROWID row of two integers: record header 3 B, hash ≤ 4 B, entry ≤ 7 B, plus about a
// third for B-tree pages and cell pointers — an estimate, not a D1 measurement.
const BYTES_PER_ROW = 19
say(
  `index rows per hour of audio: ${Math.round(rowsPerHour)}; ≈ ${((rowsPerHour * BYTES_PER_ROW) / 1e6).toFixed(1)} MB/hour (est. ${BYTES_PER_ROW} B/row)`,
)
say(`ingest speed: ${(seconds / (ingestMs / 1000)).toFixed(0)} × real time (one core)`)

// 2. The index grown to ≥ 50 hours: the demo stems plus synthetic recordings whose rows have the
// measured density and uniform hashes (in memory, laid out like the D1 table, not D1 itself).
const HOURS = 50
const index = new MemoryIndex()
// The same rows in SQLite (the engine D1 runs), in the migration's table, written as the worker
// writes them (JSON arrays through json_each), to time the worker's lookup statements.
const sqlite = new DatabaseSync(':memory:')
sqlite.exec(readFileSync('worker/migrations/0015_fingerprints.sql', 'utf8'))
const insert = sqlite.prepare(
  `INSERT OR IGNORE INTO fingerprint_hashes (hash, entry)
   SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1)`,
)
function addRows(ref: number, h: Hashes) {
  index.add(ref, h)
  const rows = indexRowsOf(ref, h)
  sqlite.exec('BEGIN')
  for (let at = 0; at < rows.hash.length; at += 4000) {
    const parts: string[] = []
    for (let i = at; i < Math.min(rows.hash.length, at + 4000); i++)
      parts.push(`[${rows.hash[i]},${rows.entry[i]}]`)
    insert.run(`[${parts.join(',')}]`)
  }
  sqlite.exec('COMMIT')
}
for (const [i, h] of fingerprints.entries()) addRows(i + 1, h)
let state = 12345
const rand = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0)
const RECORDING_SECONDS = 240
const perRecording = Math.round((rows / seconds) * RECORDING_SECONDS)
const recordings = Math.ceil((HOURS * 3600) / RECORDING_SECONDS)
const frames = Math.floor(RECORDING_SECONDS / 0.016)
for (let r = 0; r < recordings; r++) {
  const count = perRecording
  const fake: Hashes = {
    count,
    hash: new Uint32Array(count),
    frame: new Int32Array(count),
    bin: new Uint8Array(count),
    triplet: new Int32Array(count),
    triplets: count,
    primary: new Uint8Array(count).fill(1),
  }
  for (let i = 0; i < count; i++) {
    fake.hash[i] = rand() >>> (32 - HASH_BITS)
    fake.frame[i] = Math.floor((i * frames) / count)
    fake.bin[i] = rand() % 108
  }
  addRows(100 + r, fake)
}
const indexHours = (seconds + recordings * RECORDING_SECONDS) / 3600
const tBuild = performance.now()
const clip = transcode(
  crop(demoStem('vox', 2, 44100), 30, 10),
  ['-c:a', 'libmp3lame', '-b:a', '64k'],
  'mp3',
)
index.lookup(queryFingerprintOf(clip.channels[0]!, 44100).hash) // builds the index once
say(
  `index: ${indexHours.toFixed(1)} hours, ${index.rows} rows (built in ${(performance.now() - tBuild).toFixed(0)} ms)`,
)

/** Hashes per D1 statement in worker/db/fingerprints.ts (lookupHashes). */
const HASHES_PER_LOOKUP = 2000

const lookupStatement = sqlite.prepare(
  `SELECT hash, entry FROM fingerprint_hashes WHERE hash IN (SELECT value FROM json_each(?1))`,
)
/** lookupHashes' statements (2000 hashes each), run by SQLite. */
function sqliteLookup(hashes: Uint32Array): Hits {
  const hash: number[] = []
  const entry: number[] = []
  for (let at = 0; at < hashes.length; at += HASHES_PER_LOOKUP)
    for (const row of lookupStatement.all(
      JSON.stringify(Array.from(hashes.subarray(at, at + HASHES_PER_LOOKUP))),
    ) as { hash: number; entry: number }[]) {
      hash.push(row.hash)
      entry.push(row.entry)
    }
  return { count: hash.length, hash, entry }
}

/** Median of 5 runs of a query: every hash looked up at once (before), or searchIndex (now). */
async function timeQuery(pcm: Float32Array, staged: boolean, lookup: Lookup) {
  const times: number[] = []
  let found = 'nothing'
  let hashesRead = 0
  let rowsRead = 0
  let lookups = 1
  for (let k = 0; k < 5; k++) {
    const t = performance.now()
    const q = queryFingerprintOf(pcm, 44100)
    let top
    if (staged) {
      const s = await searchIndex(q, lookup)
      ;[top] = s.matches
      hashesRead = s.hashes
      rowsRead = s.rows
      lookups = s.lookups
    } else {
      const unique = Uint32Array.from(new Set(q.hash))
      const hits = await lookup(unique)
      ;[top] = matchHits(q, hits)
      hashesRead = unique.length
      rowsRead = hits.count
    }
    times.push(performance.now() - t)
    found = top
      ? `${top.ref <= DEMO_STEMS.length ? DEMO_STEMS[top.ref - 1] : `ref ${top.ref}`} (${top.aligned} aligned)`
      : 'nothing'
  }
  times.sort((a, b) => a - b)
  return { ms: times[2]!, found, hashesRead, rowsRead, lookups }
}

const weak = filter(crop(demoStem('pads', 1, 44100), 20, 10), 'rubberband=tempo=1.05').channels[0]!
const memory: Lookup = (h) => index.lookup(h)
const before = await timeQuery(clip.channels[0]!, false, memory)
const now = await timeQuery(clip.channels[0]!, true, memory)
const weakNow = await timeQuery(weak, true, memory)
const sqlBefore = await timeQuery(clip.channels[0]!, false, sqliteLookup)
const sqlNow = await timeQuery(clip.channels[0]!, true, sqliteLookup)
const line = (name: string, r: Awaited<ReturnType<typeof timeQuery>>) =>
  say(
    `${name}: ${r.ms.toFixed(0)} ms median of 5, ${r.hashesRead} hashes looked up in ${r.lookups} lookup${r.lookups > 1 ? 's' : ''} (${Math.ceil(r.hashesRead / HASHES_PER_LOOKUP)} D1 statements), ${r.rowsRead} rows read — found ${r.found}`,
  )
line(
  `query, 10 s clip (MP3 64k) vs ${indexHours.toFixed(0)} h, every hash at once (before)`,
  before,
)
line('  same clip, searchIndex (own cells first, probes only if not confident)', now)
line('  weak clip (pads, tempo +5 %: needs the probes), searchIndex', weakNow)
line("  in SQLite (the worker's statements), every hash at once (before)", sqlBefore)
line('  in SQLite, searchIndex', sqlNow)
const queryMs = now.ms

// 3. Scale on paper: 10 000 campaigns × 8 stems × 4 minutes.
const hours = (10_000 * 8 * 4) / 60
const totalRows = hours * rowsPerHour
const totalBytes = totalRows * BYTES_PER_ROW
const D1_MAX = 10e9
const shards = Math.ceil(totalBytes / (0.8 * D1_MAX))
const shardBits = Math.ceil(Math.log2(shards))
say(
  `10 000 × 8 × 4 min = ${hours.toFixed(0)} h → ${(totalRows / 1e6).toFixed(0)} M rows ≈ ${(totalBytes / 1e9).toFixed(1)} GB; D1 holds 10 GB a database → ${shards} shards at 80 % (the low ${shardBits} hash bits pick the shard: ${2 ** shardBits} databases; the top bit names the band, an uneven split)`,
)
const avgRowsPerHash = totalRows / 2 ** HASH_BITS
say(
  `rows per hash at that size: ${avgRowsPerHash.toFixed(0)} on average; a 10 s query's first lookup reads ≈ ${Math.round((avgRowsPerHash * now.hashesRead) / 1000)}k rows (every hash at once: ${Math.round((avgRowsPerHash * before.hashesRead) / 1000)}k) spread over the shards`,
)

console.log(
  `fingerprint: ${(hashes / seconds).toFixed(0)} hashes/s, ${Math.round(rowsPerHour / 1000)}k rows/h, ingest ${(seconds / (ingestMs / 1000)).toFixed(0)}× real time, 10 s query ${queryMs.toFixed(0)} ms (was ${before.ms.toFixed(0)}; SQLite ${sqlNow.ms.toFixed(0)} ms, was ${sqlBefore.ms.toFixed(0)}), ${now.rowsRead} rows read (was ${before.rowsRead}) vs ${indexHours.toFixed(0)} h (in memory), ${shards} D1 shards for ${hours.toFixed(0)} h [${load()}]`,
)
