-- Fingerprint matches between a stem and a stem of another campaign (or a protected recording),
-- found at ingest. A campaign with an open match cannot publish until an admin clears it.
-- Written by the fingerprint step (worker/ingest), read by publishing and the admin console.
CREATE TABLE stem_matches (
  stem_id TEXT NOT NULL,
  matched_stem_id TEXT NOT NULL,
  matched_campaign_id TEXT NOT NULL,
  -- where the match lies, in seconds, in the new stem and in the matched one
  stem_start REAL NOT NULL,
  stem_end REAL NOT NULL,
  matched_start REAL NOT NULL,
  matched_end REAL NOT NULL,
  -- matched landmark hashes / query hashes, 0..1
  strength REAL NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cleared', 'refused')),
  decided_by TEXT,
  decided_at TEXT,
  reason TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (stem_id, matched_stem_id)
);
CREATE INDEX stem_matches_open ON stem_matches (status, stem_id);
