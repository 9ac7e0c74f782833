import { navigate } from '../../store/route.ts'
import { STEPS, wizardPath, type WizardStep } from './steps.ts'

/** The list of steps; every step of a saved campaign can be opened in any order. */
export function WizardNav({ id, step }: { id: string | null; step: WizardStep }) {
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
              </a>
            </li>
          )
        })}
      </ol>
    </nav>
  )
}
