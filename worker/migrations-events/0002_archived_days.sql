-- An event of a day already archived to R2 (worker/events/archive.ts) is not written: its raw
-- rows are gone, so `ON CONFLICT (id) DO NOTHING` could no longer see a replay of it (a queue
-- message redelivered days late would be counted twice), and a new row there would be deleted
-- with the day's rest without ever reaching its archive. RAISE(IGNORE) skips the row alone: the
-- rest of the consumer's batch is written, and the skipped event counts as not new.
CREATE TRIGGER ledger_events_archived_day BEFORE INSERT ON ledger_events
WHEN EXISTS (SELECT 1 FROM event_archives a WHERE a.day = NEW.day)
BEGIN
  SELECT RAISE(IGNORE);
END;
