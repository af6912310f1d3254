package main

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

// openIssuers opens the keys of the configured instances and builds them, the default
// instance first. res resolves the agents of did:kakunin instances. On error no key stays
// open; otherwise the caller closes the signers returned.
func openIssuers(ctx context.Context, specs []issuerSpec, baseURL string, res did.Resolver) ([]issuer.Instance, []keys.Signer, error) {
	var (
		out     []issuer.Instance
		signers []keys.Signer
		byDID   = map[string]string{}
	)
	fail := func(err error) ([]issuer.Instance, []keys.Signer, error) {
		for _, k := range signers {
			err = errors.Join(err, k.Close())
		}
		return nil, nil, err
	}
	for _, s := range specs {
		in, signer, err := openIssuer(ctx, s, baseURL, res)
		if err != nil {
			return fail(err)
		}
		signers = append(signers, signer)
		if other, dup := byDID[in.DID]; dup {
			return fail(s.err("key", fmt.Sprintf("gives %s the DID of %s (%s)", s.path, other, in.DID)))
		}
		byDID[in.DID] = s.path
		if s.Name == issuerInstance {
			out = append([]issuer.Instance{in}, out...)
		} else {
			out = append(out, in)
		}
	}
	return out, signers, nil
}

// openIssuer opens the key of one instance and builds it.
func openIssuer(ctx context.Context, s issuerSpec, baseURL string, res did.Resolver) (issuer.Instance, keys.Signer, error) {
	signer, err := keys.Open(ctx, s.Key)
	if err != nil {
		return issuer.Instance{}, nil, s.err("key", err.Error())
	}
	in, err := s.instance(ctx, signer, baseURL, res)
	if err != nil {
		return issuer.Instance{}, nil, errors.Join(err, signer.Close())
	}
	return in, signer, nil
}

// instance builds the issuer.Instance of s over its opened key.
func (s issuerSpec) instance(ctx context.Context, signer keys.Signer, baseURL string, res did.Resolver) (issuer.Instance, error) {
	suite, err := s.cryptosuite(signer.Algorithm())
	if err != nil {
		return issuer.Instance{}, err
	}
	in := issuer.Instance{Name: s.Name, Signer: signer, Cryptosuite: suite, AllowedScopes: s.Scopes, MaxValidity: s.MaxValidity,
		AllowUnresolvedSubjects: s.AnySubject}
	if len(s.Tenants) > 0 {
		in.Tenant = s.Tenants[0]
	}
	switch s.DID {
	case issuerDIDKey:
		d, err := key.New(signer.Public())
		if err != nil {
			return in, s.err("key", err.Error())
		}
		in.DID, in.VerificationMethod = d.String(), d.String()+"#"+d.ID
	case issuerDIDWeb:
		if in.DID, err = webDID(baseURL, s.Name); err != nil {
			return in, s.err("did", err.Error())
		}
		if in.VerificationMethod, err = methodID(in.DID, signer.Public()); err != nil {
			return in, s.err("key", err.Error())
		}
		in.Retired, err = s.retired(ctx, in.DID, signer.Public())
	case issuerDIDKakunin:
		key := agentKey{Signer: signer, agent: s.Agent, res: res}
		in.DID, in.Signer = s.Agent, key
		if in.VerificationMethod, err = key.VerificationMethod(ctx, false); err != nil {
			err = s.agentErr(err)
		}
	}
	return in, err
}

// cryptosuite returns the instance's default cryptosuite for a key of algorithm alg: the
// configured one if it takes such keys, else the RDFC suite of the key type.
func (s issuerSpec) cryptosuite(alg keys.Algorithm) (string, error) {
	var fits []string
	switch alg {
	case keys.Ed25519:
		fits = []string{dataintegrity.EdDSARDFC2022, dataintegrity.EdDSAJCS2022}
	case keys.ECDSAP256, keys.ECDSAP384:
		fits = []string{dataintegrity.ECDSARDFC2019, dataintegrity.ECDSAJCS2019}
	default:
		return "", s.err("key", fmt.Sprintf("an %s key fits no Data Integrity cryptosuite; use Ed25519, ECDSA-P256 or ECDSA-P384", alg))
	}
	switch {
	case s.Cryptosuite == "":
		return fits[0], nil
	case s.Cryptosuite == fits[0] || s.Cryptosuite == fits[1]:
		return s.Cryptosuite, nil
	}
	return "", s.err("cryptosuite", fmt.Sprintf("%s does not take the instance's %s key; it takes %s or %s",
		s.Cryptosuite, alg, fits[0], fits[1]))
}

// methodID is the verification method id of a did:web key: the DID, then its Multikey as
// the fragment, so that each key of a rotation has its own id.
func methodID(id string, pub crypto.PublicKey) (string, error) {
	mk, err := did.EncodeMultikey(pub)
	if err != nil {
		return "", err
	}
	return id + "#" + mk, nil
}

