package vcapi

import (
	"errors"
	"net/http"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// errBadRequest marks a request body that is not what the endpoint reads; errNotFound a
// resource this service does not serve.
var (
	errBadRequest = errors.New("vcapi: bad request")
	errNotFound   = errors.New("vcapi: not found")
)

// problem maps an error of a handler, or of the issuer or verifier it calls, to the RFC 9457
// problem the client sees. Input errors are 400, 413 or 422, refusals 401, 403, 404 or 409;
// anything else is left to server.ProblemFor, which hides it behind a 500.
func problem(err error) error {
	var pe *issuer.PolicyError
	var ve *vc.Error
	switch {
	case errors.As(err, &pe):
		return fromVC(pe.Problem())
	case errors.Is(err, ErrUnauthenticated):
		return server.NewProblem(http.StatusUnauthorized, "", "a valid bearer token is required")
	case errors.Is(err, ErrForbidden):
		return server.NewProblem(http.StatusForbidden, "", "the token does not allow this request")
	case errors.Is(err, jsonin.ErrTooLarge):
		return server.NewProblem(http.StatusRequestEntityTooLarge, "", "request body too large")
	case errors.Is(err, issuer.ErrUnknownInstance), errors.Is(err, issuer.ErrNotFound), errors.Is(err, errNotFound):
		return server.NewProblem(http.StatusNotFound, "", err.Error())
	case errors.Is(err, issuer.ErrConflict):
		return server.NewProblem(http.StatusConflict, "", err.Error())
	case errors.As(err, &ve) && (errors.Is(err, issuer.ErrInvalidRequest) || errors.Is(err, errBadRequest)):
		p := fromVC(ve.Problem())
		p.Status = http.StatusBadRequest
		return p
	case errors.Is(err, issuer.ErrInvalidRequest), errors.Is(err, errBadRequest), errors.Is(err, verifier.ErrInvalidInput):
		return server.NewProblem(http.StatusBadRequest, "", err.Error())
	case errors.Is(err, store.ErrInvalid):
		// The store's bounds on what a request put in a record (an identifier's length, a
		// date's range): the request's fault, not a server error.
		return server.NewProblem(http.StatusUnprocessableEntity, "", err.Error())
	}
	return err
}

func fromVC(p vc.Problem) *server.Problem {
	out := server.NewProblem(p.Status, p.Type, p.Detail)
	out.Title = p.Title
	if p.Pointer != "" {
		out.Extensions = map[string]any{"pointer": p.Pointer}
	}
	return out
}

// problemDetails is a VCALM ProblemDetails object.
type problemDetails struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
}

func details(errs []error) []problemDetails {
	out := []problemDetails{}
	for _, err := range errs {
		p := verifier.ProblemOf(err)
		out = append(out, problemDetails{Type: p.Type, Title: p.Title, Detail: p.Detail})
	}
	return out
}

// malformedTypes are the problem types of input that is not a well-formed credential,
// presentation or proof (VC Data Model 2.0 § 7.2, Data Integrity § 2.2), as opposed to
// a well-formed one that fails a check.
var malformedTypes = map[string]bool{
	string(vc.ParsingError):                   true,
	string(vc.MalformedValueError):            true,
	string(dataintegrity.MalformedProofError): true,
}

// malformedInput returns the 400 answer to a verification whose errors say the input is
// malformed, and nil otherwise: VCALM answers with 400 "invalid or malformed input that
// prevented the verification process from being performed", and the W3C VC API verifier
// suite requires it for a credential without @context, type, issuer, credentialSubject
// or a proof member. A document that JSON-LD processing cannot take (an invalid context,
// a redefined protected term, dropped data) is such input too; a well-formed context this
// verifier does not hold is not: VCALM puts "malformed context" errors in the verification
// result, and the credential may be valid elsewhere. The problem is the first such error, and its
// problemDetails extension lists them all, with "verified": false, so that a client
// reading a VerificationResult still finds one. A well-formed credential that fails a
// check is answered 200 with verified false.
func malformedInput(errs []error) *server.Problem {
	for _, err := range errs {
		p := verifier.ProblemOf(err)
		if !malformedTypes[p.Type] && !notJSONLD(err) {
			continue
		}
		out := server.NewProblem(http.StatusBadRequest, p.Type, p.Detail)
		out.Title = p.Title
		out.Extensions = map[string]any{"verified": false, "problemDetails": details(errs)}
		if p.Pointer != "" {
			out.Extensions["pointer"] = p.Pointer
		}
		return out
	}
	return nil
}

// notJSONLD reports whether err comes from JSON-LD processing that could not take the
// document.
func notJSONLD(err error) bool {
	for _, e := range []error{jsonld.ErrInvalidContext, jsonld.ErrDataLoss,
		jsonld.ErrUnsupported, jsonld.ErrProcessing} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
