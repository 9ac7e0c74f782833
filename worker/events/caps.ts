/**
 * When a play counts (issue 14): after 30 s of playback — the industry's usual threshold — or the
 * whole remix when it is shorter, and only once the worker served that much of the audio to the
 * listener. A ticket is short-lived: it must be redeemed within TICKET_GRACE_SECONDS after the
 * listening it stands for could have ended.
 */
export const PLAY_SECONDS = 30
export const TICKET_GRACE_SECONDS = 15 * 60

/**
 * Caps above which plays and downloads are recorded as held, not paid (counted per UTC day):
 * - one listener (cookie) counts at most 100 different exports a day;
 * - one address counts at most 20 listeners for one export a day (a household, an office, a
 *   café behind one NAT; a script rotating cookies hits it at once);
 * - one export counts at most 2 000 000 plays a day (well above the most played remix on any
 *   store today; anything above is held for review, never silently dropped).
 */
export const CAPS = { listenerPerDay: 100, addressPerExportPerDay: 20, exportPerDay: 2_000_000 }
