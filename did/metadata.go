package did

import (
	"encoding/json/v2"
	"errors"
	"fmt"
	"time"
)

// ErrInvalidMetadata is wrapped by errors reading resolution options, resolution
// metadata or document metadata from JSON. Errors reading options also wrap
// ErrInvalidOptions.
var ErrInvalidMetadata = errors.New("did: invalid metadata")

func metaErr(path, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidMetadata, path, fmt.Sprintf(format, args...))
}

// readFields decodes a metadata structure, rejecting duplicate names.
func readFields(what string, b []byte) (fields, error) {
	var f fields
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, metaErr(what, "%v", err)
	}
	return f, nil
}

// take removes key from f and decodes its value into dst (a *string, *bool, *[]string,
// *time.Time or **Problem); absent keys leave dst alone.
func take(what string, f fields, key string, dst any) error {
	v, ok := f[key]
	if !ok {
		return nil
	}
	delete(f, key)
	if b, ok := dst.(*bool); ok {
		return takeBool(what+"."+key, v, b)
	}
	if t, ok := dst.(*time.Time); ok {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return metaErr(what+"."+key, "%v", err)
		}
		pt, err := ParseTime(s)
		if err != nil {
			return metaErr(what+"."+key, "%v", err)
		}
		*t = pt
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return metaErr(what+"."+key, "%v", err)
	}
	return nil
}

// takeBool reads a boolean option as JSON true or false, or as the strings "true"
// and "false" in which DID Resolution § Caching gives the values of noCache.
func takeBool(key string, v []byte, dst *bool) error {
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return metaErr(key, "%v", err)
	}
	switch x {
	case true, "true":
		*dst = true
	case false, "false":
		*dst = false
	default:
		return metaErr(key, "not true or false")
	}
	return nil
}

func (o *object) addTime(key string, t time.Time) {
	if !t.IsZero() {
		o.add(key, FormatTime(t))
	}
}

// MarshalJSON writes the options with their DID Resolution names.
func (r ResolutionOptions) MarshalJSON() ([]byte, error) {
	var o object
	o.addString("accept", r.Accept)
	o.addString("versionId", r.VersionID)
	o.addTime("versionTime", r.VersionTime)
	if r.ExpandRelativeURLs {
		o.add("expandRelativeUrls", true)
	}
	if r.NoCache {
		o.add("noCache", true)
	}
	o.addExtra(r.Method)
	return o.MarshalJSON()
}

// UnmarshalJSON reads options strictly; versionId and versionTime together are
// rejected (DID Resolution: they are mutually exclusive). Errors wrap ErrInvalidOptions.
func (r *ResolutionOptions) UnmarshalJSON(b []byte) error {
	var v ResolutionOptions
	err := v.read(b)
	if err == nil && v.VersionID != "" && !v.VersionTime.IsZero() {
		err = metaErr("resolutionOptions", "versionId and versionTime are mutually exclusive")
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	*r = v
	return nil
}

func (r *ResolutionOptions) read(b []byte) error {
	const what = "resolutionOptions"
	f, err := readFields(what, b)
	if err != nil {
		return err
	}
	for _, t := range []struct {
		key string
		dst any
	}{{"accept", &r.Accept}, {"versionId", &r.VersionID}, {"versionTime", &r.VersionTime},
		{"expandRelativeUrls", &r.ExpandRelativeURLs}, {"noCache", &r.NoCache}} {
		if err := take(what, f, t.key, t.dst); err != nil {
			return err
		}
	}
	r.Method = extra(f)
	return nil
}

// MarshalJSON writes the metadata with its DID Resolution names.
func (m ResolutionMetadata) MarshalJSON() ([]byte, error) {
	var o object
	o.addString("contentType", m.ContentType)
	if m.Error != nil {
		o.add("error", m.Error)
	}
	o.addExtra(m.Extra)
	return o.MarshalJSON()
}

// UnmarshalJSON reads the metadata strictly. Errors wrap ErrInvalidMetadata.
func (m *ResolutionMetadata) UnmarshalJSON(b []byte) error {
	const what = "didResolutionMetadata"
	f, err := readFields(what, b)
	if err != nil {
		return err
	}
	var v ResolutionMetadata
	if err := take(what, f, "contentType", &v.ContentType); err != nil {
		return err
	}
	if err := take(what, f, "error", &v.Error); err != nil {
		return err
	}
	v.Extra = extra(f)
	*m = v
	return nil
}

// MarshalJSON writes the metadata with its DID Resolution names, datetimes as UTC
// whole seconds.
func (m DocumentMetadata) MarshalJSON() ([]byte, error) {
	var o object
	o.addTime("created", m.Created)
	o.addTime("updated", m.Updated)
	if m.Deactivated {
		o.add("deactivated", true)
	}
	o.addTime("nextUpdate", m.NextUpdate)
	o.addString("versionId", m.VersionID)
	o.addString("nextVersionId", m.NextVersionID)
	if len(m.EquivalentID) > 0 {
		o.add("equivalentId", m.EquivalentID)
	}
	o.addString("canonicalId", m.CanonicalID)
	o.addExtra(m.Method)
	return o.MarshalJSON()
}

// UnmarshalJSON reads the metadata strictly: datetimes must be UTC whole seconds
// ("2026-01-02T03:04:05Z"), equivalentId and canonicalId DIDs. Errors wrap
// ErrInvalidMetadata.
func (m *DocumentMetadata) UnmarshalJSON(b []byte) error {
	const what = "didDocumentMetadata"
	f, err := readFields(what, b)
	if err != nil {
		return err
	}
	var v DocumentMetadata
	for _, t := range []struct {
		key string
		dst any
	}{{"created", &v.Created}, {"updated", &v.Updated}, {"deactivated", &v.Deactivated},
		{"nextUpdate", &v.NextUpdate}, {"versionId", &v.VersionID}, {"nextVersionId", &v.NextVersionID},
		{"equivalentId", &v.EquivalentID}, {"canonicalId", &v.CanonicalID}} {
		if err := take(what, f, t.key, t.dst); err != nil {
			return err
		}
	}
	for _, id := range append(v.EquivalentID, v.CanonicalID) {
		if _, err := Parse(id); id != "" && err != nil {
			return metaErr(what, "%v", err)
		}
	}
	v.Method = extra(f)
	*m = v
	return nil
}

// UnmarshalJSON reads a resolution result strictly: duplicate member names are errors
// and names match exactly, whichever JSON package the caller uses. Other members (the
// "@context" of application/did-resolution) are ignored. Errors wrap
// ErrInvalidMetadata, or ErrInvalidDocument for the document.
func (r *ResolutionResult) UnmarshalJSON(b []byte) error {
	type plain ResolutionResult
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		if errors.Is(err, ErrInvalidDocument) || errors.Is(err, ErrInvalidMetadata) {
			return err
		}
		return metaErr("resolution result", "%v", err)
	}
	*r = ResolutionResult(p)
	return nil
}
