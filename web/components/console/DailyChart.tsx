/** One day of activity. */
export type Day = { date: string; plays: number; exports: number; downloads: number }

const SERIES = [
  { key: 'plays', label: 'Plays', color: '#e0a84f' },
  { key: 'exports', label: 'Exports', color: '#6fb7c9' },
  { key: 'downloads', label: 'Downloads', color: '#9b8fe0' },
] as const

/** Plays, exports and downloads per day as lines in an SVG (no chart library needed). */
export function DailyChart({ days }: { days: Day[] }) {
  const w = 640
  const h = 180
  const pad = 24
  const max = Math.max(1, ...days.flatMap((d) => [d.plays, d.exports, d.downloads]))
  const x = (i: number) => pad + (i * (w - 2 * pad)) / Math.max(1, days.length - 1)
  const y = (v: number) => h - pad - (v / max) * (h - 2 * pad)
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label="Plays, exports and downloads over the last 30 days"
      >
        <line x1={pad} x2={w - pad} y1={h - pad} y2={h - pad} className="axis" />
        <text x={pad} y={pad - 8} className="tick">
          {max}
        </text>
        {days.length > 0 && (
          <>
            <text x={pad} y={h - 6} className="tick">
              {days[0]!.date}
            </text>
            <text x={w - pad} y={h - 6} className="tick" textAnchor="end">
              {days.at(-1)!.date}
            </text>
          </>
        )}
        {SERIES.map((s) => (
          <polyline
            key={s.key}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={days.map((d, i) => `${x(i)},${y(d[s.key])}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {SERIES.map((s) => (
          <span key={s.key} className="legend">
            <i style={{ background: s.color }} /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
