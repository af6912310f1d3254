package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"
)

// drbg is a deterministic byte stream: SHA-256(seed ‖ label ‖ counter) blocks. It
// is for test fixtures only. Key generation in crypto/* ignores custom readers
// (since Go 1.26, unless GODEBUG=cryptocustomrand=1), so keys are derived here.
type drbg struct {
	seed, label string
	n           uint64
	buf         []byte
}

func (d *drbg) Read(p []byte) (int, error) {
	for len(d.buf) < len(p) {
		var ctr [8]byte
		binary.BigEndian.PutUint64(ctr[:], d.n)
		d.n++
		block := sha256.Sum256([]byte(d.seed + "\x00" + d.label + "\x00" + string(ctr[:])))
		d.buf = append(d.buf, block[:]...)
	}
	n := copy(p, d.buf)
	d.buf = d.buf[n:]
	return n, nil
}

func stream(seed, label string) *drbg { return &drbg{seed: seed, label: label} }

func ed25519Key(seed, label string) ed25519.PrivateKey {
	s := make([]byte, ed25519.SeedSize)
	stream(seed, label).Read(s)
	return ed25519.NewKeyFromSeed(s)
}

// ecdsaKey derives a scalar by rejection sampling (ParseRawPrivateKey refuses zero
// and values at or above the group order).
func ecdsaKey(seed, label string, curve elliptic.Curve) *ecdsa.PrivateKey {
	r := stream(seed, label)
	d := make([]byte, (curve.Params().BitSize+7)/8)
	for {
		r.Read(d)
		if k, err := ecdsa.ParseRawPrivateKey(curve, d); err == nil {
			return k
		}
	}
}

// rsaKey builds an RSA key from two primes drawn from the stream.
func rsaKey(seed, label string, bits int) *rsa.PrivateKey {
	r := stream(seed, label)
	e := big.NewInt(65537)
	for {
		p, q := prime(r, bits/2), prime(r, bits-bits/2)
		n := new(big.Int).Mul(p, q)
		if p.Cmp(q) == 0 || n.BitLen() != bits {
			continue
		}
		pm1, qm1 := new(big.Int).Sub(p, big.NewInt(1)), new(big.Int).Sub(q, big.NewInt(1))
		phi := new(big.Int).Mul(pm1, qm1)
		d := new(big.Int).ModInverse(e, phi)
		if d == nil {
			continue
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
		k.Precompute()
		if err := k.Validate(); err != nil {
			panic(fmt.Sprintf("gencorpus: RSA key: %v", err))
		}
		return k
	}
}

func prime(r *drbg, bits int) *big.Int {
	b := make([]byte, (bits+7)/8)
	for {
		r.Read(b)
		b[0] |= 0xc0 // top two bits: the product has exactly 2·bits bits
		b[len(b)-1] |= 1
		p := new(big.Int).SetBytes(b)
		if p.ProbablyPrime(32) {
			return p
		}
	}
}
