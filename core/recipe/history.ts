/** Undo and redo as a list of whole states: `past` oldest first, `future` nearest first. */
export type History<T> = { past: readonly T[]; present: T; future: readonly T[] }

/** How many undo steps a history keeps. */
export const HISTORY_LIMIT = 200

/** A history with nothing to undo or redo. */
export function historyFrom<T>(present: T): History<T> {
  return { past: [], present, future: [] }
}

/** Records `next` as a new undo step, dropping the redo steps and the oldest beyond the limit. */
export function push<T>(h: History<T>, next: T): History<T> {
  if (next === h.present) return h
  return { past: [...h.past, h.present].slice(-HISTORY_LIMIT), present: next, future: [] }
}

/** Replaces the present without a new undo step (the later moves of one drag); drops redo steps. */
export function amend<T>(h: History<T>, next: T): History<T> {
  if (next === h.present) return h
  return { past: h.past, present: next, future: [] }
}

/** Steps back one state; the same history when there is nothing to undo. */
export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h
  const previous = h.past[h.past.length - 1] as T
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future] }
}

/** Steps forward one state; the same history when there is nothing to redo. */
export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h
  return { past: [...h.past, h.present], present: h.future[0] as T, future: h.future.slice(1) }
}

/** Whether `undo` would change anything. */
export const canUndo = <T>(h: History<T>): boolean => h.past.length > 0

/** Whether `redo` would change anything. */
export const canRedo = <T>(h: History<T>): boolean => h.future.length > 0
