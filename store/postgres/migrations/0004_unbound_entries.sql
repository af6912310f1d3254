-- Reserved status indexes (rows of status_entries without a credential) are
-- bound in batches by (list_id, idx). Index only the bound rows by credential:
-- every lookup by credential names one, and a full index tempted PostgreSQL,
-- with the statistics of a young table, to read every reserved row through
-- "credential_id IS NULL" instead of probing the primary key.
DROP INDEX status_entries_by_credential;
CREATE INDEX status_entries_by_credential ON status_entries (credential_id) WHERE credential_id IS NOT NULL;
