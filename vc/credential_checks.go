package vc

import "time"

type credentialCheck func(c *Credential, path string, opts ParseOptions) error

// credentialChecks run in document order of the data model's sections; the first failure is
// returned.
var credentialChecks = []credentialCheck{
	checkCredentialContext,
	checkCredentialID,
	checkCredentialType,
	checkCredentialText,
	checkIssuer,
	checkSubjects,
	checkValidityPeriod,
	checkStatus,
	checkSchemas,
	checkRelatedResources,
	checkRefreshTermsEvidence,
}

func checkCredentialContext(c *Credential, path string, opts ParseOptions) error {
	v, err := contextVersion(c.doc, path, opts)
	c.version = v
	return err
}

// contextVersion checks @context (VC 2.0 §4.3: "an ordered set where the first item is a URL
// with the value https://www.w3.org/ns/credentials/v2. Subsequent items in the ordered set MUST
// be composed of any combination of URLs and objects"; VC 1.1 §4.1 likewise with
// https://www.w3.org/2018/credentials/v1) and returns the version it declares.
func contextVersion(doc map[string]any, path string, opts ParseOptions) (Version, error) {
	p := at(path, "@context")
	v, ok := doc["@context"]
	if !ok {
		return 0, malformed(p, "@context is required")
	}
	items := oneOrMany(v)
	_, isArray := v.([]any)
	if len(items) == 0 {
		return 0, malformed(p, "@context must not be empty")
	}
	var version Version
	switch items[0] {
	case ContextV2:
		version = Version20
	case ContextV1:
		if opts.RejectV1 {
			return 0, malformed(pathOf(p, isArray, 0), "Data Model 1.1 documents are not accepted")
		}
		version = Version11
	default:
		return 0, malformed(pathOf(p, isArray, 0), "the first @context item must be %s", ContextV2)
	}
	for i, item := range items[1:] {
		if _, isObject := item.(map[string]any); isObject {
			continue
		}
		if _, err := urlValue(item, at(p, i+1)); err != nil {
			return 0, malformed(at(p, i+1), "a @context item must be a URL or an object")
		}
	}
	return version, nil
}

func checkCredentialID(c *Credential, path string, _ ParseOptions) error {
	id, err := optionalID(c.doc, path)
	c.id = id
	return err
}

func checkCredentialType(c *Credential, path string, _ ParseOptions) error {
	types, err := requiredTypes(c.doc, path)
	if err != nil {
		return err
	}
	if !contains(types, "VerifiableCredential") {
		return malformed(at(path, "type"), "type must include VerifiableCredential")
	}
	c.types = types
	return nil
}

// checkCredentialText checks name and description (VC 2.0 §4.6); 1.1 does not define them.
func checkCredentialText(c *Credential, path string, _ ParseOptions) error {
	if c.version != Version20 {
		return nil
	}
	return optionalText(c.doc, path)
}

// checkIssuer: VC 2.0 §4.7 "The value of the issuer property MUST be either a URL or an object
// containing an id property whose value is a URL".
func checkIssuer(c *Credential, path string, _ ParseOptions) error {
	p := at(path, "issuer")
	v, ok := c.doc["issuer"]
	if !ok {
		return malformed(p, "issuer is required")
	}
	if m, isObject := v.(map[string]any); isObject {
		idv, ok := m["id"]
		if !ok {
			return malformed(at(p, "id"), "an issuer object needs an id")
		}
		id, err := urlValue(idv, at(p, "id"))
		if err != nil {
			return err
		}
		c.issuer = Issuer{ID: id, Object: m}
		if c.version == Version20 {
			return optionalText(m, p)
		}
		return nil
	}
	id, err := urlValue(v, p)
	if err != nil {
		return malformed(p, "issuer must be a URL or an object whose id is a URL")
	}
	c.issuer = Issuer{ID: id}
	return nil
}

// checkSubjects: VC 2.0 §4.8 "The value of the credentialSubject property is a set of objects
// where each object MUST be the subject of one or more claims", so no object may be empty.
func checkSubjects(c *Credential, path string, _ ParseOptions) error {
	p := at(path, "credentialSubject")
	v, ok := c.doc["credentialSubject"]
	if !ok {
		return malformed(p, "credentialSubject is required")
	}
	subjects, err := objectList(v, p)
	if err != nil {
		return err
	}
	_, isArray := v.([]any)
	for i, s := range subjects {
		if len(s) == 0 {
			return malformed(pathOf(p, isArray, i), "a credential subject must make at least one claim")
		}
		if _, err := optionalID(s, pathOf(p, isArray, i)); err != nil {
			return err
		}
	}
	c.subjects = subjects
	return nil
}

