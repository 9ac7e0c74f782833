-- Consent at the front door: verified rights holders, their evidence, and the append-only log of
-- every decision on an artist or a fingerprint match. A state changes only through its log entry:
-- inserting the entry moves the state (triggers below), and a direct write the log does not back
-- is refused.

-- An artist's verification: none until they submit evidence, pending while an admin reviews it,
-- more_info when the admin asks for more, verified or refused. Suspension is separate: a verified
-- artist can be suspended and reinstated.
ALTER TABLE users ADD COLUMN verification TEXT NOT NULL DEFAULT 'none'
  CHECK (verification IN ('none', 'pending', 'more_info', 'verified', 'refused'));
ALTER TABLE users ADD COLUMN suspended_at TEXT;

-- What an artist submitted, never changed: a new submission is a new request.
CREATE TABLE verification_requests (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  submitted_at TEXT NOT NULL,
  legal_name TEXT NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
  artist_name TEXT NOT NULL CHECK (length(artist_name) BETWEEN 1 AND 200),
  -- a distributor or label who can confirm them
  contact_name TEXT NOT NULL CHECK (length(contact_name) BETWEEN 1 AND 200),
  contact_email TEXT NOT NULL,
  isni TEXT,
  ipi TEXT,
  isrcs TEXT NOT NULL CHECK (json_type(isrcs) = 'array'),
  links TEXT NOT NULL CHECK (json_type(links) = 'array'),
  -- the signed statement: the name typed, the exact text agreed to, and when
  statement_name TEXT NOT NULL CHECK (length(statement_name) >= 1),
  statement_text TEXT NOT NULL CHECK (length(statement_text) >= 20),
  statement_signed_at TEXT NOT NULL
);
CREATE INDEX verification_requests_user ON verification_requests (user_id, submitted_at);

CREATE TRIGGER verification_requests_no_update BEFORE UPDATE ON verification_requests
BEGIN
  SELECT RAISE(ABORT, 'verification_requests are append-only');
END;
CREATE TRIGGER verification_requests_no_delete BEFORE DELETE ON verification_requests
BEGIN
  SELECT RAISE(ABORT, 'verification_requests are append-only');
END;

-- Every consent decision, in order (rowid). Never updated or deleted: the database refuses.
CREATE TABLE consent_log (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id TEXT REFERENCES users(id),
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('submit', 'approve', 'more_info', 'refuse',
    'seed_verified', 'suspend', 'reinstate', 'clear_match', 'refuse_match')),
  -- the artist concerned (for a match: the owner of the campaign whose stem matched)
  user_id TEXT NOT NULL REFERENCES users(id),
  request_id TEXT REFERENCES verification_requests(id),
  stem_id TEXT,
  matched_stem_id TEXT,
  reason TEXT CHECK (reason IS NULL OR length(reason) <= 2000),
  CHECK (action NOT IN ('more_info', 'refuse', 'suspend', 'refuse_match')
    OR length(trim(COALESCE(reason, ''))) >= 3),
  CHECK ((action IN ('clear_match', 'refuse_match')) = (stem_id IS NOT NULL AND matched_stem_id IS NOT NULL)),
  CHECK (action NOT IN ('submit', 'approve', 'more_info', 'refuse') OR request_id IS NOT NULL)
);
CREATE INDEX consent_log_user ON consent_log (user_id, at);

CREATE TRIGGER consent_log_no_update BEFORE UPDATE ON consent_log
BEGIN
  SELECT RAISE(ABORT, 'consent_log is append-only');
END;
CREATE TRIGGER consent_log_no_delete BEFORE DELETE ON consent_log
BEGIN
  SELECT RAISE(ABORT, 'consent_log is append-only');
END;

