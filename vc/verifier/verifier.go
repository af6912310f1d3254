package verifier

import (
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc/jose"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// Config is the verifier's trust and environment. Resolver is required; every other zero
// field has the safe meaning given.
type Config struct {
	// Resolver resolves issuers', holders' and subjects' DIDs.
	Resolver did.Resolver
	// JSONLD processes documents for the RDFC cryptosuites; nil means the embedded contexts
	// plus the kakunin context.
	JSONLD *jsonld.Processor
	// Status retrieves status list credentials; nil means a default *status.HTTPFetcher
	// (https, public addresses only). The service passes issuer.Fetcher over it, so that its
	// own lists are read from its store.
	Status status.Fetcher
	// StatusOptions tune the status list cache and trust (status.Options); its Now is set
	// from Now. Without the cache (CacheBytes < 0) every check fetches the list again, but
	// the proof of a list credential whose exact bytes verified in the last minute is not
	// verified again (status.Options.ProofMemoTTL).
	StatusOptions status.Options
	// Cryptosuites accepted in Data Integrity proofs; nil means dataintegrity's defaults.
	Cryptosuites []string
	// JOSE is the allow-list of vc+jwt algorithms; nil means every algorithm vc/jose knows.
	JOSE []jose.Algorithm
	// JOSEAnyKeyType accepts vc+jwt signed with keys published as Multikey (did:key and
	// did:web issuers commonly do), not only JsonWebKey; see jose.VerifyOptions.AnyKeyType.
	JOSEAnyKeyType bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Verifier verifies credentials and presentations. It is safe for concurrent use.
type Verifier struct {
	cfg     Config
	checker *status.Checker
}

// New returns a verifier.
func New(cfg Config) (*Verifier, error) {
	if cfg.Resolver == nil {
		return nil, errors.New("verifier: Resolver is required")
	}
	if cfg.JSONLD == nil {
		loader, err := jsonld.NewLoader(spec.Contexts())
		if err != nil {
			return nil, fmt.Errorf("verifier: contexts: %w", err)
		}
		cfg.JSONLD = jsonld.NewProcessor(loader, jsonld.Options{})
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Status == nil {
		cfg.Status = &status.HTTPFetcher{}
	}
	v := &Verifier{cfg: cfg}
	opts := cfg.StatusOptions
	opts.Now = cfg.Now
	v.checker = status.NewChecker(cfg.Status, status.VerifierFunc(v.verifyList), opts)
	return v, nil
}

// Options are the per-call options of VerifyCredential and VerifyPresentation.
type Options struct {
	// Checks names the checks to run beside proof and validity, which always run: any of
	// "status", "subject", "schema". The names deployed VC API clients send are accepted too
	// ("proof", "credentialStatus", "expiration", "validFrom", "validUntil",
	// "credentialSchema"). Empty runs every check. An unknown name is ErrInvalidInput.
	Checks []string
	// Now is the time of verification; zero means the verifier's clock.
	Now time.Time
	// Challenge and Domain are the values a presentation's proof must carry (Data Integrity
	// challenge and domain, or vp+jwt nonce and aud). Challenge "" accepts any; Domain nil
	// accepts any.
	Challenge string
	Domain    []string
	// Unsigned accepts a presentation without a proof (VCALM ProoflessVerifyPresentationRequest):
	// only its credentials are verified, and nothing binds it to a holder. A presentation that
	// has a proof is verified as usual.
	Unsigned bool
}

var aliases = map[string]string{
	CheckProof: CheckProof, CheckValidity: CheckValidity, CheckStatus: CheckStatus,
	CheckSubject: CheckSubject, CheckSchema: CheckSchema,
	"credentialStatus": CheckStatus, "revocation": CheckStatus, "expiration": CheckValidity,
	"validFrom": CheckValidity, "validUntil": CheckValidity, "credentialSchema": CheckSchema,
}

// plan returns the checks to run.
func (o Options) plan() (map[string]bool, error) {
	run := map[string]bool{CheckProof: true, CheckValidity: true}
	if len(o.Checks) == 0 {
		run[CheckStatus], run[CheckSubject], run[CheckSchema] = true, true, true
	}
	if len(o.Checks) > len(aliases) {
		return nil, fmt.Errorf("%w: too many checks", ErrInvalidInput)
	}
	for _, c := range o.Checks {
		name, ok := aliases[c]
		if !ok {
			return nil, fmt.Errorf("%w: unknown check %q", ErrInvalidInput, clip(c))
		}
		run[name] = true
	}
	return run, nil
}

func (v *Verifier) now(o Options) time.Time {
	if !o.Now.IsZero() {
		return o.Now
	}
	return v.cfg.Now()
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
