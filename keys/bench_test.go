//go:build cgo

package keys

import (
	"context"
	"crypto"
	"crypto/rand"
	"path/filepath"
	"testing"
)

// BenchmarkSign measures one signature per backend and algorithm (RSA-3072 left out to
// keep the run short; it scales as RSA-2048 does). Keys are made before the timed
// sub-benchmarks, which may run more than once.
func BenchmarkSign(b *testing.B) {
	algs := []Algorithm{Ed25519, ECDSAP256, ECDSAP384, RSA2048}
	dir := b.TempDir()
	st := newSoftToken(b)
	for _, alg := range algs {
		file, err := Generate(context.Background(), filepath.Join(dir, alg.String()+".pem"), alg)
		if err != nil {
			b.Fatal(err)
		}
		defer file.Close()
		hsm, err := Generate(context.Background(), st.uri("object=bench-"+alg.String()), alg)
		if err != nil {
			b.Fatal(err)
		}
		defer hsm.Close()
		b.Run("file/"+alg.String(), func(b *testing.B) { benchSign(b, file) })
		b.Run("pkcs11/"+alg.String(), func(b *testing.B) { benchSign(b, hsm) })
	}
}

func benchSign(b *testing.B, s Signer) {
	digest, opts := digestFor(s.Algorithm()), signOpts(s.Algorithm())
	if s.Algorithm() == ECDSAP384 {
		digest, opts = make([]byte, 48), crypto.SHA384
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign(rand.Reader, digest, opts); err != nil {
			b.Fatal(err)
		}
	}
}
