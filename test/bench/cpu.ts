/** CPU time (user + system, ms) this process spends running `run`: the figure the benches print. */
export function cpuMs(run: () => unknown): number {
  const start = process.cpuUsage()
  run()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}
