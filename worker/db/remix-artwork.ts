import type { Bindings } from '../env.ts'

/** The one artwork object of a remix: a new upload replaces it, so none is left orphaned. */
export const remixArtworkKey = (remixId: string) => `remixes/${remixId}/artwork.png`

/** The remix's artwork PNG (for the export's cover), or null when it has none. */
export async function remixArtworkBytes(env: Bindings, remixId: string) {
  const object = await env.MEDIA.get(remixArtworkKey(remixId))
  return object ? new Uint8Array(await object.arrayBuffer()) : null
}
