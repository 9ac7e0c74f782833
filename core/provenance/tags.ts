// The tags an export carries: ID3v2.4 frames (in the MP3 and the WAV's id3 chunk) and RIFF
// LIST/INFO fields, from its manifest. Pure: the export job writes them, tests read them back.
import type { Id3Frame } from '../audio/id3.ts'
import type { ExportManifest } from './manifest.ts'

function creditsLine(m: ExportManifest): string {
  return [...m.credits, { name: m.remix.fan, roles: ['remixer'] }]
    .map((c) => `${c.name} (${c.roles.join(', ')})`)
    .join('; ')
}

/** The ID3v2.4 frames of an export: title, artists, credits, sources, licence, AI disclosure, ids. */
export function id3FramesFrom(m: ExportManifest, kbps: number): Id3Frame[] {
  const text = (id: string, ...values: string[]): Id3Frame => ({ kind: 'text', id, values })
  const user = (description: string, value: string): Id3Frame => ({
    kind: 'userText',
    description,
    value,
  })
  const people = [...m.credits, { name: m.remix.fan, roles: ['remixer'] }]
  const composers = m.credits.filter((c) => c.roles.includes('composer')).map((c) => c.name)
  const isrcs = m.sources.flatMap((s) => (s.isrc ? [s.isrc] : []))
  return [
    text('TIT2', m.remix.title),
    text('TPE1', `${m.campaign.artist} (${m.remix.fan} remix)`),
    text('TPE2', m.campaign.artist),
    ...(composers.length ? [text('TCOM', ...composers)] : []),
    text('TIPL', ...people.flatMap((p) => p.roles.flatMap((role) => [role, p.name]))),
    user('CREDITS', creditsLine(m)),
    ...(isrcs.length ? [text('TSRC', isrcs[0]!), user('SOURCE_ISRCS', isrcs.join(', '))] : []),
    text('TDRC', m.createdAt.slice(0, 10)),
    text('TSSE', `Stemfair (LAME ${kbps} kbit/s)`),
    { kind: 'userUrl', description: 'licence', url: m.licence.url },
    user('LICENCE', `${m.licence.uid} (version ${m.licence.version})`),
    user('AI_DISCLOSURE', m.aiDisclosure),
    user('DIGITAL_SOURCE_TYPE', m.digitalSourceType),
    user('STEMFAIR_EXPORT_ID', m.exportId),
    ...(m.watermark ? [user('STEMFAIR_WATERMARK', m.watermark.note)] : []),
    // The signed manifest covers the outputs' hashes, so a file can only carry the claim's hash
    // (which the manifest repeats) and where to fetch the signed manifest, never its own signature.
    ...(m.manifestUrl ? [user('STEMFAIR_MANIFEST_URL', m.manifestUrl)] : []),
    user('STEMFAIR_MANIFEST_SHA256', m.claimSha256),
    {
      kind: 'comment',
      language: 'eng',
      description: '',
      text: m.licence.attribution ?? creditsLine(m),
    },
  ]
}

/** The RIFF LIST/INFO fields of the WAV rendition. */
export function infoFieldsFrom(m: ExportManifest) {
  const licence = `Licence ${m.licence.uid} (version ${m.licence.version}): ${m.licence.url}`
  return {
    INAM: m.remix.title,
    IART: `${m.campaign.artist} (${m.remix.fan} remix)`,
    ICMT:
      `Credits: ${creditsLine(m)}. ${m.aiDisclosure}. Stemfair export ${m.exportId}` +
      (m.watermark ? `, ${m.watermark.note}.` : '.') +
      (m.manifestUrl ? ` Signed manifest: ${m.manifestUrl} (claim sha256 ${m.claimSha256}).` : ''),
    ICOP: m.licence.attribution ? `${m.licence.attribution}. ${licence}` : licence,
    ISFT: 'Stemfair',
  }
}

/**
 * The VORBIS_COMMENT fields of the FLAC rendition: the same title, artists, credits, sources,
 * licence, AI disclosure and ids as the ID3 frames, under the field names players read.
 */
export function vorbisCommentsFrom(m: ExportManifest): [string, string][] {
  const composers = m.credits.filter((c) => c.roles.includes('composer')).map((c) => c.name)
  const isrcs = m.sources.flatMap((s) => (s.isrc ? [s.isrc] : []))
  return [
    ['TITLE', m.remix.title],
    ['ARTIST', `${m.campaign.artist} (${m.remix.fan} remix)`],
    ['ALBUMARTIST', m.campaign.artist],
    ...composers.map((name): [string, string] => ['COMPOSER', name]),
    ['REMIXER', m.remix.fan],
    ['CREDITS', creditsLine(m)],
    ...isrcs.map((isrc): [string, string] => ['SOURCE_ISRC', isrc]),
    ['DATE', m.createdAt.slice(0, 10)],
    ['ENCODER', 'Stemfair (FLAC)'],
    ['LICENSE', `${m.licence.uid} (version ${m.licence.version}) ${m.licence.url}`],
    ['AI_DISCLOSURE', m.aiDisclosure],
    ['DIGITAL_SOURCE_TYPE', m.digitalSourceType],
    ['STEMFAIR_EXPORT_ID', m.exportId],
    ...(m.watermark ? [['STEMFAIR_WATERMARK', m.watermark.note] as [string, string]] : []),
    ...(m.manifestUrl ? [['STEMFAIR_MANIFEST_URL', m.manifestUrl] as [string, string]] : []),
    ['STEMFAIR_MANIFEST_SHA256', m.claimSha256],
    ['COMMENT', m.licence.attribution ?? creditsLine(m)],
  ]
}
