// A takedown notice for unlicensed use of a campaign's stems, as plain text and as an HTML
// document, from evidence the worker established itself (the file's hash and fingerprint matches).
import type { StemUse } from './verification.ts'

/** Everything a notice states. */
export type TakedownEvidence = {
  id: string
  createdAt: string
  fileSha256: string
  campaign: { slug: string; title: string; artist: string; url: string }
  rightsHolders: string[]
  contact: string
  uses: StemUse[]
  licence: { summary: string[] }
  issuedBy: { name: string; role: string }
}

const clock = (s: number) => {
  const t = Math.max(0, Math.round(s))
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`
}

/** One line per matched stem: where in the file, where in the stem, how strong, how altered. */
export function stemUseLine(use: StemUse): string {
  const altered = [
    Math.abs(use.semitones) >= 0.3
      ? `pitch ${use.semitones > 0 ? '+' : ''}${use.semitones.toFixed(1)} semitones`
      : '',
    Math.abs(use.timeScale - 1) >= 0.02 ? `time scale ×${use.timeScale.toFixed(2)}` : '',
  ].filter(Boolean)
  return (
    `“${use.stem.name}”${use.stem.isrc ? ` (ISRC ${use.stem.isrc})` : ''}: ` +
    `file ${clock(use.file.start)}–${clock(use.file.end)} uses stem ` +
    `${clock(use.inStem.start)}–${clock(use.inStem.end)}, match strength ` +
    `${Math.round(use.strength * 100)} %${altered.length ? `, ${altered.join(', ')}` : ''}`
  )
}

function statement(e: TakedownEvidence): string[] {
  return [
    `The file identified below uses sound recordings of the Stemfair campaign “${e.campaign.title}” ` +
      `by ${e.campaign.artist} without a licence. It carries no Stemfair watermark, so it is not ` +
      `an export made under the campaign's licence, and its audio fingerprints match the ` +
      `recordings listed.`,
    `The rights holders ask that the file be removed.`,
  ]
}

/** The notice as plain text. */
export function takedownNoticeText(e: TakedownEvidence): string {
  return [
    `TAKEDOWN NOTICE ${e.id}`,
    `Issued ${e.createdAt} by ${e.issuedBy.name} (${e.issuedBy.role}) through Stemfair`,
    '',
    ...statement(e),
    '',
    `File SHA-256: ${e.fileSha256}`,
    '',
    'Matched recordings:',
    ...e.uses.map((u) => `  - ${stemUseLine(u)}`),
    '',
    `Campaign: “${e.campaign.title}” by ${e.campaign.artist} — ${e.campaign.url}`,
    `Rights holders: ${e.rightsHolders.join(', ')}`,
    `Contact: ${e.contact}`,
    '',
    'The licence that would have allowed this use: a remix made in the Stemfair studio and',
    'exported under the campaign licence, which carries a Stemfair watermark, on these terms:',
    ...e.licence.summary.map((line) => `  · ${line}`),
    '',
    'A re-recorded cover is not the same recording; this notice concerns the recordings above.',
    '',
  ].join('\n')
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The notice as a self-contained HTML document. */
export function takedownNoticeHtml(e: TakedownEvidence): string {
  const li = (items: string[]) => items.map((i) => `<li>${escape(i)}</li>`).join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Takedown notice ${escape(e.id)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
code{word-break:break-all}th{text-align:left;padding-right:1rem}</style></head>
<body>
<h1>Takedown notice</h1>
<p>Notice <code>${escape(e.id)}</code>, issued ${escape(e.createdAt)} by ${escape(e.issuedBy.name)}
(${escape(e.issuedBy.role)}) through Stemfair.</p>
${statement(e)
  .map((p) => `<p>${escape(p)}</p>`)
  .join('\n')}
<h2>Evidence</h2>
<table>
<tr><th>File SHA-256</th><td><code>${escape(e.fileSha256)}</code></td></tr>
<tr><th>Campaign</th><td><a href="${escape(e.campaign.url)}">${escape(e.campaign.title)}</a> by ${escape(e.campaign.artist)}</td></tr>
<tr><th>Rights holders</th><td>${escape(e.rightsHolders.join(', '))}</td></tr>
<tr><th>Contact</th><td>${escape(e.contact)}</td></tr>
</table>
<h3>Matched recordings</h3>
<ul>${li(e.uses.map(stemUseLine))}</ul>
<h2>The licence that would have allowed it</h2>
<p>A remix made in the Stemfair studio and exported under the campaign licence carries a Stemfair
watermark. Its terms:</p>
<ul>${li(e.licence.summary)}</ul>
<p>A re-recorded cover is not the same recording; this notice concerns the recordings above.</p>
</body></html>
`
}
