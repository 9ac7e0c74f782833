-- A melodic stem's notes, transcribed once ahead of time (basic-pitch; core/api/notes.ts) so the
-- studio's generated parts need no wait: the R2 key of the JSON (worker/storage/keys.ts notesKey).
-- NULL when the stem has none (drums, the voice, a licence without generated parts, not yet made):
-- the studio then transcribes in the browser.
ALTER TABLE stems ADD COLUMN notes_key TEXT;
