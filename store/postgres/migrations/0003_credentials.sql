-- Issued credentials, Bitstring status lists, API tokens and idempotency keys.
-- Times are timestamptz.

-- A status list of an issuer instance and purpose; the highest seq is current.
-- allocated counts the rows of status_entries of the list.
CREATE TABLE status_lists (
	id          text PRIMARY KEY,
	instance_id text NOT NULL,
	purpose     text NOT NULL,
	url         text NOT NULL,
	seq         bigint NOT NULL CHECK (seq > 0),
	entries     integer NOT NULL CHECK (entries >= 131072),
	status_size integer NOT NULL CHECK (status_size BETWEEN 1 AND 16),
	capacity    integer NOT NULL CHECK (capacity BETWEEN 1 AND entries),
	allocated   integer NOT NULL CHECK (allocated BETWEEN 0 AND capacity),
	version     bigint NOT NULL,
	created_at  timestamptz NOT NULL,
	updated_at  timestamptz NOT NULL,
	UNIQUE (instance_id, purpose, seq)
);

CREATE TABLE credentials (
	id          text PRIMARY KEY,
	instance_id text NOT NULL,
	tenant_id   text NOT NULL,
	subject_did text NOT NULL,
	types       text NOT NULL, -- JSON array of strings
	issued_at   timestamptz NOT NULL,
	valid_until timestamptz,
	data        bytea NOT NULL
);
CREATE INDEX credentials_by_subject ON credentials (subject_did, issued_at);

-- An allocated index; credential_id is set in the transaction that allocated it.
CREATE TABLE status_entries (
	list_id       text NOT NULL REFERENCES status_lists (id),
	idx           bigint NOT NULL CHECK (idx >= 0),
	value         bigint NOT NULL CHECK (value >= 0),
	credential_id text REFERENCES credentials (id),
	allocated_at  timestamptz NOT NULL,
	PRIMARY KEY (list_id, idx)
);
CREATE INDEX status_entries_by_credential ON status_entries (credential_id);
-- The entries a published bitstring has to set: most are 0.
CREATE INDEX status_entries_set ON status_entries (list_id, idx) WHERE value <> 0;

CREATE TABLE api_tokens (
	id         text PRIMARY KEY,
	tenant_id  text NOT NULL,
	all_owners boolean NOT NULL,
	owner_ids  text NOT NULL, -- JSON array of strings
	actions    text NOT NULL, -- JSON array of strings
	hash       bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
	created_at timestamptz NOT NULL,
	expires_at timestamptz,
	revoked_at timestamptz
);
CREATE INDEX api_tokens_by_tenant ON api_tokens (tenant_id, created_at);

CREATE TABLE idempotency_keys (
	tenant_id    text NOT NULL,
	idem_key     text NOT NULL,
	request_hash bytea NOT NULL CHECK (octet_length(request_hash) = 32),
	status       integer NOT NULL CHECK (status BETWEEN 100 AND 599),
	body         bytea NOT NULL,
	created_at   timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL,
	PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
