package x509

import (
	"encoding/json/jsontext"
	"encoding/json/v2"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/internal/vectors"
)

type vector struct {
	ID    string `json:"id"`
	Input struct {
		DID   string   `json:"did"`
		Chain []string `json:"chain"`
	} `json:"input"`
	Output struct {
		Document jsontext.Value `json:"document"`
		Error    string         `json:"error"`
	} `json:"output"`
}

// vectorErrors maps each error message of the reference implementation to the
// sentinel this package returns for it.
var vectorErrors = map[string]error{
	"Certificate chain must contain at least two certificates.":               ErrChainTooShort,
	"Certificate chain verification failed: certificate signature failure.":   ErrChainInvalid,
	"Certificate chain verification failed: unhandled critical extension.":    ErrCriticalExtension,
	"Certificate chain verification failed: invalid CA certificate.":          ErrChainInvalid,
	"Certificate chain verification failed: path length constraint exceeded.": ErrChainInvalid,
	"Certificate chain verification failed: permitted subtree violation.":     ErrChainInvalid,
	"Certificate chain verification failed: excluded subtree violation.":      ErrChainInvalid,
	"Supplied chain does not match the verified chain.":                       ErrChainMismatch,
	"Certificate name contains duplicate attributes.":                         ErrDuplicateAttribute,
	"Certificate contains an unsupported SAN type.":                           ErrUnsupportedSAN,
	"Certificate does not contain a Fulcio issuer extension.":                 ErrMissingExtension,
	"Certificate does not contain an EKU extension.":                          ErrMissingExtension,
	"Leaf certificate key usage does not support DID operations.":             ErrKeyUsage,
	"DID URL paths are not supported.":                                        ErrPathNotSupported,
	"DID URL queries are not supported.":                                      ErrQueryNotSupported,
	"DID must contain at least one predicate.":                                ErrNoPredicate,
	"DID prefix is invalid.":                                                  ErrInvalidPrefix,
	"DID contains an unknown predicate.":                                      ErrUnknownPredicate,
	"Fingerprint algorithm is not supported.":                                 ErrUnsupportedAlgorithm,
	"CA fingerprint does not match the certificate chain.":                    ErrCAFingerprintMismatch,
	"EKU predicate does not match the certificate.":                           ErrPredicateMismatch,
	"SAN predicate does not match the certificate.":                           ErrPredicateMismatch,
	"Fulcio issuer predicate does not match the certificate.":                 ErrPredicateMismatch,
	"Subject predicate does not match the certificate.":                       ErrPredicateMismatch,
	"SAN predicate requires exactly one type and value.":                      ErrPredicateSyntax,
	"Subject predicate contains duplicate fields.":                            ErrPredicateSyntax,
	"Subject predicate contains an unknown key.":                              ErrPredicateSyntax,
	"Subject predicate requires key-value pairs.":                             ErrPredicateSyntax,
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors.Dir(t, "did-x509"), "test-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// validationTime is a time inside every certificate's validity period: the vectors
// do not check validity periods ("Certificate validity periods are not checked by
// these vectors"), and the spec lets the application choose the time. Chains that
// cannot be parsed get the zero time and fail before it matters.
func validationTime(chain []string) time.Time {
	certs, err := ParseChain(strings.Join(chain, ","))
	if err != nil {
		return time.Time{}
	}
	var at time.Time
	for _, c := range certs {
		if c.NotBefore.After(at) {
			at = c.NotBefore
		}
	}
	return at.Add(time.Second)
}

func TestVectors(t *testing.T) {
	vs := loadVectors(t)
	if len(vs) != 58 {
		t.Fatalf("%d vectors, want 58", len(vs))
	}
	for _, v := range vs {
		t.Run(v.ID, func(t *testing.T) {
			at := validationTime(v.Input.Chain)
			r := Resolver{Now: func() time.Time { return at }}
			opts := did.ResolutionOptions{Accept: did.MediaTypeDID, Method: map[string]jsontext.Value{}}
			opts.Method[OptionChain], _ = jsontext.AppendQuote(nil, strings.Join(v.Input.Chain, ","))
			res, err := r.Resolve(t.Context(), v.Input.DID, opts)
			if v.Output.Error != "" {
				want, ok := vectorErrors[v.Output.Error]
				if !ok {
					t.Fatalf("no sentinel for %q", v.Output.Error)
				}
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v (%s)", err, want, v.Output.Error)
				}
				if res.DIDResolutionMetadata.Error == nil {
					t.Errorf("error result without problem")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			compareDocuments(t, res.DIDDocument, v.Output.Document)
		})
	}
}

// compareDocuments compares the documents as JSON values, member order aside. The
// vectors' documents carry the Controlled Identifiers context; ours carry the DID
// context of the representation (DID v1.1 for application/did), which defines the
// same terms, so @context is compared separately: it must be present.
func compareDocuments(t *testing.T, got *did.Document, want jsontext.Value) {
	t.Helper()
	b, err := got.Marshal(did.MediaTypeDID)
	if err != nil {
		t.Fatal(err)
	}
	var g, w map[string]any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if g["@context"] != did.ContextV1_1 {
		t.Errorf("@context = %v", g["@context"])
	}
	delete(g, "@context")
	delete(w, "@context")
	if !reflect.DeepEqual(g, w) {
		gb, _ := json.Marshal(g, json.Deterministic(true))
		wb, _ := json.Marshal(w, json.Deterministic(true))
		t.Errorf("document\n got %s\nwant %s", gb, wb)
	}
}