-- A log entry moves the state it records.
CREATE TRIGGER consent_log_verification AFTER INSERT ON consent_log
WHEN NEW.action IN ('submit', 'approve', 'more_info', 'refuse', 'seed_verified')
BEGIN
  UPDATE users SET verification = CASE NEW.action
      WHEN 'submit' THEN 'pending'
      WHEN 'more_info' THEN 'more_info'
      WHEN 'refuse' THEN 'refused'
      ELSE 'verified' END
  WHERE id = NEW.user_id;
END;

CREATE TRIGGER consent_log_suspension AFTER INSERT ON consent_log
WHEN NEW.action IN ('suspend', 'reinstate')
BEGIN
  UPDATE users SET suspended_at = CASE NEW.action WHEN 'suspend' THEN NEW.at END
  WHERE id = NEW.user_id;
END;

CREATE TRIGGER consent_log_match AFTER INSERT ON consent_log
WHEN NEW.action IN ('clear_match', 'refuse_match')
BEGIN
  UPDATE stem_matches SET
    status = CASE NEW.action WHEN 'clear_match' THEN 'cleared' ELSE 'refused' END,
    decided_by = NEW.actor_id, decided_at = NEW.at, reason = NEW.reason
  WHERE stem_id = NEW.stem_id AND matched_stem_id = NEW.matched_stem_id;
END;

-- No state changes without the log entry that records it.
CREATE TRIGGER users_verification_logged BEFORE UPDATE OF verification ON users
WHEN NEW.verification IS NOT OLD.verification AND NEW.verification IS NOT (
  SELECT CASE action WHEN 'submit' THEN 'pending' WHEN 'more_info' THEN 'more_info'
      WHEN 'refuse' THEN 'refused' ELSE 'verified' END
  FROM consent_log
  WHERE user_id = NEW.id AND action IN ('submit', 'approve', 'more_info', 'refuse', 'seed_verified')
  ORDER BY rowid DESC LIMIT 1)
BEGIN
  SELECT RAISE(ABORT, 'an artist''s verification changes only with its consent_log entry');
END;

CREATE TRIGGER users_suspension_logged BEFORE UPDATE OF suspended_at ON users
WHEN NEW.suspended_at IS NOT OLD.suspended_at AND NEW.suspended_at IS NOT (
  SELECT CASE action WHEN 'suspend' THEN at END
  FROM consent_log
  WHERE user_id = NEW.id AND action IN ('suspend', 'reinstate')
  ORDER BY rowid DESC LIMIT 1)
BEGIN
  SELECT RAISE(ABORT, 'a suspension changes only with its consent_log entry');
END;

CREATE TRIGGER stem_matches_decision_logged BEFORE UPDATE OF status ON stem_matches
WHEN NEW.status IS NOT OLD.status AND NEW.status != 'open' AND NEW.status IS NOT (
  SELECT CASE action WHEN 'clear_match' THEN 'cleared' ELSE 'refused' END
  FROM consent_log
  WHERE stem_id = NEW.stem_id AND matched_stem_id = NEW.matched_stem_id
    AND action IN ('clear_match', 'refuse_match')
  ORDER BY rowid DESC LIMIT 1)
BEGIN
  SELECT RAISE(ABORT, 'a match is cleared or refused only with its consent_log entry');
END;

-- A draft goes public only when its owner is verified and not suspended, and no stem of it has a
-- fingerprint match that is open or was refused: whichever code publishes, the database re-checks.
CREATE TRIGGER campaigns_publish_consent BEFORE UPDATE OF status ON campaigns
WHEN OLD.status = 'draft' AND NEW.status != 'draft' AND (
  NOT EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.owner_id
    AND u.verification = 'verified' AND u.suspended_at IS NULL)
  OR EXISTS (SELECT 1 FROM stem_matches m JOIN stems s ON s.id = m.stem_id
    WHERE s.campaign_id = NEW.id AND m.status IN ('open', 'refused')))
BEGIN
  SELECT RAISE(ABORT, 'a campaign publishes only from a verified artist with no uncleared match');
END;
