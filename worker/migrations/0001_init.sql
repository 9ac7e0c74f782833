-- Users, campaigns and stems: the foundation. Later tables come in later migrations.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('fan', 'artist', 'admin')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  owner_id TEXT NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  artist TEXT NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'live', 'closed')),
  tempo REAL NOT NULL,
  musical_key TEXT NOT NULL,
  time_signature TEXT NOT NULL,
  sample_rate INTEGER NOT NULL,
  artwork_key TEXT,
  opens_at TEXT NOT NULL,
  closes_at TEXT NOT NULL,
  iswc TEXT,
  licence TEXT NOT NULL,
  splits TEXT NOT NULL,
  credits TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE stems (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  is_voice INTEGER NOT NULL CHECK (is_voice IN (0, 1)),
  r2_key TEXT NOT NULL,
  format TEXT NOT NULL,
  sample_rate INTEGER NOT NULL,
  channels INTEGER NOT NULL,
  length_samples INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  peaks_key TEXT NOT NULL,
  analysis TEXT NOT NULL,
  isrc TEXT,
  rights_holders TEXT NOT NULL,
  UNIQUE (campaign_id, position)
);
CREATE INDEX stems_campaign ON stems (campaign_id, position);

-- One row per queue job that finished; the id is the job's idempotency key.
CREATE TABLE job_runs (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  finished_at TEXT NOT NULL
);
