-- One events database (EVENTS_DB_<n>, worker/events/shard.ts): the raw plays, downloads and
-- exports of the campaigns that hash to this shard, the counts their caps read, and the outbox of
-- per-day deltas the forwarder adds to the main database's daily_counts (worker/events/store.ts).
-- Every row written by worker/db/events.ts.

-- The raw event log, as the main database's ledger_events was: `id` is the idempotency key,
-- `status` whether the event is paid (counted) or held by a cap (`hold_reason`), `attempt` the
-- consumer attempt that wrote it, so that attempt's counts add exactly the rows it inserted.
CREATE TABLE ledger_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('export', 'play', 'download')),
  export_id TEXT NOT NULL,
  remix_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  day TEXT NOT NULL,
  listener TEXT,
  address TEXT,
  status TEXT NOT NULL CHECK (status IN ('counted', 'held')),
  hold_reason TEXT CHECK (hold_reason IS NULL OR hold_reason IN ('listener', 'address', 'export')),
  attempt TEXT NOT NULL
);
CREATE INDEX ledger_events_address ON ledger_events (address, export_id, day, type, status);
CREATE INDEX ledger_events_attempt ON ledger_events (attempt, export_id, day, type, status);
CREATE INDEX ledger_events_day ON ledger_events (day);
CREATE INDEX ledger_events_export ON ledger_events (export_id, type);

CREATE TRIGGER ledger_events_no_update BEFORE UPDATE ON ledger_events
BEGIN
  SELECT RAISE(ABORT, 'ledger_events is append-only');
END;

-- A day's raw events leave D1 only once their archive object is in R2 (worker/events/archive.ts).
CREATE TABLE event_archives (
  day TEXT PRIMARY KEY,
  r2_key TEXT NOT NULL,
  events INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  archived_at TEXT NOT NULL
);
CREATE TRIGGER ledger_events_no_delete BEFORE DELETE ON ledger_events
WHEN NOT EXISTS (SELECT 1 FROM event_archives a WHERE a.day = OLD.day)
BEGIN
  SELECT RAISE(ABORT, 'ledger_events leave D1 only once archived');
END;

-- Per export, UTC day and type, what this shard counted and held: the export cap reads it, in the
-- same transaction that inserts the events. Small (one row per export-day), never archived.
CREATE TABLE day_counts (
  export_id TEXT NOT NULL,
  day TEXT NOT NULL,
  type TEXT NOT NULL,
  counted INTEGER NOT NULL DEFAULT 0 CHECK (counted >= 0),
  held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
  PRIMARY KEY (export_id, day, type)
);

-- Deltas for the main database's daily_counts, written in the same transaction as the events they
-- count (only rows actually inserted). `id` is `<attempt>:<export>:<day>:<type>`: the main
-- database records it with the addition, so a delta forwarded twice is added once. Deleted once
-- forwarded.
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  export_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  day TEXT NOT NULL,
  type TEXT NOT NULL,
  counted INTEGER NOT NULL,
  held INTEGER NOT NULL
);
