package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kakunin-dev/kakunin/did"
)

// The public demo (--demo-public-owner) gives every fresh install the same demo DID,
// which a Universal Resolver deployment can list as its test identifier: the owner
// key derives from a published seed and the prompt manifest has a fixed salt, so the
// DID's three parts never change. Its private key is in this file: nobody may trust
// the DID, and a production deployment never sets the flag.
const (
	publicDemoSeedText = "kakunin public demo owner, version 1: this key is public; never trust it"
	publicDemoSaltText = "kakunin public demo prompt salt, version 1"
)

// PublicDemoDID is the demo agent's DID under --demo-public-owner; the Universal
// Resolver registration kit (docs/universal-resolver) lists it as test identifier.
const PublicDemoDID = "did:kakunin:ce8a51c311ab06955a5929383664c3ec08a8165902eecdd317bced288fa9e94c:b503317a51100ac298be77aa43101c4d5835c9c8e23b6a05b2f2d02a2ce24e21:z6MkkuyfMzHB4VGsRVuUrJergwLvMBP5tTv9t2PbubDUSFck"

// publicDemoKey is the public demo owner's Ed25519 key.
func publicDemoKey() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(publicDemoSeedText))
	return ed25519.NewKeyFromSeed(seed[:])
}

// writePublicDemoKey writes the public demo owner key to path as a PKCS#8 PEM file,
// unless a key is there already.
func writePublicDemoKey(path string) error {
	der, err := x509.MarshalPKCS8PrivateKey(publicDemoKey())
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		return errors.Join(err, f.Close())
	}
	return errors.Join(f.Sync(), f.Close())
}

// checkPublicDemoOwner refuses a demo owner recorded with another key: the data
// directory was made without --demo-public-owner, and its DID is not the published one.
func checkPublicDemoOwner(multikey string) error {
	want, err := did.EncodeMultikey(publicDemoKey().Public())
	if err != nil {
		return err
	}
	if multikey != want {
		return fmt.Errorf("--demo-public-owner: the demo owner of this data directory has another key (%s); start with a new data directory", multikey)
	}
	return nil
}

// publicDemoSalt is the salt of the public demo's prompt manifest.
func publicDemoSalt() io.Reader {
	salt := sha256.Sum256([]byte(publicDemoSaltText))
	return bytes.NewReader(salt[:])
}
