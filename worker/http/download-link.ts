import type { ExportView } from '../../core/api/exports.ts'
import { FORMAT_INFO } from '../../core/api/formats.ts'
import { bytesOfHex, hexOf } from '../../core/lib/bytes.ts'
import { outputsOf, type ExportManifest } from '../../core/provenance/manifest.ts'
import type { Bindings } from '../env.ts'
import { purposeKey } from '../lib/hmac.ts'

/** How long a signed download link works. */
const DOWNLOAD_TTL_SECONDS = 10 * 60

/** The download-signing key: HMAC(SESSION_SECRET, 'downloads'). */
const downloadKey = (secret: string) => purposeKey(secret, 'downloads')

const signedText = (id: string, format: string, exp: number) =>
  new TextEncoder().encode(`${id}:${format}:${exp}`)

/** Signed, expiring download links for each file a ready export's manifest lists. */
export async function signDownloads(
  env: Bindings,
  id: string,
  manifest: Pick<ExportManifest, 'outputs'>,
): Promise<ExportView['downloads']> {
  const exp = Math.floor(Date.now() / 1000) + DOWNLOAD_TTL_SECONDS
  const key = await downloadKey(env.SESSION_SECRET)
  const files = await Promise.all(
    outputsOf(manifest).map(async ({ format, output }) => {
      const text = signedText(id, format, exp)
      const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, text))
      return {
        format,
        label: FORMAT_INFO[format].label,
        bytes: output.bytes,
        url: `/api/downloads/${id}/${format}?exp=${exp}&sig=${hexOf(sig)}`,
      }
    }),
  )
  return { files, expiresAt: new Date(exp * 1000).toISOString() }
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
