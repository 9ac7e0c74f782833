import type { SaveState } from '../../store/studio.ts'

const SAVE_TEXT: Record<SaveState, string> = {
  saved: 'All changes saved',
  unsaved: 'Unsaved changes…',
  saving: 'Saving…',
  error: 'Could not save',
  conflict: 'Saved somewhere else',
  local: 'Kept in this browser',
}

type Props = { save: SaveState; signedIn: boolean; onRetry: () => void }

/** Where the remix stands against the server, with the way out when it is stuck. */
export function SaveStatus({ save, signedIn, onRetry }: Props) {
  return (
    <div className={`save-state ${save}`} role="status" data-testid="save-state" data-state={save}>
      {SAVE_TEXT[save]}
      {save === 'local' && !signedIn && (
        <>
          {' · '}
          <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in to save</a>
        </>
      )}
      {save === 'error' && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  )
}
