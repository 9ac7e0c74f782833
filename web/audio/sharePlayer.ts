import WaveSurfer from 'wavesurfer.js'

/** A waveform player for a finished remix; calls `onFirstPlay` once when playback first starts. */
export function createSharePlayer(
  container: HTMLElement,
  url: string,
  handlers: {
    onFirstPlay: () => void
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
