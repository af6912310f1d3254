-- The audit log (package audit): entries, the node hashes of its Merkle tree in
-- golang.org/x/mod/sumdb/tlog storage order, and the history of signed checkpoints.
--
-- Write once, read many: entries, hashes and checkpoints can only be inserted.
-- Statement triggers refuse UPDATE, DELETE and TRUNCATE for every role, and
-- PUBLIC holds none of those privileges. A table's owner (and a superuser) can
-- still drop a trigger, so in production the service role must not own these
-- tables: run the migrations as an owner role and let the service connect as
-- another one, for example (TestAuditServiceRole in store/postgres checks these):
--
--   CREATE ROLE kakunin_owner NOLOGIN;          -- owns the schema, runs migrations
--   CREATE ROLE kakunin_app LOGIN PASSWORD '…'; -- what `kakunin serve` connects as
--   -- Open checks schema_migrations with CREATE TABLE IF NOT EXISTS, which needs
--   -- CREATE on the schema; that does not let kakunin_app alter others' tables.
--   GRANT USAGE, CREATE ON SCHEMA kakunin TO kakunin_app;
--   GRANT SELECT ON schema_migrations TO kakunin_app;
--   GRANT SELECT, INSERT, UPDATE, DELETE ON owners, serials, certificates, dids,
--         did_events, crls TO kakunin_app;     -- and the tables of later migrations
--   GRANT SELECT, UPDATE ON audit_tree TO kakunin_app;           -- the size row
--   GRANT SELECT, INSERT ON audit_entries, audit_hashes, audit_checkpoints TO kakunin_app;
--
-- and migrate as the owner (SET ROLE kakunin_owner) before the service starts.
-- An attacker who gains the owner's rights can rewrite the log; the signed
-- checkpoints and audit/verify then locate every changed, missing or reordered
-- entry or hash.

-- The tree size. Its single row is the append lock: a writer updates it first,
-- which holds its row lock until the transaction ends, so appends and
-- checkpoints of all replicas are serialised. Inserting entry n sets it to n+1
-- (trigger audit_entries_grow), and it never shrinks.
CREATE TABLE audit_tree (
	id   smallint PRIMARY KEY CHECK (id = 1),
	size bigint NOT NULL CHECK (size >= 0)
);
INSERT INTO audit_tree (id, size) VALUES (1, 0);

CREATE TABLE audit_entries (
	idx       bigint PRIMARY KEY CHECK (idx >= 0),
	entry     bytea NOT NULL,
	leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
	subject   text
);
CREATE INDEX audit_entries_by_leaf ON audit_entries (leaf_hash, idx);
CREATE INDEX audit_entries_by_subject ON audit_entries (subject, idx) WHERE subject IS NOT NULL;

CREATE TABLE audit_hashes (
	storage_idx bigint PRIMARY KEY CHECK (storage_idx >= 0),
	hash        bytea NOT NULL CHECK (length(hash) = 32)
);

-- Every checkpoint signed, in signing order; the latest is the highest seq.
CREATE TABLE audit_checkpoints (
	seq  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	size bigint NOT NULL CHECK (size >= 0),
	note bytea NOT NULL
);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'kakunin: the audit log is append-only (% on %)', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_entries_worm BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_hashes_worm BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_hashes
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_worm BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_tree_worm BEFORE DELETE OR TRUNCATE ON audit_tree
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE FUNCTION audit_entries_grow() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
	UPDATE audit_tree SET size = GREATEST(size, NEW.idx + 1) WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER audit_entries_grow AFTER INSERT ON audit_entries
	FOR EACH ROW EXECUTE FUNCTION audit_entries_grow();

CREATE FUNCTION audit_tree_no_shrink() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id <> OLD.id OR NEW.size < OLD.size THEN
		RAISE EXCEPTION 'kakunin: the audit tree never shrinks' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER audit_tree_no_shrink BEFORE UPDATE ON audit_tree
	FOR EACH ROW EXECUTE FUNCTION audit_tree_no_shrink();

-- A checkpoint is never smaller than the previous one (C2SP tlog-checkpoint: a
-- log "MUST not sign any checkpoint which is inconsistent with any checkpoint it
-- previously signed") nor larger than the tree.
CREATE FUNCTION audit_checkpoint_grows() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
	IF NEW.size < COALESCE((SELECT size FROM audit_checkpoints ORDER BY seq DESC LIMIT 1), 0)
		OR NEW.size > (SELECT size FROM audit_tree WHERE id = 1) THEN
		RAISE EXCEPTION 'kakunin: checkpoint smaller than the last or larger than the tree'
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER audit_checkpoints_grow BEFORE INSERT ON audit_checkpoints
	FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_grows();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries, audit_hashes, audit_checkpoints FROM PUBLIC;
REVOKE DELETE, TRUNCATE ON audit_tree FROM PUBLIC;
