package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/jcs"
	"github.com/kakunin-dev/kakunin/store"
)

// Actors the audit log records for this package's entries besides
// "token:<id>" (an admin token, see ActorOf).
const (
	// ActorSystem is the actor of token changes made by the operator's own tools
	// (Bootstrap at first start, Issue and Revoke called directly).
	ActorSystem = "system"
	// ActorAnonymous is the actor of a refused request that presented no token
	// the store knows.
	ActorAnonymous = "anonymous"
	// TenantUnknown is the tenant of a refused request whose tenant cannot be
	// told (no token, or one the store does not know).
	TenantUnknown = "unknown"
)

// ActorOf is the audit actor of a token: "token:<id>", as the VC API's callers.
func ActorOf(tok store.Token) string { return "token:" + tok.ID }

// tokenRecord is a token as its audit digest commits to it: the stored record
// without the hash, so that neither the secret nor its hash is ever logged.
type tokenRecord struct {
	ID        string   `json:"id"`
	Tenant    string   `json:"tenant"`
	AllOwners bool     `json:"allOwners"`
	Owners    []string `json:"owners"`
	Actions   []string `json:"actions"`
	Created   string   `json:"created"`
	Expires   string   `json:"expires,omitempty"`
	Revoked   string   `json:"revoked,omitempty"`
}

// TokenDigest is the digest of a token.created or token.revoked entry: the
// SHA-256 of the RFC 8785 canonical JSON
//
//	{"actions":[…],"allOwners":bool,"created":"<RFC 3339 UTC>","expires":"…","id":"<id>",
//	 "owners":[…],"revoked":"…","tenant":"<tenant>"}
//
// (expires and revoked only when set; times cut to the microsecond, as both SQL
// stores keep them), so that an auditor holding the token's
// listing (GET /auth/tokens) can check what was created or revoked. It never
// covers the token's text or hash.
func TokenDigest(tok store.Token) (audit.Digest, error) {
	r := tokenRecord{ID: tok.ID, Tenant: tok.TenantID, AllOwners: tok.AllOwners,
		Owners: orEmpty(tok.OwnerIDs), Actions: orEmpty(tok.Actions), Created: micros(tok.Created),
		Expires: micros(tok.Expires), Revoked: micros(tok.RevokedAt)}
	data, err := jcs.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("auth: token digest: %w", err)
	}
	return audit.SHA256(data), nil
}

func micros(t time.Time) string { return rfc3339(t.Truncate(time.Microsecond)) }

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// rfc3339 is t in UTC with nanoseconds, "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// logToken appends the entry of a token change within tx, the change's own
// transaction. A store without an audit log fails with store.ErrSchema: tokens
// never change unlogged.
func logToken(ctx context.Context, tx store.TokenTx, t audit.EventType, actor string, tok store.Token, at time.Time) error {
	atx, ok := tx.(audit.Appender)
	if !ok {
		return fmt.Errorf("%w: this store keeps no audit log", store.ErrSchema)
	}
	d, err := TokenDigest(tok)
	if err != nil {
		return err
	}
	_, err = audit.Append(ctx, atx, audit.Entry{Type: t, Time: at, Actor: actor, Tenant: tok.TenantID, Digest: d})
	if err != nil {
		return fmt.Errorf("auth: log %s: %w", t, err)
	}
	return nil
}
