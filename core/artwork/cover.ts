import { FRONT_COVER, type Id3Frame } from '../audio/id3.ts'

/** The ID3 front-cover frame of a remix's artwork PNG; none without artwork. */
export function coverFrames(png: Uint8Array | null): Id3Frame[] {
  if (!png) return []
  return [
    {
      kind: 'picture',
      mime: 'image/png',
      pictureType: FRONT_COVER,
      description: 'Cover',
      data: png,
    },
  ]
}
