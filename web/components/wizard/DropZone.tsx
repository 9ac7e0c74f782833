import { useState } from 'react'

/** A drop target for many files at once, with a file picker for the keyboard. */
export function DropZone({
  accept,
  label,
  hint,
  multiple = true,
  name,
  onFiles,
}: {
  accept: string
  label: string
  hint: string
  multiple?: boolean
  name: string
  onFiles: (files: File[]) => void
}) {
  const [over, setOver] = useState(false)
  return (
    <div
      className={`drop-zone${over ? ' over' : ''}`}
      data-testid={`drop-${name}`}
      onDragEnter={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragOver={(e) => e.preventDefault()}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false)
      }}
      onDrop={(e) => {
        e.preventDefault()
        setOver(false)
        onFiles([...e.dataTransfer.files])
      }}
    >
      <p>{hint}</p>
      <label className="button">
        {label}
        <input
          type="file"
          className="visually-hidden"
          name={name}
          accept={accept}
          multiple={multiple}
          onChange={(e) => {
            onFiles([...(e.currentTarget.files ?? [])])
            e.currentTarget.value = ''
          }}
        />
      </label>
    </div>
  )
}
