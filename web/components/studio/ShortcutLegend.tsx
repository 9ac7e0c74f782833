import { Fragment } from 'react'
import { LEGEND } from '../../studio/commands.ts'

/** The studio's keyboard shortcuts, as the command registry binds them. */
export function ShortcutLegend() {
  return (
    <p className="muted small keys">
      {LEGEND.map((entry, i) => (
        <Fragment key={entry.id}>
          {i > 0 && ' · '}
          <span data-command={entry.id}>
            <kbd>{entry.key}</kbd> {entry.label}
          </span>
        </Fragment>
      ))}
      {' · drag the ruler to loop'}
    </p>
  )
}
