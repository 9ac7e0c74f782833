-- Exports of remixes (the id is also the watermark payload) and the append-only revenue ledger.
CREATE TABLE exports (
  id TEXT PRIMARY KEY CHECK (length(id) = 16),
  remix_id TEXT NOT NULL REFERENCES remixes(id),
  remix_version INTEGER NOT NULL,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  owner_id TEXT NOT NULL REFERENCES users(id),
  licence_version INTEGER NOT NULL,
  recipe_hash TEXT NOT NULL,
  upload_key TEXT NOT NULL,
  upload_sha256 TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'processing', 'ready', 'rejected')),
  reason TEXT,
  wav_key TEXT,
  mp3_key TEXT,
  wav_sha256 TEXT,
  mp3_sha256 TEXT,
  manifest TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX exports_owner ON exports (owner_id, created_at);
CREATE INDEX exports_owner_campaign ON exports (owner_id, campaign_id, created_at);

-- One row per counted event; the id is its idempotency key, so a replay inserts nothing.
CREATE TABLE ledger_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('export', 'play', 'download')),
  export_id TEXT NOT NULL REFERENCES exports(id),
  remix_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE INDEX ledger_events_campaign ON ledger_events (campaign_id, occurred_at);
CREATE INDEX ledger_events_export ON ledger_events (export_id, type);

-- The ledger is append-only: the database itself refuses to change or remove an event.
CREATE TRIGGER ledger_events_no_update BEFORE UPDATE ON ledger_events
BEGIN
  SELECT RAISE(ABORT, 'ledger_events is append-only');
END;
CREATE TRIGGER ledger_events_no_delete BEFORE DELETE ON ledger_events
BEGIN
  SELECT RAISE(ABORT, 'ledger_events is append-only');
END;
