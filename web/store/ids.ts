/** A short random id for new tracks, regions and effects (recipe ids are 1-64 of [A-Za-z0-9_-]). */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6))
  return `${prefix}-${[...bytes].map((b) => b.toString(36).padStart(2, '0')).join('')}`
}
