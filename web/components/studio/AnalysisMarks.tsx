import type { CampaignAnalysis } from '../../../core/analysis/types.ts'
import { analysisMarksFrom } from './analysisMarks.ts'

type Props = { analysis: CampaignAnalysis | null; length: number; px: number }

/** The analysed beat grid and the mix's sections, drawn inside the ruler; clicks pass through. */
export function AnalysisMarks({ analysis, length, px }: Props) {
  const { bands, ticks } = analysisMarksFrom(analysis, length)
  return (
    <div
      aria-hidden
      data-testid="analysis-marks"
      style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}
    >
      {bands.map((b) => (
        <span
          key={b.start}
          data-testid="section-band"
          data-label={b.label}
          title={b.title}
          style={{
            position: 'absolute',
            left: b.start * px,
            width: Math.max(0, (b.end - b.start) * px - 1),
            bottom: 0,
            height: 11,
            background: `hsla(${b.hue}, 55%, 55%, 0.35)`,
            borderLeft: `2px solid hsl(${b.hue}, 60%, 62%)`,
            color: `hsl(${b.hue}, 70%, 80%)`,
            fontSize: 9,
            lineHeight: '11px',
            paddingLeft: 3,
            overflow: 'hidden',
            boxSizing: 'border-box',
          }}
        >
          {b.label}
        </span>
      ))}
      {ticks.map(({ t, downbeat }) => (
        <span
          key={t}
          data-testid={downbeat ? 'downbeat' : 'beat'}
          style={{
            position: 'absolute',
            left: t * px,
            top: 0,
            height: downbeat ? 10 : 5,
            borderLeft: `1px solid ${downbeat ? '#e0a84f' : '#6b6255'}`,
          }}
        />
      ))}
    </div>
  )
}
