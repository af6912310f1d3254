package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// evidenceFiles is the repeatable --evidence flag of `vc issue --compliance`.
type evidenceFiles []string

func (e *evidenceFiles) String() string { return strings.Join(*e, ",") }

func (e *evidenceFiles) Set(path string) error {
	*e = append(*e, path)
	return nil
}

// withEvidence returns the compliance claims with the entries of the evidence
// files appended to their evidence array. A file holds one entry, as
// `kakunin audit evidence` writes it, or an array of entries; the service
// checks them as it checks the claims.
func withEvidence(claims json.RawMessage, files evidenceFiles) (json.RawMessage, error) {
	if len(files) == 0 {
		return claims, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(claims, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("--compliance: the claims must be a JSON object to add --evidence to")
	}
	var list []json.RawMessage
	if ev, ok := obj["evidence"]; ok {
		if err := json.Unmarshal(ev, &list); err != nil {
			return nil, fmt.Errorf("--compliance: the claims' evidence must be an array to add --evidence to")
		}
	}
	for _, path := range files {
		entries, err := evidenceEntries(path)
		if err != nil {
			return nil, err
		}
		list = append(list, entries...)
	}
	ev, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	obj["evidence"] = ev
	return json.Marshal(obj)
}

// evidenceEntries reads an evidence file: one entry (an object) or an array.
func evidenceEntries(path string) ([]json.RawMessage, error) {
	data, err := readJSONFile(path)
	if err != nil {
		return nil, fmt.Errorf("--evidence: %w", err)
	}
	if len(data) > 0 && data[0] == '{' {
		return []json.RawMessage{data}, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("--evidence %s: neither an evidence object nor an array of them", path)
	}
	return list, nil
}
