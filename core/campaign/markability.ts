// What a campaign's markability (measured at ingest, core/watermark/markability.ts) means for its
// artist and its fans: the words, what publishing needs, and what an export does. One place.
import type { LicencePolicy, UnwatermarkedExports } from '../licence/policy.ts'
import type { Markability, MarkabilityLevel } from '../watermark/markability.ts'

/** The label an export carries when it goes out without the watermark. */
export const UNWATERMARKED_LABEL = "not watermarked (the campaign's stems cannot carry it)"

/** The verdict in plain words for the artist: what it means and what to do. */
export function markabilityWords(level: MarkabilityLevel): string {
  switch (level) {
    case 'markable':
      return 'The watermark reads back from an MP3 of this audio, with room to spare.'
    case 'weak':
      return (
        'The watermark reads back from an MP3 of this audio, but not once a little noise is ' +
        'added: copies that are re-recorded or heavily re-encoded may lose it. Stems with more ' +
        'energy between 1 and 6 kHz (mids and highs: keys, guitars, voice, hats) carry it better.'
      )
    case 'unmarkable':
      return (
        'The watermark cannot be read back from an MP3 of this audio: it has too little energy ' +
        'between 1 and 6 kHz (a sine bass, soft low chords and short bursts leave nothing to ' +
        'carry it). Add or raise stems with mids and highs, or choose in the licence what ' +
        'exports do without a watermark.'
      )
  }
}

/** The words for each choice the artist can make for exports of an unmarkable campaign. */
export const UNWATERMARKED_CHOICES: Record<UnwatermarkedExports, string> = {
  'fingerprint-only':
    'Allow exports without a watermark: each is labelled “not watermarked” and proven by its ' +
    'signed manifest and the stems’ fingerprints only.',
  refuse: 'Refuse exports: fans can remix and listen, but not download.',
}

/** Whether publishing waits for the artist's choice of what unwatermarked exports do. */
export function needsUnwatermarkedChoice(
  markability: Markability | null,
  licence: Pick<LicencePolicy, 'unwatermarked'> | null,
): boolean {
  return markability?.level === 'unmarkable' && !licence?.unwatermarked
}

/** What an export of the campaign does: carry the mark, go out without it (labelled), or not at all. */
export type ExportMarking =
  { watermark: true } | { watermark: false; label: string } | { refused: true; reason: string }

/**
 * The export rule. A campaign not measured (or measured markable or weak) is marked, and its
 * read-back still checked; an unmarkable one does what its licence says.
 */
export function exportMarkingFor(
  markability: Markability | null,
  licence: Pick<LicencePolicy, 'unwatermarked'>,
): ExportMarking {
  if (markability?.level !== 'unmarkable') return { watermark: true }
  if (licence.unwatermarked === 'fingerprint-only')
    return { watermark: false, label: UNWATERMARKED_LABEL }
  return {
    refused: true,
    reason:
      'This campaign does not offer downloads: its stems cannot carry the watermark that ' +
      'protects exports, and the artist chose not to release unwatermarked copies. You can ' +
      'still remix, save and listen here.',
  }
}

/** What a fan is told before exporting from a campaign whose exports are not marked as usual. */
export type ExportNotice = { refused: boolean; message: string }

/** The notice for fans, from the same rule exports follow; null when exports carry the watermark. */
export function exportNoticeFor(
  markability: Markability | null,
  licence: Pick<LicencePolicy, 'unwatermarked'>,
): ExportNotice | null {
  const marking = exportMarkingFor(markability, licence)
  if ('refused' in marking) return { refused: true, message: marking.reason }
  if (marking.watermark) return null
  return {
    refused: false,
    message:
      'Exports of this campaign go out without a watermark: its stems cannot carry one. Each ' +
      'file says so (“not watermarked”) and is proven by its signed manifest and the stems’ ' +
      'fingerprints instead.',
  }
}
