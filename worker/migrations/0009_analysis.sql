-- The full mix's analysis (core/analysis CampaignAnalysis as JSON): beat grid, key, sections,
-- loudness. NULL until analysed. Per-stem loudness and activity live in stems.analysis.
ALTER TABLE campaigns ADD COLUMN analysis TEXT;
