-- Counting that a client cannot fake (issue 14): plays, downloads and exports as queued events
-- with the signals that decide whether they are paid; per-export-per-day counts that statements
-- and the console read; raw events archived to R2 by day; server-side sessions. Every row written by worker/db/events.ts, worker/db/sessions.ts, worker/db/moderation.ts.

-- The raw event log keeps its id (the idempotency key) and gains the signals. `day` is the UTC day
-- of occurred_at; `listener` the server-issued anonymous listener id (worker/events/listener.ts);
-- `address` a keyed hash of the address the platform reported; `status` whether the event is paid
-- (counted) or held by a cap (hold_reason says which); `attempt` the consumer attempt that wrote
-- it, so the same attempt's per-day counts add exactly the rows it inserted.
ALTER TABLE ledger_events ADD COLUMN day TEXT;
ALTER TABLE ledger_events ADD COLUMN listener TEXT;
ALTER TABLE ledger_events ADD COLUMN address TEXT;
ALTER TABLE ledger_events ADD COLUMN status TEXT NOT NULL DEFAULT 'counted'
  CHECK (status IN ('counted', 'held'));
ALTER TABLE ledger_events ADD COLUMN hold_reason TEXT
  CHECK (hold_reason IS NULL OR hold_reason IN ('listener', 'address', 'export'));
ALTER TABLE ledger_events ADD COLUMN attempt TEXT;

DROP TRIGGER ledger_events_no_update;
UPDATE ledger_events SET day = substr(occurred_at, 1, 10);
CREATE TRIGGER ledger_events_no_update BEFORE UPDATE ON ledger_events
BEGIN
  SELECT RAISE(ABORT, 'ledger_events is append-only');
END;

CREATE INDEX ledger_events_listener ON ledger_events (listener, day, type, status);
CREATE INDEX ledger_events_address ON ledger_events (address, export_id, day, type, status);
CREATE INDEX ledger_events_attempt ON ledger_events (attempt, export_id, day, type, status);
CREATE INDEX ledger_events_day ON ledger_events (day);

-- A day's raw events leave D1 only once their archive object is in R2 (worker/events/archive.ts).
CREATE TABLE event_archives (
  day TEXT PRIMARY KEY,
  r2_key TEXT NOT NULL,
  events INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  archived_at TEXT NOT NULL
);
DROP TRIGGER ledger_events_no_delete;
CREATE TRIGGER ledger_events_no_delete BEFORE DELETE ON ledger_events
WHEN NOT EXISTS (SELECT 1 FROM event_archives a WHERE a.day = OLD.day)
BEGIN
  SELECT RAISE(ABORT, 'ledger_events leave D1 only once archived');
END;

-- Counts per export, UTC day and type, kept by the events consumer in the same transaction as the
-- raw rows: statements pay `counted`, report `held`.
CREATE TABLE daily_counts (
  export_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  day TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('export', 'play', 'download')),
  counted INTEGER NOT NULL DEFAULT 0 CHECK (counted >= 0),
  held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
  PRIMARY KEY (export_id, day, type)
);
CREATE INDEX daily_counts_campaign ON daily_counts (campaign_id, day, type);
INSERT INTO daily_counts (export_id, campaign_id, day, type, counted, held)
  SELECT export_id, campaign_id, day, type, COUNT(*), 0 FROM ledger_events
  WHERE true GROUP BY export_id, day, type;

-- Server-side sessions: the cookie holds a random token, this table its SHA-256. Logout, a
-- password change and an admin's block revoke at once; idle and absolute expiry are checked on
-- every request.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX sessions_user ON sessions (user_id);
ALTER TABLE users ADD COLUMN blocked_at TEXT;

-- Rate limits moved to Cloudflare's rate-limiting binding ([[ratelimits]] in wrangler.toml).
DROP TABLE rate_limits;
