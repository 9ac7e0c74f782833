-- The files a fan chose for an export (a JSON array of core/api/formats.ts names; the exports made
-- before the choice had a 16-bit WAV and a 192 kbit/s MP3), and how long it lasts once rendered
-- (a ticket's listening requirement; before, it was read from the WAV, which an export may lack).
-- The files' keys and hashes are in the manifest's outputs; mp3_key/mp3_sha256 name the MP3 the
-- share page plays, wav_key/wav_sha256 the WAV when one was chosen.
ALTER TABLE exports ADD COLUMN formats TEXT NOT NULL DEFAULT '["mp3-192","wav-16"]';
ALTER TABLE exports ADD COLUMN seconds REAL;
