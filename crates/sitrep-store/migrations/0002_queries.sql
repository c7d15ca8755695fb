-- sitrep store, schema version 2: what the query layer (query.rs) filters
-- on, and control claims.

-- The sentence a claim is in: "claims about X" match it, and a reader sees
-- the claim in its context.
ALTER TABLE claims ADD COLUMN sentence TEXT;

-- taken / held / lost: what the event says about who controls its place
-- (the codebook's control= flag); NULL for other events. Conflicting
-- control claims are found on it (control.rs).
ALTER TABLE events ADD COLUMN control TEXT;
-- GeoNames id of the event's place, so claims about one place meet.
ALTER TABLE events ADD COLUMN gazetteer_id TEXT;

CREATE INDEX events_country ON events(country);
CREATE INDEX events_source_code ON events(source_code);
CREATE INDEX events_target_code ON events(target_code);
CREATE INDEX events_lat ON events(lat);
CREATE INDEX events_control ON events(control) WHERE control IS NOT NULL;
CREATE INDEX claims_kind ON claims(kind);
CREATE INDEX places_name ON places(name COLLATE NOCASE);
CREATE INDEX articles_dup_kind ON articles(dup_kind);
