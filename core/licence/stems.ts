import type { LicenceStem } from './use.ts'

/**
 * The campaign's stems as the licence names them. Stem rows are `<slug>-<manifest id>` (see the
 * seed); policies name stems by manifest id.
 */
export function licenceStemsFrom(
  slug: string,
  stems: readonly { id: string; isVoice: boolean }[],
): LicenceStem[] {
  const prefix = `${slug}-`
  return stems.map((s) => ({
    id: s.id,
    isVoice: s.isVoice,
    ...(s.id.startsWith(prefix) ? { manifestId: s.id.slice(prefix.length) } : {}),
  }))
}
