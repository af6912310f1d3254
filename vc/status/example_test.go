package status_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// An issuer allocates a random index, writes the credentialStatus entry, revokes the credential
// and publishes the list credential; a verifier checks the credential against it.
func Example() {
	const listURL = "https://issuer.example/status/1"
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

	// Issuer: a list of 131,072 entries and a free index chosen at random.
	bits, _ := status.New(status.MinBits)
	taken := map[int]bool{}
	index, _ := status.RandomIndex(rand.Reader, bits.Entries(1), func(i int) bool { return taken[i] })
	taken[index] = true
	entry, _ := status.Entry{Purpose: status.Revocation, Index: index, ListCredential: listURL}.Object()

	// Later the credential is revoked and the list republished (signing is the proof layer's).
	_ = bits.Set(index, 1, 1)
	list, _ := status.NewListCredential(status.ListParams{
		ID: listURL, Issuer: "did:web:issuer.example", Purposes: []status.Purpose{status.Revocation},
		ValidFrom: now, TTL: 5 * time.Minute,
	}, bits)
	published, _ := list.MarshalJSON()

	// Verifier: the service's own lists come from its store, remote ones via status.HTTPFetcher.
	fetch := status.FetcherFunc(func(_ context.Context, url string) ([]byte, error) {
		if url != listURL {
			return nil, errors.New("not found")
		}
		return published, nil
	})
	// Stand-in for the Data Integrity verifier, which checks the proofs before parsing.
	verify := status.VerifierFunc(func(_ context.Context, doc status.Document) (*status.Verified, error) {
		c, err := vc.ParseCredential(doc.Body, vc.ParseOptions{})
		return &status.Verified{Credential: c}, err
	})
	checker := status.NewChecker(fetch, verify, status.Options{Now: func() time.Time { return now }})

	cred, _ := vc.ParseCredential(credentialJSON(entry), vc.ParseOptions{})
	results, err := checker.Check(context.Background(), cred)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := results[0]
	fmt.Println(r.Entry.Purpose, r.Valid, r.Message)

	// A list that cannot be retrieved is a STATUS_RETRIEVAL_ERROR.
	entry["statusListCredential"] = "https://issuer.example/status/2"
	cred, _ = vc.ParseCredential(credentialJSON(entry), vc.ParseOptions{})
	_, err = checker.Check(context.Background(), cred)
	var e *status.Error
	if errors.As(err, &e) {
		fmt.Println(errors.Is(err, status.ErrRetrieval), e.Problem().Type)
	}
	// Output:
	// revocation false set
	// true https://www.w3.org/ns/credentials/status-list#STATUS_RETRIEVAL_ERROR
}

func credentialJSON(entry map[string]any) []byte {
	return fmt.Appendf(nil, `{
	  "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "type": ["VerifiableCredential"],
	  "issuer": "did:web:issuer.example",
	  "credentialSubject": {"id": "did:example:agent"},
	  "credentialStatus": {"type": %q, "statusPurpose": %q, "statusListIndex": %q, "statusListCredential": %q}
	}`, entry["type"], entry["statusPurpose"], entry["statusListIndex"], entry["statusListCredential"])
}

// A message entry of statusSize 2 carries one message for each of its four values.
func ExampleEntry_Message() {
	e := status.Entry{
		Purpose: status.Message, Index: 7, ListCredential: "https://issuer.example/status/8", Size: 2,
		Messages: []status.StatusMessage{{Status: 0, Message: "pending_review"}, {Status: 1, Message: "accepted"},
			{Status: 2, Message: "rejected"}, {Status: 3, Message: "undefined"}},
	}
	bits, _ := status.New(2 * status.MinBits)
	_ = bits.Set(e.Index, e.StatusSize(), 2)
	v, _ := bits.Get(e.Index, e.StatusSize())
	fmt.Println(v, e.Message(v))
	// Output: 2 rejected
}

func ExampleDecode() {
	// §2.2 Example 3 of the Recommendation.
	bits, err := status.Decode("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", status.DecodeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := bits.Get(94567, 1)
	fmt.Println(bits.Len(), v)
	// Output: 131072 0
}
