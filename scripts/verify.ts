// `npm run verify -- file.mp3 [--json]`: asks the local worker (or $STEMFAIR_URL) which Stemfair
// export an audio file comes from, and prints the answer. Exit code 0 when an export is found,
// 3 for unlicensed use of campaign stems (fingerprints, no watermark), 2 when nothing matches,
// 1 on any error.
import { readFile } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { parseArgs } from 'node:util'
import { stemUseLine } from '../core/campaign/takedown-notice.ts'
import type { Verification } from '../core/campaign/verification.ts'

const TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
}

/** The answer in plain lines, as the /verify page shows it. */
export function describeVerification(answer: Verification): string {
  if (!answer.found && 'unlicensed' in answer)
    return [
      `UNLICENSED USE — ${answer.message}`,
      `  file sha-256: ${answer.unlicensed.fileSha256}`,
      ...answer.unlicensed.uses.map(
        (u) =>
          `  · “${u.campaign.title}” by ${u.campaign.artist}: ${stemUseLine(u)}\n` +
          `    rights holders: ${u.rightsHolders.join(', ')} — contact ${u.contact}`,
      ),
      '  (a re-recorded cover is not the same recording and is not found)',
    ].join('\n')
  if (!answer.found) return answer.message
  const status = answer.status === 'taken_down' ? 'TAKEN DOWN by the artist' : answer.status
  return [
    `Stemfair export ${answer.export.id} (confidence ${Math.round(answer.confidence * 100)} %)`,
    `  status:   ${status}`,
    `  remix:    “${answer.remix.title}” by ${answer.fan.name} (${answer.remix.id})`,
    `  campaign: “${answer.campaign.title}” by ${answer.campaign.artist} (${answer.campaign.slug})`,
    `  exported: ${answer.export.createdAt} as ${answer.export.formats.join(', ')}`,
    `  licence:  ${answer.licence.uid}, version ${answer.licence.version} — ${answer.licence.url}`,
    ...answer.licence.summary.map((line) => `            · ${line}`),
    `  credits:  ${answer.credits.map((c) => `${c.name} (${c.roles.join(', ')})`).join('; ')}`,
    `  share:    ${answer.shareUrl}`,
  ].join('\n')
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, url: { type: 'string' } },
  })
  const file = positionals[0]
  if (!file || positionals.length > 1) {
    console.error('usage: npm run verify -- <audio file> [--json] [--url http://127.0.0.1:8787]')
    return 1
  }
  const base = values.url ?? process.env.STEMFAIR_URL ?? 'http://127.0.0.1:8787'
  const bytes = await readFile(file)
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
  let res: Response
  try {
    res = await fetch(new URL('/api/verify', base), {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: bytes,
    })
  } catch (err) {
    console.error(`Could not reach ${base} (is \`npm start\` running?): ${(err as Error).message}`)
    return 1
  }
  const body = (await res.json().catch(() => null)) as
    Verification | { error: { code: string; message: string } } | null
  if (values.json) console.log(JSON.stringify(body, null, 2))
  if (!res.ok || !body || 'error' in body) {
    const message = body && 'error' in body ? body.error.message : res.statusText
    console.error(`${basename(file)}: ${message} (HTTP ${res.status})`)
    return 1
  }
  if (!values.json) console.log(`${basename(file)}: ${describeVerification(body)}`)
  return body.found ? 0 : 'unlicensed' in body ? 3 : 2
}

process.exitCode = await main()
