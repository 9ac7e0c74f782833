import { describe, expect, it } from 'vitest'
import { shortcutFrom } from './useStudioKeys.ts'

const key = (
  key: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
) => ({
  key,
  code: key === ' ' ? 'Space' : `Key${key.toUpperCase()}`,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})

describe('shortcutFrom', () => {
  it('maps the studio keys', () => {
    expect(shortcutFrom(key(' '))).toBe('togglePlay')
    expect(shortcutFrom(key('z', { ctrlKey: true }))).toBe('undo')
    expect(shortcutFrom(key('z', { metaKey: true }))).toBe('undo')
    expect(shortcutFrom(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo')
    expect(shortcutFrom(key('s'))).toBe('split')
    expect(shortcutFrom(key('S', { shiftKey: true }))).toBe('solo')
    expect(shortcutFrom(key('m'))).toBe('mute')
    expect(shortcutFrom(key('Delete'))).toBe('remove')
    expect(shortcutFrom(key('Backspace'))).toBe('remove')
    expect(shortcutFrom(key('ArrowLeft'))).toBe('nudge')
    expect(shortcutFrom(key('+'))).toBe('zoom')
    expect(shortcutFrom(key('-'))).toBe('zoom')
    expect(shortcutFrom(key('d', { ctrlKey: true }))).toBe('duplicate')
    expect(shortcutFrom(key('a'))).toBe('assistant')
    expect(shortcutFrom(key('c'))).toBe('artwork')
  })

  it('leaves other keys and browser shortcuts alone', () => {
    expect(shortcutFrom(key('q'))).toBeNull()
    expect(shortcutFrom(key('s', { ctrlKey: true }))).toBeNull()
    expect(shortcutFrom(key('m', { altKey: true }))).toBeNull()
    expect(shortcutFrom(key('a', { ctrlKey: true }))).toBeNull()
    expect(shortcutFrom(key('C', { shiftKey: true }))).toBeNull()
  })
})
