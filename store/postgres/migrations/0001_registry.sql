-- The agent CA registry: owner CAs, certificates, serial allocation, DID history, CRLs.
-- Serials are minimal big-endian octets.

CREATE TABLE owners (
	id         text PRIMARY KEY,
	owner_key  text NOT NULL,
	cert_der   bytea NOT NULL,
	tenant_id  text NOT NULL,
	created_at timestamptz NOT NULL
);
CREATE INDEX owners_by_key ON owners (owner_key);

CREATE TABLE serials (
	issuer_id    text NOT NULL REFERENCES owners (id),
	serial       bytea NOT NULL,
	allocated_at timestamptz NOT NULL,
	PRIMARY KEY (issuer_id, serial)
);

CREATE TABLE certificates (
	issuer_id  text NOT NULL REFERENCES owners (id),
	serial     bytea NOT NULL,
	did        text NOT NULL,
	der        bytea NOT NULL,
	not_before timestamptz NOT NULL,
	not_after  timestamptz NOT NULL,
	state      text NOT NULL CHECK (state IN ('good', 'revoked')),
	revoked_at timestamptz,
	reason     smallint CHECK (reason BETWEEN 0 AND 10 AND reason NOT IN (7, 8)),
	PRIMARY KEY (issuer_id, serial),
	CHECK ((state = 'revoked') = (revoked_at IS NOT NULL AND reason IS NOT NULL))
);
CREATE INDEX certificates_by_did ON certificates (did, not_before);

CREATE TABLE dids (
	did            text PRIMARY KEY,
	version        bigint NOT NULL CHECK (version > 0),
	created_at     timestamptz NOT NULL,
	updated_at     timestamptz NOT NULL,
	deactivated    boolean NOT NULL,
	deactivated_at timestamptz
);

CREATE TABLE did_events (
	did        text NOT NULL REFERENCES dids (did),
	version_id bigint NOT NULL CHECK (version_id > 0),
	kind       text NOT NULL CHECK (kind IN ('issued', 'renewed', 'revoked', 'published', 'deactivated')),
	at         timestamptz NOT NULL,
	issuer_id  text,
	serial     bytea,
	PRIMARY KEY (did, version_id),
	FOREIGN KEY (issuer_id, serial) REFERENCES certificates (issuer_id, serial),
	CHECK ((kind = 'deactivated') = (issuer_id IS NULL AND serial IS NULL))
);

CREATE TABLE crls (
	issuer_id   text PRIMARY KEY REFERENCES owners (id),
	number      bigint NOT NULL CHECK (number >= 0),
	this_update timestamptz NOT NULL,
	next_update timestamptz NOT NULL,
	der         bytea NOT NULL
);
