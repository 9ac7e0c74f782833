// bench:studio --profile: what the page's main thread runs in its long tasks. A Chrome trace
// (devtools.timeline with the V8 sampling profiler) of open → all decoded, read back here: every
// main-thread task over 50 ms, what each spent its time in (the trace's own events: script calls,
// GC, layout, paint, ...) and the JS functions the profiler sampled in it (self time).

type TraceEvent = {
  name: string
  cat: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  id?: string
  args?: {
    name?: string
    data?: {
      startTime?: number
      functionName?: string
      url?: string
      type?: string
      cpuProfile?: {
        nodes?: {
          id: number
          parent?: number
          callFrame: { functionName: string; url: string; lineNumber: number }
        }[]
        samples?: number[]
      }
      timeDeltas?: number[]
    }
  }
}

/** Categories for browser.startTracing: the timeline's tasks and the V8 sampler. */
export const PROFILE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'blink.user_timing',
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-v8.gc',
  'webaudio',
  'blink',
  'loading',
]

const short = (url: string) => url.replace(/^.*\/(assets|node_modules)\//, '').replace(/\?.*$/, '')

/** The long tasks of a trace's busiest renderer main thread, each with where its time went. */
export function longTasksOf(
  buffer: Buffer,
  over = 50,
): { lines: string[]; top: [string, number][] } {
  const parsed = JSON.parse(buffer.toString('utf8')) as TraceEvent[] | { traceEvents: TraceEvent[] }
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  )
  const tasksOf = new Map<string, TraceEvent[]>()
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`
    if (!mains.has(key) || e.ph !== 'X' || e.dur === undefined) continue
    let list = tasksOf.get(key)
    if (!list) tasksOf.set(key, (list = []))
    list.push(e)
  }
  const [main, all] = [...tasksOf].sort(
    (a, b) =>
      b[1].reduce((n, e) => n + (e.name === 'RunTask' ? e.dur! : 0), 0) -
      a[1].reduce((n, e) => n + (e.name === 'RunTask' ? e.dur! : 0), 0),
  )[0] ?? ['', []]
  const [pid, tid] = main.split(':').map(Number)

  // The sampler's samples: (timestamp µs, leaf node) on the main thread's profile. Each thread that
  // runs JS (workers, the audio worklet) has a profile of its own in the process, begun by a
  // Profile event on that thread; its chunks come from the sampler's thread, matched by id.
  const samples: { ts: number; frame: string }[] = []
  const profiles = new Map<string, { ts: number; nodes: Map<number, string> }>()
  for (const e of events) {
    if (e.pid !== pid) continue
    if (e.name === 'Profile' && e.id && e.tid === tid)
      profiles.set(e.id, { ts: e.args?.data?.startTime ?? e.ts, nodes: new Map() })
    if (e.name !== 'ProfileChunk' || !e.id) continue
    const profile = profiles.get(e.id)
    if (!profile) continue
    const data = e.args?.data
    for (const node of data?.cpuProfile?.nodes ?? []) {
      const { functionName, url, lineNumber } = node.callFrame
      profile.nodes.set(
        node.id,
        `${functionName || '(anonymous)'}${url ? ` ${short(url)}:${lineNumber + 1}` : ''}`,
      )
    }
    const ids = data?.cpuProfile?.samples ?? []
    const deltas = data?.timeDeltas ?? []
    for (let i = 0; i < ids.length; i++) {
      profile.ts += deltas[i] ?? 0
      samples.push({ ts: profile.ts, frame: profile.nodes.get(ids[i]!) ?? `node ${ids[i]}` })
    }
  }
  samples.sort((a, b) => a.ts - b.ts)

  const long = all.filter((e) => e.name === 'RunTask' && e.dur! > over * 1000)
  const zero = all.find((e) => e.name === 'RunTask')?.ts ?? 0
  const lines: string[] = []
  const top = new Map<string, number>()
  const add = (map: Map<string, number>, key: string, ms: number) =>
    map.set(key, (map.get(key) ?? 0) + ms)
  for (const task of long) {
    const end = task.ts + task.dur!
    // Where the task's time went: each traced event's own time (its duration less its children's),
    // by name; the task's own wrappers count only what no event inside them covers.
    const inside = all
      .filter((e) => e.ts >= task.ts && e.ts + e.dur! <= end)
      .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
    const parts = new Map<string, number>()
    const stack: { e: TraceEvent; self: number; what: string }[] = []
    const close = (until: number) => {
      while (stack.length && stack.at(-1)!.e.ts + stack.at(-1)!.e.dur! <= until) {
        const done = stack.pop()!
        add(parts, done.what, done.self / 1000)
      }
    }
    for (const e of inside) {
      close(e.ts)
      if (stack.length) stack.at(-1)!.self -= e.dur!
      const d = e.args?.data
      const what = d?.functionName
        ? `${e.name} ${d.functionName}${d.url ? ` ${short(d.url)}` : ''}`
        : d?.type
          ? `${e.name} ${d.type}`
          : e.name
      stack.push({ e, self: e.dur!, what })
    }
    close(Infinity)
    const frames = new Map<string, number>()
    let prev = task.ts
    for (const s of samples) {
      if (s.ts < task.ts) continue
      if (s.ts > end) break
      add(frames, s.frame, (s.ts - prev) / 1000)
      add(top, s.frame, (s.ts - prev) / 1000)
      prev = s.ts
    }
    const list = (m: Map<string, number>, n: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, ms]) => `${ms.toFixed(0)} ms ${k}`)
        .join('; ')
    lines.push(
      `${((task.ts - zero) / 1000).toFixed(0).padStart(6)} task ${(task.dur! / 1000).toFixed(0)} ms` +
        `\n         parts: ${list(parts, 5) || '(none traced)'}` +
        `\n         js:    ${list(frames, 5) || '(no samples)'}`,
    )
  }
  return { lines, top: [...top].sort((a, b) => b[1] - a[1]).slice(0, 15) }
}
