package kakunin

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"
)

func TestVerifyChainOptions(t *testing.T) {
	leaf, id := goodLeaf(t)
	chain := loadPEM(t, "good.pem")
	now := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		chain []*x509.Certificate
		id    ID
		opts  VerifyOptions
		want  error
	}{
		{"zero time", chain, id, VerifyOptions{}, ErrInvalidOptions},
		{"zero ID", chain, ID{}, VerifyOptions{CurrentTime: now}, ErrInvalidOptions},
		{"max length 1", chain, id, VerifyOptions{CurrentTime: now, MaxChainLength: 1}, ErrInvalidOptions},
		{"max length 2", chain, id, VerifyOptions{CurrentTime: now, MaxChainLength: 2}, ErrChainTooLong},
		{"max validity too large", chain, id, VerifyOptions{CurrentTime: now, MaxValidity: 30 * 24 * time.Hour}, ErrInvalidOptions},
		{"require without roots", chain, id, VerifyOptions{CurrentTime: now, RequireTrustRoot: true}, ErrInvalidOptions},
		{"empty chain", nil, id, VerifyOptions{CurrentTime: now}, ErrEmptyChain},
		{"nil certificate", []*x509.Certificate{leaf, nil}, id, VerifyOptions{CurrentTime: now}, ErrEmptyChain},
		{"leaf only", chain[:1], id, VerifyOptions{CurrentTime: now}, ErrOwnerKeyNotInChain},
		{"issuing CA missing", []*x509.Certificate{leaf, chain[2]}, id, VerifyOptions{CurrentTime: now}, ErrUntrusted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := VerifyChain(tt.chain, tt.id, tt.opts); !errors.Is(err, tt.want) {
				t.Fatalf("VerifyChain: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyChainResult(t *testing.T) {
	_, id := goodLeaf(t)
	chain := loadPEM(t, "good.pem")
	v, err := VerifyChain(chain, id, VerifyOptions{CurrentTime: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Leaf().Equal(chain[0]) || !v.OwnerCA().Equal(chain[2]) || len(v.Chain) != 3 {
		t.Errorf("chain not returned as supplied")
	}
	if !v.NotAfter.Equal(chain[0].NotAfter) || v.TrustRoot != TrustNotChecked {
		t.Errorf("NotAfter %v, TrustRoot %v", v.NotAfter, v.TrustRoot)
	}
}
