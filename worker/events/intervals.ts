/** Byte ranges served, as sorted, disjoint, half-open [start, end) pairs. */
export type Intervals = [number, number][]

/** `list` with [start, end) added, merged with what it touches. At most `max` ranges are kept. */
export function addInterval(list: Intervals, start: number, end: number, max = 256): Intervals {
  if (!(end > start)) return list
  const out: Intervals = []
  let s = start
  let e = end
  for (const [a, b] of list) {
    if (b < s || a > e) out.push([a, b])
    else {
      s = Math.min(s, a)
      e = Math.max(e, b)
    }
  }
  out.push([s, e])
  out.sort((x, y) => x[0] - y[0])
  return out.length > max ? out.slice(out.length - max) : out
}

/** Bytes covered. */
export const covered = (list: Intervals): number => list.reduce((n, [a, b]) => n + b - a, 0)
