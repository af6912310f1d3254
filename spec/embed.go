// Package spec holds kakunin's normative documents that code needs at run time: the kakunin
// JSON-LD context and the JSON Schemas of the scope and compliance credentials, embedded byte
// for byte as they are published.
//
// Register [Contexts] with vc/jsonld.NewLoader so that credentials and DID documents that use
// the kakunin context can be processed offline, and serve [Files] under their paths so that
// other verifiers can load them. The constants name the stable URLs that documents cite.
package spec

import (
	"embed"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Stable URLs of the published documents. A kakunin service serves each at the path that
// [Files] gives (ContextURL at /contexts/kakunin-v1.jsonld).
const (
	// ContextURL is the @context URL of the kakunin vocabulary, version 1.
	ContextURL = "https://kakunin.dev/ns/v1"
	// Vocabulary is the namespace of every term the context defines.
	Vocabulary = "https://kakunin.dev/ns#"
	// ScopeSchemaURL is the credentialSchema id of a KakuninScopeCredential.
	ScopeSchemaURL = "https://kakunin.dev/schemas/scope-credential.json"
	// ComplianceSchemaURL is the credentialSchema id of a KakuninComplianceCredential.
	ComplianceSchemaURL = "https://kakunin.dev/schemas/compliance-credential.json"
)

// Credential and evidence types the context defines.
const (
	ScopeCredentialType      = "KakuninScopeCredential"
	ComplianceCredentialType = "KakuninComplianceCredential"
	AuditLogEvidenceType     = "KakuninAuditLogEvidence"
)

// DID service types the context defines (spec/did-kakunin.md §9).
const (
	CertificateStatusService = "KakuninCertificateStatus"
	AuditLogService          = "KakuninAuditLog"
	CredentialsService       = "KakuninCredentials"
)

//go:embed contexts/kakunin-v1.jsonld schemas/scope-credential.json schemas/compliance-credential.json
var files embed.FS

// published maps each stable URL to its file in this directory, which is also the path under
// which a kakunin service serves it.
var published = map[string]string{
	ContextURL:          "contexts/kakunin-v1.jsonld",
	ScopeSchemaURL:      "schemas/scope-credential.json",
	ComplianceSchemaURL: "schemas/compliance-credential.json",
}

// Document returns the published bytes of the document at url, or false if url is not one of
// the stable URLs above.
func Document(url string) ([]byte, bool) {
	name, ok := published[url]
	if !ok {
		return nil, false
	}
	b, err := files.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("spec: embedded file %s missing: %v", name, err)) // the build embeds every file listed
	}
	return b, true
}

// Contexts returns the JSON-LD contexts to register with vc/jsonld.NewLoader, keyed by URL.
func Contexts() map[string][]byte {
	b, _ := Document(ContextURL)
	return map[string][]byte{ContextURL: b}
}

// File is a published document as a kakunin service serves it.
type File struct {
	Path      string // "/contexts/kakunin-v1.jsonld", "/schemas/scope-credential.json", …
	MediaType string // application/ld+json for contexts, application/schema+json for schemas
	Body      []byte
}

// Files returns every published document with the path a kakunin service serves it under,
// sorted by path.
func Files() []File {
	out := make([]File, 0, len(published))
	for _, url := range slices.Sorted(maps.Keys(published)) {
		name := published[url]
		b, _ := Document(url)
		media := "application/schema+json"
		if strings.HasSuffix(name, ".jsonld") {
			media = "application/ld+json"
		}
		out = append(out, File{Path: "/" + name, MediaType: media, Body: b})
	}
	return out
}
