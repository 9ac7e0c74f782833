-- Per export, each heard stem's weight in the mix (basis points summing to 10 000), from its recipe.
CREATE TABLE contributions (
  export_id TEXT NOT NULL REFERENCES exports(id),
  stem_id TEXT NOT NULL,
  bps INTEGER NOT NULL CHECK (bps BETWEEN 0 AND 10000),
  PRIMARY KEY (export_id, stem_id)
);
CREATE INDEX contributions_stem ON contributions (stem_id);

-- Splits are basis points: every stem's shares sum to 10 000 and the fan's cut is within 0..10 000.
-- The database refuses anything else, whichever code writes the campaign.
CREATE TRIGGER campaigns_splits_insert BEFORE INSERT ON campaigns
WHEN json_valid(NEW.splits) = 0
  OR json_type(NEW.splits, '$.fanCreatorBps') IS NOT 'integer'
  OR json_extract(NEW.splits, '$.fanCreatorBps') NOT BETWEEN 0 AND 10000
  OR json_type(NEW.splits, '$.stems') IS NOT 'array'
  OR json_array_length(NEW.splits, '$.stems') = 0
  OR EXISTS (
    SELECT 1 FROM json_each(NEW.splits, '$.stems') s
    WHERE json_type(s.value, '$.shares') IS NOT 'array'
      OR (SELECT COALESCE(SUM(json_extract(x.value, '$.bps')), 0)
          FROM json_each(s.value, '$.shares') x) != 10000
      OR EXISTS (SELECT 1 FROM json_each(s.value, '$.shares') x
          WHERE json_type(x.value, '$.bps') IS NOT 'integer' OR json_extract(x.value, '$.bps') < 0)
  )
BEGIN
  SELECT RAISE(ABORT, 'campaign splits must give each stem shares summing to 10000 basis points');
END;

CREATE TRIGGER campaigns_splits_update BEFORE UPDATE OF splits ON campaigns
WHEN json_valid(NEW.splits) = 0
  OR json_type(NEW.splits, '$.fanCreatorBps') IS NOT 'integer'
  OR json_extract(NEW.splits, '$.fanCreatorBps') NOT BETWEEN 0 AND 10000
  OR json_type(NEW.splits, '$.stems') IS NOT 'array'
  OR json_array_length(NEW.splits, '$.stems') = 0
  OR EXISTS (
    SELECT 1 FROM json_each(NEW.splits, '$.stems') s
    WHERE json_type(s.value, '$.shares') IS NOT 'array'
      OR (SELECT COALESCE(SUM(json_extract(x.value, '$.bps')), 0)
          FROM json_each(s.value, '$.shares') x) != 10000
      OR EXISTS (SELECT 1 FROM json_each(s.value, '$.shares') x
          WHERE json_type(x.value, '$.bps') IS NOT 'integer' OR json_extract(x.value, '$.bps') < 0)
  )
BEGIN
  SELECT RAISE(ABORT, 'campaign splits must give each stem shares summing to 10000 basis points');
END;

-- The recipe each export was made of, captured when the export is created: the remix may be saved
-- again before the export job credits its stems.
CREATE TABLE export_recipes (
  export_id TEXT PRIMARY KEY,
  recipe TEXT NOT NULL
);
CREATE TRIGGER exports_capture_recipe AFTER INSERT ON exports
BEGIN
  INSERT INTO export_recipes (export_id, recipe)
  SELECT NEW.id, r.recipe FROM remixes r WHERE r.id = NEW.remix_id AND r.version = NEW.remix_version
  ON CONFLICT (export_id) DO NOTHING;
END;
CREATE TRIGGER exports_forget_recipe AFTER DELETE ON exports
BEGIN
  DELETE FROM export_recipes WHERE export_id = OLD.id;
END;
