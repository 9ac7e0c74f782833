import type { Edit } from '../../../core/recipe/edits.ts'
import type { Region } from '../../../core/recipe/schema.ts'

/** What a drag on a region takes hold of: the body moves it, the edges trim, the corners fade. */
export type RegionPart = 'move' | 'trimStart' | 'trimEnd' | 'fadeIn' | 'fadeOut'

export const isRegionPart = (s: string | undefined): s is RegionPart =>
  s === 'move' || s === 'trimStart' || s === 'trimEnd' || s === 'fadeIn' || s === 'fadeOut'

/**
 * The edit a drag of `dx` seconds makes, measured from the region as it was when the gesture
 * began (`origin`), with times snapped to the grid. Mouse (RegionView) and touch (Timeline) both
 * go through here, so a handle behaves the same under a finger and under a pointer.
 */
export function regionDragEdit(
  part: RegionPart,
  ids: { trackId: string; regionId: string },
  origin: Region,
  dx: number,
  snap: (t: number) => number,
): Edit {
  switch (part) {
    case 'move':
      return { type: 'moveRegion', ...ids, start: snap(Math.max(0, origin.start + dx)) }
    case 'trimStart':
      return { type: 'trimRegionStart', ...ids, start: snap(origin.start + dx) }
    case 'trimEnd':
      return { type: 'trimRegionEnd', ...ids, end: snap(origin.start + origin.duration + dx) }
    case 'fadeIn':
      return { type: 'setRegion', ...ids, patch: { fadeIn: Math.max(0, origin.fadeIn + dx) } }
    case 'fadeOut':
      return { type: 'setRegion', ...ids, patch: { fadeOut: Math.max(0, origin.fadeOut - dx) } }
  }
}
