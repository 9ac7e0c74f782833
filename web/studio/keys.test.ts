import { describe, expect, it } from 'vitest'
import { COMMANDS, type CommandId } from './commands.ts'
import { boundTo, keyLabel, type KeyBinding, type KeyPress } from './keys.ts'

type Mods = Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>>
const press = (key: string, mods: Mods = {}): KeyPress => ({
  key,
  code: key === ' ' ? 'Space' : `Key${key.toUpperCase()}`,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})
const commandFor = (e: KeyPress): CommandId | null => boundTo(COMMANDS, e)?.id ?? null

/** The key event a binding stands for, Shift as given. */
const pressOf = (b: KeyBinding, shiftKey: boolean): KeyPress => ({
  key: b.key ?? ' ',
  code: b.code ?? `Key${b.key!.toUpperCase()}`,
  ctrlKey: b.mod ?? false,
  metaKey: false,
  shiftKey,
  altKey: false,
})

describe('the studio key map', () => {
  it('maps the studio keys', () => {
    expect(commandFor(press(' '))).toBe('togglePlay')
    expect(commandFor(press(' ', { shiftKey: true }))).toBe('togglePlay')
    expect(commandFor(press('z', { ctrlKey: true }))).toBe('undo')
    expect(commandFor(press('z', { metaKey: true }))).toBe('undo')
    expect(commandFor(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo')
    expect(commandFor(press('Z', { metaKey: true, shiftKey: true }))).toBe('redo')
    expect(commandFor(press('y', { ctrlKey: true }))).toBe('redo')
    expect(commandFor(press('s'))).toBe('split')
    expect(commandFor(press('S', { shiftKey: true }))).toBe('solo')
    expect(commandFor(press('m'))).toBe('mute')
    expect(commandFor(press('M', { shiftKey: true }))).toBe('mute')
    expect(commandFor(press('Delete'))).toBe('remove')
    expect(commandFor(press('Backspace'))).toBe('remove')
    expect(commandFor(press('ArrowLeft'))).toBe('nudgeBack')
    expect(commandFor(press('ArrowRight'))).toBe('nudgeForward')
    expect(commandFor(press('ArrowLeft', { shiftKey: true }))).toBe('nudgeBackFine')
    expect(commandFor(press('ArrowRight', { shiftKey: true }))).toBe('nudgeForwardFine')
    expect(commandFor(press('+', { shiftKey: true }))).toBe('zoomIn')
    expect(commandFor(press('='))).toBe('zoomIn')
    expect(commandFor(press('-'))).toBe('zoomOut')
    expect(commandFor(press('_', { shiftKey: true }))).toBe('zoomOut')
    expect(commandFor(press('d', { ctrlKey: true }))).toBe('duplicate')
    expect(commandFor(press('a'))).toBe('assistant')
    expect(commandFor(press('c'))).toBe('artwork')
  })

  it('leaves other keys and browser shortcuts alone', () => {
    expect(commandFor(press('q'))).toBeNull()
    expect(commandFor(press('s', { ctrlKey: true }))).toBeNull()
    expect(commandFor(press('m', { altKey: true }))).toBeNull()
    expect(commandFor(press(' ', { ctrlKey: true }))).toBeNull()
    expect(commandFor(press('a', { ctrlKey: true }))).toBeNull()
    expect(commandFor(press('A', { shiftKey: true }))).toBeNull()
    expect(commandFor(press('C', { shiftKey: true }))).toBeNull()
  })

  it('gives every key to one command only', () => {
    for (const command of COMMANDS)
      for (const binding of command.keys as readonly KeyBinding[])
        for (const shiftKey of binding.shift === undefined ? [false, true] : [binding.shift])
          expect(commandFor(pressOf(binding, shiftKey)), keyLabel(binding)).toBe(command.id)
  })

  it('writes keys the way the legend and tooltips show them', () => {
    expect(keyLabel({ code: 'Space' })).toBe('Space')
    expect(keyLabel({ key: 'z', mod: true, shift: true })).toBe('Shift+Ctrl+Z')
    expect(keyLabel({ key: 's', shift: false })).toBe('S')
    expect(keyLabel({ key: 'arrowleft', shift: true })).toBe('Shift+←')
    expect(keyLabel({ key: 'delete' })).toBe('Del')
    expect(keyLabel({ key: '-' })).toBe('−')
  })
})
