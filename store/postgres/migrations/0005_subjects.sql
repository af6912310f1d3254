-- Every subject DID a credential is filed under, so that the credentials of an
-- agent are found when it is any subject of a credential, not only the first.
-- Existing credentials are filed under the one subject they recorded.
CREATE TABLE credential_subjects (
	credential_id text NOT NULL REFERENCES credentials (id),
	subject_did   text NOT NULL,
	PRIMARY KEY (credential_id, subject_did)
);
CREATE INDEX credential_subjects_by_did ON credential_subjects (subject_did, credential_id);
INSERT INTO credential_subjects (credential_id, subject_did) SELECT id, subject_did FROM credentials;
-- Credentials are found by subject through credential_subjects now.
DROP INDEX credentials_by_subject;

-- The last change of a subject's state (a certificate revoked, the DID
-- deactivated); NULL when there was none. The cascade that suspends a
-- subject's credentials writes it, locking the row, before reading them, and
-- the writes of credentials filed under the subject lock it too: a credential
-- issued before the change is refused, so none escapes the cascade.
CREATE TABLE subject_fences (
	subject_did text PRIMARY KEY,
	changed_at  timestamptz
);
