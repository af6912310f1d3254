package dataintegrity

import (
	"github.com/kakunin-dev/kakunin/vc/jsonld"
)

// checkMemberNames refuses a document with an empty member name, at any
// depth. JSON-LD expansion maps "" to the @vocab IRI when a context sets one
// and then drops the member without an error, so the value would be outside
// the signed RDF dataset while still in the document: VC Data Integrity 1.0
// § 2.4.3 asks implementations to detect such loss
// (DATA_LOSS_DETECTION_ERROR).
func checkMemberNames(v any, depth int) error {
	if depth > maxWalkDepth {
		return &jsonld.DataLossError{Reason: "document nested too deeply", Err: jsonld.ErrUnsupported}
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if k == "" {
				return &jsonld.DataLossError{Reason: "empty member name", Err: jsonld.ErrDataLoss}
			}
			if err := checkMemberNames(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range v {
			if err := checkMemberNames(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
