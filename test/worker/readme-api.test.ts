import { describe, expect, it } from 'vitest'
import { app } from '../../worker/index.ts'
import { wellKnown } from '../../worker/routes/well-known.ts'

const readme = Object.values(
  import.meta.glob('../../README.md', { query: '?raw', import: 'default', eager: true }),
)[0]!

/** The README's `## API` section, up to the next heading. */
function apiSection(text: string): string {
  const start = text.indexOf('\n## API\n')
  expect(start, 'README has an "## API" section').toBeGreaterThan(-1)
  const end = text.indexOf('\n## ', start + 1)
  return text.slice(start, end === -1 ? undefined : end)
}

/** Every `METHOD path` the app answers (middleware, registered as ALL, is not a route). */
function appRoutes(): string[] {
  const routes = [...app.routes, ...wellKnown.routes]
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method} ${r.path}`)
  return [...new Set(routes)].sort()
}

describe('README API table', () => {
  const section = apiSection(readme)
  const lines = section.split('\n')
  const first = lines.findIndex((l) => l.startsWith('|'))
  const table = lines.slice(
    first,
    lines.findIndex((l, i) => i > first && !l.startsWith('|')),
  )

  it('is one markdown table: a header, a delimiter row, then rows, with no line in between', () => {
    expect(first).toBeGreaterThan(-1)
    expect(table[1]).toMatch(/^\|(\s*:?-+:?\s*\|)+$/)
    const rest = lines.slice(first + table.length)
    expect(
      rest.filter((l) => l.startsWith('|')),
      'table rows after the table ended',
    ).toEqual([])
  })

  it('lists every route of the app, once, and no route the app does not have', () => {
    // Each row's first cell is `METHOD[/METHOD…] /path`.
    const listed = table.slice(2).flatMap((row) => {
      const cell = /^\|\s*`([A-Z/]+) (\S+)`\s*\|/.exec(row)
      expect(cell, `a row whose first cell is \`METHOD /path\`: ${row}`).not.toBeNull()
      return cell![1]!.split('/').map((method) => `${method} ${cell![2]}`)
    })
    expect(listed.length, 'a route listed twice').toBe(new Set(listed).size)
    expect([...listed].sort()).toEqual(appRoutes())
  })
})
