package issuer

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// Caller is who asks for an issuance or a status change, as the API layer authenticated it.
type Caller struct {
	ID     string // the client or account, written as the audit entry's actor
	Tenant string // the tenant (owner account) the caller acts for
	// Operator callers act for every tenant (the service itself, an administrator).
	Operator bool
}

// Authorizer decides whether a caller may issue for the owner of a did:kakunin subject.
type Authorizer interface {
	// AuthorizeOwner returns nil when caller's tenant owns the owner key ownerMultikey (the
	// key a did:kakunin identifier commits to), an error otherwise.
	AuthorizeOwner(ctx context.Context, caller Caller, ownerMultikey string) error
}

// AuthorizerFunc adapts a function to Authorizer.
type AuthorizerFunc func(ctx context.Context, caller Caller, ownerMultikey string) error

// AuthorizeOwner calls f.
func (f AuthorizerFunc) AuthorizeOwner(ctx context.Context, caller Caller, ownerMultikey string) error {
	return f(ctx, caller, ownerMultikey)
}

// Config holds what every instance shares. Store, Resolver and BaseURL are required.
type Config struct {
	Store Store
	// Resolver resolves subject DIDs for the policy (the service's registry of methods).
	Resolver did.Resolver
	// Authorizer checks did:kakunin subjects' owners; nil refuses every did:kakunin subject.
	Authorizer Authorizer
	// BaseURL is the public https origin of the service; status lists are served under
	// BaseURL/status/{instance}/{purpose}/{list}.
	BaseURL string
	// JSONLD processes documents for the RDFC cryptosuites; nil means the embedded contexts
	// plus the kakunin context.
	JSONLD *jsonld.Processor
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the randomness of status indexes and credential ids; nil means crypto/rand.
	// It is read from several goroutines at once.
	Rand io.Reader
	// ListTTL is the ttl of status list credentials and their Cache-Control max-age; zero
	// means 5 minutes.
	ListTTL time.Duration
	// ListValidity is the validity period of a signed status list credential, which is signed
	// again when half of it has passed or when its bits change; zero means 24 hours.
	ListValidity time.Duration
	// ListEntries is the length of new status lists; zero means 131,072.
	ListEntries int
	// ListCapacity is how many indexes of a new list are given out before the next list is
	// started (1 to ListEntries); zero means half of ListEntries. Below the length, random
	// draws of a new index keep succeeding at least half the time however full the list
	// is, and the list's population still hides who is in it.
	ListCapacity int
	// StatusReserve is how many status indexes of each instance and purpose are
	// reserved in one transaction ahead of the issuances that use them (1 to
	// store.MaxStatusReserve); zero means DefaultStatusReserve. Those a process
	// reserved and did not use when it stops stay allocated, in no credential,
	// unless Issuer.ReleaseReserved gave them back.
	StatusReserve int
}

// Issuer issues credentials from its instances and manages their status. It is safe for
// concurrent use.
type Issuer struct {
	cfg       Config
	instances []*Instance
	byName    map[string]*Instance

	pools map[poolKey]*reservePool // status entries reserved ahead, by instance and purpose

	mu    sync.Mutex
	lists map[string]*signedList
}

// New returns an issuer of the given instances; the first is the default instance.
func New(cfg Config, instances ...Instance) (*Issuer, error) {
	if cfg.Store == nil || cfg.Resolver == nil {
		return nil, errors.New("issuer: Store and Resolver are required")
	}
	if !strings.HasPrefix(cfg.BaseURL, "https://") && !strings.HasPrefix(cfg.BaseURL, "http://") {
		return nil, errors.New("issuer: BaseURL must be an http(s) origin")
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if len(instances) == 0 {
		return nil, errors.New("issuer: no instance")
	}
	is := &Issuer{cfg: cfg, byName: map[string]*Instance{}, lists: map[string]*signedList{}}
	for i := range instances {
		in := instances[i]
		if err := in.check(); err != nil {
			return nil, err
		}
		if _, dup := is.byName[in.Name]; dup {
			return nil, fmt.Errorf("issuer: duplicate instance %q", in.Name)
		}
		is.instances = append(is.instances, &in)
		is.byName[in.Name] = &in
	}
	is.pools = newPools(is.instances)
	return is, nil
}

func (c *Config) defaults() error {
	if c.JSONLD == nil {
		loader, err := jsonld.NewLoader(spec.Contexts())
		if err != nil {
			return fmt.Errorf("issuer: contexts: %w", err)
		}
		c.JSONLD = jsonld.NewProcessor(loader, jsonld.Options{})
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.ListTTL <= 0 {
		c.ListTTL = 5 * time.Minute
	}
	if c.ListValidity <= 0 {
		c.ListValidity = 24 * time.Hour
	}
	if c.StatusReserve == 0 {
		c.StatusReserve = DefaultStatusReserve
	}
	if c.ListCapacity == 0 {
		c.ListCapacity = max(c.ListEntries, status.MinEntries) / 2
	}
	if c.ListCapacity < 1 || c.ListCapacity > max(c.ListEntries, status.MinEntries) {
		return errors.New("issuer: ListCapacity must be between 1 and ListEntries")
	}
	if c.StatusReserve < 1 || c.StatusReserve > store.MaxStatusReserve {
		return errors.New("issuer: StatusReserve must be between 1 and 1,024")
	}
	return nil
}

// Instance returns the instance with this name; "" names the default instance.
func (is *Issuer) Instance(name string) (*Instance, error) {
	if name == "" {
		return is.instances[0], nil
	}
	in, ok := is.byName[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownInstance, clip(name))
	}
	return in, nil
}

// Instances returns the instances, the default first.
func (is *Issuer) Instances() []*Instance { return is.instances }

func (is *Issuer) now() time.Time { return is.cfg.Now().UTC().Truncate(time.Second) }

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
