package audithttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/audit"
)

// Store is the storage the handlers need: a consumer-side view of the SQL
// stores or of audit/memstore.
type Store interface {
	// View runs fn with a read-only view of the committed log.
	View(ctx context.Context, fn func(audit.Reader) error) error
	// Update runs fn in a read-write transaction, committed if fn succeeds. It
	// is used only to sign checkpoints; fn may run more than once.
	Update(ctx context.Context, fn func(audit.CheckpointStore) error) error
}

// Config configures the handlers. The zero value is usable.
type Config struct {
	// MaxPage bounds the entries of one /audit/entries, /audit/dids or
	// /audit/export answer; default and maximum audit.MaxQueryLimit (1000).
	MaxPage int
	// SignInterval is the least time between two attempts to sign a new
	// checkpoint, and the max-age of /audit/checkpoint; default 5 seconds.
	SignInterval time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.MaxPage <= 0 || c.MaxPage > audit.MaxQueryLimit {
		c.MaxPage = audit.MaxQueryLimit
	}
	if c.SignInterval <= 0 {
		c.SignInterval = 5 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Handler serves the audit log routes; it implements server.Mounter.
type Handler struct {
	store Store
	cp    *audit.Checkpointer
	cfg   Config

	mu       sync.Mutex // guards the on-demand signing cache below
	signedAt time.Time
	latest   []byte
	size     uint64

	openMu   sync.Mutex // guards the last opened stored checkpoint below
	openNote []byte
	openCP   audit.Checkpoint
}

// New returns the handler of the log that cp signs, stored in store.
func New(store Store, cp *audit.Checkpointer, cfg Config) (*Handler, error) {
	if store == nil || cp == nil {
		return nil, errors.New("audithttp: nil store or checkpointer")
	}
	return &Handler{store: store, cp: cp, cfg: cfg.withDefaults()}, nil
}

// Mount adds the routes to e.
func (h *Handler) Mount(e *echo.Echo) {
	e.GET("/audit/checkpoint", h.checkpoint)
	e.GET("/audit/key", h.key)
	e.GET("/audit/keys", h.keys)
	e.GET("/audit/entries", h.entries)
	e.GET("/audit/proof/inclusion", h.inclusion)
	e.GET("/audit/proof/consistency", h.consistency)
	e.GET("/audit/dids/:did/entries", h.didEntries)
	e.GET("/audit/export", h.export)
}

const mediaText = "text/plain; charset=utf-8"

// key serves the current verifier key. It changes only when the log key does.
func (h *Handler) key(c *echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, mediaText, []byte(h.cp.VerifierKey()+"\n"))
}

// keys serves the verifier keys of every key that signs checkpoints, one a
// line, the current one first: during a rotation, the new key and the retired
// ones.
func (h *Handler) keys(c *echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, mediaText, []byte(strings.Join(h.cp.VerifierKeys(), "\n")+"\n"))
}

// checkpoint serves the latest signed checkpoint, signing one first when the
// last attempt is older than SignInterval.
func (h *Handler) checkpoint(c *echo.Context) error {
	signed, err := h.fresh(c.Request().Context())
	if err != nil {
		return err
	}
	secs := int64(h.cfg.SignInterval / time.Second)
	c.Response().Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", max(secs, 1)))
	return c.Blob(http.StatusOK, mediaText, signed)
}

// fresh returns the cached checkpoint, or signs the current tree. Concurrent
// callers wait for one signature. The cache only grows, so a client never sees
// a smaller checkpoint from this replica.
func (h *Handler) fresh(ctx context.Context) ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.cfg.Now()
	if h.latest != nil && now.Sub(h.signedAt) < h.cfg.SignInterval {
		return h.latest, nil
	}
	var signed []byte
	err := h.store.Update(ctx, func(tx audit.CheckpointStore) error {
		var err error
		signed, err = h.cp.Sign(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("audithttp: sign checkpoint: %w", err)
	}
	cp, err := h.cp.Open(signed)
	if err != nil {
		return nil, fmt.Errorf("audithttp: signed checkpoint: %w", err)
	}
	h.signedAt = now
	if h.latest == nil || cp.Size >= h.size {
		h.latest, h.size = signed, cp.Size
	}
	return h.latest, nil
}

// published opens the latest stored checkpoint: the tree every read answers
// about. Its size is 0 when none was signed yet.
func (h *Handler) published(ctx context.Context, r audit.Reader) (audit.Checkpoint, error) {
	signed, err := r.LatestCheckpoint(ctx)
	if err != nil {
		return audit.Checkpoint{}, fmt.Errorf("audithttp: read checkpoint: %w", err)
	}
	if signed == nil {
		return audit.Checkpoint{Origin: h.cp.Origin()}, nil
	}
	h.openMu.Lock()
	defer h.openMu.Unlock()
	if bytes.Equal(signed, h.openNote) { // verified already: skip the signature check
		return h.openCP, nil
	}
	cp, err := h.cp.Open(signed)
	if err != nil {
		return audit.Checkpoint{}, fmt.Errorf("audithttp: stored checkpoint: %w", err)
	}
	h.openNote, h.openCP = signed, cp
	return cp, nil
}
