package x509

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// certModel is the part of the spec's "Certificate Chain JSON Model" that predicates
// read: the subject as a name map, the SANs, the EKU OIDs and the Fulcio issuer.
type certModel struct {
	subject      map[string]string
	san          []sanEntry
	eku          []string
	hasEKU       bool
	fulcioIssuer string
	hasFulcio    bool
}

type sanEntry struct{ typ, value string }

var (
	oidSAN          = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidEKU          = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidFulcioIssuer = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 1}
)

// nameLabels are the RFC 4514 labels of the model; other attributes use dotted OIDs.
var nameLabels = map[string]string{
	"2.5.4.3": "CN", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O",
	"2.5.4.11": "OU", "2.5.4.6": "C", "2.5.4.9": "STREET",
}

// modelOf maps every certificate of the chain, as the reference implementation does:
// repeated name attributes and SAN types outside the model are errors in any of them.
func modelOf(chain []*x509.Certificate) ([]certModel, error) {
	out := make([]certModel, len(chain))
	for i, c := range chain {
		m, err := modelOfCert(c)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", i, err)
		}
		out[i] = m
	}
	return out, nil
}

func modelOfCert(c *x509.Certificate) (certModel, error) {
	var m certModel
	var err error
	if m.subject, err = nameMap(c.Subject.Names); err != nil {
		return m, err
	}
	if _, err := nameMap(c.Issuer.Names); err != nil {
		return m, err
	}
	for _, e := range c.Extensions {
		switch {
		case e.Id.Equal(oidSAN):
			if m.san, err = parseSAN(e.Value); err != nil {
				return m, err
			}
		case e.Id.Equal(oidEKU):
			var oids []asn1.ObjectIdentifier
			if rest, err := asn1.Unmarshal(e.Value, &oids); err != nil || len(rest) > 0 {
				return m, optErr(ErrChainMalformed, "extendedKeyUsage")
			}
			m.hasEKU = true
			for _, o := range oids {
				m.eku = append(m.eku, o.String())
			}
		case e.Id.Equal(oidFulcioIssuer):
			if !utf8.Valid(e.Value) {
				return m, optErr(ErrChainMalformed, "Fulcio issuer is not UTF-8")
			}
			m.hasFulcio, m.fulcioIssuer = true, string(e.Value)
		}
	}
	return m, nil
}

// nameMap maps a name's attributes by label or OID; repeats are not supported.
func nameMap(atvs []pkix.AttributeTypeAndValue) (map[string]string, error) {
	out := make(map[string]string, len(atvs))
	for _, a := range atvs {
		key := a.Type.String()
		if l, ok := nameLabels[key]; ok {
			key = l
		}
		if _, dup := out[key]; dup {
			return nil, optErr(ErrDuplicateAttribute, "%s", key)
		}
		out[key] = fmt.Sprint(a.Value)
	}
	return out, nil
}

// parseSAN reads GeneralNames (RFC 5280 § 4.2.1.6): rfc822Name, dNSName, URI and
// directoryName are in the model; any other type is an error.
func parseSAN(der []byte) ([]sanEntry, error) {
	in := cryptobyte.String(der)
	var names cryptobyte.String
	if !in.ReadASN1(&names, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, optErr(ErrChainMalformed, "subjectAltName")
	}
	var out []sanEntry
	for !names.Empty() {
		var v cryptobyte.String
		var tag cbasn1.Tag
		if !names.ReadAnyASN1(&v, &tag) {
			return nil, optErr(ErrChainMalformed, "subjectAltName")
		}
		switch tag {
		case cbasn1.Tag(1).ContextSpecific():
			out = append(out, sanEntry{"email", string(v)})
		case cbasn1.Tag(2).ContextSpecific():
			out = append(out, sanEntry{"dns", string(v)})
		case cbasn1.Tag(6).ContextSpecific():
			out = append(out, sanEntry{"uri", string(v)})
		case cbasn1.Tag(4).ContextSpecific().Constructed():
			var rdn pkix.RDNSequence
			if rest, err := asn1.Unmarshal(v, &rdn); err != nil || len(rest) > 0 {
				return nil, optErr(ErrChainMalformed, "directoryName")
			}
			var n pkix.Name
			n.FillFromRDNSequence(&rdn)
			if _, err := nameMap(n.Names); err != nil {
				return nil, err
			}
			out = append(out, sanEntry{typ: "dn"})
		default:
			return nil, optErr(ErrUnsupportedSAN, "tag %d", tag&0x1f)
		}
	}
	return out, nil
}
