package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/jcs"
	"github.com/kakunin-dev/kakunin/store"
)

// Outcomes of a refused decision.
const (
	OutcomeUnauthenticated = "unauthenticated" // 401
	OutcomeForbidden       = "forbidden"       // 403
)

// maxOwnerLogged bounds the owner text a decision record keeps.
const maxOwnerLogged = 256

// appendTimeout bounds the transaction that logs a refusal, which outlives a
// cancelled request.
const appendTimeout = 5 * time.Second

// Decision is a refused write request as its authz.decision entry commits to
// it. The entry's actor is "token:<id>" when the store knows the token
// presented, else ActorAnonymous; its tenant is that token's, else
// TenantUnknown.
type Decision struct {
	Action  string // the action asked for
	Owner   string // the owner asked for, "" for a tenant-wide action
	Outcome string // OutcomeUnauthenticated or OutcomeForbidden
	TokenID string // the id of the token presented, "" for none; never its text
}

// Digest is the digest of the decision's entry: the SHA-256 of the RFC 8785
// canonical JSON {"action":"…","outcome":"…","owner":"…","token":"…"}, token
// omitted when none was presented.
func (d Decision) Digest() (audit.Digest, error) {
	return recordDigest(map[string]string{"action": d.Action, "owner": d.Owner, "outcome": d.Outcome, "token": d.TokenID})
}

// SummaryDigest is the digest of the entry that counts the refusals of one key
// left unlogged in the window [from, until): the SHA-256 of the RFC 8785
// canonical JSON {"from":"<RFC 3339 UTC>","outcome":"suppressed","refusals":"<n>","token":"…","until":"…"},
// token omitted when the key was a client address (which is never logged).
func SummaryDigest(tokenID string, refusals int, from, until time.Time) (audit.Digest, error) {
	return recordDigest(map[string]string{"from": rfc3339(from), "outcome": "suppressed",
		"refusals": strconv.Itoa(refusals), "token": tokenID, "until": rfc3339(until)})
}

func recordDigest(rec map[string]string) (audit.Digest, error) {
	for k, v := range rec {
		if v == "" {
			delete(rec, k)
		}
	}
	data, err := jcs.Marshal(rec)
	if err != nil {
		return "", fmt.Errorf("auth: decision digest: %w", err)
	}
	return audit.SHA256(data), nil
}

// unsafeMethod reports whether a request may change state (RFC 9110 §9.2.1:
// GET, HEAD, OPTIONS and TRACE are the safe methods).
func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// refusal is what Authorize knows of a refused request.
type refusal struct {
	known   store.Token // the stored token presented, if the store knows it
	tokenID string      // the id presented, "" for none
	owner   string
	action  string
	err     error
}

// logRefusal appends the authz.decision entry of a refused write request, and
// any summaries due, in a transaction of their own, within the DenialLimit. A
// failure to log is reported to the Logger: the request is refused anyway.
func (a *Authority) logRefusal(ctx context.Context, r *http.Request, f refusal) {
	if a.audit == nil || !unsafeMethod(r.Method) {
		return
	}
	now := a.now()
	w := window{actor: ActorAnonymous, tenant: TenantUnknown, token: f.tokenID}
	if f.known.ID != "" {
		w.actor = ActorOf(f.known)
	}
	if f.known.TenantID != "" {
		w.tenant = f.known.TenantID
	}
	key := "client:" + clientAddr(r)
	if f.tokenID != "" {
		key = "token:" + f.tokenID
	}
	logged, due := a.limiter.admit(key, w, now)
	entries := a.summaries(due, now)
	if logged {
		dec := Decision{Action: f.action, Owner: boundText(f.owner), Outcome: outcome(f.err), TokenID: f.tokenID}
		d, err := dec.Digest()
		if err != nil {
			a.log.Error("auth: refusal not logged", "error", err)
		} else {
			entries = append(entries, audit.Entry{Type: audit.AuthzDecision, Time: now, Actor: w.actor, Tenant: w.tenant, Digest: d})
		}
	}
	if len(entries) == 0 {
		return
	}
	if err := a.appendAll(ctx, entries); err != nil {
		a.log.Error("auth: refusal not logged", "entries", len(entries), "error", err)
	}
}

// FlushRefusals logs the summaries of every key's refusals left unlogged so
// far, ending their windows now; call it at shutdown (and, if wished,
// periodically), or the last window's count waits for the next refusal. It is
// a no-op without Options.Audit.
func (a *Authority) FlushRefusals(ctx context.Context) error {
	if a.audit == nil {
		return nil
	}
	now := a.now()
	entries := a.summaries(a.limiter.drain(now), now)
	if len(entries) == 0 {
		return nil
	}
	if err := a.appendAll(ctx, entries); err != nil {
		return fmt.Errorf("auth: log refusal summaries: %w", err)
	}
	return nil
}

// summaries are the entries that count the refusals of ended windows.
func (a *Authority) summaries(due []suppression, now time.Time) []audit.Entry {
	var entries []audit.Entry
	for _, s := range due {
		d, err := SummaryDigest(s.w.token, s.w.suppressed, s.w.start, s.end)
		if err != nil {
			a.log.Error("auth: refusal summary not logged", "error", err)
			continue
		}
		entries = append(entries, audit.Entry{Type: audit.AuthzDecision, Time: now, Actor: s.w.actor, Tenant: s.w.tenant, Digest: d})
	}
	return entries
}

func (a *Authority) appendAll(ctx context.Context, entries []audit.Entry) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), appendTimeout)
	defer cancel()
	return a.audit.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if _, err := audit.Append(ctx, atx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

func outcome(err error) string {
	if errors.Is(err, ErrForbidden) {
		return OutcomeForbidden
	}
	return OutcomeUnauthenticated
}

// boundText keeps at most maxOwnerLogged bytes of valid UTF-8 of s.
func boundText(s string) string {
	if len(s) > maxOwnerLogged {
		s = s[:maxOwnerLogged]
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// clientAddr is the connection's peer address without its port (a proxy's,
// behind one: such refusals share the proxy's budget).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return boundText(r.RemoteAddr)
	}
	return host
}
