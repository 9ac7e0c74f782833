import type { Seconds } from '../../core/units.ts'
import { clockFrom } from './format.ts'

type Props = {
  playing: boolean
  ready: boolean
  position: Seconds
  duration: Seconds
  onToggle: () => void
  onSeek: (seconds: Seconds) => void
}

/** Play/pause, the clock and a seek bar. */
export function Transport({ playing, ready, position, duration, onToggle, onSeek }: Props) {
  return (
    <div className="transport" role="group" aria-label="Transport">
      <button
        type="button"
        className="play"
        onClick={onToggle}
        disabled={!ready}
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <output className="clock" data-testid="position" data-seconds={position.toFixed(3)}>
        {clockFrom(position)} / {clockFrom(duration)}
      </output>
      <input
        type="range"
        aria-label="Seek"
        min={0}
        max={duration || 1}
        step={0.01}
        value={Math.min(position, duration || 1)}
        disabled={!ready}
        onChange={(e) => onSeek(Number(e.currentTarget.value))}
        onKeyDown={(e) => {
          // the bar's own step is 10 ms, too fine for a key: arrows jump 5 s, as on the page
          if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
          e.preventDefault()
          onSeek(Math.min(Math.max(0, position + (e.key === 'ArrowLeft' ? -5 : 5)), duration))
        }}
      />
    </div>
  )
}
