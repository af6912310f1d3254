-- Issued credentials, Bitstring status lists, API tokens and idempotency keys.
-- Times are Unix microseconds (UTC).

-- A status list of an issuer instance and purpose; the highest seq is current.
-- allocated counts the rows of status_entries of the list.
CREATE TABLE status_lists (
	id          TEXT PRIMARY KEY,
	instance_id TEXT NOT NULL,
	purpose     TEXT NOT NULL,
	url         TEXT NOT NULL,
	seq         INTEGER NOT NULL CHECK (seq > 0),
	entries     INTEGER NOT NULL CHECK (entries >= 131072),
	status_size INTEGER NOT NULL CHECK (status_size BETWEEN 1 AND 16),
	capacity    INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND entries),
	allocated   INTEGER NOT NULL CHECK (allocated BETWEEN 0 AND capacity),
	version     INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	UNIQUE (instance_id, purpose, seq)
) STRICT;

CREATE TABLE credentials (
	id          TEXT PRIMARY KEY,
	instance_id TEXT NOT NULL,
	tenant_id   TEXT NOT NULL,
	subject_did TEXT NOT NULL,
	types       TEXT NOT NULL, -- JSON array of strings
	issued_at   INTEGER NOT NULL,
	valid_until INTEGER,
	data        BLOB NOT NULL
) STRICT;
CREATE INDEX credentials_by_subject ON credentials (subject_did, issued_at);

-- An allocated index; credential_id is set in the transaction that allocated it.
CREATE TABLE status_entries (
	list_id       TEXT NOT NULL REFERENCES status_lists (id),
	idx           INTEGER NOT NULL CHECK (idx >= 0),
	value         INTEGER NOT NULL CHECK (value >= 0),
	credential_id TEXT REFERENCES credentials (id),
	allocated_at  INTEGER NOT NULL,
	PRIMARY KEY (list_id, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX status_entries_by_credential ON status_entries (credential_id);
-- The entries a published bitstring has to set: most are 0.
CREATE INDEX status_entries_set ON status_entries (list_id, idx) WHERE value <> 0;

CREATE TABLE api_tokens (
	id         TEXT PRIMARY KEY,
	tenant_id  TEXT NOT NULL,
	all_owners INTEGER NOT NULL CHECK (all_owners IN (0, 1)),
	owner_ids  TEXT NOT NULL, -- JSON array of strings
	actions    TEXT NOT NULL, -- JSON array of strings
	hash       BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
	created_at INTEGER NOT NULL,
	expires_at INTEGER,
	revoked_at INTEGER
) STRICT;
CREATE INDEX api_tokens_by_tenant ON api_tokens (tenant_id, created_at);

CREATE TABLE idempotency_keys (
	tenant_id    TEXT NOT NULL,
	idem_key     TEXT NOT NULL,
	request_hash BLOB NOT NULL CHECK (length(request_hash) = 32),
	status       INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),
	body         BLOB NOT NULL,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	PRIMARY KEY (tenant_id, idem_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
