/** What the licence editor needs of a stem (a structural part of AuthorStem). */
export type EditorStem = { id: string; name: string; isVoice: boolean }

type Props = {
  label: string
  value: string
  stems: readonly EditorStem[]
  everyone: string // what '' means here: "every stem", "the whole remix"
  onChange: (target: string) => void
}

/** Chooses what a rule applies to: everything, every voice stem, or one stem. */
export function TargetSelect({ label, value, stems, everyone, onChange }: Props) {
  const known = value === '' || value === 'voice' || stems.some((s) => s.id === value)
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{everyone}</option>
      <option value="voice">voice stems</option>
      {stems.map((s) => (
        <option key={s.id} value={s.id}>
          the {s.name || s.id} stem
        </option>
      ))}
      {!known && <option value={value}>{value} (not a stem of this campaign)</option>}
    </select>
  )
}
