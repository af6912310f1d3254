package jsonld

import (
	"errors"
	"testing"
)

func TestLoaderServesEmbeddedContexts(t *testing.T) {
	l, err := NewLoader(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, url := range EmbeddedURLs() {
		t.Run(url, func(t *testing.T) {
			rd, err := l.LoadDocument(url)
			if err != nil {
				t.Fatalf("LoadDocument: %v", err)
			}
			doc, ok := rd.Document.(map[string]any)
			if !ok || doc["@context"] == nil || rd.DocumentURL != url {
				t.Errorf("LoadDocument(%s) = %+v, want the context document", url, rd)
			}
		})
	}
}

func TestLoaderRejectsUnknownURLs(t *testing.T) {
	l := testLoader(t)
	for _, url := range []string{
		"https://www.w3.org/ns/credentials/v3",
		"https://www.w3.org/ns/credentials/v2/",
		"http://www.w3.org/ns/credentials/v2",
		"https://w3id.org/citizenship/v4rc1",
		"",
	} {
		if _, err := l.LoadDocument(url); !errors.Is(err, ErrUnknownContext) {
			t.Errorf("LoadDocument(%q) error = %v, want ErrUnknownContext", url, err)
		}
	}
	if _, err := l.LoadDocument(examplesV2URL); err != nil {
		t.Errorf("registered context: %v", err)
	}
}

func TestLoaderReturnsCopies(t *testing.T) {
	l := testLoader(t)
	first, err := l.LoadDocument(CredentialsV2)
	if err != nil {
		t.Fatal(err)
	}
	first.Document.(map[string]any)["@context"] = "tampered"
	second, err := l.LoadDocument(CredentialsV2)
	if err != nil {
		t.Fatal(err)
	}
	if second.Document.(map[string]any)["@context"] == "tampered" {
		t.Error("a change to a loaded document reached the next load")
	}
}

func TestNewLoaderRejectsInvalidContexts(t *testing.T) {
	tests := []struct {
		name  string
		extra map[string][]byte
	}{
		{"replaces an embedded context", map[string][]byte{CredentialsV2: []byte(`{"@context":{}}`)}},
		{"not JSON", map[string][]byte{"https://example.org/c": []byte(`{`)}},
		{"no @context", map[string][]byte{"https://example.org/c": []byte(`{"a":1}`)}},
		{"not an object", map[string][]byte{"https://example.org/c": []byte(`[]`)}},
		{"too large", map[string][]byte{"https://example.org/c": make([]byte, maxContextBytes+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewLoader(tt.extra); !errors.Is(err, ErrInvalidContext) {
				t.Errorf("NewLoader error = %v, want ErrInvalidContext", err)
			}
		})
	}
}

func TestProcessorUsesRegisteredContexts(t *testing.T) {
	doc := `{"@context":["https://www.w3.org/ns/credentials/v2","https://example.org/agent/v1"],
		"type":["VerifiableCredential","AgentCredential"],"issuer":"did:example:1",
		"credentialSubject":{"id":"did:example:2","model":"m"}}`
	if _, err := NewProcessor(nil, Options{}).ToRDF(decode(t, doc)); !errors.Is(err, ErrUnknownContext) {
		t.Fatalf("without the context: %v, want ErrUnknownContext", err)
	}
	l, err := NewLoader(map[string][]byte{"https://example.org/agent/v1": []byte(
		`{"@context":{"AgentCredential":"https://example.org/agent#AgentCredential","model":"https://example.org/agent#model"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewProcessor(l, Options{}).ToRDF(decode(t, doc)); err != nil {
		t.Fatalf("with the context registered: %v", err)
	}
}
