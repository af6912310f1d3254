package vcapi

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// DefaultMaxBody bounds request bodies when Options.MaxBody is zero.
const DefaultMaxBody = 1 << 20

// Options configure a Handler. The zero value is ready to use.
type Options struct {
	// MaxBody bounds JSON request bodies; zero means DefaultMaxBody.
	MaxBody int64
	// BasePath is the path of the service's public URL ("" or "/prefix"), which a reverse
	// proxy strips before requests reach the handler. A did:web instance's document is
	// served at the path its DID names (did:web § Read) less BasePath.
	BasePath string
	// Now is the service's clock, which /credentials/verify/scope decides at; nil means
	// time.Now.
	Now func() time.Time
}

func (h *Handler) now() time.Time {
	if h.opts.Now != nil {
		return h.opts.Now()
	}
	return time.Now()
}

// Handler serves the VC API; it is a server.Mounter.
type Handler struct {
	is   *issuer.Issuer
	v    *verifier.Verifier
	auth Authorizer
	opts Options
	docs map[string]*issuer.Instance // did:web document path → instance
}

var _ server.Mounter = (*Handler)(nil)

// New returns the handlers of an issuer and a verifier, authorising write requests with auth.
// It fails when a did:web instance's document is not under opts.BasePath or two did:web
// instances name the same document.
func New(is *issuer.Issuer, v *verifier.Verifier, auth Authorizer, opts Options) (*Handler, error) {
	if is == nil || v == nil || auth == nil {
		return nil, errors.New("vcapi: issuer, verifier and authorizer are required")
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	docs, err := didWebPaths(is.Instances(), opts.BasePath)
	if err != nil {
		return nil, err
	}
	return &Handler{is: is, v: v, auth: auth, opts: opts, docs: docs}, nil
}

// Mount registers the routes listed in the package documentation.
func (h *Handler) Mount(e *echo.Echo) {
	for _, prefix := range []string{"", "/instances/:instance"} {
		e.POST(prefix+"/credentials/issue", h.issue)
		e.POST(prefix+"/credentials/issue/scope", h.issueScope)
		e.POST(prefix+"/credentials/issue/compliance", h.issueCompliance)
	}
	e.POST("/credentials/status", h.updateStatus)
	e.POST("/credentials/verify", h.verifyCredential)
	e.POST("/credentials/verify/scope", h.checkScope)
	e.POST("/presentations/verify", h.verifyPresentation)
	// A client configured with an instance's base URL (VCALM § Base URL) verifies there too.
	e.POST("/instances/:instance/credentials/verify", h.verifyCredential)
	e.POST("/instances/:instance/presentations/verify", h.verifyPresentation)
	e.POST("/instances/:instance/credentials/status", h.updateStatus)
	e.GET("/status/:instance/:purpose/:list", h.statusList)
	e.HEAD("/status/:instance/:purpose/:list", h.statusList)
	h.mountDIDDocuments(e)
}

// authorize asks the Authorizer, answering 401 with a Bearer challenge.
func (h *Handler) authorize(c *echo.Context, action Action) (issuer.Caller, error) {
	caller, err := h.auth.Authorize(c.Request(), c.Param("instance"), action)
	if errors.Is(err, ErrUnauthenticated) {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="kakunin-vc"`)
	}
	if err != nil {
		return caller, problem(err)
	}
	return caller, nil
}

// writeJSON sends v as application/json, with raw members written as they are.
func writeJSON(c *echo.Context, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, "application/json", b)
}
