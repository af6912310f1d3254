package dataintegrity

import "fmt"

// chainInput is the input document that a proof with the given previousProof
// ids signs: doc without its proofs, with "inputDocument.proof" set "to
// matchingProofs" when previous is not empty (Data Integrity § Add Proof
// Set/Chain step 5, § Verify Proof Sets and Chains step 3.3). A proof id may
// be named that no proof has, or that two proofs have: ErrPreviousProof.
func chainInput(doc map[string]any, all []any, previous []string) (map[string]any, error) {
	input := withoutKey(doc, "proof")
	if len(previous) == 0 {
		return input, nil
	}
	matching := make([]any, 0, len(previous))
	for _, id := range previous {
		var found map[string]any
		for _, p := range all {
			m, _ := p.(map[string]any)
			if pid, _ := m["id"].(string); pid == id {
				if found != nil {
					return nil, fmt.Errorf("%w: two proofs have id %q", ErrPreviousProof, clip(id))
				}
				found = m
			}
		}
		if found == nil {
			return nil, fmt.Errorf("%w: %q", ErrPreviousProof, clip(id))
		}
		matching = append(matching, found)
	}
	input["proof"] = matching
	return input, nil
}
