package kakunin

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Arc is the object identifier arc of kakunin: 2.25 followed by the integer value of
// the UUID e0f8df10-b322-45b1-887a-6f86808e925a (ITU-T X.667 | ISO/IEC 9834-8,
// clause 6.3), generated once for this project. Its arcs are fixed by the method
// specification (spec/did-kakunin.md, "Object identifiers") and never change.
//
// crypto/x509 (and cryptobyte) parse an extension or extended-key-usage OID only
// when every arc fits in 31 bits, so a certificate whose extension or EKU were
// under this arc could not be parsed by Go at all. Kakunin therefore uses the arc
// only where X.509 carries OIDs opaquely to Go's parser: as a certificate policy
// identifier and as an attribute type inside subjectDirectoryAttributes.
const Arc = "2.25.299039284977169256687145265431759983194"

var (
	// AgentPolicy (Arc.1) is the certificate policy every agent certificate asserts.
	AgentPolicy = mustOID(Arc + ".1")
	// AgentDigestsAttribute (Arc.2) is the attribute type, within the
	// subjectDirectoryAttributes extension, that carries the model and prompt digests.
	AgentDigestsAttribute = mustOID(Arc + ".2")
)

// oidSubjectDirectoryAttributes is id-ce-subjectDirectoryAttributes (RFC 5280 §4.2.1.8).
var oidSubjectDirectoryAttributes = asn1.ObjectIdentifier{2, 5, 29, 9}

var digestsAttributeDER = mustDER(AgentDigestsAttribute)

func mustOID(s string) x509.OID {
	oid, err := x509.ParseOID(s)
	if err != nil {
		panic("kakunin: bad OID " + s)
	}
	return oid
}

func mustDER(oid x509.OID) []byte {
	der, err := oid.MarshalBinary()
	if err != nil {
		panic("kakunin: bad OID")
	}
	return der
}

// DigestsExtension returns the non-critical subjectDirectoryAttributes extension
// that carries id's model and prompt digests, for an issuer to add to an agent
// certificate (x509.Certificate.ExtraExtensions). Its DER is, in the ASN.1 module
// of the specification:
//
//	SubjectDirectoryAttributes ::= SEQUENCE SIZE (1..MAX) OF Attribute
//	-- one Attribute { type id-kakunin-at-agentDigests, values SET { AgentDigests } }
//	AgentDigests ::= SEQUENCE {
//	    modelDigest  OCTET STRING (SIZE (32)),
//	    promptDigest OCTET STRING (SIZE (32)) }
func DigestsExtension(id ID) pkix.Extension {
	model, prompt := id.ModelDigest(), id.PromptDigest()
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(b *cryptobyte.Builder) { b.AddBytes(digestsAttributeDER) })
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1OctetString(model[:])
					b.AddASN1OctetString(prompt[:])
				})
			})
		})
	})
	return pkix.Extension{Id: oidSubjectDirectoryAttributes, Value: b.BytesOrPanic()}
}

var errDigestsAbsent = errors.New("no agent digests attribute")

// parseDigests reads the agent digests from a subjectDirectoryAttributes value.
// Other attributes are allowed; the kakunin attribute must occur once, with one
// value of exactly two 32-byte OCTET STRINGs.
func parseDigests(value []byte) (model, prompt Digest, err error) {
	in := cryptobyte.String(value)
	var attrs cryptobyte.String
	if !in.ReadASN1(&attrs, cbasn1.SEQUENCE) || !in.Empty() || attrs.Empty() {
		return model, prompt, errors.New("subjectDirectoryAttributes is not a non-empty SEQUENCE")
	}
	found := false
	for !attrs.Empty() {
		var attr, oid, values cryptobyte.String
		if !attrs.ReadASN1(&attr, cbasn1.SEQUENCE) || !attr.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) ||
			!attr.ReadASN1(&values, cbasn1.SET) || !attr.Empty() {
			return model, prompt, errors.New("malformed Attribute")
		}
		if !bytes.Equal(oid, digestsAttributeDER) {
			continue
		}
		if found {
			return model, prompt, errors.New("agent digests attribute repeated")
		}
		found = true
		if model, prompt, err = parseDigestsValue(values); err != nil {
			return model, prompt, err
		}
	}
	if !found {
		return model, prompt, errDigestsAbsent
	}
	return model, prompt, nil
}

func parseDigestsValue(values cryptobyte.String) (model, prompt Digest, err error) {
	var seq, m, p cryptobyte.String
	if !values.ReadASN1(&seq, cbasn1.SEQUENCE) || !values.Empty() {
		return model, prompt, errors.New("agent digests attribute must have exactly one value")
	}
	if !seq.ReadASN1(&m, cbasn1.OCTET_STRING) || !seq.ReadASN1(&p, cbasn1.OCTET_STRING) || !seq.Empty() {
		return model, prompt, errors.New("AgentDigests is not SEQUENCE { OCTET STRING, OCTET STRING }")
	}
	if len(m) != len(model) || len(p) != len(prompt) {
		return model, prompt, errors.New("digest is not 32 octets")
	}
	copy(model[:], m)
	copy(prompt[:], p)
	return model, prompt, nil
}
