import { FRONT_COVER, type Id3Frame } from '../audio/id3.ts'
import { halve, type RgbaImage } from './image.ts'
import { encodeJpeg } from './jpeg.ts'
import { decodePng } from './png.ts'

/** The largest cover a file carries: what players and stores expect embedded. */
export const EMBEDDED_COVER_BYTES = 1024 * 1024

/** The embedded cover's largest side: the 3000 px artwork halved once. */
export const EMBEDDED_COVER_SIDE = 1500

/** A cover to embed: a JPEG and its size in pixels. */
export type EmbeddedCover = { mime: 'image/jpeg'; width: number; height: number; data: Uint8Array }

/**
 * The cover the audio files carry, from the 3000×3000 artwork PNG: halved to at most
 * EMBEDDED_COVER_SIDE and encoded as a baseline JPEG, at quality 90 and lower (then smaller) until
 * it is at most EMBEDDED_COVER_BYTES.
 */
export function embeddedCoverFrom(png: Uint8Array): EmbeddedCover {
  let image: RgbaImage = decodePng(png)
  while (Math.max(image.width, image.height) > EMBEDDED_COVER_SIDE) image = halve(image)
  for (;;) {
    for (const quality of [90, 80, 70, 60]) {
      const data = encodeJpeg(image, quality)
      if (data.length <= EMBEDDED_COVER_BYTES)
        return { mime: 'image/jpeg', width: image.width, height: image.height, data }
    }
    image = halve(image)
  }
}

/** The ID3 front-cover frame of an export's cover; none without artwork. */
export function coverFrames(cover: EmbeddedCover | null): Id3Frame[] {
  if (!cover) return []
  return [
    {
      kind: 'picture',
      mime: cover.mime,
      pictureType: FRONT_COVER,
      description: 'Cover',
      data: cover.data,
    },
  ]
}
