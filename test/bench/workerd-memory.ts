// Resident memory of the workerd processes this bench started (directly or through vite/wrangler):
// what a job costs is the rise of VmRSS while it runs, sampled from /proc.
import { readdirSync, readFileSync } from 'node:fs'

function statusKb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  } catch {
    return 0 // exited meanwhile
  }
}

/**
 * Resident memory (kB) of the workerd processes started under this one (or the one named by
 * STEMFAIR_WORKERD_PID when measuring a running server): now (VmRSS) or its high-water mark (VmHWM).
 */
export function workerdRssKb(field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const named = Number(process.env.STEMFAIR_WORKERD_PID)
  if (named) return statusKb(named, field)
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
  let total = 0
  for (const [pid, name] of names)
    if (name.startsWith('workerd') && ours(pid)) total += statusKb(pid, field)
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
