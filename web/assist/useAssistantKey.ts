import { useEffect, useRef } from 'react'

/** Pure: whether a key event is the assistant's shortcut (A, no modifiers). */
export function isAssistantKey(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
): boolean {
  return e.key.toLowerCase() === 'a' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey
}

/** Binds A to toggle the assistant; ignores keys typed into fields. */
export function useAssistantKey(toggle: () => void): void {
  const ref = useRef(toggle)
  ref.current = toggle
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement
      if (target.closest('input, textarea, select, [contenteditable]')) return
      if (!isAssistantKey(e)) return
      e.preventDefault()
      ref.current()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
