package resolverhttp

import (
	"encoding/json/v2"

	"github.com/kakunin-dev/kakunin/did"
)

// marshalResult returns json.Marshal(res) with its opening brace replaced by
// prefix when prefix is not empty (prefix then opens the object and ends with a
// comma). A successful resolution result, the large answer of every uncached
// resolution, is assembled from the encodings of its three members, written once
// into one buffer: json.Marshal would copy and re-validate the document's encoding
// (a Marshaler's output), then the legacy form would copy the whole body again.
// The bytes are the same (TestMarshalResultMatchesJSON).
func marshalResult(prefix []byte, res any) ([]byte, error) {
	r, ok := res.(*did.ResolutionResult)
	if !ok || r == nil || r.DIDDocument == nil {
		b, err := json.Marshal(res)
		if err != nil || len(prefix) == 0 {
			return b, err
		}
		out := make([]byte, 0, len(prefix)+len(b)-1)
		return append(append(out, prefix...), b[1:]...), nil
	}
	doc, err := r.DIDDocument.MarshalJSON()
	if err != nil {
		return nil, err
	}
	rm, err := r.DIDResolutionMetadata.MarshalJSON()
	if err != nil {
		return nil, err
	}
	dm, err := r.DIDDocumentMetadata.MarshalJSON()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(prefix)+len(doc)+len(rm)+len(dm)+64)
	if len(prefix) == 0 {
		b = append(b, '{')
	}
	b = append(b, prefix...)
	b = append(append(b, `"didDocument":`...), doc...)
	b = append(append(b, `,"didResolutionMetadata":`...), rm...)
	b = append(append(b, `,"didDocumentMetadata":`...), dm...)
	return append(b, '}'), nil
}
