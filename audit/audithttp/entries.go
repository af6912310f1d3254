package audithttp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/did"
)

// Entry is one logged entry in a JSON answer.
type Entry struct {
	Index    uint64 `json:"index"`
	Entry    []byte `json:"entry"`    // canonical JSON of the entry (audit.ParseEntry reads it)
	LeafHash []byte `json:"leafHash"` // RFC 6962 leaf hash of Entry
}

// EntryPage answers /audit/entries and /audit/dids/{did}/entries. Size is the
// tree size of the latest signed checkpoint. Next, when set, is the from of the
// next page of a DID query.
type EntryPage struct {
	Size    uint64  `json:"size"`
	Entries []Entry `json:"entries"`
	Next    *uint64 `json:"next,omitempty"`
}

func newEntry(index uint64, data []byte) Entry {
	h := audit.LeafHash(data)
	return Entry{Index: index, Entry: data, LeafHash: h[:]}
}

// entries serves the entries start ≤ index < end; end defaults to a full page
// or the tree size.
func (h *Handler) entries(c *echo.Context) error {
	start, _, err := query(c, "start", 0)
	if err != nil {
		return problem(err)
	}
	ctx := c.Request().Context()
	var page EntryPage
	var fixed bool
	err = h.store.View(ctx, func(r audit.Reader) error {
		cp, err := h.published(ctx, r)
		if err != nil {
			return err
		}
		end, given, err := query(c, "end", min(cp.Size, start+uint64(h.cfg.MaxPage)))
		switch {
		case err != nil:
			return err
		case start > end:
			return fmt.Errorf("%w: start %d is after end %d", ErrBadParameter, start, end)
		case end > cp.Size:
			return fmt.Errorf("%w: end %d is beyond the tree of size %d", audit.ErrOutOfRange, end, cp.Size)
		case end-start > uint64(h.cfg.MaxPage):
			return fmt.Errorf("%w: more than %d entries asked", ErrBadParameter, h.cfg.MaxPage)
		}
		stored, err := r.EntriesRange(ctx, start, end)
		if err != nil {
			return fmt.Errorf("audithttp: read entries: %w", err)
		}
		page, fixed = EntryPage{Size: cp.Size, Entries: make([]Entry, 0, len(stored))}, given
		for _, s := range stored {
			page.Entries = append(page.Entries, newEntry(s.Index, s.Entry))
		}
		return nil
	})
	if err != nil {
		return problem(err)
	}
	return h.json(c, page, fixed)
}

// didEntries serves the entries whose subject is the DID in the path.
func (h *Handler) didEntries(c *echo.Context) error {
	id, err := url.PathUnescape(c.Param("did"))
	if err != nil || len(id) > did.MaxLength || !strings.HasPrefix(id, "did:") {
		return problem(fmt.Errorf("%w: path does not hold a URL-encoded DID", ErrBadParameter))
	}
	from, _, err := query(c, "from", 0)
	if err != nil {
		return problem(err)
	}
	limit, _, err := query(c, "limit", uint64(h.cfg.MaxPage))
	if err == nil && (limit == 0 || limit > uint64(h.cfg.MaxPage)) {
		err = fmt.Errorf("%w: limit must be between 1 and %d", ErrBadParameter, h.cfg.MaxPage)
	}
	if err != nil {
		return problem(err)
	}
	ctx := c.Request().Context()
	var page EntryPage
	err = h.store.View(ctx, func(r audit.Reader) error {
		var err error
		page, err = h.didPage(ctx, r, id, from, int(limit))
		return err
	})
	if err != nil {
		return problem(err)
	}
	return h.json(c, page, false)
}

// didPage reads one page of a DID's entries within the published tree.
func (h *Handler) didPage(ctx context.Context, r audit.Reader, id string, from uint64, limit int) (EntryPage, error) {
	cp, err := h.published(ctx, r)
	if err != nil {
		return EntryPage{}, err
	}
	records, err := audit.EntriesForDID(ctx, r, id, from, limit)
	if err != nil {
		return EntryPage{}, err
	}
	page := EntryPage{Size: cp.Size, Entries: make([]Entry, 0, len(records))}
	for _, rec := range records {
		if rec.Index >= cp.Size {
			return page, nil // not yet in a signed tree
		}
		data, err := rec.Entry.Encode()
		if err != nil {
			return EntryPage{}, err
		}
		page.Entries = append(page.Entries, newEntry(rec.Index, data))
	}
	if len(records) == limit {
		next := records[len(records)-1].Index + 1
		page.Next = &next
	}
	return page, nil
}

// json sends v. An answer about a fixed range of a signed tree never changes
// and is cached as immutable; others are cached as long as a checkpoint.
func (h *Handler) json(c *echo.Context, v any, immutable bool) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	cache := fmt.Sprintf("public, max-age=%d", max(int64(h.cfg.SignInterval/time.Second), 1))
	if immutable {
		cache = "public, max-age=31536000, immutable"
	}
	c.Response().Header().Set("Cache-Control", cache)
	return c.Blob(http.StatusOK, "application/json", body)
}
