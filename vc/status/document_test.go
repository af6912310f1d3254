package status

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestFetchDocumentMediaTypes: the Content-Type of a served list is read without its
// parameters, and only the media types of a credential (§4, VC-JOSE-COSE) are accepted.
func TestFetchDocumentMediaTypes(t *testing.T) {
	body := []byte(specListCredential)
	tests := []struct {
		contentType []string // nil: no Content-Type at all
		want        string
		err         error
	}{
		{[]string{"application/vc"}, MediaTypeVC, nil},
		{[]string{"application/vc+ld+json"}, MediaTypeVCLD, nil},
		{[]string{`application/ld+json; profile="https://www.w3.org/ns/credentials/v2"`}, MediaTypeLD, nil},
		{[]string{"application/json; charset=utf-8"}, MediaTypeJSON, nil},
		{[]string{"Application/VC+JWT"}, MediaTypeVCJWT, nil},
		{nil, "", nil},
		{[]string{"text/plain; charset=utf-8"}, "", ErrMediaType},
		{[]string{"text/html"}, "", ErrMediaType},
		{[]string{"application/octet-stream"}, "", ErrMediaType},
		{[]string{"application/sd-jwt"}, "", ErrMediaType},
		{[]string{"application/vc+cose"}, "", ErrMediaType},
		{[]string{"application/jwt"}, "", ErrMediaType},
		{[]string{"application/"}, "", ErrMediaType},
		{[]string{"application/vc; charset"}, "", ErrMediaType},
	}
	for _, tt := range tests {
		name := "absent"
		if tt.contentType != nil {
			name = tt.contentType[0]
		}
		t.Run(name, func(t *testing.T) {
			srv := listServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header()["Content-Type"] = tt.contentType // nil keeps net/http from sniffing one
				_, _ = w.Write(body)
			})
			doc, err := testFetcher(srv).FetchDocument(context.Background(), srv.URL)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err == nil && (doc.MediaType != tt.want || string(doc.Body) != string(body)) {
				t.Fatalf("media type %q, body %d bytes; want %q", doc.MediaType, len(doc.Body), tt.want)
			}
		})
	}
}

// TestCheckRefusesMediaType: a list served as another media type is a STATUS_RETRIEVAL_ERROR,
// whether HTTPFetcher or another DocumentFetcher reports it.
func TestCheckRefusesMediaType(t *testing.T) {
	srv := listServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(world(t).docs[testListURL])
	})
	tests := []struct {
		name  string
		fetch Fetcher
		url   string
	}{
		{"HTTPFetcher", testFetcher(srv), srv.URL + "/list"},
		{"DocumentFetcher", typedNet{world(t), "text/html"}, testListURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entry := entryObject(t, Entry{Purpose: Revocation, Index: 1, ListCredential: tt.url})
			_, err := checkOne(t, tt.fetch, parseOnly, entry, Options{})
			if !errors.Is(err, ErrRetrieval) || !errors.Is(err, ErrMediaType) {
				t.Fatalf("error %v, want STATUS_RETRIEVAL_ERROR wrapping ErrMediaType", err)
			}
		})
	}
}

// TestCheckRefusesLargeList: a list larger than the fetcher's cap is a STATUS_RETRIEVAL_ERROR,
// whether its length is announced or not.
func TestCheckRefusesLargeList(t *testing.T) {
	list := world(t).docs[testListURL]
	srv := listServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vc")
		if r.URL.Path == "/streamed" { // no Content-Length: chunked
			_, _ = w.Write(list[:10])
			w.(http.Flusher).Flush()
			_, _ = w.Write(list[10:])
			return
		}
		_, _ = w.Write(list)
	})
	for _, path := range []string{"/announced", "/streamed"} {
		t.Run(path, func(t *testing.T) {
			f := testFetcher(srv)
			f.MaxBytes = int64(len(list) - 1)
			entry := entryObject(t, Entry{Purpose: Revocation, Index: 1, ListCredential: srv.URL + path})
			opts := Options{AllowListIDMismatch: true, CacheBytes: -1} // the list's id is testListURL
			_, err := checkOne(t, f, parseOnly, entry, opts)
			if !errors.Is(err, ErrRetrieval) || !errors.Is(err, ErrResponseTooLarge) {
				t.Fatalf("error %v, want STATUS_RETRIEVAL_ERROR wrapping ErrResponseTooLarge", err)
			}
			f.MaxBytes = int64(len(list))
			if _, err := checkOne(t, f, parseOnly, entry, opts); err != nil {
				t.Fatalf("at the cap: %v", err)
			}
		})
	}
}

