package cahttp

import (
	"errors"
	"net/http"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/server"
)

// statuses maps the sentinels of package ca and of this package to HTTP statuses.
var statuses = []struct {
	err    error
	status int
}{
	{ErrUnauthenticated, http.StatusUnauthorized},
	{ErrForbidden, http.StatusForbidden},
	{ca.ErrForbidden, http.StatusForbidden},
	{jsonin.ErrTooLarge, http.StatusRequestEntityTooLarge},
	{ca.ErrInvalidRequest, http.StatusBadRequest},
	{ca.ErrProofOfPossession, http.StatusBadRequest},
	{errBadJSON, http.StatusBadRequest},
	{errUnsupportedMedia, http.StatusUnsupportedMediaType},
	{ca.ErrPolicy, http.StatusUnprocessableEntity},
	{ca.ErrChain, http.StatusUnprocessableEntity},
	{ca.ErrUnknownOwner, http.StatusNotFound},
	{ca.ErrNotFound, http.StatusNotFound},
	{ca.ErrDeactivated, http.StatusConflict},
	{ca.ErrConflict, http.StatusConflict},
}

var errBadJSON = errors.New("cahttp: malformed JSON request")

// problem turns an error of the CA or of request decoding into RFC 9457 problem
// details. Errors of no known kind are left to the server's handler, which answers
// 500 without detail.
func problem(err error) error {
	for _, s := range statuses {
		if errors.Is(err, s.err) {
			return server.NewProblem(s.status, "", err.Error())
		}
	}
	return err
}
