package revocation

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

func TestCheckPolicy(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 11)
	goodOCSP := func([]byte) ([]byte, error) {
		return ca.ocspResponse(t, ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber,
			ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour)}, nil), nil
	}
	unknownOCSP := func([]byte) ([]byte, error) {
		return ca.ocspResponse(t, ocsp.Response{Status: ocsp.Unknown, SerialNumber: cert.SerialNumber,
			ThisUpdate: testNow.Add(-time.Minute), NextUpdate: testNow.Add(time.Hour)}, nil), nil
	}
	down := func([]byte) ([]byte, error) { return nil, errors.New("connection refused") }
	revokedCRL := func() ([]byte, error) {
		return ca.crl(t, 1, testNow.Add(-time.Minute), nil, revokedSerial{11, ocsp.CessationOfOperation}), nil
	}
	staleCRL := func() ([]byte, error) { return ca.crl(t, 1, testNow.Add(-3*time.Hour), nil), nil }
	for _, tc := range []struct {
		name    string
		tr      *fakeTransport
		opts    Options
		status  Status
		source  Source
		wantErr []error
	}{
		{"OCSP answers first", &fakeTransport{ocsp: goodOCSP, crl: revokedCRL}, Options{}, Good, SourceOCSP, nil},
		{"CRL when OCSP is down", &fakeTransport{ocsp: down, crl: revokedCRL}, Options{}, Revoked, SourceCRL, nil},
		{"CRL when OCSP says unknown", &fakeTransport{ocsp: unknownOCSP, crl: revokedCRL}, Options{}, Revoked, SourceCRL, nil},
		{"OCSP disabled", &fakeTransport{ocsp: goodOCSP, crl: revokedCRL}, Options{DisableOCSP: true}, Revoked, SourceCRL, nil},
		{"both fail: hard fail", &fakeTransport{ocsp: down, crl: staleCRL}, Options{}, Unknown, SourceNone, []error{ErrNoAnswer, ErrStale}},
		{"unknown and no CRL", &fakeTransport{ocsp: unknownOCSP}, Options{}, Unknown, SourceNone, []error{ErrNoAnswer, ErrUnknownStatus}},
		{"no transport, no local source", nil, Options{}, Unknown, SourceNone, []error{ErrNoSource}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Now = func() time.Time { return testNow }
			if tc.tr != nil {
				opts.Transport = tc.tr
			}
			r, err := New(opts).Check(context.Background(), cert, ca.cert)
			for _, want := range tc.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v", err, want)
				}
			}
			if tc.wantErr == nil && err != nil {
				t.Fatalf("err = %v", err)
			}
			if r.Status != tc.status || r.Source != tc.source {
				t.Fatalf("result = %+v, want %v from %v", r, tc.status, tc.source)
			}
		})
	}
}

func TestCheckCachesOCSP(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 5)
	now := testNow
	tr := &fakeTransport{ocsp: func([]byte) ([]byte, error) {
		return ca.ocspResponse(t, ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber,
			ThisUpdate: now.Add(-time.Minute), NextUpdate: now.Add(time.Hour)}, nil), nil
	}}
	c := New(Options{Now: clockAt(&now), Transport: tr})
	for i, wantCached := range []bool{false, true} {
		r, err := c.Check(context.Background(), cert, ca.cert)
		if err != nil || r.Status != Good || r.Cached != wantCached || tr.calls != 1 {
			t.Fatalf("Check %d = %+v, %v after %d requests", i, r, err, tr.calls)
		}
	}
	now = now.Add(2 * time.Hour)
	if r, err := c.Check(context.Background(), cert, ca.cert); err != nil || r.Cached || tr.calls != 2 {
		t.Fatalf("Check after nextUpdate = %+v, %v after %d requests; want a new request", r, err, tr.calls)
	}
}

func TestLocalSourceBeforeDistributionPoint(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 11)
	tr := &fakeTransport{crl: func() ([]byte, error) { return ca.crl(t, 1, testNow.Add(-time.Minute), nil), nil }}
	local := &localCRLs{der: ca.crl(t, 2, testNow.Add(-time.Minute), nil, revokedSerial{11, ocsp.KeyCompromise})}
	c := New(Options{Now: func() time.Time { return testNow }, Transport: tr, CRLSource: local, DisableOCSP: true})
	r, err := c.Check(context.Background(), cert, ca.cert)
	if err != nil || r.Status != Revoked || r.URL != "" || tr.calls != 0 {
		t.Fatalf("Check = %+v, %v after %d fetches; want the local CRL's answer", r, err, tr.calls)
	}
}

func TestSizeLimit(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 1)
	local := &localCRLs{der: ca.crl(t, 1, testNow.Add(-time.Minute), nil)}
	c := New(Options{Now: func() time.Time { return testNow }, CRLSource: local, MaxCRLSize: 64})
	if _, err := c.Check(context.Background(), cert, ca.cert); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// TestStaleWindowPrefersFreshData: a cached CRL inside the stale window answers only
// when no fresh CRL can be had.
func TestStaleWindowPrefersFreshData(t *testing.T) {
	ca := newCA(t, "owner CA")
	cert := ca.leaf(t, 11)
	now := testNow
	fresh := ca.crl(t, 1, testNow.Add(-time.Minute), nil)
	tr := &fakeTransport{crl: func() ([]byte, error) { return fresh, nil }}
	c := New(Options{Now: clockAt(&now), Transport: tr, DisableOCSP: true, CRLStaleWindow: 30 * time.Minute})
	if _, err := c.Check(context.Background(), cert, ca.cert); err != nil {
		t.Fatal(err)
	}
	now = testNow.Add(70 * time.Minute) // 11 minutes past nextUpdate
	newer := ca.crl(t, 2, now.Add(-time.Minute), nil, revokedSerial{11, ocsp.KeyCompromise})
	tr.crl = func() ([]byte, error) { return newer, nil }
	r, err := c.Check(context.Background(), cert, ca.cert)
	if err != nil || r.Status != Revoked || r.Stale || r.Cached {
		t.Fatalf("with a newer CRL available: %+v, %v; want its fresh answer", r, err)
	}

	tr = &fakeTransport{crl: func() ([]byte, error) { return fresh, nil }}
	c = New(Options{Now: clockAt(&now), Transport: tr, DisableOCSP: true, CRLStaleWindow: 30 * time.Minute})
	r, err = c.Check(context.Background(), cert, ca.cert)
	if err != nil || r.Status != Good || !r.Stale || r.Cached {
		t.Fatalf("only the stale CRL: %+v, %v; want a fetched Good answer marked Stale", r, err)
	}
	tr.crl = func() ([]byte, error) { return nil, errors.New("distribution point down") }
	r, err = c.Check(context.Background(), cert, ca.cert)
	if err != nil || !r.Stale || !r.Cached || tr.calls != 2 {
		t.Fatalf("stale CRL, source down: %+v, %v after %d fetches; want a new fetch, then the cached stale answer", r, err, tr.calls)
	}
	now = testNow.Add(91 * time.Minute) // past the stale window
	if _, err := c.Check(context.Background(), cert, ca.cert); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("past the stale window: err = %v, want ErrNoAnswer", err)
	}
}
