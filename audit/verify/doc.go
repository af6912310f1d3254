// Package verify is the auditor's side of the kakunin audit log, written
// independently of the log itself: Merkle proofs are checked with
// github.com/transparency-dev/merkle (the writer uses golang.org/x/mod/sumdb/tlog),
// and checkpoints are parsed here, not with package audit. Note signatures are
// checked with golang.org/x/mod/sumdb/note, the reference implementation of
// C2SP signed-note.
//
// Configure a [Verifier] with [New] (the log origin and its signed-note verifier
// key; signatures by other keys, such as a retired or new log key during a key
// rotation, are ignored), load the [State] kept from the previous run with [Verifier.LoadState],
// read a bundle with [ParseBundle], and call [Verifier.Verify]. Tampering is
// reported as a [*TamperError] naming the leaf index, whose Kind is one of the
// ErrXxx sentinels (test with errors.Is). A single record quoted elsewhere (a
// credential's audit-log evidence) is checked with [CheckInclusion] and tied to
// a signed checkpoint with [CheckConsistency].
package verify
