import { onSlider, spacePresses } from '../store/keyTarget.ts'

/** The parts of a key event a binding looks at. */
export type KeyPress = Pick<
  KeyboardEvent,
  'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'
>

/**
 * One key that runs a command: a `KeyboardEvent.key` (lower case) or a physical `code`.
 * `mod`: Ctrl or ⌘ must be held (Alt is then ignored); without it, none of Ctrl, ⌘ or Alt may be.
 * `shift`: Shift must be held (true), must not be (false), or either (absent).
 */
export type KeyBinding = ({ key: string; code?: never } | { code: string; key?: never }) & {
  mod?: boolean
  shift?: boolean
}

/** Whether a key event is this binding. */
export function matches(binding: KeyBinding, e: KeyPress): boolean {
  const mod = e.ctrlKey || e.metaKey
  if (binding.mod ? !mod : mod || e.altKey) return false
  if (binding.shift !== undefined && binding.shift !== e.shiftKey) return false
  return binding.code !== undefined ? e.code === binding.code : e.key.toLowerCase() === binding.key
}

/** The first of `items` that one of its bindings matches, or null. */
export function boundTo<T extends { keys: readonly KeyBinding[] }>(
  items: readonly T[],
  e: KeyPress,
): T | null {
  return items.find((item) => item.keys.some((b) => matches(b, e))) ?? null
}

/** Whether the focused element keeps this key: a slider its arrows, a button its Space. */
export function targetKeeps(e: KeyPress & Pick<KeyboardEvent, 'target'>): boolean {
  const key = e.key.toLowerCase()
  if ((key === 'arrowleft' || key === 'arrowright') && onSlider(e.target)) return true
  return e.code === 'Space' && spacePresses(e.target)
}

const NAMES: Record<string, string> = {
  Space: 'Space',
  arrowleft: '←',
  arrowright: '→',
  delete: 'Del',
  backspace: 'Backspace',
  '-': '−',
}

/** How a binding is written for people: `Shift+Ctrl+Z`, `Space`, `←`. */
export function keyLabel(binding: KeyBinding): string {
  const name = binding.code ?? binding.key
  const key = NAMES[name] ?? name.toUpperCase()
  return `${binding.shift ? 'Shift+' : ''}${binding.mod ? 'Ctrl+' : ''}${key}`
}
