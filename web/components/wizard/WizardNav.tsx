import { navigate } from '../../store/route.ts'
import type { Missing } from '../../../core/campaign/authoring.ts'
import { STEPS, wizardPath, type WizardStep } from './steps.ts'

/**
 * The list of steps; every step of a saved campaign can be opened in any order. A step that
 * publishing still needs something from is marked.
 */
export function WizardNav({
  id,
  step,
  missing = [],
}: {
  id: string | null
  step: WizardStep
  missing?: readonly Missing[]
}) {
  const todo = new Set<WizardStep>(missing.map((m) => m.step))
  return (
    <nav aria-label="Campaign steps" className="wizard-nav">
      <ol>
        {STEPS.map((s, i) => {
          const label = `${i + 1}. ${s.label}`
          if (!id)
            return (
              <li key={s.id} aria-current={s.id === step ? 'step' : undefined}>
                {label}
              </li>
            )
          const href = wizardPath(id, s.id)
          return (
            <li key={s.id}>
              <a
                href={href}
                aria-current={s.id === step ? 'step' : undefined}
                onClick={(e) => {
                  e.preventDefault()
                  navigate(href)
                }}
              >
                {label}
                {todo.has(s.id) && (
                  <span className="wizard-todo" title="Needed before publishing">
                    {' '}
                    •<span className="visually-hidden"> (needed before publishing)</span>
                  </span>
                )}
              </a>
            </li>
          )
        })}
      </ol>
    </nav>
  )
}
