package audithttp

import (
	"fmt"

	"github.com/labstack/echo/v5"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/kakunin-dev/kakunin/audit"
)

// InclusionProof answers /audit/proof/inclusion: the RFC 9162 audit path of
// the leaf Index (whose hash is LeafHash) in the tree of size Size.
type InclusionProof struct {
	Index    uint64   `json:"index"`
	Size     uint64   `json:"size"`
	LeafHash []byte   `json:"leafHash"`
	Proof    [][]byte `json:"proof"`
}

// ConsistencyProof answers /audit/proof/consistency: the RFC 9162 proof that
// the tree of size To extends the tree of size From.
type ConsistencyProof struct {
	From  uint64   `json:"from"`
	To    uint64   `json:"to"`
	Proof [][]byte `json:"proof"`
}

// inclusion serves the inclusion proof of a leaf given by index or by hash, in
// the tree of size size (default: the latest checkpoint's).
func (h *Handler) inclusion(c *echo.Context) error {
	byHash := c.QueryParam("leafHash") != ""
	if byHash == (c.QueryParam("index") != "") {
		return problem(fmt.Errorf("%w: give exactly one of index and leafHash", ErrBadParameter))
	}
	var leaf tlog.Hash
	index, _, err := query(c, "index", 0)
	if byHash {
		leaf, err = ParseLeafHash(c.QueryParam("leafHash"))
	}
	if err != nil {
		return problem(err)
	}
	ctx := c.Request().Context()
	var out InclusionProof
	var fixed bool
	err = h.store.View(ctx, func(r audit.Reader) error {
		cp, err := h.published(ctx, r)
		if err != nil {
			return err
		}
		size, given, err := query(c, "size", cp.Size)
		if err != nil {
			return err
		}
		if size > cp.Size {
			return fmt.Errorf("%w: size %d is beyond the tree of size %d", audit.ErrOutOfRange, size, cp.Size)
		}
		var p []tlog.Hash
		if byHash {
			index, p, err = audit.InclusionProofByLeafHash(ctx, r, leaf, size)
		} else {
			p, err = audit.InclusionProof(ctx, r, index, size)
			if err == nil {
				leaf, err = leafHashAt(c, r, index)
			}
		}
		out, fixed = InclusionProof{Index: index, Size: size, LeafHash: leaf[:], Proof: hashBytes(p)}, given
		return err
	})
	if err != nil {
		return problem(err)
	}
	return h.json(c, out, fixed)
}

func leafHashAt(c *echo.Context, r audit.HashReader, index uint64) (tlog.Hash, error) {
	hs, err := r.ReadHashes(c.Request().Context(), []int64{tlog.StoredHashIndex(0, int64(index))})
	if err != nil || len(hs) != 1 {
		return tlog.Hash{}, fmt.Errorf("audithttp: leaf hash %d: %w", index, err)
	}
	return hs[0], nil
}

// consistency serves the consistency proof from size from to size to (default:
// the latest checkpoint's).
func (h *Handler) consistency(c *echo.Context) error {
	from, err := requireQuery(c, "from")
	if err != nil {
		return problem(err)
	}
	ctx := c.Request().Context()
	var out ConsistencyProof
	var fixed bool
	err = h.store.View(ctx, func(r audit.Reader) error {
		cp, err := h.published(ctx, r)
		if err != nil {
			return err
		}
		to, given, err := query(c, "to", cp.Size)
		switch {
		case err != nil:
			return err
		case from > to:
			return fmt.Errorf("%w: from %d is after to %d", ErrBadParameter, from, to)
		case to > cp.Size:
			return fmt.Errorf("%w: to %d is beyond the tree of size %d", audit.ErrOutOfRange, to, cp.Size)
		}
		p, err := audit.ConsistencyProof(ctx, r, from, to)
		out, fixed = ConsistencyProof{From: from, To: to, Proof: hashBytes(p)}, given
		return err
	})
	if err != nil {
		return problem(err)
	}
	return h.json(c, out, fixed)
}

func hashBytes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}
