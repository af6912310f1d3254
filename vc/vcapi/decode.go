package vcapi

import (
	"bytes"
	"encoding/json/jsontext"
	"encoding/json/v2"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/server"
)

// ProblemUnknownOption is the VCALM problem type of an option "unknown to the
// implementation" (VCALM § Error Handling). VCALM § Options: "Implementations MUST throw
// an error if an endpoint receives data, options, or option values that it does not
// understand or know how to process."
const ProblemUnknownOption = "https://www.w3.org/TR/vcalm#UNKNOWN_OPTION_PROVIDED"

// decode reads a bounded JSON body into v: the body must be declared JSON (VCALM § Content
// Serialization: "include the Content-Type header with a media type value of
// application/json"; 415 otherwise), follow the strict I-JSON rules of jsonin, and hold no
// member that v does not define, at any depth (400 naming it). Members v keeps as
// jsontext.Value (a credential, grants, claims) are taken as they are.
func (h *Handler) decode(c *echo.Context, v any) error {
	if err := jsonContent(c.Request().Header.Get("Content-Type")); err != nil {
		return err
	}
	opts := jsonin.Options{MaxBytes: h.opts.MaxBody}
	data, err := jsonin.ReadAll(c.Request().Body, opts)
	if err == nil && len(bytes.TrimSpace(data)) == 0 {
		err = fmt.Errorf("%w: empty body", errBadRequest)
	}
	if err == nil {
		// The I-JSON rules and bounds only: the value is read again below, strictly.
		err = jsonin.Unmarshal(data, new(jsontext.Value), opts)
	}
	if err == nil {
		return unmarshalStrict(data, v)
	}
	if errors.Is(err, jsonin.ErrTooLarge) || errors.Is(err, errBadRequest) {
		return problem(err)
	}
	return problem(fmt.Errorf("%w: %w", errBadRequest, err))
}

// jsonContent accepts application/json and any application/…+json type (RFC 6839), with
// parameters; anything else, or none, is a 415.
func jsonContent(value string) error {
	mt, _, err := mime.ParseMediaType(value)
	if err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return nil
	}
	detail := "the body must be application/json"
	if value != "" {
		detail += fmt.Sprintf(", not %.64q", value)
	}
	return server.NewProblem(http.StatusUnsupportedMediaType, "", detail)
}

// unmarshalStrict fills v from data, which jsonin has checked, refusing members v does not
// define.
func unmarshalStrict(data []byte, v any) error {
	err := json.Unmarshal(data, v, json.RejectUnknownMembers(true))
	var se *json.SemanticError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se) && errors.Is(se.Err, json.ErrUnknownName):
		return unknownMember(string(se.JSONPointer))
	case errors.As(err, &se) && se.JSONPointer != "":
		return problem(fmt.Errorf("%w: %s: %v", errBadRequest, clipPointer(string(se.JSONPointer)), se.Err))
	}
	return problem(fmt.Errorf("%w: %w", errBadRequest, err))
}

// unknownMember is the 400 answer to a member the endpoint does not define, at the JSON
// Pointer ptr: UNKNOWN_OPTION_PROVIDED inside an options object, about:blank elsewhere.
func unknownMember(ptr string) error {
	ptr = clipPointer(ptr)
	typ := ""
	if strings.HasPrefix(ptr, "/options/") {
		typ = ProblemUnknownOption
	}
	p := server.NewProblem(http.StatusBadRequest, typ, fmt.Sprintf("unknown or unsupported member %s", ptr))
	if typ != "" {
		p.Title = "Unknown option provided"
	}
	p.Extensions = map[string]any{"pointer": ptr}
	return p
}

// clipPointer bounds a JSON Pointer taken from the input before it is echoed.
func clipPointer(ptr string) string {
	const max = 200
	if len(ptr) > max {
		return strings.ToValidUTF8(ptr[:max], "") + "…"
	}
	return ptr
}

// requireObject checks that a member holds a JSON object.
func requireObject(name string, raw []byte) error {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return problem(fmt.Errorf("%w: %s must be a JSON object", errBadRequest, name))
	}
	return nil
}

// requireMember checks that a member is present and not null.
func requireMember(name string, raw []byte) error {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return problem(fmt.Errorf("%w: %s is required", errBadRequest, name))
	}
	return nil
}
