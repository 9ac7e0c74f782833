import type { UploadItem } from '../../upload/useUploads.ts'
import { bytesWords, percentOf } from './words.ts'

/** A file on its way up: its progress, and cancel or retry. */
export function UploadRow({
  item,
  onCancel,
  onRetry,
  onDismiss,
}: {
  item: UploadItem
  onCancel: () => void
  onRetry: () => void
  onDismiss: () => void
}) {
  const pct = percentOf(item.loaded, item.total)
  const checking = item.status === 'uploading' && item.loaded >= item.total
  return (
    <li
      className="upload-row"
      data-testid="upload-row"
      data-file={item.file.name}
      data-status={item.status}
    >
      <span className="upload-name">{item.file.name}</span>
      <progress
        value={item.loaded}
        max={item.total || 1}
        aria-label={`Upload of ${item.file.name}`}
      />
      <span className="upload-state small">
        {item.status === 'failed'
          ? 'Failed'
          : checking
            ? 'Checking the file…'
            : `${pct}% of ${bytesWords(item.total)}`}
      </span>
      {item.status === 'uploading' ? (
        <button type="button" onClick={onCancel} aria-label={`Cancel upload of ${item.file.name}`}>
          Cancel
        </button>
      ) : (
        <span>
          <button type="button" onClick={onRetry} aria-label={`Retry upload of ${item.file.name}`}>
            Retry
          </button>{' '}
          <button type="button" onClick={onDismiss} aria-label={`Dismiss ${item.file.name}`}>
            Dismiss
          </button>
        </span>
      )}
      {item.error && (
        <p className="error small upload-error" role="alert">
          {item.error}
        </p>
      )}
    </li>
  )
}
