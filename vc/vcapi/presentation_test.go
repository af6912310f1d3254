package vcapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
)

// presentationAnswer is the part of a presentation VerificationResult these tests read.
type presentationAnswer struct {
	Verified       bool `json:"verified"`
	ProblemDetails []struct {
		Type string `json:"type"`
	} `json:"problemDetails"`
	Results *struct {
		Presentation struct {
			Challenge *struct{ Verified bool }  `json:"challenge"`
			Domain    *struct{ Verified bool }  `json:"domain"`
			Holder    *struct{ Verified bool }  `json:"holder"`
			Proof     []struct{ Verified bool } `json:"proof"`
		} `json:"presentation"`
	} `json:"results"`
}

func (a presentationAnswer) problemTypes() []string {
	var out []string
	for _, p := range a.ProblemDetails {
		out = append(out, p.Type)
	}
	return out
}

func (e *env) verifyPresentation(t *testing.T, body map[string]any) presentationAnswer {
	t.Helper()
	res, out := e.do(t, http.MethodPost, "/presentations/verify", "", body)
	var a presentationAnswer
	if err := json.Unmarshal(out, &a); err != nil || res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, out)
	}
	return a
}

// signedPresentation is a presentation of vc naming holder, signed by the agent's key with
// challenge ch-1 and domain rp.example.
func signedPresentation(t *testing.T, e *env, vc json.RawMessage, holder string) json.RawMessage {
	t.Helper()
	p := presentation(vc)
	p["holder"] = holder
	raw, _ := json.Marshal(p)
	signed, err := dataintegrity.AddProof(raw, e.AgentKey, dataintegrity.ProofOptions{
		Cryptosuite: dataintegrity.EdDSARDFC2022, VerificationMethod: e.Agent + "#" + e.Agent[len("did:key:"):],
		ProofPurpose: string(did.Authentication), Challenge: "ch-1", Domain: []string{"rp.example"}})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// TestPresentationResults: results.presentation reports the challenge, the domain and the
// holder each by its own check (Data Integrity's INVALID_CHALLENGE_ERROR and
// INVALID_DOMAIN_ERROR, the holder mismatch), not by the overall proof result.
func TestPresentationResults(t *testing.T) {
	e := newEnv(t)
	vc := e.issue(t, "/credentials/issue", credentialBody(e.Agent, nil))
	const (
		badChallenge = "https://w3id.org/security#INVALID_CHALLENGE_ERROR"
		badDomain    = "https://w3id.org/security#INVALID_DOMAIN_ERROR"
	)
	tests := []struct {
		name, holder, challenge, domain       string
		verified, challengeOK, domainOK, hold bool
		problem                               string
	}{
		{"all match", e.Agent, "ch-1", "rp.example", true, true, true, true, ""},
		{"other challenge", e.Agent, "ch-2", "rp.example", false, false, true, true, badChallenge},
		{"other domain", e.Agent, "ch-1", "other.example", false, true, false, true, badDomain},
		{"both other", e.Agent, "ch-2", "other.example", false, false, false, true, badDomain},
		{"other holder", "did:example:someone-else", "ch-1", "rp.example", false, true, true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.verifyPresentation(t, map[string]any{"verifiablePresentation": signedPresentation(t, e, vc, tt.holder),
				"options": map[string]any{"challenge": tt.challenge, "domain": tt.domain}})
			p := a.Results.Presentation
			if a.Verified != tt.verified || p.Challenge == nil || p.Challenge.Verified != tt.challengeOK ||
				p.Domain == nil || p.Domain.Verified != tt.domainOK || p.Holder == nil || p.Holder.Verified != tt.hold {
				t.Errorf("verified %v, challenge %+v, domain %+v, holder %+v", a.Verified, p.Challenge, p.Domain, p.Holder)
			}
			if tt.problem != "" && !slices.Contains(a.problemTypes(), tt.problem) {
				t.Errorf("problems %v, want %s", a.problemTypes(), tt.problem)
			}
		})
	}
}

// TestProoflessChallenge: a presentation without a proof answers no challenge and no
// domain; asked for either, it is not verified, with Data Integrity's problem for each.
func TestProoflessChallenge(t *testing.T) {
	e := newEnv(t)
	vc := e.issue(t, "/credentials/issue", credentialBody(e.Agent, nil))
	tests := []struct {
		name     string
		options  map[string]any
		verified bool
		problems []string
	}{
		{"no options", nil, true, nil},
		{"challenge", map[string]any{"challenge": "ch-1"}, false, []string{"https://w3id.org/security#INVALID_CHALLENGE_ERROR"}},
		{"domain", map[string]any{"domain": "rp.example"}, false, []string{"https://w3id.org/security#INVALID_DOMAIN_ERROR"}},
		{"both", map[string]any{"challenge": "ch-1", "domain": "rp.example"}, false,
			[]string{"https://w3id.org/security#INVALID_DOMAIN_ERROR", "https://w3id.org/security#INVALID_CHALLENGE_ERROR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.verifyPresentation(t, map[string]any{"presentation": presentation(vc), "options": tt.options})
			if a.Verified != tt.verified || !slices.Equal(a.problemTypes(), tt.problems) {
				t.Errorf("verified %v, problems %v", a.Verified, a.problemTypes())
			}
			if c := a.Results.Presentation.Challenge; tt.options["challenge"] != nil && (c == nil || c.Verified) {
				t.Errorf("results.presentation.challenge %+v", c)
			}
		})
	}
}

// TestPresentationResultOptions: returnResults and returnProblemDetails false leave those
// members out; by default a presentation result carries both.
func TestPresentationResultOptions(t *testing.T) {
	e := newEnv(t)
	vc := e.issue(t, "/credentials/issue", credentialBody(e.Agent, nil))
	signed := signedPresentation(t, e, vc, e.Agent)
	a := e.verifyPresentation(t, map[string]any{"verifiablePresentation": signed,
		"options": map[string]any{"challenge": "ch-2", "returnResults": false, "returnProblemDetails": false}})
	if a.Verified || a.Results != nil || len(a.ProblemDetails) != 0 {
		t.Errorf("%+v", a)
	}
	a = e.verifyPresentation(t, map[string]any{"verifiablePresentation": signed, "options": map[string]any{"challenge": "ch-2"}})
	if a.Results == nil || len(a.ProblemDetails) == 0 {
		t.Errorf("default: %+v", a)
	}
}
