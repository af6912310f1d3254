package audithttp

import (
	"context"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

const defaultClientTimeout = 30 * time.Second

// Verify brings an auditor's state up to the server's latest checkpoint. It
// fetches the checkpoint and verifies, page by page (page entries per request;
// 0 means audit.MaxQueryLimit), every entry logged since st with its inclusion
// proof, each page's checkpoint growing from the previous one by a consistency
// proof. When the tree has not grown it still checks the
// checkpoint against st, so a rollback or a fork is reported. It returns the
// state to keep and the number of entries verified; st is unchanged on error.
// Tampering is reported as a *verify.TamperError naming the index.
func (c *Client) Verify(ctx context.Context, v *verify.Verifier, st verify.State, page uint64) (verify.State, int, error) {
	if page == 0 || page > audit.MaxQueryLimit {
		page = audit.MaxQueryLimit
	}
	signed, err := c.Checkpoint(ctx)
	if err != nil {
		return st, 0, err
	}
	head, err := v.Open(signed)
	if err != nil {
		return st, 0, err
	}
	if head.Size <= st.Size() {
		empty := &verify.Bundle{Checkpoint: string(signed), From: head.Size, To: head.Size, Entries: []verify.BundleEntry{}}
		next, err := v.Verify(st, empty)
		return next, 0, err
	}
	cur, n := st, 0
	// The target follows the checkpoints the pages carry, so entries logged
	// while paging are verified before the state claims them.
	for from, target := st.Size(), head.Size; from < target; target = max(target, cur.Size()) {
		to := min(target, from+page)
		_, b, err := c.Export(ctx, ExportQuery{From: from, To: to, Since: cur.Size()})
		if err != nil {
			return st, n, err
		}
		if b.From != from || b.To != to {
			return st, n, fmt.Errorf("%w: asked entries [%d, %d), got [%d, %d)", verify.ErrMalformed, from, to, b.From, b.To)
		}
		if cur, err = v.Verify(cur, b); err != nil {
			return st, n, err
		}
		n += len(b.Entries)
		from = to
	}
	return cur, n, nil
}
