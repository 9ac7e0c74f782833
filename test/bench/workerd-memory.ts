// Resident memory and CPU time of the processes this bench started (directly or through
// vite/wrangler), sampled from /proc: what a job costs is the rise of VmRSS while it runs.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

function statusKb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  } catch {
    return 0 // exited meanwhile
  }
}

/** The processes started under this one (directly or through vite/wrangler): pid → name. */
function ourProcesses(): Map<number, string> {
  const parents = new Map<number, number>()
  const names = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close))
      parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]))
    } catch {
      // exited meanwhile
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === process.pid) return true
    return false
  }
  return new Map([...names].filter(([pid]) => ours(pid)))
}

/**
 * Resident memory (kB) of the workerd processes started under this one (or the one named by
 * STEMFAIR_WORKERD_PID when measuring a running server): now (VmRSS) or its high-water mark (VmHWM).
 */
export function workerdRssKb(field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const named = Number(process.env.STEMFAIR_WORKERD_PID)
  if (named) return statusKb(named, field)
  let total = 0
  for (const [pid, name] of ourProcesses())
    if (name.startsWith('workerd')) total += statusKb(pid, field)
  return total
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))

/**
 * CPU time (ms, user + system, so far) of the processes started under this one: the workerd
 * processes, and the others (vite, wrangler: Node). Unlike wall time it hardly depends on what
 * else the machine runs, so per request it compares two routes on a shared machine.
 */
export function childCpuMs(): { workerd: number; other: number } {
  const total = { workerd: 0, other: 0 }
  for (const [pid, name] of ourProcesses()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
      total[name.startsWith('workerd') ? 'workerd' : 'other'] += ms
    } catch {
      // exited meanwhile
    }
  }
  return total
}

/** Samples workerd's RSS every `ms` while `run` runs; answers its result and the peak rise (MiB). */
export async function peakRise<T>(run: () => Promise<T>, ms = 25): Promise<[T, number]> {
  const before = workerdRssKb()
  let peak = before
  const timer = setInterval(() => (peak = Math.max(peak, workerdRssKb())), ms)
  try {
    const result = await run()
    peak = Math.max(peak, workerdRssKb())
    return [result, (peak - before) / 1024]
  } finally {
    clearInterval(timer)
  }
}
