-- Whether audio carries the export watermark, measured at ingest (worker/ingest/markability.ts):
-- each stem alone and the campaign's default mix, marked with a test payload, encoded as exports
-- are and read back, then read back again with noise. JSON of core/watermark/markability.ts's
-- Markability; NULL until measured (and for campaigns seeded or published before this).
ALTER TABLE stems ADD COLUMN markability TEXT;
ALTER TABLE campaigns ADD COLUMN markability TEXT;

-- An unwatermarked export is recognised by its files' hashes (worker/verify/examine.ts).
CREATE INDEX exports_mp3_sha256 ON exports (mp3_sha256) WHERE mp3_sha256 IS NOT NULL;
CREATE INDEX exports_wav_sha256 ON exports (wav_sha256) WHERE wav_sha256 IS NOT NULL;
