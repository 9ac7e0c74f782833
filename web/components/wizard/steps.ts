/** The wizard's steps, in order. */
export const STEPS = [
  { id: 'details', label: 'Details' },
  { id: 'artwork', label: 'Artwork' },
  { id: 'stems', label: 'Stems' },
  { id: 'licence', label: 'Licence' },
  { id: 'splits', label: 'Splits & credits' },
  { id: 'review', label: 'Review & publish' },
] as const
export type WizardStep = (typeof STEPS)[number]['id']

/** Whether a path segment names a step. */
export function isWizardStep(s: string): s is WizardStep {
  return STEPS.some((step) => step.id === s)
}

/** The address of a campaign's step in the console. */
export function wizardPath(id: string, step: WizardStep = 'details'): string {
  return `/console/campaigns/${encodeURIComponent(id)}/${step}`
}

/** The step after this one, or null on the last. */
export function nextStep(step: WizardStep): WizardStep | null {
  const i = STEPS.findIndex((s) => s.id === step)
  return STEPS[i + 1]?.id ?? null
}

/** A title as a slug: lowercase words joined by hyphens. */
export function slugFrom(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
}

/** An ISO date-time as a `datetime-local` input's value, in local time. */
export function localInputFrom(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A `datetime-local` input's value as an ISO date-time, or null when empty or invalid. */
export function isoFromLocalInput(value: string): string | null {
  if (!value) return null
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}
