-- The fingerprint index (core/fingerprint). Each indexed recording gets a small number (`ref`) that
-- the hash rows carry, packed with the anchor's frame and bin into one integer (`entry`).
CREATE TABLE fingerprint_stems (
  ref INTEGER PRIMARY KEY,
  stem_id TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL,
  -- an admin marked the recording protected: a match counts even from its own campaign
  protected INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0, 1)),
  seconds REAL NOT NULL,
  hashes INTEGER NOT NULL DEFAULT 0,
  -- NULL until every hash row is written (in the same transaction as this)
  indexed_at TEXT
);

-- Two integers a row, clustered by hash: a lookup reads one contiguous run per hash.
CREATE TABLE fingerprint_hashes (
  hash INTEGER NOT NULL,
  entry INTEGER NOT NULL,
  PRIMARY KEY (hash, entry)
) WITHOUT ROWID;

-- Takedown notices for unlicensed use that verify proved from the file itself; the documents are
-- in R2 (text_key, html_key), the evidence as JSON here.
CREATE TABLE takedown_notices (
  id TEXT PRIMARY KEY,
  file_sha256 TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  evidence TEXT NOT NULL,
  text_key TEXT NOT NULL,
  html_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX takedown_notices_campaign ON takedown_notices (campaign_id, created_at);
