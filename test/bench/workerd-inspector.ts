// The worker isolate's own memory, read through its inspector (Chrome DevTools Protocol): the V8
// heap in use plus the ArrayBuffer backing stores outside it (audio blocks, part buffers,
// WebAssembly memories). This is what the job itself holds — unlike workerd's resident memory,
// which also counts the local R2/D1/Queues simulators running in the same process, and pages
// that V8 and the allocator keep once touched.

import { performance } from 'node:perf_hooks'

type HeapUsage = { usedSize: number; totalSize: number; backingStorageSize?: number }

/** A DevTools Protocol session with one worker's isolate. */
export class Inspector {
  private next = 1
  private readonly waiting = new Map<number, (result: unknown) => void>()

  private readonly ws: WebSocket
  private readonly wake: Request | undefined
  /** Hears the session's events (methods without an id). */
  onEvent: ((method: string, params: unknown) => void) | undefined

  private constructor(ws: WebSocket, wake?: Request) {
    this.ws = ws
    this.wake = wake
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number
        result?: unknown
        method?: string
        params?: unknown
      }
      if (message.id === undefined) return this.onEvent?.(message.method!, message.params)
      this.waiting.get(message.id)?.(message.result)
      this.waiting.delete(message.id)
    }
  }

  /**
   * The consumer Worker's isolate, where every job runs, behind the inspector on `port`. It serves
   * no URL: a request that miniflare's own `MF-Route-Override` header sends to it (its missing
   * fetch handler answers 500) is what runs the isolate, to wake it for a collection.
   */
  static consumer(port: number, base: string): Promise<Inspector> {
    const name = 'stemfair-consumer'
    return Inspector.open(
      port,
      name,
      new Request(`${base}/`, { headers: { 'MF-Route-Override': name } }),
    )
  }

  /** Connects to worker `name` behind the inspector on `port` (the vite plugin's inspector proxy). */
  static async open(port: number, name: string, wake?: string | Request): Promise<Inspector> {
    // the proxy admits only local DevTools origins; Node's WebSocket (undici) takes headers
    const init = { headers: { Origin: 'http://127.0.0.1' } }
    const ws = new WebSocket(`ws://127.0.0.1:${port}/${name}`, init as never)
    await new Promise((resolve, reject) => {
      ws.onopen = resolve
      ws.onerror = () => reject(new Error(`no inspector for ${name} on port ${port}`))
    })
    return new Inspector(ws, typeof wake === 'string' ? new Request(wake) : wake)
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.next++
    return new Promise((resolve) => {
      this.waiting.set(id, resolve as (r: unknown) => void)
      this.ws.send(JSON.stringify({ id, method, params }))
    })
  }

  /** Bytes the isolate holds now: V8 heap in use (garbage not yet collected included) + backing stores. */
  async heapBytes(): Promise<number> {
    const usage = await this.send<HeapUsage>('Runtime.getHeapUsage')
    return usage.usedSize + (usage.backingStorageSize ?? 0)
  }

  /**
   * Bytes the isolate holds after a full garbage collection: what is live. workerd collects only
   * once the isolate next runs, so an idle one is woken by a request to `wake` (e.g. a health URL).
   */
  async liveBytes(): Promise<number> {
    const collected = this.send('HeapProfiler.collectGarbage')
    if (this.wake) await (await fetch(this.wake.clone())).body?.cancel()
    await collected
    return this.heapBytes()
  }

  close(): void {
    this.ws.close()
  }
}

export type HeapFigures = {
  /** Live memory (after a full GC) before the run. */
  idleMiB: number
  /** The most the isolate held at any sample (heap in use + backing stores, garbage included). */
  peakMiB: number
  /** The most it held live, at a full GC every `liveEvery` samples. */
  livePeakMiB: number
  /** Every sample: ms since the start, MiB held, and whether it followed a full GC. */
  samples: { ms: number; MiB: number; live: boolean }[]
}

const MiB = 1024 * 1024

/**
 * Samples the isolate's memory while `run` runs: its heap every `ms`, and after a forced full GC
 * every `liveEvery`-th sample, so both the peak with garbage and the peak of live memory show.
 */
