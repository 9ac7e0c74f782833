/** A track's mute and solo switches. */
export type MuteSolo = { muted: boolean; soloed: boolean }

/**
 * Which tracks are heard: when any track is soloed only soloed tracks play; a muted track never
 * plays, soloed or not.
 */
export function audibleFrom(tracks: readonly MuteSolo[]): boolean[] {
  const anySolo = tracks.some((t) => t.soloed)
  return tracks.map((t) => !t.muted && (!anySolo || t.soloed))
}
/** Whether generated parts are heard: unmuted, and no track soloed (a solo is for the stems). */
export function partsAudible(recipe: {
  tracks: readonly { soloed: boolean }[]
  generatedParts: readonly { muted: boolean }[]
}): boolean[] {
  const solo = recipe.tracks.some((t) => t.soloed)
  return recipe.generatedParts.map((p) => !p.muted && !solo)
}
