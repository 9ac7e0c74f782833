import { useEffect, useRef } from 'react'

/** Pure: whether a key event is the artwork panel's shortcut (C for cover, no modifiers). */
export function isArtworkKey(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
): boolean {
  return e.key.toLowerCase() === 'c' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey
}

/** Binds C to toggle the artwork panel; ignores keys typed into fields. */
export function useArtworkKey(toggle: () => void): void {
  const ref = useRef(toggle)
  ref.current = toggle
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement
      if (target.closest('input, textarea, select, [contenteditable]')) return
      if (!isArtworkKey(e)) return
      e.preventDefault()
      ref.current()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
