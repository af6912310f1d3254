package vcapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/web"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

// wellKnownDID is where the document of a did:web DID without a path is read.
const wellKnownDID = "/.well-known/did.json"

// didWebPaths maps the path (less basePath) at which did:web's read operation fetches each
// did:web instance's document to that instance.
func didWebPaths(instances []*issuer.Instance, basePath string) (map[string]*issuer.Instance, error) {
	basePath = strings.TrimSuffix(basePath, "/")
	out := map[string]*issuer.Instance{}
	for _, in := range instances {
		d, err := did.Parse(in.DID)
		if err != nil || d.Method != "web" {
			continue
		}
		u, err := web.URL(d)
		if err != nil {
			return nil, fmt.Errorf("vcapi: instance %s: %w", in.Name, err)
		}
		path, ok := strings.CutPrefix(u.Path, basePath)
		if !ok || !strings.HasPrefix(path, "/") {
			return nil, fmt.Errorf("vcapi: instance %s: its DID document %s is not under the base path %q", in.Name, u.Path, basePath)
		}
		if other, dup := out[path]; dup {
			return nil, fmt.Errorf("vcapi: instances %s and %s: both DID documents at %s", other.Name, in.Name, path)
		}
		out[path] = in
	}
	return out, nil
}

// instanceDID is the route of the documents of did:web instances other than the default,
// whose DIDs end in ":instances:<name>" under the base URL.
const instanceDID = "/instances/:instance/did.json"

// mountDIDDocuments registers GET at each did:web instance's document path: one route for
// every /instances/<name>/did.json (a 404 problem for a name that is no did:web instance),
// its own for any other path, and at /.well-known/did.json a 404 problem when no instance
// is served there.
func (h *Handler) mountDIDDocuments(e *echo.Echo) {
	for path, in := range h.docs {
		if _, ok := instanceOfPath(path); !ok {
			e.GET(path, func(c *echo.Context) error { return didDocument(c, in) })
		}
	}
	e.GET(instanceDID, func(c *echo.Context) error {
		in, ok := h.docs["/instances/"+c.Param("instance")+"/did.json"]
		if !ok {
			return problem(fmt.Errorf("%w: no did:web instance of that name is served here", errNotFound))
		}
		return didDocument(c, in)
	})
	if _, ok := h.docs[wellKnownDID]; !ok {
		e.GET(wellKnownDID, func(*echo.Context) error {
			return problem(fmt.Errorf("%w: no did:web instance is served here", errNotFound))
		})
	}
}

// instanceOfPath returns the instance name of a path /instances/<name>/did.json.
func instanceOfPath(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/instances/")
	name, ok2 := strings.CutSuffix(rest, "/did.json")
	return name, ok && ok2 && name != "" && !strings.Contains(name, "/")
}

// didDocument serves the DID document of a did:web instance: its current key and the keys
// it retired, as did:web's read operation fetches it.
func didDocument(c *echo.Context, in *issuer.Instance) error {
	doc, err := in.DIDDocument()
	if err != nil {
		return err
	}
	b, err := doc.Marshal(did.MediaTypeDIDLDJSON)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, "application/did+ld+json", b)
}