func TestDocumentIsJWT(t *testing.T) {
	const jws = "eyJhbGciOiJFZERTQSJ9.e30.c2ln"
	tests := []struct {
		name string
		doc  Document
		want bool
	}{
		{"vc+jwt", Document{Body: []byte(jws), MediaType: MediaTypeVCJWT}, true},
		{"vc+jwt whatever the body", Document{Body: []byte("{}"), MediaType: MediaTypeVCJWT}, true},
		{"application/vc", Document{Body: []byte("{}"), MediaType: MediaTypeVC}, false},
		{"json with a JWS body", Document{Body: []byte(jws), MediaType: MediaTypeJSON}, false},
		{"untyped JWS", Document{Body: []byte(jws)}, true},
		{"untyped JSON", Document{Body: []byte(" \n{}")}, false},
		{"untyped empty", Document{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.doc.IsJWT(); got != tt.want {
				t.Fatalf("IsJWT = %v", got)
			}
		})
	}
}

// TestVerifierSeesMediaType: the media type a DocumentFetcher reports reaches the verifier; a
// plain Fetcher's documents have none.
func TestVerifierSeesMediaType(t *testing.T) {
	tests := []struct {
		name  string
		fetch Fetcher
		want  string
	}{
		{"DocumentFetcher", typedNet{world(t), "application/vc"}, MediaTypeVC},
		{"plain Fetcher", world(t), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			verify := VerifierFunc(func(ctx context.Context, doc Document) (*Verified, error) {
				seen = append(seen, doc.MediaType)
				return parseOnly(ctx, doc)
			})
			if _, err := checkOne(t, tt.fetch, verify, entryObject(t, revocationEntry(1)), Options{}); err != nil {
				t.Fatal(err)
			}
			if len(seen) != 1 || seen[0] != tt.want {
				t.Fatalf("verifier saw %q, want [%q]", seen, tt.want)
			}
		})
	}
}

// TestProofExpiryBoundsReuse: a list whose proof expires (a vc+jwt exp) is neither taken
// from the cache nor from the proof memo past that time.
func TestProofExpiryBoundsReuse(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"cache", Options{ProofMemoTTL: -1}},
		{"proof memo", Options{CacheBytes: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: testNow}
			tt.opts.Now = clk.Now
			expires := testNow.Add(30 * time.Second)
			var calls int
			verify := VerifierFunc(func(ctx context.Context, doc Document) (*Verified, error) {
				calls++
				v, err := parseOnly(ctx, doc)
				if err == nil {
					v.Expires = expires
				}
				return v, err
			})
			checker := NewChecker(world(t), verify, tt.opts)
			cred := credentialWith(t, entryObject(t, revocationEntry(1)))
			for _, step := range []struct {
				advance time.Duration
				calls   int
			}{{0, 1}, {29 * time.Second, 1}, {time.Second, 2}} {
				clk.advance(step.advance)
				if step.calls == 2 {
					expires = clk.Now().Add(time.Hour)
				}
				if _, err := checker.Check(context.Background(), cred); err != nil {
					t.Fatal(err)
				}
				if calls != step.calls {
					t.Fatalf("after %s: %d verifications, want %d", clk.Now().Sub(testNow), calls, step.calls)
				}
			}
		})
	}
}

// TestProofMemoByMediaType: the same bytes served as another media type are verified again.
func TestProofMemoByMediaType(t *testing.T) {
	v := &countingVerifier{}
	f := &switchingNet{fakeNet: world(t), mediaType: MediaTypeVC}
	checker := NewChecker(f, v, Options{Now: func() time.Time { return testNow }, CacheBytes: -1})
	cred := credentialWith(t, entryObject(t, revocationEntry(1)))
	for i, step := range []struct {
		mediaType string
		calls     int64
	}{{MediaTypeVC, 1}, {MediaTypeVC, 1}, {MediaTypeJSON, 2}} {
		f.set(step.mediaType)
		if _, err := checker.Check(context.Background(), cred); err != nil {
			t.Fatal(err)
		}
		if got := v.calls.Load(); got != step.calls {
			t.Fatalf("check %d (%s): %d verifications, want %d", i, step.mediaType, got, step.calls)
		}
	}
}

// typedNet is a DocumentFetcher that reports every document of net as mediaType.
type typedNet struct {
	*fakeNet
	mediaType string
}

func (n typedNet) FetchDocument(ctx context.Context, url string) (Document, error) {
	body, err := n.Fetch(ctx, url)
	return Document{Body: body, MediaType: n.mediaType}, err
}

// switchingNet is a typedNet whose media type the test changes.
type switchingNet struct {
	*fakeNet
	mu        sync.Mutex
	mediaType string
}

func (n *switchingNet) set(mt string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.mediaType = mt
}

func (n *switchingNet) FetchDocument(ctx context.Context, url string) (Document, error) {
	n.mu.Lock()
	mt := n.mediaType
	n.mu.Unlock()
	return typedNet{n.fakeNet, mt}.FetchDocument(ctx, url)
}
