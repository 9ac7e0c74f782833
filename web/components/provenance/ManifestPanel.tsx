import { FORMAT_INFO, sizeOf, type OutputFormat } from '../../../core/api/formats.ts'
import { useEffect, useState } from 'react'
import {
  IPTC_DIGITAL_SOURCE_TYPE,
  modelOf,
  outputsOf,
  seedOf,
  type ManifestOutput,
} from '../../../core/provenance/manifest.ts'
import { fileMatchOf } from '../../../core/provenance/signature.ts'
import { fetchAndVerifyManifest, type ManifestResult } from './verify.ts'
import './manifest.css'

type State =
  | { status: 'checking' }
  | { status: 'done'; result: ManifestResult }
  | { status: 'error'; message: string }

/** Plain words for the IPTC digital source types a Stemfair export can carry. */
const SOURCE_TYPE_WORDS: Record<string, string> = {
  humanEdits: 'Human edits of the official recordings — no AI output',
  compositeSynthetic: 'Composite of the official recordings with rule-based generated material',
  compositeWithTrainedAlgorithmicMedia:
    'Composite of the official recordings with output of trained AI models',
}

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

const short = (hash: string) => `${hash.slice(0, 12)}…${hash.slice(-6)}`

/**
 * An export's signed manifest, checked in this browser: the signature against the published key,
 * and, given a file's SHA-256, whether that file is one of the signed outputs.
 */
export function ManifestPanel({
  exportId,
  fileSha256,
}: {
  exportId: string
  /** The SHA-256 of a file whose watermark named this export (the verify page). */
  fileSha256?: string | null
}) {
  const [state, setState] = useState<State>({ status: 'checking' })
  useEffect(() => {
    const abort = new AbortController()
    setState({ status: 'checking' })
    fetchAndVerifyManifest(exportId, abort.signal)
      .then((result) => setState({ status: 'done', result }))
      .catch((err: Error) => {
        if (!abort.signal.aborted) setState({ status: 'error', message: err.message })
      })
    return () => abort.abort()
  }, [exportId])

  if (state.status === 'checking')
    return (
      <section className="manifest muted" data-testid="manifest" data-state="checking">
        Checking the signed manifest…
      </section>
    )
  if (state.status === 'error')
    return (
      <section className="manifest" data-testid="manifest" data-state="error">
        <p className="error">The signed manifest could not be loaded: {state.message}</p>
      </section>
    )
  const { manifest, signature, check, checkedBy, url } = state.result
  const term = manifest.digitalSourceType.replace(IPTC_DIGITAL_SOURCE_TYPE, '')
  const match = fileSha256 && manifest.outputs ? fileMatchOf(manifest, fileSha256) : null
  return (
    <section
      className="manifest"
      data-testid="manifest"
      data-state={check.verified ? 'verified' : 'not-verified'}
      aria-labelledby="manifest-h"
    >
      <h2 id="manifest-h">Provenance</h2>
      <p
        className={`manifest-status ${check.verified ? 'ok' : 'bad'}`}
        data-testid="manifest-status"
      >
        {check.verified
          ? `✓ Manifest verified — signed by Stemfair (key ${signature.kid.slice(0, 10)}…), checked ${
              checkedBy === 'browser'
                ? 'in your browser'
                : 'by the server (this browser lacks Ed25519)'
            }`
          : `✗ Manifest not verified: ${check.reason}`}
      </p>
      {match && (
        <p
          className={`manifest-file ${match.kind}`}
          data-testid="manifest-file"
          data-match={match.kind}
        >
          {match.kind === 'exact'
            ? `This exact file: its SHA-256 is the signed output “${FORMAT_INFO[match.format].label}”.`
            : 'A transcoded or re-tagged copy: the watermark matched, but the file’s hash differs from the signed outputs.'}
        </p>
      )}
      <p data-testid="manifest-disclosure">{manifest.aiDisclosure}.</p>
      <dl className="verify-facts">
        <dt>Digital source type</dt>
        <dd data-testid="manifest-source-type">
          {SOURCE_TYPE_WORDS[term] ?? term} <code>(IPTC {term})</code>
        </dd>
        <dt>Licence</dt>
        <dd>
          <a href={manifest.licence.url}>{manifest.licence.uid}</a>, version{' '}
          {manifest.licence.version}
        </dd>
        <dt>Credits</dt>
        <dd>
          {[...manifest.credits, { name: manifest.remix.fan, roles: ['remixer'] }]
            .map((c) => `${c.name} (${c.roles.join(', ')})`)
            .join('; ')}
        </dd>
        <dt>Text and data mining</dt>
        <dd>Reserved: not allowed for training or mining</dd>
        <dt>Recipe SHA-256</dt>
        <dd>
          <code title={manifest.remix.recipeSha256}>{short(manifest.remix.recipeSha256)}</code>
        </dd>
        {outputsOf(manifest).map(({ format, output }) => (
          <FileHash key={format} format={format} output={output} />
        ))}
        <dt>Claim SHA-256 (in the tags)</dt>
        <dd>
          <code title={manifest.claimSha256}>{short(manifest.claimSha256)}</code>
        </dd>
      </dl>
      <h3>AI actions ({manifest.aiActions.length})</h3>
      {manifest.aiActions.length === 0 ? (
        <p className="muted">None: every edit was made by hand.</p>
      ) : (
        <table className="manifest-actions" data-testid="manifest-actions">
          <thead>
            <tr>
              <th>Tool</th>
              <th>Model / version</th>
              <th>Provider</th>
              <th>Seed</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {manifest.aiActions.map((a) => (
              <tr key={a.id}>
                <td>{a.tool}</td>
                <td>
                  {modelOf(a) ? `${modelOf(a)} · ` : ''}
                  {a.version}
                </td>
                <td>{a.provider}</td>
                <td>{seedOf(a) ?? '—'}</td>
                <td>{when(a.appliedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="fine">
        <a href={url} data-testid="manifest-link">
          Signed manifest (JSON)
        </a>{' '}
        · <a href="/.well-known/jwks.json">public key</a>
      </p>
    </section>
  )
}

function FileHash({ format, output }: { format: OutputFormat; output: ManifestOutput }) {
  return (
    <>
      <dt>
        {FORMAT_INFO[format].label} ({sizeOf(output.bytes)}) SHA-256
      </dt>
      <dd>
        <code title={output.sha256}>{short(output.sha256)}</code>
      </dd>
    </>
  )
}
