import type { ExportView } from '../../core/api/exports.ts'
import { bytesOfHex, hexOf } from '../../core/lib/bytes.ts'
import type { ExportFormat } from '../../core/provenance/manifest.ts'
import type { Bindings } from '../env.ts'
import { purposeKey } from '../lib/hmac.ts'

/** How long a signed download link works. */
const DOWNLOAD_TTL_SECONDS = 10 * 60

/** The download-signing key: HMAC(SESSION_SECRET, 'downloads'). */
const downloadKey = (secret: string) => purposeKey(secret, 'downloads')

const signedText = (id: string, format: string, exp: number) =>
  new TextEncoder().encode(`${id}:${format}:${exp}`)

/** Signed, expiring download links for a ready export. */
export async function signDownloads(env: Bindings, id: string): Promise<ExportView['downloads']> {
  const exp = Math.floor(Date.now() / 1000) + DOWNLOAD_TTL_SECONDS
  const key = await downloadKey(env.SESSION_SECRET)
  const url = async (format: ExportFormat) => {
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, signedText(id, format, exp)))
    return `/api/downloads/${id}/${format}?exp=${exp}&sig=${hexOf(sig)}`
  }
  return {
    wav: await url('wav'),
    mp3: await url('mp3'),
    expiresAt: new Date(exp * 1000).toISOString(),
  }
}

/** Whether a link's signature is ours (compared in constant time by WebCrypto) and unexpired. */
export async function verifyDownload(
  env: Bindings,
  id: string,
  format: string,
  exp: string,
  sig: string,
) {
  if (!/^\d{1,12}$/.test(exp) || !/^[0-9a-f]{64}$/.test(sig)) return false
  if (Number(exp) < Date.now() / 1000) return false
  const key = await downloadKey(env.SESSION_SECRET)
  return crypto.subtle.verify('HMAC', key, bytesOfHex(sig)!, signedText(id, format, Number(exp)))
}
