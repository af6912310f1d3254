package issuer_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// remote is a status.Fetcher standing in for the HTTP one.
type remote struct{ doc status.Document }

func (r remote) Fetch(context.Context, string) ([]byte, error) { return r.doc.Body, nil }

func (r remote) FetchDocument(context.Context, string) (status.Document, error) { return r.doc, nil }

// TestFetcherMediaTypes checks that the issuer's fetcher labels its own lists
// application/vc and passes on the media type a remote list was served with, so
// that the status checker can choose the list's securing mechanism from it.
func TestFetcherMediaTypes(t *testing.T) {
	e := issuertest.New(t)
	ctx := context.Background()
	out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	jwt := status.Document{Body: []byte("eyJ.x.y"), MediaType: status.MediaTypeVCJWT}
	f := e.Issuer.Fetcher(remote{jwt}).(status.DocumentFetcher)
	own, err := f.FetchDocument(ctx, out.Status[0].URL)
	if err != nil || own.MediaType != status.MediaTypeVC || len(own.Body) == 0 {
		t.Errorf("own list: %q, %d bytes, %v", own.MediaType, len(own.Body), err)
	}
	other, err := f.FetchDocument(ctx, "https://other.example/status/1")
	if err != nil || other.MediaType != status.MediaTypeVCJWT || string(other.Body) != "eyJ.x.y" {
		t.Errorf("remote list: %+v, %v", other, err)
	}
	if _, err := e.Issuer.Fetcher(nil).Fetch(ctx, "https://other.example/status/1"); !errors.Is(err, issuer.ErrNotFound) {
		t.Errorf("remote list without a next fetcher: %v", err)
	}
	if _, err := f.FetchDocument(ctx, issuertest.BaseURL+"/status/main/revocation"); !errors.Is(err, issuer.ErrNotFound) {
		t.Errorf("malformed own list URL: %v", err)
	}
}
