import { FORMAT_INFO } from '../../core/api/formats.ts'
import { useEffect, useRef, useState } from 'react'
import { MAX_VERIFY_BYTES, type Verification } from '../../core/campaign/verification.ts'
import { verifyFile } from '../api.ts'
import { ManifestPanel } from '../components/provenance/ManifestPanel.tsx'
import { fileSha256 } from '../components/provenance/verify.ts'
import { UnlicensedUse } from '../components/verify/UnlicensedUse.tsx'

type Found = Extract<Verification, { found: true }>

type State =
  | { status: 'idle' }
  | { status: 'uploading'; name: string; fraction: number }
  | { status: 'checking'; name: string }
  | { status: 'ready'; name: string; answer: Verification; file: File }
  | { status: 'error'; name: string; message: string }

const STATUS_WORDS: Record<Found['status'], string> = {
  ready: 'Licensed export',
  taken_down: 'Taken down by the artist',
  rejected: 'Export was rejected',
  queued: 'Export still processing',
  processing: 'Export still processing',
  awaiting_approval: 'Licensed export, waiting for the artist’s approval',
  not_approved: 'Export not approved by the artist',
}

const dateOf = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** Which Stemfair export, if any, an audio file comes from: drop a file, read the answer. */
export function VerifyPage() {
  const [state, setState] = useState<State>({ status: 'idle' })
  const [dragging, setDragging] = useState(false)
  // The dropped file's SHA-256, computed here, to compare with the signed manifest's outputs.
  const [sha256, setSha256] = useState<string | null>(null)
  const abort = useRef<AbortController | null>(null)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    document.title = 'Verify a file · Stemfair'
    return () => abort.current?.abort()
  }, [])

  const check = (file: File) => {
    abort.current?.abort()
    const name = file.name
    if (file.size > MAX_VERIFY_BYTES)
      return setState({
        status: 'error',
        name,
        message: `This file is ${(file.size / 2 ** 20).toFixed(0)} MiB; the limit is ${MAX_VERIFY_BYTES / 2 ** 20} MiB.`,
      })
    const controller = new AbortController()
    abort.current = controller
    setState({ status: 'uploading', name, fraction: 0 })
    setSha256(null)
    void fileSha256(file).then((hash) => controller.signal.aborted || setSha256(hash))
    verifyFile(
      file,
      (fraction) => setState({ status: 'uploading', name, fraction }),
      () => setState({ status: 'checking', name }),
      controller.signal,
    )
      .then((answer) => setState({ status: 'ready', name, answer, file }))
      .catch((err: Error) => {
        if (!controller.signal.aborted) setState({ status: 'error', name, message: err.message })
      })
  }

  const busy = state.status === 'uploading' || state.status === 'checking'
  return (
    <main className="pad verify">
      <h1>Verify a file</h1>
      <p className="lede">
        Every Stemfair export carries an inaudible watermark. Drop an audio file, or a clip of ten
        seconds or more, to learn whether it is a licensed remix: which export, which fan, which
        licence and credits. A file without a watermark is compared with the fingerprints of every
        campaign&apos;s stems, so unlicensed use of those recordings shows too (a re-recorded cover
        is not the same recording and is not found; a drum part mixed under other music as loud as
        it is found only just, if at all).
      </p>
      <label
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="verify-drop"
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault()
          setDragging(false)
          const file = e.dataTransfer.files[0]
          if (file) check(file)
        }}
      >
        <strong>Drop an audio file here</strong>
        <span className="muted">or choose one · WAV, MP3, FLAC or Ogg Vorbis, up to 60 MiB</span>
        <input
          ref={input}
          type="file"
          accept="audio/*,.wav,.mp3,.flac,.ogg,.oga"
          data-testid="verify-file"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (file) check(file)
            e.target.value = ''
          }}
        />
      </label>
      <Progress state={state} />
      {state.status === 'error' && (
        <p className="error" role="alert" data-testid="verify-error">
          {state.name}: {state.message}
        </p>
      )}
      {state.status === 'ready' &&
        ('unlicensed' in state.answer ? (
          <UnlicensedUse
            file={state.file}
            use={state.answer.unlicensed}
            message={state.answer.message}
          />
        ) : (
          <Answer name={state.name} answer={state.answer} />
        ))}
      {state.status === 'ready' && state.answer.found && (
        <ManifestPanel exportId={state.answer.export.id} fileSha256={sha256} />
      )}
    </main>
  )
}

function Progress({ state }: { state: State }) {
  if (state.status !== 'uploading' && state.status !== 'checking') return null
  const uploading = state.status === 'uploading'
  return (
    <div className="progress" data-testid="verify-progress" data-phase={state.status}>
      <span>
        {uploading
          ? `Uploading ${state.name}… ${Math.round(state.fraction * 100)} %`
          : `Decoding ${state.name} and looking for a watermark…`}
      </span>
      {uploading ? <progress value={state.fraction} /> : <progress />}
    </div>
  )
}

function Answer({ name, answer }: { name: string; answer: Verification }) {
  if (!answer.found)
    return (
      <section className="verify-answer" data-testid="verify-result" data-found="false">
        <h2>{answer.message}</h2>
        <p className="muted">
          {name} carries no watermark of a Stemfair export. It may not come from Stemfair, or it was
          changed too much for the mark to survive.
        </p>
      </section>
    )
  const { remix, campaign, fan, licence, credits } = answer
  return (
    <section
      className="verify-answer"
      data-testid="verify-result"
      data-found="true"
      data-status={answer.status}
    >
      <p className={`verify-status ${answer.status}`}>{STATUS_WORDS[answer.status]}</p>
      <h2>
        “{remix.title}” — remix by {fan.name}
      </h2>
      <p>
        Of “<a href={`/c/${campaign.slug}`}>{campaign.title}</a>” by {campaign.artist}.{' '}
        {answer.status === 'taken_down' ? (
          <span className="muted">Its share page is no longer available.</span>
        ) : answer.status === 'awaiting_approval' || answer.status === 'not_approved' ? (
          <span className="muted">It has no public share page.</span>
        ) : (
          <a href={answer.shareUrl} data-testid="verify-share">
            Open the share page
          </a>
        )}
      </p>
      <dl className="verify-facts">
        <dt>Export</dt>
        <dd>
          <code data-testid="verify-export-id">{answer.export.id}</code>, made{' '}
          {dateOf(answer.export.createdAt)} (
          {answer.export.formats.map((f) => FORMAT_INFO[f].label).join('; ')})
        </dd>
        {answer.by === 'file-hash' ? (
          <>
            <dt>Recognised by</dt>
            <dd data-testid="verify-by">
              the file itself, unchanged from the export: it is{' '}
              {answer.watermarkNote ?? 'not watermarked'}
            </dd>
          </>
        ) : (
          <>
            <dt>Confidence</dt>
            <dd>{Math.round(answer.confidence * 100)} %</dd>
          </>
        )}
        <dt>File checked</dt>
        <dd>{name}</dd>
      </dl>
      <div className="info">
        <section aria-labelledby="verify-credits-h">
          <h3 id="verify-credits-h">Credits</h3>
          <ul className="credits">
            <li>
              <strong>{fan.name}</strong> <span>remix</span>
            </li>
            {credits.map((c) => (
              <li key={c.name}>
                <strong>{c.name}</strong> <span>{c.roles.join(', ')}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="verify-licence-h">
          <h3 id="verify-licence-h">
            Licence <a href={licence.url}>{licence.uid}</a> (version {licence.version})
          </h3>
          <ul className="licence">
            {licence.summary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      </div>
    </section>
  )
}
