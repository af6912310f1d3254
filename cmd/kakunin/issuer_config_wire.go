package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
)

// instanceTenants restricts issuance through an instance to the tenants its `tenants`
// setting lists (none listed: every tenant), after the token checks of next. Status
// changes name no instance and are left to next and the issuer.
type instanceTenants struct {
	next    vcapi.Authorizer
	tenants map[string][]string // instance name → tenants allowed
}

var _ vcapi.Authorizer = instanceTenants{}

// Authorize implements vcapi.Authorizer.
func (a instanceTenants) Authorize(r *http.Request, instance string, action vcapi.Action) (issuer.Caller, error) {
	caller, err := a.next.Authorize(r, instance, action)
	if err != nil || action != vcapi.ActionIssue {
		return caller, err
	}
	if instance == "" {
		instance = issuerInstance
	}
	if allowed := a.tenants[instance]; len(allowed) > 0 && !caller.Operator && !slices.Contains(allowed, caller.Tenant) {
		return issuer.Caller{}, fmt.Errorf("%w: tenant %q may not issue through instance %q", vcapi.ErrForbidden, caller.Tenant, instance)
	}
	return caller, nil
}

// issuerTenants maps each configured instance to the tenants it lists.
func issuerTenants(specs []issuerSpec) map[string][]string {
	out := map[string][]string{}
	for _, s := range specs {
		out[s.Name] = s.Tenants
	}
	return out
}

// localDIDWeb resolves the did:web DIDs of this service's own instances from their
// documents, as the VC API serves them, and every other DID through next: verifying a
// credential of this service never fetches its own document over HTTP.
type localDIDWeb struct {
	is   *issuer.Issuer
	next did.Resolver
}

var _ did.Resolver = localDIDWeb{}

// Resolve implements did.Resolver.
func (l localDIDWeb) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	if strings.HasPrefix(id, "did:web:") && opts.VersionID == "" && opts.VersionTime.IsZero() {
		for _, in := range l.is.Instances() {
			if in.DID != id {
				continue
			}
			doc, err := in.DIDDocument()
			if err != nil {
				return nil, err
			}
			return &did.ResolutionResult{DIDDocument: doc}, nil
		}
	}
	return l.next.Resolve(ctx, id, opts)
}
