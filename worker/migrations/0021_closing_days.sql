-- The main database's ledger_events (rows from before the shards) is archived like an events
-- database's (worker/migrations-events/0003_closing_days.sql): a day is closed before the archive
-- pages it out, and from then on no event of that day is written here, so none can be deleted
-- without reaching R2. Nothing writes this table any more; the rule holds should anything try.
CREATE TABLE closing_days (
  day TEXT PRIMARY KEY,
  closed_at TEXT NOT NULL
);
INSERT INTO closing_days (day, closed_at) SELECT day, archived_at FROM event_archives WHERE true;

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
