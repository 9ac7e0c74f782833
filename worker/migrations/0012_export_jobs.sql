-- Exports are rendered by the worker from the saved recipe (worker/export/): no upload any more.
-- A fan's Idempotency-Key names one export; a retried or concurrent request finds the same row.
-- The job reports its stage and progress here for the export dialog.
ALTER TABLE exports DROP COLUMN upload_key;
ALTER TABLE exports DROP COLUMN upload_sha256;
ALTER TABLE exports ADD COLUMN idempotency_key TEXT;
ALTER TABLE exports ADD COLUMN stage TEXT NOT NULL DEFAULT 'queued'
  CHECK (stage IN ('queued', 'rendering', 'encoding', 'signing', 'done'));
ALTER TABLE exports ADD COLUMN progress REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1);
CREATE UNIQUE INDEX exports_idempotency ON exports (owner_id, idempotency_key);

-- The recipe snapshot is written by the export route in the same batch as the export (explicitly,
-- see worker/db/exports.ts insertExport); no trigger writes or removes it behind the code's back.
DROP TRIGGER exports_capture_recipe;
DROP TRIGGER exports_forget_recipe;