// retired reads the former keys of a did:web instance: Multikey values, or key URIs whose
// public key is read and the key closed again.
func (s issuerSpec) retired(ctx context.Context, id string, current crypto.PublicKey) ([]issuer.RetiredMethod, error) {
	var out []issuer.RetiredMethod
	seen := map[string]bool{}
	cur, _ := methodID(id, current)
	for i, r := range s.Retired {
		field := fmt.Sprintf("retired[%d]", i)
		pub, err := retiredKey(ctx, r)
		if err != nil {
			return nil, s.err(field, err.Error())
		}
		vm, err := methodID(id, pub)
		switch {
		case err != nil:
			return nil, s.err(field, err.Error())
		case vm == cur:
			return nil, s.err(field, "is the current key")
		case seen[vm]:
			return nil, s.err(field, "is listed twice")
		}
		seen[vm] = true
		out = append(out, issuer.RetiredMethod{ID: vm, Public: pub})
	}
	return out, nil
}

func retiredKey(ctx context.Context, r string) (crypto.PublicKey, error) {
	if pub, err := did.DecodeMultikey(r); err == nil {
		return pub, nil
	}
	k, err := keys.Open(ctx, r)
	if err != nil {
		return nil, err
	}
	pub := k.Public()
	return pub, k.Close()
}

// errNoAgentMethod: the agent's DID document lists no assertionMethod with the instance's key.
var errNoAgentMethod = errors.New("lists no assertionMethod with this key (no valid certificate of it)")

// agentErr places an error of agentKey.VerificationMethod at start in the configuration.
func (s issuerSpec) agentErr(err error) error {
	if errors.Is(err, errNoAgentMethod) {
		return s.err("key", fmt.Sprintf("the DID document of %s %v", s.Agent, errNoAgentMethod))
	}
	return s.err("agent", fmt.Sprintf("does not resolve: %v", err))
}

// agentKey is the key of a did:kakunin instance. Its verification methods name the agent
// certificate of the key (#cert-T and #cert-T-multikey, spec/did-kakunin.md §9.1), which a
// renewal replaces and expiry removes, so it finds them in the agent's DID document at
// every signature (issuer.MethodSigner). It resolves through the service's resolver, whose
// cached result ends at the document's nextUpdate (the earliest expiry of its
// certificates) and is dropped when this process's CA changes the DID; a renewal through
// another replica shows within --resolver-cache-ttl, while the former certificate is valid.
type agentKey struct {
	keys.Signer
	agent string
	res   did.Resolver
}

var _ issuer.MethodSigner = agentKey{}

// VerificationMethod returns the method of the key's newest valid certificate listed for
// assertionMethod: its Multikey form (#cert-T-multikey), which Data Integrity verifiers
// take, or for vc+jwt its JsonWebKey form (#cert-T) with the chain; the other form when the
// document has only that one. Errors wrap errNoAgentMethod when no certificate of the key
// is valid.
func (k agentKey) VerificationMethod(ctx context.Context, jose bool) (string, error) {
	r, err := k.res.Resolve(ctx, k.agent, did.ResolutionOptions{})
	if err != nil {
		return "", err
	}
	if r == nil || r.DIDDocument == nil {
		return "", fmt.Errorf("the resolver returned no document for %s", k.agent)
	}
	want := did.TypeMultikey
	if jose {
		want = did.TypeJSONWebKey
	}
	var found, other string
	for _, vm := range keyMethods(r.DIDDocument, k.agent, k.Public()) {
		if vm.Type == want {
			found = vm.ID // the certificates come in order of notBefore: the last is the newest
		} else {
			other = vm.ID
		}
	}
	switch {
	case found != "":
		return found, nil
	case other != "":
		return other, nil
	}
	return "", fmt.Errorf("the DID document of %s %w", k.agent, errNoAgentMethod)
}

// keyMethods returns the methods of doc that hold pub and are listed for assertionMethod,
// in document order, with absolute ids.
func keyMethods(doc *did.Document, agent string, pub crypto.PublicKey) []did.VerificationMethod {
	var out []did.VerificationMethod
	for _, vm := range doc.VerificationMethod {
		if strings.HasPrefix(vm.ID, "#") {
			vm.ID = agent + vm.ID
		}
		if _, err := doc.Authorized(vm.ID, did.AssertionMethod); err != nil || !strings.HasPrefix(vm.ID, agent+"#") {
			continue
		}
		k, err := vm.PublicKey()
		if eq, ok := k.(interface{ Equal(crypto.PublicKey) bool }); err == nil && ok && eq.Equal(pub) {
			out = append(out, vm)
		}
	}
	return out
}
