package verify

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/proof"
)

// CheckInclusion checks a single RFC 9162 inclusion proof: that the leaf whose
// RFC 6962 leaf hash is leafHash is at index in the tree c commits to. c need
// not come from [Verifier.Open]: a checkpoint quoted elsewhere (as in a
// credential's audit-log evidence) is checked against its own root, and is
// worth what its source is until [CheckConsistency] ties it to a signed one.
// A proof that does not verify is a [*TamperError] of kind [ErrNotIncluded];
// out-of-range or malformed input is [ErrMalformed].
func CheckInclusion(c Checkpoint, index uint64, leafHash []byte, proof [][]byte) error {
	if err := checkHashes(c.Root, leafHash); err != nil {
		return err
	}
	if index >= c.Size {
		return fmt.Errorf("%w: leaf %d is not in a tree of size %d", ErrMalformed, index, c.Size)
	}
	if err := checkProof(proof); err != nil {
		return err
	}
	if err := verifyInclusion(index, c.Size, leafHash, proof, c.Root); err != nil {
		return tamper(ErrNotIncluded, index, "inclusion proof in the tree of size %d: %s", c.Size, proofError(err))
	}
	return nil
}

// CheckConsistency checks an RFC 9162 consistency proof that the tree of newer
// extends the tree of older, both of the same log. It returns a
// [*TamperError] of kind [ErrRollback] when newer is smaller, or
// [ErrInconsistent] when the proof does not verify (or, at equal sizes, the
// roots differ), naming older's size; [ErrMalformed] for malformed input or
// checkpoints of two logs.
func CheckConsistency(older, newer Checkpoint, proof [][]byte) error {
	if err := checkHashes(older.Root, newer.Root); err != nil {
		return err
	}
	if older.Origin != newer.Origin {
		return fmt.Errorf("%w: checkpoints of two logs, %q and %q", ErrMalformed, older.Origin, newer.Origin)
	}
	if err := checkProof(proof); err != nil {
		return err
	}
	switch {
	case newer.Size < older.Size:
		return tamper(ErrRollback, older.Size, "checkpoint size %d is below %d", newer.Size, older.Size)
	case newer.Size == older.Size && !bytes.Equal(older.Root, newer.Root):
		return tamper(ErrInconsistent, older.Size, "two different roots for the same tree size")
	}
	if err := verifyConsistency(older.Size, newer.Size, proof, older.Root, newer.Root); err != nil {
		return tamper(ErrInconsistent, older.Size, "consistency proof to size %d: %s", newer.Size, proofError(err))
	}
	return nil
}

// checkHashes requires every hash to be of the hash size.
func checkHashes(hs ...[]byte) error {
	for _, h := range hs {
		if len(h) != hashSize {
			return fmt.Errorf("%w: hash of %d bytes", ErrMalformed, len(h))
		}
	}
	return nil
}

// proofError is a proof failure in one line, roots in base64.
func proofError(err error) string {
	var m proof.RootMismatchError
	if errors.As(err, &m) {
		return fmt.Sprintf("the proof leads to root %s, not %s",
			base64.StdEncoding.EncodeToString(m.CalculatedRoot), base64.StdEncoding.EncodeToString(m.ExpectedRoot))
	}
	return err.Error()
}
