-- The agent CA registry: owner CAs, certificates, serial allocation, DID history, CRLs.
-- Times are Unix microseconds (UTC); serials are minimal big-endian octets.

CREATE TABLE owners (
	id         TEXT PRIMARY KEY,
	owner_key  TEXT NOT NULL,
	cert_der   BLOB NOT NULL,
	tenant_id  TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX owners_by_key ON owners (owner_key);

CREATE TABLE serials (
	issuer_id    TEXT NOT NULL REFERENCES owners (id),
	serial       BLOB NOT NULL,
	allocated_at INTEGER NOT NULL,
	PRIMARY KEY (issuer_id, serial)
) STRICT, WITHOUT ROWID;

CREATE TABLE certificates (
	issuer_id  TEXT NOT NULL REFERENCES owners (id),
	serial     BLOB NOT NULL,
	did        TEXT NOT NULL,
	der        BLOB NOT NULL,
	not_before INTEGER NOT NULL,
	not_after  INTEGER NOT NULL,
	state      TEXT NOT NULL CHECK (state IN ('good', 'revoked')),
	revoked_at INTEGER,
	reason     INTEGER CHECK (reason BETWEEN 0 AND 10 AND reason NOT IN (7, 8)),
	PRIMARY KEY (issuer_id, serial),
	CHECK ((state = 'revoked') = (revoked_at IS NOT NULL AND reason IS NOT NULL))
) STRICT;
CREATE INDEX certificates_by_did ON certificates (did, not_before);

CREATE TABLE dids (
	did            TEXT PRIMARY KEY,
	version        INTEGER NOT NULL CHECK (version > 0),
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	deactivated    INTEGER NOT NULL CHECK (deactivated IN (0, 1)),
	deactivated_at INTEGER
) STRICT, WITHOUT ROWID;

CREATE TABLE did_events (
	did        TEXT NOT NULL REFERENCES dids (did),
	version_id INTEGER NOT NULL CHECK (version_id > 0),
	kind       TEXT NOT NULL CHECK (kind IN ('issued', 'renewed', 'revoked', 'published', 'deactivated')),
	at         INTEGER NOT NULL,
	issuer_id  TEXT,
	serial     BLOB,
	PRIMARY KEY (did, version_id),
	FOREIGN KEY (issuer_id, serial) REFERENCES certificates (issuer_id, serial),
	CHECK ((kind = 'deactivated') = (issuer_id IS NULL AND serial IS NULL))
) STRICT, WITHOUT ROWID;

CREATE TABLE crls (
	issuer_id   TEXT PRIMARY KEY REFERENCES owners (id),
	number      INTEGER NOT NULL CHECK (number >= 0),
	this_update INTEGER NOT NULL,
	next_update INTEGER NOT NULL,
	der         BLOB NOT NULL
) STRICT, WITHOUT ROWID;
