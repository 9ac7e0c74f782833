-- Artists' stem uploads: R2 multipart uploads through the worker, resumable part by part.
-- A stem row exists from the moment its upload completes (the container read by the worker); the
-- ingest job then makes the fans' rendition and peaks and marks it ready or failed.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  owner_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('stem', 'reference')),
  file_name TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size > 0),
  part_size INTEGER NOT NULL CHECK (part_size >= 5242880),
  part_count INTEGER NOT NULL CHECK (part_count >= 1 AND part_count <= 10000),
  object_key TEXT NOT NULL,
  r2_upload_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
  stem_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX uploads_campaign ON uploads (campaign_id, created_at);

-- Each part already in R2, with the etag R2 gave it (needed to complete the upload).
CREATE TABLE upload_parts (
  upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
  part_number INTEGER NOT NULL CHECK (part_number >= 1),
  etag TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (upload_id, part_number)
);

-- The master (private, never served), what the worker read from its container, and ingest state.
-- Seeded stems have no master: they are 'ready' with their rendition only.
ALTER TABLE stems ADD COLUMN master_key TEXT;
ALTER TABLE stems ADD COLUMN bit_depth INTEGER;
ALTER TABLE stems ADD COLUMN file_name TEXT;
ALTER TABLE stems ADD COLUMN ingest_status TEXT NOT NULL DEFAULT 'ready'
  CHECK (ingest_status IN ('processing', 'ready', 'failed'));
ALTER TABLE stems ADD COLUMN ingest_error TEXT;

-- The full reference mix (private) and the null test of the stems' sum against it.
ALTER TABLE campaigns ADD COLUMN reference_key TEXT;
ALTER TABLE campaigns ADD COLUMN reference_file_name TEXT;
ALTER TABLE campaigns ADD COLUMN reference_format TEXT;
ALTER TABLE campaigns ADD COLUMN null_test_db REAL;
-- Why the null test could not run (e.g. the reference's length differs from the stems').
ALTER TABLE campaigns ADD COLUMN null_test_error TEXT;
