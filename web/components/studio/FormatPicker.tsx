import { useState } from 'react'
import {
  EXPORT_FORMATS,
  FORMAT_INFO,
  SUGGESTED_FORMATS,
  type ExportFormat,
} from '../../../core/api/formats.ts'

type Props = { onStart: (formats: ExportFormat[]) => void }

/** The files to export, as checkboxes saying exactly what each is; at least one. */
export function FormatPicker({ onStart }: Props) {
  const [chosen, setChosen] = useState<ReadonlySet<ExportFormat>>(new Set(SUGGESTED_FORMATS))
  const toggle = (format: ExportFormat) =>
    setChosen((was) => {
      const next = new Set(was)
      if (!next.delete(format)) next.add(format)
      return next
    })
  const none = chosen.size === 0
  return (
    <form
      className="format-picker"
      onSubmit={(e) => {
        e.preventDefault()
        if (!none) onStart(EXPORT_FORMATS.filter((f) => chosen.has(f)))
      }}
    >
      <fieldset>
        <legend>Files to make</legend>
        {EXPORT_FORMATS.map((format) => (
          <label key={format} className="format-option">
            <input
              type="checkbox"
              name="format"
              value={format}
              checked={chosen.has(format)}
              onChange={() => toggle(format)}
            />{' '}
            {FORMAT_INFO[format].label}
          </label>
        ))}
      </fieldset>
      <p className="fine">
        Every file carries the credits, the licence, the AI label and the cover (a JPEG of at most 1
        MB); the 3000×3000 PNG cover comes as its own download. The share page plays an MP3, so one
        is made when you choose none.
      </p>
      {none && <p className="error">Choose at least one file.</p>}
      <button type="submit" className="primary" disabled={none}>
        Start export
      </button>
    </form>
  )
}
