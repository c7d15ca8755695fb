-- sitrep store, schema version 3: indexes for the API's filtered event
-- queries (query.rs), measured with scripts/bench-api.sh on ~100k events.

-- Newest first walks (date, id) backwards and stops at the page's end.
DROP INDEX events_date;
CREATE INDEX events_date_id ON events(date, id);
-- --country matches the place's or either actor's country: one index per
-- column lets SQLite answer the OR from three index lookups.
CREATE INDEX events_source_country ON events(source_country);
CREATE INDEX events_target_country ON events(target_country);
-- CAMEO prefixes are ranges over the code.
CREATE INDEX events_cameo ON events(cameo);
CREATE INDEX events_plover_date ON events(plover, date);
CREATE INDEX events_confidence ON events(confidence);
