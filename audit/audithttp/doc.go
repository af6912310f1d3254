// Package audithttp serves kakunin's audit log over HTTP, as an echo route set
// (a server.Mounter) for auditors:
//
//	GET /audit/checkpoint                         latest signed checkpoint (C2SP tlog-checkpoint signed note, text/plain)
//	GET /audit/key                                the log's signed-note verifier key, to pin out of band (text/plain)
//	GET /audit/keys                               the verifier keys of every key signing checkpoints, current first, one a line
//	GET /audit/entries?start=&end=                entries start ≤ index < end (JSON)
//	GET /audit/proof/inclusion?index=&size=       RFC 9162 inclusion proof of a leaf index
//	GET /audit/proof/inclusion?leafHash=&size=    … of the leaf with this hash
//	GET /audit/proof/consistency?from=&to=        RFC 9162 consistency proof
//	GET /audit/dids/{did}/entries?from=&limit=    entries about one subject DID (URL-encoded in the path)
//	GET /audit/export?from=&to=&since=            a self-contained audit/verify bundle
//
// Call [New] with a [Store] (a read view and a write transaction over audit
// storage), the log's *audit.Checkpointer and a [Config], and pass the
// [Handler] to server.New.
//
// Auditors use [NewClient]: [Client.Verify] brings a verify.State up to the
// server's latest checkpoint, paging through /audit/export and checking every
// new entry, and [Client.Export] fetches one bundle.
//
// The published tree is the latest signed checkpoint: every size and index is
// checked against it, so each answer can be verified against a signed root.
// GET /audit/checkpoint signs a new checkpoint on demand (at most once per
// Config.SignInterval) when the tree has grown; the Checkpointer never signs a
// smaller or inconsistent tree.
//
// During a log key rotation checkpoints carry one signature per key: the
// current key's first, then those of the retired keys, so an auditor that pins
// either verifies them. /audit/key stays the current key.
//
// Numbers are unsigned decimals without sign or leading zeros. A leaf hash is
// given as 64 hexadecimal digits or as unpadded base64url (43 characters).
// Byte strings in JSON answers (entries, hashes, proofs) are standard base64,
// as in the bundle. Errors are RFC 9457 problem details: 400 for a malformed
// or out-of-range parameter, 404 for an unknown leaf hash.
package audithttp