export async function heapDuring<T>(
  inspector: Inspector,
  run: () => Promise<T>,
  ms = 50,
  liveEvery = 10,
): Promise<[T, HeapFigures]> {
  const idle = await inspector.liveBytes()
  const samples: HeapFigures['samples'] = []
  const t0 = performance.now()
  let sampling = true
  const loop = (async () => {
    for (let n = 1; sampling; n++) {
      const live = n % liveEvery === 0
      const bytes = live ? await inspector.liveBytes() : await inspector.heapBytes()
      samples.push({ ms: performance.now() - t0, MiB: bytes / MiB, live })
      await new Promise((r) => setTimeout(r, ms))
    }
  })()
  try {
    const result = await run()
    const peak = (live: boolean) =>
      Math.max(idle / MiB, ...samples.filter((s) => !live || s.live).map((s) => s.MiB))
    return [result, { idleMiB: idle / MiB, peakMiB: peak(false), livePeakMiB: peak(true), samples }]
  } finally {
    sampling = false
    await loop
  }
}

type ProfileNode = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/**
 * Where the isolate's CPU time went while `run` ran: self ms per function (name, file:line), and
 * inclusive ms per function name (an async function counts only while it is on the stack).
 */
export async function profileDuring<T>(
  inspector: Inspector,
  run: () => Promise<T>,
): Promise<[T, { totalMs: number; inclusive: Map<string, number>; self: Map<string, number> }]> {
  await inspector.send('Profiler.enable')
  await inspector.send('Profiler.setSamplingInterval', { interval: 500 })
  await inspector.send('Profiler.start')
  const result = await run()
  const { profile } = await inspector.send<{ profile: Profile }>('Profiler.stop')
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').at(-1)}:${n.callFrame.lineNumber + 1}`
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let totalMs = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000
    const node = byId.get(id)!
    if (node.callFrame.functionName === '(idle)') return
    totalMs += ms
    self.set(name(node), (self.get(name(node)) ?? 0) + ms)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const fn = byId.get(at)!.callFrame.functionName
      if (seen.has(fn)) continue
      seen.add(fn)
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + ms)
    }
  })
  return [result, { totalMs, inclusive, self }]
}

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: string[][] } }
  nodes: number[]
  edges: number[]
  strings: string[]
}

/** What a heap snapshot holds: everything live (MiB), and of it the WebAssembly memories. */
export type SnapshotFigures = {
  totalMiB: number
  wasmMiB: number
  wasmMemories: number
  /**
   * Where the buffers are (`STEMFAIR_BENCH_HOLDERS=1` only, else empty): MiB of ArrayBuffer data
   * per holder, named `Class.property` after the first retainer along the path that is an object
   * of a named class (typed arrays and plain arrays skipped), largest first.
   */
  holders: { holder: string; MiB: number; buffers: number }[]
}

/**
 * Takes a heap snapshot of the isolate (after a full GC) and sums it: every live object and
 * buffer, WebAssembly memories included — which the heap figures above do not count.
 */
export async function snapshotFigures(inspector: Inspector): Promise<SnapshotFigures> {
  const chunks: string[] = []
  inspector.onEvent = (method, params) => {
    if (method === 'HeapProfiler.addHeapSnapshotChunk')
      chunks.push((params as { chunk: string }).chunk)
  }
  await inspector.send('HeapProfiler.enable')
  await inspector.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  inspector.onEvent = undefined
  const snap = JSON.parse(chunks.join('')) as Snapshot
  const { node_fields: nf, edge_fields: ef } = snap.snapshot.meta
  const N = nf.length
  const E = ef.length
  const name = nf.indexOf('name')
  const self = nf.indexOf('self_size')
  const edgeCount = nf.indexOf('edge_count')
  const toNode = ef.indexOf('to_node')
  const { nodes, edges, strings } = snap
  // WebAssembly.Memory objects, and the buffers they own
  let total = 0
  const memories: number[] = []
  for (let i = 0; i < nodes.length; i += N) {
    total += nodes[i + self]!
    if (strings[nodes[i + name]!] === 'Memory') memories.push(i)
  }
  const firstEdge = new Map<number, number>()
  for (let i = 0, e = 0; i < nodes.length; i += N) {
    firstEdge.set(i, e)
    e += nodes[i + edgeCount]! * E
  }
  const children = (i: number) => {
    const from = firstEdge.get(i)!
    return Array.from({ length: nodes[i + edgeCount]! }, (_, k) => edges[from + k * E + toNode]!)
  }
  let wasm = 0
  const seen = new Set<number>()
  for (const memory of memories)
    for (const buffer of children(memory))
      if (strings[nodes[buffer + name]!] === 'ArrayBuffer')
        for (const data of children(buffer))
          if (!seen.has(data) && strings[nodes[data + name]!] === 'system / JSArrayBufferData') {
            seen.add(data)
            wasm += nodes[data + self]!
          }
  const holders = process.env.STEMFAIR_BENCH_HOLDERS ? bufferHolders(snap, seen) : []
  return { totalMiB: total / MiB, wasmMiB: wasm / MiB, wasmMemories: seen.size, holders }
}

