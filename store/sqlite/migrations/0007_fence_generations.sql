-- A subject's fence is a generation that every change of the subject's state
-- increments, no longer a time: an issuance records the generations of its
-- subjects before checking them and is refused when one has moved since, so
-- the clocks of the replicas need not agree. changed_at, the last change by
-- the clock of the replica that made it, is kept for operators. A fence raised
-- before this migration starts at generation 1, so that a credential that
-- recorded none (generation 0) is refused, as it was.
ALTER TABLE subject_fences ADD COLUMN generation INTEGER NOT NULL DEFAULT 0 CHECK (generation >= 0);
UPDATE subject_fences SET generation = 1 WHERE changed_at IS NOT NULL;
