package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v5"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/crypto/ocsp"

	"github.com/kakunin-dev/kakunin/server/idempotency"
)

// maxMeteredBody bounds the copy of an answer that eventMetrics reads (an OCSP
// response or an issued credential's head).
const maxMeteredBody = 64 << 10

// eventMetrics counts the domain events this process acknowledged, from the
// answers of the CA and VC API routes: certificates issued and revoked, OCSP
// responses by certificate status, credentials issued by instance and format,
// and credential status changes. A response replayed for a repeated
// Idempotency-Key is not an event.
type eventMetrics struct {
	certs       *prometheus.CounterVec // event: issued, revoked
	ocsp        *prometheus.CounterVec // status: good, revoked, unknown, or an error status
	credentials *prometheus.CounterVec // instance, format
	status      prometheus.Counter
}

func newEventMetrics() *eventMetrics {
	return &eventMetrics{
		certs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kakunin_certificates_total", Help: "Agent certificates issued (enrolment, renewal) and revoked through this process.",
		}, []string{"event"}),
		ocsp: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kakunin_ocsp_responses_total", Help: "OCSP responses by certificate status (good, revoked, unknown) or error status.",
		}, []string{"status"}),
		credentials: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kakunin_credentials_issued_total", Help: "Verifiable credentials issued by issuer instance and format.",
		}, []string{"instance", "format"}),
		status: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kakunin_credential_status_changes_total", Help: "Credential status changes made through the VC API.",
		}),
	}
}

func (m *eventMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.certs, m.ocsp, m.credentials, m.status}
}

// middleware observes the routes that record domain events.
func (m *eventMetrics) middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			route := c.Path()
			observe := m.observer(route)
			if observe == nil {
				return next(c)
			}
			rec := &recorder{ResponseWriter: c.Response()}
			c.SetResponse(rec)
			err := next(c)
			c.SetResponse(rec.ResponseWriter)
			if err == nil && rec.status/100 == 2 && rec.Header().Get(idempotency.ReplayedHeader) == "" {
				observe(c, rec.body.Bytes())
			}
			return err
		}
	}
}

// observer returns what to count for a successful answer on route, or nil.
func (m *eventMetrics) observer(route string) func(*echo.Context, []byte) {
	switch {
	case route == "/ca/owners/:owner/enroll" || route == "/ca/owners/:owner/renew":
		return func(*echo.Context, []byte) { m.certs.WithLabelValues("issued").Inc() }
	case route == "/ca/owners/:owner/revoke":
		return func(*echo.Context, []byte) { m.certs.WithLabelValues("revoked").Inc() }
	case strings.HasPrefix(route, "/ca/owners/:owner/ocsp"):
		return func(_ *echo.Context, body []byte) { m.ocsp.WithLabelValues(ocspCertStatus(body)).Inc() }
	case strings.HasSuffix(route, "/credentials/issue") || strings.Contains(route, "/credentials/issue/"):
		return func(c *echo.Context, body []byte) {
			instance := c.Param("instance")
			if instance == "" {
				instance = issuerInstance
			}
			m.credentials.WithLabelValues(instance, credentialFormat(body)).Inc()
		}
	case route == "/credentials/status":
		return func(*echo.Context, []byte) { m.status.Inc() }
	}
	return nil
}

// ocspCertStatus names the certificate status of an OCSP response, or its error
// status (RFC 6960 §4.2.1 responseStatus) when it is not successful.
func ocspCertStatus(body []byte) string {
	resp, err := ocsp.ParseResponse(body, nil)
	var re ocsp.ResponseError
	if errors.As(err, &re) {
		switch re.Status {
		case ocsp.Malformed, ocsp.InternalError, ocsp.TryLater, ocsp.SignatureRequired, ocsp.Unauthorized:
			return strings.ReplaceAll(re.Status.String(), " ", "_")
		}
		return "error"
	}
	if err != nil {
		return "unparsable"
	}
	switch resp.Status {
	case ocsp.Good:
		return "good"
	case ocsp.Revoked:
		return "revoked"
	}
	return "unknown"
}

// credentialFormat names the format of an issued credential: the media type of
// an enveloped credential (VC-JOSE-COSE, e.g. vc+jwt), or the cryptosuite of a
// Data Integrity proof.
func credentialFormat(body []byte) string {
	var issued struct {
		VerifiableCredential struct {
			ID    string `json:"id"`
			Proof json.RawMessage
		} `json:"verifiableCredential"`
	}
	if json.Unmarshal(body, &issued) != nil {
		return "unknown"
	}
	vc := issued.VerifiableCredential
	if mt, ok := strings.CutPrefix(vc.ID, "data:application/"); ok {
		if i := strings.IndexAny(mt, ",;"); i > 0 && labelToken(mt[:i]) {
			return mt[:i]
		}
	}
	var proof struct {
		Cryptosuite string `json:"cryptosuite"`
	}
	if json.Unmarshal(vc.Proof, &proof) == nil && labelToken(proof.Cryptosuite) {
		return proof.Cryptosuite
	}
	return "unknown"
}

// labelToken bounds the format label to short media subtypes and suite names.
func labelToken(s string) bool {
	return len(s) > 0 && len(s) <= 32 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-+.") == ""
}

// recorder keeps the status and a bounded copy of the body written through it.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if room := maxMeteredBody - r.body.Len(); room > 0 {
		r.body.Write(p[:min(len(p), room)])
	}
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController and echo reach the writer underneath.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