/** ArrayBuffer data outside `skip`, summed per first named holder (see SnapshotFigures). */
function bufferHolders(snap: Snapshot, skip: Set<number>): SnapshotFigures['holders'] {
  const { node_fields: nf, edge_fields: ef, node_types: nt } = snap.snapshot.meta
  const edgeTypes = (snap.snapshot.meta as unknown as { edge_types: string[][] }).edge_types[0]!
  const N = nf.length
  const E = ef.length
  const { nodes, edges, strings } = snap
  const [name, self, edgeCount, type] = ['name', 'self_size', 'edge_count', 'type'].map((f) =>
    nf.indexOf(f),
  ) as [number, number, number, number]
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as [
    number,
    number,
    number,
  ]
  const types = nt[0]!
  // retainers: node → [(from node, edge label)]
  const retainers = new Map<number, [number, string][]>()
  for (let i = 0, e = 0; i < nodes.length; i += N) {
    for (let k = 0; k < nodes[i + edgeCount]!; k++, e += E) {
      const et = edgeTypes[edges[e + eType]!]
      if (et === 'weak') continue
      const label =
        et === 'element' || et === 'hidden'
          ? `[${edges[e + eName]}]`
          : String(strings[edges[e + eName]!])
      const to = edges[e + eTo]!
      let list = retainers.get(to)
      if (!list) retainers.set(to, (list = []))
      list.push([i, label])
    }
  }
  const plain = new Set([
    'Array',
    'ArrayBuffer',
    'Float32Array',
    'Float64Array',
    'Int32Array',
    'Uint8Array',
    'Int16Array',
    'Uint32Array',
    'Int8Array',
    'Uint16Array',
    'DataView',
    'Object',
    'system / Context',
    '(object elements)',
  ])
  const holderOf = (start: number): string => {
    // breadth-first up the retainers to the first object of a named class
    const seen = new Set([start])
    let frontier: [number, string][] = [[start, '']]
    for (let depth = 0; depth < 8 && frontier.length; depth++) {
      const next: [number, string][] = []
      for (const [at, via] of frontier)
        for (const [from, label] of retainers.get(at) ?? []) {
          if (seen.has(from)) continue
          seen.add(from)
          const cls = strings[nodes[from + name]!]!
          const t = types[nodes[from + type]!]
          const path = label.startsWith('[') ? via : label
          if ((t === 'object' || t === 'closure') && !plain.has(cls) && cls !== '')
            return `${t === 'closure' ? `${cls}()` : cls}.${path || label}`
          next.push([from, path || via])
        }
      frontier = next
    }
    return '(unknown)'
  }
  const sums = new Map<string, { bytes: number; buffers: number }>()
  for (let i = 0; i < nodes.length; i += N) {
    if (strings[nodes[i + name]!] !== 'system / JSArrayBufferData' || skip.has(i)) continue
    const bytes = nodes[i + self]!
    if (bytes < 4096) continue
    const holder = holderOf(i)
    const sum = sums.get(holder) ?? { bytes: 0, buffers: 0 }
    sum.bytes += bytes
    sum.buffers++
    sums.set(holder, sum)
  }
  return [...sums]
    .map(([holder, s]) => ({ holder, MiB: s.bytes / MiB, buffers: s.buffers }))
    .sort((a, b) => b.MiB - a.MiB)
    .slice(0, 30)
}
