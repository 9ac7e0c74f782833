import type { Statement } from './statement.ts'

/** The DSR-style flat file's format name and version, written in its HEAD record. */
export const DSR_VERSION = 'stemfair-dsr-flat/1.0'

/** The CSV columns, in order. */
export const CSV_HEADER = [
  'party',
  'kind',
  'stem',
  'stem_name',
  'plays',
  'amount_minor',
  'currency',
]

// A spreadsheet runs a cell starting with one of these as a formula; a quote keeps it text.
const FORMULA = /^[=+\-@\t\r]/

function csvField(value: string | number): string {
  let text = String(value)
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * A statement as CSV (RFC 4180, CRLF): one row per party and stem, then a TOTAL row, then — when
 * the caps held plays back — a HELD row per export with its held plays and no amount.
 */
export function statementCsv(s: Statement): string {
  const rows: (string | number)[][] = [CSV_HEADER]
  for (const p of s.parties) {
    if (p.stems.length === 0) rows.push([p.party, p.kind, '', '', p.plays, p.amount, s.currency])
    for (const x of p.stems)
      rows.push([p.party, p.kind, x.stem, x.name, p.plays, x.amount, s.currency])
  }
  const total = s.parties.reduce((sum, p) => sum + p.amount, 0)
  rows.push(['TOTAL', '', '', '', s.totalPlays, total, s.currency])
  for (const h of s.held) rows.push(['HELD', 'held', h.exportId, h.title, h.plays, 0, s.currency])
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** Parses RFC 4180 CSV into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length > 0) rows.push([...row, field])
  return rows
}

/** Options of the DSR-style file: who receives it, and the stems' ISRCs where known. */
export type DsrOptions = { recipient?: string; isrcs?: Record<string, string | null> }

const dsrField = (value: string | number) => String(value).replace(/[\t\r\n]+/g, ' ')

/**
 * A statement as a DDEX-DSR-style flat file (tab separated, LF): a HEAD record, one SU01 summary
 * per party, one RU01 usage line per party, stem and release (the campaign), and a FOOT record
 * with the totals and the number of lines, HEAD and FOOT included.
 */
export function statementDsr(s: Statement, options: DsrOptions = {}): string {
  const lines: (string | number)[][] = [
    [
      'HEAD',
      DSR_VERSION,
      'Stemfair',
      options.recipient ?? s.campaign,
      s.period.from,
      s.period.to,
      s.currency,
    ],
  ]
  let usages = 0
  s.parties.forEach((p, i) => {
    const id = `S${i + 1}`
    lines.push(['SU01', id, p.party, p.kind, p.plays, p.amount, s.currency])
    for (const x of p.stems) {
      lines.push([
        'RU01',
        id,
        s.campaign,
        x.stem,
        x.name,
        options.isrcs?.[x.stem] ?? '',
        x.amount,
        s.currency,
      ])
      usages++
    }
  })
  const total = s.parties.reduce((sum, p) => sum + p.amount, 0)
  lines.push(['FOOT', s.parties.length, usages, s.totalPlays, total, lines.length + 1])
  return lines.map((l) => l.map(dsrField).join('\t')).join('\n') + '\n'
}

/** The records of a DSR-style file, by type. */
export type ParsedDsr = {
  head: {
    version: string
    sender: string
    recipient: string
    from: string
    to: string
    currency: string
  }
  summaries: {
    id: string
    party: string
    kind: string
    plays: number
    amount: number
    currency: string
  }[]
  usages: {
    summary: string
    release: string
    stem: string
    name: string
    isrc: string
    amount: number
    currency: string
  }[]
  foot: { summaries: number; usages: number; plays: number; amount: number; lines: number }
  lines: number
}

/** Reads back what `statementDsr` writes; throws on an unknown or malformed record. */
export function parseDsr(text: string): ParsedDsr {
  const records = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'))
  const out: Partial<ParsedDsr> & Pick<ParsedDsr, 'summaries' | 'usages'> = {
    summaries: [],
    usages: [],
  }
  for (const r of records) {
    const [type, ...f] = r as [string, ...string[]]
    const at = (i: number) => f[i] ?? ''
    if (type === 'HEAD')
      out.head = {
        version: at(0),
        sender: at(1),
        recipient: at(2),
        from: at(3),
        to: at(4),
        currency: at(5),
      }
    else if (type === 'SU01')
      out.summaries.push({
        id: at(0),
        party: at(1),
        kind: at(2),
        plays: Number(at(3)),
        amount: Number(at(4)),
        currency: at(5),
      })
    else if (type === 'RU01')
      out.usages.push({
        summary: at(0),
        release: at(1),
        stem: at(2),
        name: at(3),
        isrc: at(4),
        amount: Number(at(5)),
        currency: at(6),
      })
    else if (type === 'FOOT')
      out.foot = {
        summaries: Number(at(0)),
        usages: Number(at(1)),
        plays: Number(at(2)),
        amount: Number(at(3)),
        lines: Number(at(4)),
      }
    else throw new Error(`unknown DSR record ${type}`)
  }
  if (!out.head || !out.foot) throw new Error('a DSR file needs a HEAD and a FOOT record')
  return { ...out, head: out.head, foot: out.foot, lines: records.length }
}