// checkValidityPeriod reads validFrom and validUntil (VC 2.0 §4.9: dateTimeStamp values, and
// "the validFrom value MUST express a point in time that is temporally the same or earlier than
// the point in time expressed by the validUntil value"), or, for 1.1, the required issuanceDate
// and the optional expirationDate (plain dateTime, VC 1.1 §4.6 and §4.8).
func checkValidityPeriod(c *Credential, path string, _ ParseOptions) error {
	from, until, requireZone := "validFrom", "validUntil", true
	if c.version == Version11 {
		from, until, requireZone = "issuanceDate", "expirationDate", false
		if _, ok := c.doc[from]; !ok {
			return malformed(at(path, from), "issuanceDate is required in a Data Model 1.1 credential")
		}
	}
	var err error
	if c.validFrom, c.hasFrom, err = dateMember(c.doc, from, path, requireZone); err != nil {
		return err
	}
	if c.validUntil, c.hasUntil, err = dateMember(c.doc, until, path, requireZone); err != nil {
		return err
	}
	if c.version == Version20 && c.hasFrom && c.hasUntil && c.validUntil.Before(c.validFrom) {
		return malformed(at(path, until), "validUntil is earlier than validFrom")
	}
	return nil
}

func dateMember(doc map[string]any, name, path string, requireZone bool) (time.Time, bool, error) {
	v, ok := doc[name]
	if !ok {
		return time.Time{}, false, nil
	}
	s, _ := v.(string)
	t, err := parseDateTime(s, requireZone)
	if err != nil {
		kind := "an XML Schema dateTimeStamp (with a time zone)"
		if !requireZone {
			kind = "an XML Schema dateTime"
		}
		return time.Time{}, false, malformed(at(path, name), "%s must be %s", name, kind)
	}
	return t, true, nil
}

// checkStatus: VC 2.0 §4.10, every entry has a type and, if present, a URL id; VC 1.1 §4.9 also
// requires the id.
func checkStatus(c *Credential, path string, _ ParseOptions) error {
	var err error
	c.status, err = typedObjects(c.doc, "credentialStatus", path, c.version == Version11)
	return err
}

// checkSchemas: VC 2.0 §4.11 "Each credentialSchema MUST specify its type … and an id property
// that MUST be a URL identifying the schema file".
func checkSchemas(c *Credential, path string, _ ParseOptions) error {
	var err error
	c.schemas, err = typedObjects(c.doc, "credentialSchema", path, true)
	return err
}

// checkRefreshTermsEvidence: VC 2.0 §5.4, §5.5, §5.6, each value has a type.
func checkRefreshTermsEvidence(c *Credential, path string, _ ParseOptions) error {
	var err error
	if c.refresh, err = typedObjects(c.doc, "refreshService", path, false); err != nil {
		return err
	}
	if c.terms, err = typedObjects(c.doc, "termsOfUse", path, false); err != nil {
		return err
	}
	c.evidence, err = typedObjects(c.doc, "evidence", path, false)
	return err
}

// typedObjects checks an optional member holding one or more objects that each need a type and
// a URL id (required when idRequired, checked when present otherwise).
func typedObjects(doc map[string]any, name, path string, idRequired bool) ([]Object, error) {
	v, ok := doc[name]
	if !ok {
		return nil, nil
	}
	p := at(path, name)
	maps, err := objectList(v, p)
	if err != nil {
		return nil, err
	}
	_, isArray := v.([]any)
	out := make([]Object, len(maps))
	for i, m := range maps {
		ip := pathOf(p, isArray, i)
		if _, ok := m["id"]; idRequired && !ok {
			return nil, malformed(at(ip, "id"), "%s entries need an id", name)
		}
		id, err := optionalID(m, ip)
		if err != nil {
			return nil, err
		}
		types, err := requiredTypes(m, ip)
		if err != nil {
			return nil, err
		}
		out[i] = Object{ID: id, Types: types, Value: m}
	}
	return out, nil
}
