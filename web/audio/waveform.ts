import WaveSurfer from 'wavesurfer.js'
import type { Peaks } from '../../core/audio/peaks.ts'

/** Draws precomputed peaks in `container` without decoding audio; returns the destroy function. */
export function drawWaveform(container: HTMLElement, peaks: Peaks, color: string): () => void {
  const ws = WaveSurfer.create({
    container,
    peaks: peaks.channels,
    duration: peaks.length / peaks.sampleRate,
    height: 'auto',
    waveColor: color,
    progressColor: color,
    cursorWidth: 0,
    interact: false,
    normalize: false,
    barWidth: 2,
    barGap: 1,
    barRadius: 1,
  })
  return () => ws.destroy()
}
