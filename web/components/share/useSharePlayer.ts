import { useEffect, useRef, useState } from 'react'
import { api } from '../../api.ts'
import { createSharePlayer } from '../../audio/sharePlayer.ts'

export type PlayerState = 'loading' | 'ready' | 'playing' | 'paused' | 'error'

/**
 * The player of a shared export, for the share page and the embed alike: the waveform goes into
 * `wave`, `toggle` plays and pauses. A play counts when the worker's ticket is redeemed after the
 * listener heard enough of it (30 s, or the whole of a shorter remix); one ticket per page view.
 */
export function useSharePlayer(id: string, audioUrl: string | null) {
  const [player, setPlayer] = useState<PlayerState>('loading')
  const wave = useRef<HTMLDivElement>(null)
  const controls = useRef<{ toggle: () => void } | null>(null)

  useEffect(() => {
    if (!audioUrl || !wave.current) return
    let ticket: Promise<{ ticket: string; needSeconds: number } | null> | null = null
    let redeemed = false
    const p = createSharePlayer(wave.current, audioUrl, {
      onState: setPlayer,
      onFirstPlay: () => {
        ticket = api.playTicket(id).catch(() => null)
      },
      onListened: (seconds) => {
        if (redeemed || !ticket) return
        void ticket.then((t) => {
          // The last timeupdate of a short remix may fall just before its end: a little slack
          // here, and a second's wait so the worker's clock agrees the time has passed.
          if (!t || redeemed || seconds < t.needSeconds - 0.3) return
          redeemed = true
          setTimeout(() => void api.play(id, t.ticket).catch(() => {}), 1000)
        })
      },
    })
    controls.current = p
    return () => p.destroy()
  }, [audioUrl, id])

  return { player, wave, toggle: () => controls.current?.toggle() }
}
