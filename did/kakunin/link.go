package kakunin

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/jcs"
)

// LinkRecordType is the type member of a link record.
const LinkRecordType = "KakuninLink"

// ErrInvalidLink: a link record that does not parse, names other DIDs than its
// registry entry, or whose signatures do not verify with the owner keys.
var ErrInvalidLink = errors.New("kakunin: invalid link")

// EventLinked is the version a predecessor/successor link adds to each DID it
// links (spec §7.3, §10.3).
const EventLinked EventKind = "linked"

// LinkRecord is the statement an owner signs to link two DIDs (spec §7.3): the
// RFC 8785 canonical JSON
//
//	{"created":"<RFC 3339 UTC>","predecessor":"<old DID>","successor":"<new DID>","type":"KakuninLink"}
type LinkRecord struct {
	Predecessor string
	Successor   string
	Created     time.Time
}

type wireLinkRecord struct {
	Type        string `json:"type"`
	Predecessor string `json:"predecessor"`
	Successor   string `json:"successor"`
	Created     string `json:"created"`
}

// Marshal returns the canonical bytes that are signed.
func (l LinkRecord) Marshal() ([]byte, error) {
	return jcs.Marshal(map[string]string{"type": LinkRecordType, "predecessor": l.Predecessor,
		"successor": l.Successor, "created": l.Created.UTC().Format(time.RFC3339Nano)})
}

// ParseLinkRecord reads a link record; it must be in canonical form. Errors wrap
// ErrInvalidLink.
func ParseLinkRecord(b []byte) (LinkRecord, error) {
	var w wireLinkRecord
	if err := json.Unmarshal(b, &w); err != nil {
		return LinkRecord{}, fmt.Errorf("%w: %w", ErrInvalidLink, err)
	}
	created, err := time.Parse(time.RFC3339Nano, w.Created)
	if err != nil || w.Type != LinkRecordType {
		return LinkRecord{}, fmt.Errorf("%w: not a %s record", ErrInvalidLink, LinkRecordType)
	}
	l := LinkRecord{Predecessor: w.Predecessor, Successor: w.Successor, Created: created}
	if canon, err := l.Marshal(); err != nil || !bytes.Equal(canon, b) {
		return LinkRecord{}, fmt.Errorf("%w: record not in canonical form", ErrInvalidLink)
	}
	return l, nil
}

// SignLinkRecord signs a marshalled link record with an owner key: Ed25519 over
// the bytes; ECDSA (ASN.1 DER signature) over their SHA-256 for P-256 and SHA-384
// for P-384; RSA PKCS #1 v1.5 over their SHA-256.
func SignLinkRecord(s crypto.Signer, record []byte) ([]byte, error) {
	digest, opts, err := linkDigest(s.Public(), record)
	if err != nil {
		return nil, err
	}
	return s.Sign(rand.Reader, digest, opts)
}

// VerifyLinkSignature checks a signature made by SignLinkRecord. Errors wrap
// ErrInvalidLink.
func VerifyLinkSignature(pub crypto.PublicKey, record, sig []byte) error {
	digest, _, err := linkDigest(pub, record)
	if err != nil {
		return err
	}
	ok := false
	switch k := pub.(type) {
	case ed25519.PublicKey:
		ok = ed25519.Verify(k, record, sig)
	case *ecdsa.PublicKey:
		ok = ecdsa.VerifyASN1(k, digest, sig)
	case *rsa.PublicKey:
		ok = rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig) == nil
	}
	if !ok {
		return fmt.Errorf("%w: signature does not verify", ErrInvalidLink)
	}
	return nil
}

// linkDigest is what is signed for a key type, and the signer options.
func linkDigest(pub crypto.PublicKey, record []byte) ([]byte, crypto.SignerOpts, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return record, crypto.Hash(0), nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			sum := sha256.Sum256(record)
			return sum[:], crypto.SHA256, nil
		case elliptic.P384():
			sum := sha512.Sum384(record)
			return sum[:], crypto.SHA384, nil
		}
	case *rsa.PublicKey:
		sum := sha256.Sum256(record)
		return sum[:], crypto.SHA256, nil
	}
	return nil, nil, fmt.Errorf("%w: owner key type %T", ErrInvalidLink, pub)
}

// RegistryLink is a link as the registry records it: the record, the signature
// by the predecessor's owner key and, when the successor has another owner key,
// the successor's, and the version the link added to each DID.
type RegistryLink struct {
	Predecessor, Successor               string
	PredecessorVersion, SuccessorVersion int64
	Record                               []byte
	Signature, SuccessorSignature        []byte
}

// LinkRegistry is a Registry that also records links; a Registry without it
// resolves DIDs without predecessor or successor.
type LinkRegistry interface {
	// Links returns the links in which the canonical DID is the predecessor or the
	// successor.
	Links(ctx context.Context, did string) ([]RegistryLink, error)
}

// Verify checks that the record names the link's two DIDs, that both are
// did:kakunin, and that it is signed by the predecessor's owner key and, when the
// successor's owner key differs, by that key too (spec §7.3). Errors wrap
// ErrInvalidLink.
func (l RegistryLink) Verify() error {
	rec, err := ParseLinkRecord(l.Record)
	if err != nil {
		return err
	}
	if rec.Predecessor != l.Predecessor || rec.Successor != l.Successor {
		return fmt.Errorf("%w: the record names other DIDs", ErrInvalidLink)
	}
	pred, err := Parse(l.Predecessor)
	if err != nil {
		return fmt.Errorf("%w: predecessor: %w", ErrInvalidLink, err)
	}
	succ, err := Parse(l.Successor)
	if err != nil {
		return fmt.Errorf("%w: successor: %w", ErrInvalidLink, err)
	}
	if err := VerifyLinkSignature(pred.OwnerKey(), l.Record, l.Signature); err != nil {
		return err
	}
	if pred.OwnerMultikey() == succ.OwnerMultikey() {
		if len(l.SuccessorSignature) != 0 {
			return fmt.Errorf("%w: a second signature with one owner key", ErrInvalidLink)
		}
		return nil
	}
	return VerifyLinkSignature(succ.OwnerKey(), l.Record, l.SuccessorSignature)
}
