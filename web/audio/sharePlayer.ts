import WaveSurfer from 'wavesurfer.js'

/**
 * A waveform player for a finished remix; calls `onFirstPlay` once when playback first starts and
 * `onListened(seconds)` as the seconds actually played (not seeked over) add up.
 */
export function createSharePlayer(
  container: HTMLElement,
  url: string,
  handlers: {
    onFirstPlay: () => void
    onListened?: (seconds: number) => void
    onState: (state: 'loading' | 'ready' | 'playing' | 'paused' | 'error') => void
  },
) {
  const ws = WaveSurfer.create({
    container,
    url,
    height: 96,
    waveColor: '#8a7a5c',
    progressColor: '#e0a84f',
    cursorColor: '#ffffff',
    barWidth: 2,
    barGap: 1,
    barRadius: 1,
  })
  let played = false
  let listened = 0
  let last: number | null = null
  handlers.onState('loading')
  const offs = [
    ws.on('ready', () => handlers.onState('ready')),
    ws.on('play', () => {
      handlers.onState('playing')
      if (!played) {
        played = true
        handlers.onFirstPlay()
      }
    }),
    ws.on('timeupdate', (time) => {
      // Only forward steps of playback count as listening; a seek jumps and is not added.
      if (last !== null && ws.isPlaying() && time > last && time - last < 1) {
        listened += time - last
        handlers.onListened?.(listened)
      }
      last = time
    }),
    ws.on('seeking', (time) => (last = time)),
    ws.on('pause', () => handlers.onState('paused')),
    ws.on('error', () => handlers.onState('error')),
  ]
  return {
    toggle: () => void ws.playPause(),
    destroy: () => {
      offs.forEach((off) => off())
      ws.destroy()
    },
  }
}
