import { useEffect, useRef, useState } from 'react'
import type { StemView } from '../../core/api/campaigns.ts'
import type { Decibels } from '../../core/units.ts'
import { api } from '../api.ts'
import type { StemStatus } from '../audio/engine.ts'
import { drawPeaks } from '../audio/waveform.ts'
import { LevelMeter } from './LevelMeter.tsx'

type Props = {
  stem: StemView
  color: string
  status: StemStatus
  muted: boolean
  soloed: boolean
  audible: boolean
  level: () => Decibels
  onMute: () => void
  onSolo: () => void
}

type PeaksState = 'fetching' | 'ready' | 'error'

function statusText(status: StemStatus, peaks: PeaksState): string {
  if (status.state === 'error' || peaks === 'error')
    return status.error ?? 'Could not load this stem'
  if (status.state === 'fetching') return `Loading ${Math.round(status.progress * 100)}%`
  if (status.state === 'decoding') return 'Decoding…'
  if (status.state === 'idle') return 'Waiting…'
  return ''
}

/** One stem: name, mute/solo, level meter and its waveform drawn from precomputed peaks. */
export function StemLane({
  stem,
  color,
  status,
  muted,
  soloed,
  audible,
  level,
  onMute,
  onSolo,
}: Props) {
  const wave = useRef<HTMLDivElement>(null)
  const [peaks, setPeaks] = useState<PeaksState>('fetching')

  useEffect(() => {
    const abort = new AbortController()
    let destroy = () => {}
    api
      .peaks(stem.peaksUrl, abort.signal)
      .then((p) => {
        if (!wave.current) return
        destroy = drawPeaks(wave.current, p.channels, p.length / p.sampleRate, color, {
          barWidth: 2,
          barGap: 1,
          barRadius: 1,
        })
        setPeaks('ready')
      })
      .catch(() => !abort.signal.aborted && setPeaks('error'))
    return () => {
      abort.abort()
      destroy()
    }
  }, [stem.peaksUrl, color])

  const note = statusText(status, peaks)
  return (
    <div
      className={`lane${audible ? '' : ' silent'}`}
      data-testid="stem-lane"
      data-stem={stem.id}
      data-state={status.state}
      data-waveform={peaks}
    >
      <div className="lane-head">
        <span className="swatch" style={{ background: color }} aria-hidden />
        <div className="lane-name">
          <strong>{stem.name}</strong>
          <small>
            {stem.role}
            {stem.isVoice ? ' · voice' : ''}
          </small>
        </div>
        <button
          type="button"
          className={`toggle mute${muted ? ' on' : ''}`}
          aria-pressed={muted}
          aria-label={`Mute ${stem.name}`}
          onClick={onMute}
        >
          M
        </button>
        <button
          type="button"
          className={`toggle solo${soloed ? ' on' : ''}`}
          aria-pressed={soloed}
          aria-label={`Solo ${stem.name}`}
          onClick={onSolo}
        >
          S
        </button>
        <LevelMeter level={level} label={`${stem.name} level`} />
      </div>
      <div className="lane-wave">
        <div className="wave" ref={wave} />
        {note ? (
          <span
            className={`lane-note${status.state === 'error' || peaks === 'error' ? ' error' : ''}`}
          >
            {note}
          </span>
        ) : null}
      </div>
    </div>
  )
}
