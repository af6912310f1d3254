package vc

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

// roundTripCredential checks that a parsed credential re-serializes to JSON that parses to an
// equal document.
func roundTripCredential(t testing.TB, c *Credential) {
	t.Helper()
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	again, err := ParseCredential(out, ParseOptions{MaxBytes: int64(len(out)) + 1})
	if err != nil {
		t.Fatalf("re-parse of %s: %v", out, err)
	}
	if !reflect.DeepEqual(c.doc, again.doc) {
		t.Fatalf("round trip changed the document:\n%v\n%v", c.doc, again.doc)
	}
}

func TestCredentialRoundTrip(t *testing.T) {
	c, err := ParseCredential([]byte(baseCredential), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	roundTripCredential(t, c)
	out, _ := json.Marshal(c)
	if want := `"kept":[1.50,"x",null,true]`; !strings.Contains(string(out), want) {
		t.Fatalf("number literal or unknown member lost: %s", out)
	}
}

func TestUnmarshalJSON(t *testing.T) {
	var req struct {
		Credential   *Credential   `json:"verifiableCredential"`
		Presentation *Presentation `json:"verifiablePresentation"`
	}
	body := `{"verifiableCredential":` + baseCredential + `,"verifiablePresentation":` + basePresentation + `}`
	if err := jsonin.Unmarshal([]byte(body), &req, jsonin.Options{}); err != nil {
		t.Fatal(err)
	}
	if req.Credential.ID() != "http://university.example/credentials/3732" || len(req.Presentation.Credentials()) != 2 {
		t.Fatalf("got %q, %d credentials", req.Credential.ID(), len(req.Presentation.Credentials()))
	}
	bad := `{"verifiableCredential":{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential"}}`
	if err := json.Unmarshal([]byte(bad), &req); err == nil {
		t.Fatal("nonconforming credential accepted")
	}
}

func TestDocumentIsACopy(t *testing.T) {
	c, err := ParseCredential([]byte(baseCredential), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	doc := c.Document()
	doc["credentialSubject"].(map[string]any)["id"] = "did:example:changed"
	if c.Subjects()[0]["id"] != "did:example:ebfeb1f712ebc6f1c276e12ec21" {
		t.Fatal("Document shares state with the credential")
	}
}
