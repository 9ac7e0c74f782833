-- Moderation: the append-only audit log, reports from listeners, and each remix's last decision.

-- Every moderation action, in order. Never updated or deleted: the database refuses. The export
-- it concerns is not a foreign key: an export that never got queued is removed, its entry stays.
CREATE TABLE moderation_log (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id TEXT REFERENCES users(id),
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL
    CHECK (action IN ('submit', 'approve', 'reject', 'takedown', 'report', 'dismiss')),
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  remix_id TEXT NOT NULL REFERENCES remixes(id),
  export_id TEXT,
  report_id TEXT,
  reason TEXT
);
CREATE INDEX moderation_log_campaign ON moderation_log (campaign_id, at);
CREATE INDEX moderation_log_remix ON moderation_log (remix_id, at);

CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
  SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
  SELECT RAISE(ABORT, 'moderation_log is append-only');
END;

-- The remix's last decision (approve, reject or takedown): its reason and time are in the log.
ALTER TABLE remixes ADD COLUMN moderation_id TEXT REFERENCES moderation_log(id);

-- Reports of a shared remix, open until the artist decides on the remix or dismisses them.
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  export_id TEXT NOT NULL REFERENCES exports(id),
  remix_id TEXT NOT NULL REFERENCES remixes(id),
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  reporter_id TEXT REFERENCES users(id),
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 3 AND 500),
  created_at TEXT NOT NULL,
  resolved_by TEXT REFERENCES moderation_log(id)
);
CREATE INDEX reports_open ON reports (campaign_id, resolved_by, created_at);
CREATE INDEX reports_remix ON reports (remix_id, resolved_by);

-- Plays and downloads of a taken-down remix are not counted from that moment, whichever code
-- writes them: the insert is skipped (the writer sees no change), never an error.
CREATE TRIGGER ledger_events_not_after_takedown BEFORE INSERT ON ledger_events
WHEN NEW.type IN ('play', 'download')
  AND EXISTS (SELECT 1 FROM remixes WHERE id = NEW.remix_id AND status = 'taken_down')
BEGIN
  SELECT RAISE(IGNORE);
END;

-- Remixes exported before this migration were left as drafts: they wait for the artist where the
-- licence asks for approval, and are published elsewhere, as exports now do.
UPDATE remixes SET status = CASE
    WHEN EXISTS (
      SELECT 1 FROM campaigns c, json_each(c.licence, '$.duties') d
      WHERE c.id = remixes.campaign_id AND json_extract(d.value, '$.action') = 'obtainApproval'
    ) THEN 'submitted'
    ELSE 'published'
  END
WHERE status = 'draft'
  AND EXISTS (SELECT 1 FROM exports e WHERE e.remix_id = remixes.id AND e.status != 'rejected');
