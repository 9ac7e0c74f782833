import type { SaveState } from './useSave.ts'

/** The status line of a step's saves, announced to screen readers. */
export function SaveStatus({ state }: { state: SaveState }) {
  return (
    <p
      className={`wizard-save ${state.status}`}
      role="status"
      data-testid="wizard-save"
      data-state={state.status}
    >
      {state.status === 'saving' && 'Saving…'}
      {state.status === 'saved' && 'All changes saved'}
      {state.status === 'error' && `Not saved: ${state.error.message}`}
    </p>
  )
}
