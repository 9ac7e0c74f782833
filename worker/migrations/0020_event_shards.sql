-- Raw events moved to the events databases (EVENTS_DB_<n>, worker/migrations-events/): this
-- database keeps daily_counts, which the forwarder adds to from each shard's outbox
-- (worker/events/store.ts). `applied_deltas` records each delta id in the same transaction as its
-- addition, so a delta forwarded twice (the forwarder died before deleting it from the outbox) is
-- added once; `forwarded_by` is the forwarding run, whose rows that one statement then adds.
-- `cleared_at` is when the forwarder deleted the delta from its outbox; each forward forgets ids
-- cleared more than 30 minutes before (worker/events/store.ts DELTA_IDS_KEPT_MS): longer than any
-- Worker invocation, so a forwarder that read the delta before it was deleted has applied (and
-- skipped) it by then. An id whose outbox delete never completed is never forgotten.
CREATE TABLE applied_deltas (
  id TEXT PRIMARY KEY,
  export_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  day TEXT NOT NULL,
  type TEXT NOT NULL,
  counted INTEGER NOT NULL,
  held INTEGER NOT NULL,
  forwarded_by TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  cleared_at TEXT
);
CREATE INDEX applied_deltas_run ON applied_deltas (forwarded_by);
CREATE INDEX applied_deltas_cleared ON applied_deltas (cleared_at);

-- ledger_events here stays for the rows written before the shards: the daily archive moves them
-- to R2 as before (events/<day>.ndjson) and nothing writes it any more.
