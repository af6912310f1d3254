package vcapi

import (
	"errors"
	"net/http"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/issuer"
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
