-- A day is closed before the archive pages it out to R2 (worker/events/archive.ts): from the
-- moment its `closing_days` row commits, no event of that day is written, so the rows the archive
-- pages are exactly the rows it deletes. (0002 skipped only events arriving after the archive was
-- recorded: one inserted between two pages, with an id before the page cursor, was counted and
-- then deleted without reaching R2.) RAISE(IGNORE) skips the row alone: the rest of the consumer's
-- batch is written, and the skipped event counts as not new, neither in day_counts nor in the
-- outbox. A day is recorded as archived only once it is closed. Days archived before this
-- migration are closed here.
CREATE TABLE closing_days (
  day TEXT PRIMARY KEY,
  closed_at TEXT NOT NULL
);
INSERT INTO closing_days (day, closed_at) SELECT day, archived_at FROM event_archives WHERE true;

DROP TRIGGER ledger_events_archived_day;
CREATE TRIGGER ledger_events_closed_day BEFORE INSERT ON ledger_events
WHEN EXISTS (SELECT 1 FROM closing_days c WHERE c.day = NEW.day)
BEGIN
  SELECT RAISE(IGNORE);
END;

CREATE TRIGGER event_archives_closed_first BEFORE INSERT ON event_archives
WHEN NOT EXISTS (SELECT 1 FROM closing_days c WHERE c.day = NEW.day)
BEGIN
  SELECT RAISE(ABORT, 'a day is archived only once closed');
END;
