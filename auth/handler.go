package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
)

// maxGrantBody bounds a token request body.
const maxGrantBody = 32 << 10

// Handler serves token management to holders of an admin token, always within
// the admin token's own tenant; it is a server.Mounter:
//
//	POST /auth/tokens              create a token; the answer holds its text, once
//	GET  /auth/tokens              list the tenant's tokens (never their hashes)
//	POST /auth/tokens/{id}/revoke  revoke a token
type Handler struct {
	a  *Authority
	db store.DB
}

// NewHandler returns the token routes over db, authorised by a.
func NewHandler(a *Authority, db store.DB) *Handler { return &Handler{a: a, db: db} }

// Mount adds the routes to e.
func (h *Handler) Mount(e *echo.Echo) {
	admin := h.a.Require(ActionAdmin, nil)
	e.POST("/auth/tokens", h.create, admin)
	e.GET("/auth/tokens", h.list, admin)
	e.POST("/auth/tokens/:id/revoke", h.revoke, admin)
}

// grantBody is the JSON body of POST /auth/tokens.
type grantBody struct {
	AllOwners bool     `json:"allOwners,omitempty"`
	Owners    []string `json:"owners,omitempty"`
	Actions   []string `json:"actions"`
	// ExpiresIn is the token's lifetime in seconds; zero means no expiry.
	ExpiresIn int64 `json:"expiresIn,omitempty"`
}

// tokenJSON describes a token; Token (its text) is set only when it is created.
type tokenJSON struct {
	ID        string     `json:"id"`
	Token     string     `json:"token,omitempty"`
	Tenant    string     `json:"tenant"`
	AllOwners bool       `json:"allOwners,omitempty"`
	Owners    []string   `json:"owners,omitempty"`
	Actions   []string   `json:"actions"`
	Created   time.Time  `json:"created"`
	Expires   *time.Time `json:"expires,omitempty"`
	Revoked   *time.Time `json:"revoked,omitempty"`
}

func describe(t store.Token) tokenJSON {
	j := tokenJSON{ID: t.ID, Tenant: t.TenantID, AllOwners: t.AllOwners, Owners: t.OwnerIDs, Actions: t.Actions, Created: t.Created}
	if !t.Expires.IsZero() {
		j.Expires = &t.Expires
	}
	if !t.RevokedAt.IsZero() {
		j.Revoked = &t.RevokedAt
	}
	return j
}

func (h *Handler) create(c *echo.Context) error {
	admin, _ := TokenOf(c)
	var b grantBody
	data, err := jsonin.ReadAll(c.Request().Body, jsonin.Options{MaxBytes: maxGrantBody})
	if err == nil {
		err = jsonin.Unmarshal(data, &b, jsonin.Options{MaxBytes: maxGrantBody})
	}
	if err != nil || b.ExpiresIn < 0 || b.ExpiresIn > int64(100*365*24*time.Hour/time.Second) {
		return server.NewProblem(http.StatusBadRequest, "", "malformed token request")
	}
	now := h.a.now()
	g := Grant{TenantID: admin.TenantID, AllOwners: b.AllOwners, OwnerIDs: b.Owners, Actions: b.Actions}
	if b.ExpiresIn > 0 {
		g.Expires = now.Add(time.Duration(b.ExpiresIn) * time.Second)
	}
	var text string
	var tok store.Token
	err = h.db.Tx(c.Request().Context(), func(tx store.Tx) error {
		ttx, ok := tx.(store.TokenTx)
		if !ok {
			return fmt.Errorf("%w: this store keeps no API tokens", store.ErrSchema)
		}
		text, tok, err = issue(c.Request().Context(), ttx, rand.Reader, g, ActorOf(admin), now)
		return err
	})
	if errors.Is(err, store.ErrInvalid) {
		return server.NewProblem(http.StatusUnprocessableEntity, "", err.Error())
	}
	if err != nil {
		return err
	}
	j := describe(tok)
	j.Token = text
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, j)
}

func (h *Handler) list(c *echo.Context) error {
	admin, _ := TokenOf(c)
	r, ok := h.db.(store.TokenReader)
	if !ok {
		return fmt.Errorf("%w: this store keeps no API tokens", store.ErrSchema)
	}
	toks, err := r.TokensByTenant(c.Request().Context(), admin.TenantID)
	if err != nil {
		return err
	}
	out := make([]tokenJSON, len(toks))
	for i, t := range toks {
		out[i] = describe(t)
	}
	return c.JSON(http.StatusOK, map[string]any{"tokens": out})
}

func (h *Handler) revoke(c *echo.Context) error {
	admin, _ := TokenOf(c)
	err := revoke(c.Request().Context(), h.db, ActorOf(admin), admin.TenantID, c.Param("id"), h.a.now())
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid):
		return server.NewProblem(http.StatusNotFound, "", "no such token in this tenant")
	case errors.Is(err, store.ErrConflict):
		return server.NewProblem(http.StatusConflict, "", "token already revoked")
	case err != nil:
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
