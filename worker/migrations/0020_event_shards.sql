-- Raw events moved to the events databases (EVENTS_DB_<n>, worker/migrations-events/): this
-- database keeps daily_counts, which the forwarder adds to from each shard's outbox
-- (worker/events/store.ts). `applied_deltas` records each delta id in the same transaction as its
-- addition, so a delta forwarded twice (the forwarder died before deleting it from the outbox) is
-- added once; `forwarded_by` is the forwarding run, whose rows that one statement then adds.
-- Rows older than a week are pruned by the daily cron: an outbox row is deleted right after it is
-- forwarded, so no replay comes that late.
CREATE TABLE applied_deltas (
  id TEXT PRIMARY KEY,
  export_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  day TEXT NOT NULL,
  type TEXT NOT NULL,
  counted INTEGER NOT NULL,
  held INTEGER NOT NULL,
  forwarded_by TEXT NOT NULL,
  applied_at TEXT NOT NULL
);
CREATE INDEX applied_deltas_run ON applied_deltas (forwarded_by);
CREATE INDEX applied_deltas_at ON applied_deltas (applied_at);

-- ledger_events here stays for the rows written before the shards: the daily archive moves them
-- to R2 as before (events/<day>.ndjson) and nothing writes it any more.
