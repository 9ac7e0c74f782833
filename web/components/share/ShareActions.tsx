import { useState } from 'react'
import type { ShareView } from '../../../core/api/exports.ts'
import { embedCodeOf } from './embed.ts'

type Copied = 'link' | 'embed' | null

/** Copy link, share (where the device can), embed code, and "remix this too". */
export function ShareActions({ share }: { share: ShareView }) {
  const [copied, setCopied] = useState<Copied>(null)
  const [failed, setFailed] = useState(false)
  const pageUrl = `${window.location.origin}/r/${share.exportId}`
  const copy = async (what: Exclude<Copied, null>, text: string) => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied(what)
      setFailed(false)
      window.setTimeout(() => setCopied((c) => (c === what ? null : c)), 2500)
    } catch {
      setFailed(true)
    }
  }
  const canShare = typeof navigator.share === 'function'
  return (
    <div className="share-actions" role="group" aria-label="Share this remix">
      <button type="button" className="button" onClick={() => void copy('link', pageUrl)}>
        {copied === 'link' ? 'Link copied' : 'Copy link'}
      </button>
      {canShare && (
        <button
          type="button"
          className="button"
          onClick={() =>
            void navigator
              .share({
                title: share.title,
                text: `${share.title}, a remix by ${share.fan}`,
                url: pageUrl,
              })
              .catch(() => {})
          }
        >
          Share…
        </button>
      )}
      <button
        type="button"
        className="button"
        onClick={() => void copy('embed', embedCodeOf(window.location.origin, share))}
      >
        {copied === 'embed' ? 'Embed code copied' : 'Embed'}
      </button>
      <a className="button primary" href={`/c/${share.campaign.slug}/studio`}>
        Remix this too
      </a>
      {failed && (
        <span className="error" role="status">
          Could not copy: select and copy the address instead.
        </span>
      )}
      {copied && (
        <span className="sr-only" role="status">
          Copied
        </span>
      )}
    </div>
  )
}
