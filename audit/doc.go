// Package audit is kakunin's tamper-evident audit log: every state change is an
// [Entry], encoded as RFC 8785 (JCS) canonical JSON and appended as a leaf of an
// RFC 6962 / RFC 9162 Merkle tree that lives in the same database as the state it
// describes, written in the same transaction as the change.
//
// Call [Append] inside the transaction that makes a change. Call
// [Checkpointer.Sign] (periodically, or after appends) to sign the current tree
// head as a C2SP tlog-checkpoint signed note; it never signs a smaller tree or
// one inconsistent with the previous checkpoint. Serve proofs with
// [InclusionProof], [InclusionProofByLeafHash] and [ConsistencyProof], and hand
// auditors a self-contained bundle from [Checkpointer.Export], which package
// audit/verify checks with an independent Merkle implementation.
//
// To rotate the log key, give [NewCheckpointer] the new key and the old one as
// retired: checkpoints then carry a signature of each, so auditors pinning
// either verify them; [Checkpointer.RecordKeys] logs the change at start.
//
// Query entries about one agent with [EntriesForDID]. Storage is reached
// through [Tx] and its parts ([Appender], [CheckpointStore], [Reader]), whose
// doc states the contract a store implements; audit/memstore is an in-memory
// implementation. Entries hold identifiers and digests, never secrets.
package audit
