import WaveSurfer from 'wavesurfer.js'

/**
 * Draws precomputed peaks (one array per channel) spanning `seconds` in `container` with
 * wavesurfer.js, without decoding audio; returns the destroy function.
 */
export function drawPeaks(
  container: HTMLElement,
  channels: number[][],
  seconds: number,
  color: string,
  bars: { barWidth: number; barGap?: number; barRadius?: number },
): () => void {
  const ws = WaveSurfer.create({
    container,
    peaks: channels,
    duration: seconds,
    height: 'auto',
    waveColor: color,
    progressColor: color,
    cursorWidth: 0,
    interact: false,
    normalize: false,
    ...bars,
  })
  return () => ws.destroy()
}
