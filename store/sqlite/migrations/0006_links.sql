-- Predecessor/successor links between DIDs (did:kakunin spec §7.3). A link is a
-- version of each DID it links, so did_events accepts the kind 'linked', which,
-- like 'deactivated', refers to no certificate. SQLite cannot change a CHECK
-- constraint in place: the table is rebuilt with the same rows.
CREATE TABLE did_events_new (
	did        TEXT NOT NULL REFERENCES dids (did),
	version_id INTEGER NOT NULL CHECK (version_id > 0),
	kind       TEXT NOT NULL CHECK (kind IN ('issued', 'renewed', 'revoked', 'published', 'deactivated', 'linked')),
	at         INTEGER NOT NULL,
	issuer_id  TEXT,
	serial     BLOB,
	PRIMARY KEY (did, version_id),
	FOREIGN KEY (issuer_id, serial) REFERENCES certificates (issuer_id, serial),
	CHECK ((kind IN ('deactivated', 'linked')) = (issuer_id IS NULL AND serial IS NULL))
) STRICT, WITHOUT ROWID;
INSERT INTO did_events_new (did, version_id, kind, at, issuer_id, serial)
	SELECT did, version_id, kind, at, issuer_id, serial FROM did_events;
DROP TABLE did_events;
ALTER TABLE did_events_new RENAME TO did_events;

-- One row per link. A DID has at most one successor (the primary key) and one
-- predecessor (the unique successor). record is the statement the owner key
-- signed; signature is by the predecessor's owner key, successor_signature by
-- the successor's when that is another key. The versions are those the link
-- added to each DID.
CREATE TABLE did_links (
	predecessor         TEXT PRIMARY KEY REFERENCES dids (did),
	successor           TEXT NOT NULL UNIQUE REFERENCES dids (did),
	predecessor_version INTEGER NOT NULL CHECK (predecessor_version > 0),
	successor_version   INTEGER NOT NULL CHECK (successor_version > 0),
	record              BLOB NOT NULL,
	signature           BLOB NOT NULL,
	successor_signature BLOB,
	at                  INTEGER NOT NULL,
	CHECK (predecessor <> successor)
) STRICT, WITHOUT ROWID;
