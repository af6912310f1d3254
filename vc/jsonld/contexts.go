package jsonld

import (
	"embed"
	"fmt"
	"maps"
	"slices"
)

// URLs of the embedded contexts. contexts/README.md names the npm package and
// version each file was taken from.
const (
	CredentialsV2         = "https://www.w3.org/ns/credentials/v2"
	CredentialsV1         = "https://www.w3.org/2018/credentials/v1"
	DataIntegrityV2       = "https://w3id.org/security/data-integrity/v2"
	DataIntegrityV1       = "https://w3id.org/security/data-integrity/v1"
	MultikeyV1            = "https://w3id.org/security/multikey/v1"
	DIDV1                 = "https://www.w3.org/ns/did/v1"
	Ed25519Signature2020  = "https://w3id.org/security/suites/ed25519-2020/v1"
	JWS2020               = "https://w3id.org/security/suites/jws-2020/v1"
	BitstringStatusListV1 = "https://www.w3.org/ns/credentials/status/v1"
)

//go:embed contexts/*.jsonld
var contextFiles embed.FS

// embeddedFiles maps each embedded context URL to its file under contexts/.
var embeddedFiles = map[string]string{
	CredentialsV2:         "credentials-v2.jsonld",
	CredentialsV1:         "credentials-v1.jsonld",
	DataIntegrityV2:       "data-integrity-v2.jsonld",
	DataIntegrityV1:       "data-integrity-v1.jsonld",
	MultikeyV1:            "multikey-v1.jsonld",
	DIDV1:                 "did-v1.jsonld",
	Ed25519Signature2020:  "ed25519-signature-2020-v1.jsonld",
	JWS2020:               "jws-2020-v1.jsonld",
	BitstringStatusListV1: "vc-bitstring-status-list-v1.jsonld",
}

// Embedded returns the bytes of the embedded context published at url, as
// taken from its npm package, or false if no such context is embedded.
func Embedded(url string) ([]byte, bool) {
	name, ok := embeddedFiles[url]
	if !ok {
		return nil, false
	}
	b, err := contextFiles.ReadFile("contexts/" + name)
	if err != nil {
		panic(fmt.Sprintf("jsonld: embedded context %s missing: %v", name, err)) // the build embeds every file listed
	}
	return b, true
}

// EmbeddedURLs returns the URLs of all embedded contexts, sorted.
func EmbeddedURLs() []string {
	return slices.Sorted(maps.Keys(embeddedFiles))
}
