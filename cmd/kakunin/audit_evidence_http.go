package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
)

// Bounds of the answers the evidence commands read.
const (
	maxProofAnswer   = 64 << 10 // a proof of at most 64 hashes, or one entry
	maxDIDPageAnswer = 4 << 20  // didPageLimit entries of at most audit.MaxEntrySize
	maxProblemAnswer = 64 << 10
	didPageLimit     = 100
	maxDIDPages      = 10_000 // a million entries about one DID
)

// logReader reads the proofs and entries of a log beyond what audithttp.Client
// offers (checkpoint and export).
type logReader struct {
	*audithttp.Client
	base *url.URL
	hc   *http.Client
}

func (a auditCLI) logReader(server string, timeout time.Duration) (*logReader, error) {
	hc := &http.Client{Transport: a.transport, Timeout: timeout}
	c, err := audithttp.NewClient(server, hc)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--server: %v", err)}
	}
	base, _ := url.Parse(server) // NewClient parsed it
	return &logReader{Client: c, base: base, hc: hc}, nil
}

// getJSON decodes the answer to GET base/path?q, read within limit bytes.
func (r *logReader) getJSON(ctx context.Context, q url.Values, limit int64, v any, path ...string) error {
	u := r.base.JoinPath(path...)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return logAnswerError(resp)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", u.Path, err)
	}
	if int64(len(data)) > limit {
		return fmt.Errorf("GET %s: %w: beyond %d bytes", u.Path, audithttp.ErrTooLarge, limit)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("GET %s: %w", u.Path, err)
	}
	return nil
}

func logAnswerError(resp *http.Response) error {
	e := &audithttp.StatusError{Status: resp.StatusCode}
	var p struct {
		Detail string `json:"detail"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxProblemAnswer))
	if json.Unmarshal(body, &p) == nil && len(p.Detail) <= 1024 {
		e.Detail = p.Detail
	}
	return fmt.Errorf("GET %s: %w", resp.Request.URL.Path, e)
}

func num(n uint64) string { return strconv.FormatUint(n, 10) }

// inclusion fetches the inclusion proof of a leaf, given by index or by its
// hash (base64url), in the tree of size size, and checks that the answer is
// about that tree.
func (r *logReader) inclusion(ctx context.Context, q url.Values, size uint64) (audithttp.InclusionProof, error) {
	q.Set("size", num(size))
	var p audithttp.InclusionProof
	if err := r.getJSON(ctx, q, maxProofAnswer, &p, "audit", "proof", "inclusion"); err != nil {
		return p, err
	}
	if p.Size != size || p.Index >= size {
		return p, fmt.Errorf("/audit/proof/inclusion: asked a proof in the tree of size %d, got leaf %d in %d", size, p.Index, p.Size)
	}
	return p, nil
}

// consistency fetches the consistency proof from size from to size to.
func (r *logReader) consistency(ctx context.Context, from, to uint64) ([][]byte, error) {
	var p audithttp.ConsistencyProof
	err := r.getJSON(ctx, url.Values{"from": {num(from)}, "to": {num(to)}}, maxProofAnswer, &p, "audit", "proof", "consistency")
	if err == nil && (p.From != from || p.To != to) {
		err = fmt.Errorf("/audit/proof/consistency: asked %d to %d, got %d to %d", from, to, p.From, p.To)
	}
	return p.Proof, err
}

// entry fetches the logged entry at index.
func (r *logReader) entry(ctx context.Context, index uint64) (audit.Entry, []byte, error) {
	var page audithttp.EntryPage
	if err := r.getJSON(ctx, url.Values{"start": {num(index)}, "end": {num(index + 1)}}, maxProofAnswer, &page, "audit", "entries"); err != nil {
		return audit.Entry{}, nil, err
	}
	if len(page.Entries) != 1 || page.Entries[0].Index != index {
		return audit.Entry{}, nil, fmt.Errorf("/audit/entries: asked entry %d, got %d entries", index, len(page.Entries))
	}
	data := page.Entries[0].Entry
	e, err := audit.ParseEntry(data)
	if err != nil {
		return audit.Entry{}, nil, fmt.Errorf("/audit/entries: entry %d: %w", index, err)
	}
	return e, data, nil
}

// latestForDID returns the index and content of the last entry of type event
// about did below tree size size.
func (r *logReader) latestForDID(ctx context.Context, did string, event audit.EventType, size uint64) (uint64, []byte, error) {
	var found []byte
	var at uint64
	from := uint64(0)
	for range maxDIDPages {
		var page audithttp.EntryPage
		q := url.Values{"from": {num(from)}, "limit": {strconv.Itoa(didPageLimit)}}
		if err := r.getJSON(ctx, q, maxDIDPageAnswer, &page, "audit", "dids", url.PathEscape(did), "entries"); err != nil {
			return 0, nil, err
		}
		for _, e := range page.Entries {
			if e.Index >= size || e.Index < from {
				continue
			}
			if parsed, err := audit.ParseEntry(e.Entry); err == nil && parsed.Type == event && parsed.Subject == did {
				at, found = e.Index, e.Entry
			}
		}
		if page.Next == nil {
			if found == nil {
				return 0, nil, fmt.Errorf("the log has no %s entry about %s in its signed tree of size %d (an entry logged since is provable once the log signs a new checkpoint, within seconds)", event, did, size)
			}
			return at, found, nil
		}
		if *page.Next <= from {
			return 0, nil, fmt.Errorf("/audit/dids: next page %d does not follow %d", *page.Next, from)
		}
		from = *page.Next
	}
	return 0, nil, fmt.Errorf("/audit/dids: more than %d pages about %s", maxDIDPages, did)
}
