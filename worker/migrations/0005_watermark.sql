-- The watermark self-check of each export: what the final MP3 decodes to (JSON: found, payload,
-- confidence, bitErrors), stored when the job writes the outputs.
ALTER TABLE exports ADD COLUMN watermark TEXT;

-- Fixed-window request counters for rate limits (worker/http/rate-limit.ts): one row per name,
-- key (e.g. the client's address) and window; rows of past windows are deleted as keys return.
CREATE TABLE rate_limits (
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (name, key, window_start)
);
