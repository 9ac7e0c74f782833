import { useState } from 'react'

/** The remix's cover art on its share page; nothing when the remix has none. */
export function ShareArtwork({ url }: { url: string | null }) {
  const [missing, setMissing] = useState(false)
  if (!url || missing) return null
  return (
    <img
      className="share-artwork"
      src={url}
      alt="Cover art of this remix (AI-assisted, made from the campaign's official images)"
      width={480}
      height={480}
      style={{ maxWidth: '100%', height: 'auto', borderRadius: 8 }}
      data-testid="share-artwork"
      onError={() => setMissing(true)}
    />
  )
}
