import { describeConstraint, EFFECT_WORDS, type StemNames } from '../../../core/licence/describe.ts'
import {
  ConstraintSchema,
  EFFECT_TYPES,
  LeftOperand,
  OPERANDS,
  Purpose,
} from '../../../core/licence/policy.ts'
import { constraintFrom, withOperand, type ConstraintDraft } from './licence-form.ts'
import { OPERAND_LABELS, OPERAND_UNITS, operatorLabel, PURPOSE_LABELS } from './licence-words.ts'
import { TargetSelect, type EditorStem } from './TargetSelect.tsx'

type Props = {
  draft: ConstraintDraft
  stems: readonly EditorStem[]
  names: StemNames
  issues: string[]
  onChange: (next: ConstraintDraft) => void
  onRemove: () => void
}

/** One constraint: what it limits, how, the value, the stem it applies to, and its sentence. */
export function ConstraintRow({ draft, stems, names, issues, onChange, onRemove }: Props) {
  const rule = OPERANDS[draft.leftOperand]
  const label = OPERAND_LABELS[draft.leftOperand]
  const constraint = constraintFrom(draft)
  const valid = ConstraintSchema.safeParse(constraint).success
  return (
    <li
      className="le-constraint"
      data-operand={draft.leftOperand}
      data-invalid={!valid || undefined}
    >
      <div className="le-row">
        <select
          aria-label="Limits"
          value={draft.leftOperand}
          onChange={(e) => onChange(withOperand(draft, e.target.value as LeftOperand))}
        >
          {LeftOperand.options.map((o) => (
            <option key={o} value={o}>
              {OPERAND_LABELS[o]}
            </option>
          ))}
        </select>
        <select
          aria-label={`${label}: comparison`}
          value={draft.operator}
          onChange={(e) =>
            onChange({ ...draft, operator: e.target.value as typeof draft.operator })
          }
        >
          {rule.operators.map((op) => (
            <option key={op} value={op}>
              {operatorLabel(draft.leftOperand, op)}
            </option>
          ))}
        </select>
        <ValueInput draft={draft} stems={stems} onChange={onChange} />
        {OPERAND_UNITS[draft.leftOperand] && (
          <span className="muted small">{OPERAND_UNITS[draft.leftOperand]}</span>
        )}
        {rule.target && (
          <TargetSelect
            label={`${label}: applies to`}
            value={draft.target}
            stems={stems}
            everyone="every stem"
            onChange={(target) => onChange({ ...draft, target })}
          />
        )}
        <button type="button" className="link" onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </div>
      {issues.length > 0 ? (
        <ul className="le-issues" role="alert">
          {issues.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : (
        valid && <p className="le-says small muted">{describeConstraint(constraint, names)}</p>
      )}
    </li>
  )
}

function ValueInput({
  draft,
  stems,
  onChange,
}: {
  draft: ConstraintDraft
  stems: readonly EditorStem[]
  onChange: (next: ConstraintDraft) => void
}) {
  const label = `${OPERAND_LABELS[draft.leftOperand]}: value`
  const kind = OPERANDS[draft.leftOperand].value
  const text = (e: React.ChangeEvent<HTMLInputElement>) =>
    onChange({ ...draft, text: e.target.value })
  switch (kind) {
    case 'number':
    case 'positive':
    case 'count':
      return (
        <input
          type="number"
          className="le-number"
          aria-label={label}
          min={0}
          step={kind === 'count' ? 1 : 'any'}
          value={draft.text}
          onChange={text}
        />
      )
    case 'dateTime':
      return (
        <input
          type="datetime-local"
          aria-label={label}
          step={1}
          value={draft.text}
          onChange={text}
        />
      )
    case 'countries':
      return (
        <input
          type="text"
          aria-label={label}
          placeholder={draft.operator === 'eq' ? 'FR' : 'FR, DE, JP'}
          value={draft.text}
          onChange={text}
        />
      )
    case 'purposes':
      return (
        <Ticks
          label={label}
          options={Purpose.options.map((p) => [p, PURPOSE_LABELS[p] ?? p])}
          draft={draft}
          onChange={onChange}
        />
      )
    case 'ids':
      return (
        <Ticks
          label={label}
          options={stems.map((s) => [s.id, s.name || s.id])}
          draft={draft}
          onChange={onChange}
        />
      )
    case 'effects':
      return (
        <Ticks
          label={label}
          options={EFFECT_TYPES.map((t) => [t, EFFECT_WORDS[t]])}
          draft={draft}
          onChange={onChange}
        />
      )
  }
}

function Ticks({
  label,
  options,
  draft,
  onChange,
}: {
  label: string
  options: [string, string][]
  draft: ConstraintDraft
  onChange: (next: ConstraintDraft) => void
}) {
  const toggle = (value: string, on: boolean) =>
    onChange({
      ...draft,
      picked: on
        ? options.map(([v]) => v).filter((v) => v === value || draft.picked.includes(v))
        : draft.picked.filter((v) => v !== value),
    })
  return (
    <fieldset className="le-ticks" aria-label={label}>
      {options.map(([value, words]) => (
        <label key={value} className="le-check">
          <input
            type="checkbox"
            checked={draft.picked.includes(value)}
            onChange={(e) => toggle(value, e.target.checked)}
          />{' '}
          {words}
        </label>
      ))}
      {options.length === 0 && <span className="muted small">no stems yet</span>}
    </fieldset>
  )
}
