-- The audit log (package audit): entries, the node hashes of its Merkle tree in
-- golang.org/x/mod/sumdb/tlog storage order, and the history of signed checkpoints.
--
-- Write once, read many: entries, hashes and checkpoints can only be inserted.
-- UPDATE and DELETE on them abort (SQLite has no TRUNCATE; a DELETE without WHERE
-- fires the triggers too), and so does an INSERT OR REPLACE over an existing row,
-- since REPLACE deletes without firing delete triggers unless recursive_triggers
-- is on. Whoever can write the file can still drop the triggers: the log's
-- protection against that is its signed checkpoints and audit/verify, which
-- locate any changed, missing or reordered entry or hash.

-- The tree size. Its single row is what a writer updates first (under BEGIN
-- IMMEDIATE SQLite has one writer anyway); inserting entry n sets it to n+1
-- (trigger audit_entries_grow), and it never shrinks.
CREATE TABLE audit_tree (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	size INTEGER NOT NULL CHECK (size >= 0)
) STRICT;
INSERT INTO audit_tree (id, size) VALUES (1, 0);

CREATE TABLE audit_entries (
	idx       INTEGER PRIMARY KEY CHECK (idx >= 0),
	entry     BLOB NOT NULL,
	leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
	subject   TEXT
) STRICT;
CREATE INDEX audit_entries_by_leaf ON audit_entries (leaf_hash, idx);
CREATE INDEX audit_entries_by_subject ON audit_entries (subject, idx) WHERE subject IS NOT NULL;

CREATE TABLE audit_hashes (
	storage_idx INTEGER PRIMARY KEY CHECK (storage_idx >= 0),
	hash        BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

-- Every checkpoint signed, in signing order; the latest is the highest seq.
CREATE TABLE audit_checkpoints (
	seq  INTEGER PRIMARY KEY,
	size INTEGER NOT NULL CHECK (size >= 0),
	note BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_tree_no_shrink BEFORE UPDATE ON audit_tree
WHEN NEW.id <> OLD.id OR NEW.size < OLD.size
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit tree never shrinks'); END;
CREATE TRIGGER audit_tree_no_delete BEFORE DELETE ON audit_tree
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit tree never shrinks'); END;
CREATE TRIGGER audit_tree_no_replace BEFORE INSERT ON audit_tree
WHEN EXISTS (SELECT 1 FROM audit_tree)
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit tree never shrinks'); END;

CREATE TRIGGER audit_entries_grow AFTER INSERT ON audit_entries
BEGIN UPDATE audit_tree SET size = max(size, NEW.idx + 1) WHERE id = 1; END;
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit log is append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit log is append-only'); END;
CREATE TRIGGER audit_entries_no_replace BEFORE INSERT ON audit_entries
WHEN EXISTS (SELECT 1 FROM audit_entries WHERE idx = NEW.idx)
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit log is append-only'); END;

CREATE TRIGGER audit_hashes_no_update BEFORE UPDATE ON audit_hashes
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit log is append-only'); END;
CREATE TRIGGER audit_hashes_no_delete BEFORE DELETE ON audit_hashes
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit log is append-only'); END;
CREATE TRIGGER audit_hashes_no_replace BEFORE INSERT ON audit_hashes
WHEN EXISTS (SELECT 1 FROM audit_hashes WHERE storage_idx = NEW.storage_idx)
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit log is append-only'); END;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'kakunin: the audit log is append-only'); END;
-- A checkpoint is never smaller than the previous one (C2SP tlog-checkpoint: a
-- log "MUST not sign any checkpoint which is inconsistent with any checkpoint it
-- previously signed") nor larger than the tree; this also refuses a replacement.
CREATE TRIGGER audit_checkpoints_grow BEFORE INSERT ON audit_checkpoints
WHEN NEW.size < COALESCE((SELECT size FROM audit_checkpoints ORDER BY seq DESC LIMIT 1), 0)
	OR NEW.size > (SELECT size FROM audit_tree WHERE id = 1)
	OR EXISTS (SELECT 1 FROM audit_checkpoints WHERE seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'kakunin: checkpoint smaller than the last or larger than the tree'); END;
