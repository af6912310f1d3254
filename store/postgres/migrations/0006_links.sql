-- Predecessor/successor links between DIDs (did:kakunin spec §7.3). A link is a
-- version of each DID it links, so did_events accepts the kind 'linked', which,
-- like 'deactivated', refers to no certificate.
ALTER TABLE did_events DROP CONSTRAINT did_events_kind_check;
ALTER TABLE did_events ADD CONSTRAINT did_events_kind_check
	CHECK (kind IN ('issued', 'renewed', 'revoked', 'published', 'deactivated', 'linked'));
ALTER TABLE did_events DROP CONSTRAINT did_events_check;
ALTER TABLE did_events ADD CONSTRAINT did_events_check
	CHECK ((kind IN ('deactivated', 'linked')) = (issuer_id IS NULL AND serial IS NULL));

-- One row per link. A DID has at most one successor (the primary key) and one
-- predecessor (the unique successor). record is the statement the owner key
-- signed; signature is by the predecessor's owner key, successor_signature by
-- the successor's when that is another key. The versions are those the link
-- added to each DID. Grant the application role SELECT and INSERT on it.
CREATE TABLE did_links (
	predecessor         text PRIMARY KEY REFERENCES dids (did),
	successor           text NOT NULL UNIQUE REFERENCES dids (did),
	predecessor_version bigint NOT NULL CHECK (predecessor_version > 0),
	successor_version   bigint NOT NULL CHECK (successor_version > 0),
	record              bytea NOT NULL,
	signature           bytea NOT NULL,
	successor_signature bytea,
	at                  timestamptz NOT NULL,
	CHECK (predecessor <> successor)
);
