import { useEffect, useRef } from 'react'
import { onSlider, spacePresses, typingInto } from './keyTarget.ts'

/** The studio's keyboard shortcuts, by the action they trigger. */
export type StudioKeys = {
  togglePlay: () => void
  undo: () => void
  redo: () => void
  split: () => void
  duplicate: () => void
  remove: () => void
  nudge: (direction: -1 | 1, fine: boolean) => void
  zoom: (factor: number) => void
  mute: () => void
  solo: () => void
  assistant: () => void
  artwork: () => void
}

/** Pure: which shortcut a key event means, or null. */
export function shortcutFrom(
  e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): keyof StudioKeys | null {
  const mod = e.ctrlKey || e.metaKey
  const key = e.key.toLowerCase()
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo'
  if (mod && key === 'y') return 'redo'
  if (mod && key === 'd') return 'duplicate'
  if (mod || e.altKey) return null
  if (e.code === 'Space') return 'togglePlay'
  // S splits (as in most DAWs); Shift+S solos, so both of the brief's S shortcuts have a key.
  if (key === 's') return e.shiftKey ? 'solo' : 'split'
  if (key === 'delete' || key === 'backspace') return 'remove'
  if (key === 'arrowleft' || key === 'arrowright') return 'nudge'
  if (key === '+' || key === '=' || key === '-' || key === '_') return 'zoom'
  if (key === 'm') return 'mute'
  if (key === 'a' && !e.shiftKey) return 'assistant'
  if (key === 'c' && !e.shiftKey) return 'artwork' // C for cover
  return null
}

/** Binds the shortcuts on window; ignores keys typed into fields. */
export function useStudioKeys(keys: StudioKeys): void {
  const ref = useRef(keys)
  ref.current = keys
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInto(e.target)) return
      const shortcut = shortcutFrom(e)
      if (!shortcut) return
      // a focused slider keeps its arrow keys; a focused button keeps Space
      if (shortcut === 'nudge' && onSlider(e.target)) return
      if (shortcut === 'togglePlay' && spacePresses(e.target)) return
      e.preventDefault()
      const k = ref.current
      if (shortcut === 'nudge') k.nudge(e.key === 'ArrowLeft' ? -1 : 1, e.shiftKey)
      else if (shortcut === 'zoom') k.zoom(e.key === '-' || e.key === '_' ? 1 / 1.5 : 1.5)
      else k[shortcut]()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
