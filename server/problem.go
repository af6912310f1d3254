package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v5"
)

// Problem is an RFC 9457 problem details object. Extensions are members beside the
// standard ones (for example a VC API error code); they are serialised at top level.
type Problem struct {
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Status     int            `json:"status"`
	Detail     string         `json:"detail,omitempty"`
	Instance   string         `json:"instance,omitempty"`
	Extensions map[string]any `json:"-"`
}

// Error makes a Problem usable as a handler's returned error.
func (p *Problem) Error() string {
	if p.Detail != "" {
		return p.Title + ": " + p.Detail
	}
	return p.Title
}

// MarshalJSON writes the standard members and the extensions in one object.
func (p *Problem) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(p.Extensions)+5)
	for k, v := range p.Extensions {
		m[k] = v
	}
	m["type"], m["title"], m["status"] = p.Type, p.Title, p.Status
	if p.Detail != "" {
		m["detail"] = p.Detail
	}
	if p.Instance != "" {
		m["instance"] = p.Instance
	}
	return json.Marshal(m)
}

// Problemer is implemented by errors that know their problem details.
type Problemer interface {
	Problem() *Problem
}

// NewProblem returns a problem with the given status; typ "" means about:blank.
func NewProblem(status int, typ, detail string) *Problem {
	if typ == "" {
		typ = "about:blank"
	}
	return &Problem{Type: typ, Title: http.StatusText(status), Status: status, Detail: detail}
}

// ProblemFor maps any error a handler returns to the problem the client sees.
// Errors that are not problems, Problemers or echo HTTP errors become a 500 whose
// detail reveals nothing of the internal error.
func ProblemFor(err error) *Problem {
	var p *Problem
	var pr Problemer
	var he *echo.HTTPError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &pr):
		return pr.Problem()
	case errors.As(err, &he):
		return NewProblem(he.Code, "", he.Message)
	case errors.Is(err, echo.ErrStatusRequestEntityTooLarge):
		return NewProblem(http.StatusRequestEntityTooLarge, "", "request body too large")
	}
	var sc echo.HTTPStatusCoder
	if errors.As(err, &sc) && sc.StatusCode() < 500 {
		return NewProblem(sc.StatusCode(), "", "")
	}
	return NewProblem(http.StatusInternalServerError, "", "internal error")
}

// WriteProblem sends p as application/problem+json.
func WriteProblem(c *echo.Context, p *Problem) error {
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	if c.Request().Method == http.MethodHead {
		return c.NoContent(p.Status)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(p.Status, "application/problem+json", body)
}

func problemHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(c *echo.Context, err error) {
		if r, _ := echo.UnwrapResponse(c.Response()); r != nil && r.Committed {
			return
		}
		p := ProblemFor(err)
		if p.Status >= 500 {
			log.Error("request failed", "request_id", requestID(c), "error", err)
		}
		if werr := WriteProblem(c, p); werr != nil {
			log.Warn("writing problem response", "request_id", requestID(c), "error", werr)
		}
	}
}
