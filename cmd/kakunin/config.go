package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
)

// serveConfig is the configuration of `kakunin serve`. Each field is settable from
// a YAML file (--config), from the environment (KAKUNIN_<NAME>, e.g. KAKUNIN_ADDR)
// and from a flag (--addr), in increasing order of precedence. The defaults are safe:
// loopback only, the embedded SQLite database under the data directory.
type serveConfig struct {
	Addr    string `yaml:"addr" flag:"addr" help:"listen address"`
	BaseURL string `yaml:"baseURL" flag:"base-url" help:"public URL of this service, used in certificates and credentials (default http://<addr>)"`
	DataDir string `yaml:"dataDir" flag:"data-dir" help:"directory for the SQLite database and file keys"`
	DB      string `yaml:"db" flag:"db" help:"database: a SQLite file path or a postgres:// URL (default <data-dir>/kakunin.db)"`
	Roles   string `yaml:"roles" flag:"roles" help:"comma-separated roles to serve: resolver,ca,issuer,audit"`
	Demo    bool   `yaml:"demo" flag:"demo" help:"create a demo owner, agent and issuer on first start"`
	// DemoPublicOwner makes the demo DID the same on every install (demo_public.go).
	DemoPublicOwner bool          `yaml:"demoPublicOwner" flag:"demo-public-owner" help:"give the demo owner the published, public key so that the demo DID is the same on every install (Universal Resolver test identifiers); never in production"`
	LogLevel        string        `yaml:"logLevel" flag:"log-level" help:"debug, info, warn or error"`
	CertTTL         time.Duration `yaml:"certTTL" flag:"cert-ttl" help:"validity of agent certificates"`
	CRLPeriod       time.Duration `yaml:"crlPeriod" flag:"crl-period" help:"how often CRLs are reissued (their nextUpdate)"`
	CacheTTL        time.Duration `yaml:"resolverCacheTTL" flag:"resolver-cache-ttl" help:"longest a resolution result is cached; bounds how late a change made through another replica is seen"`
	MaxBody         int64         `yaml:"maxBodyBytes" flag:"max-body-bytes" help:"request body limit in bytes"`
	TLSCert         string        `yaml:"tlsCert" flag:"tls-cert" help:"TLS certificate file (PEM); enables HTTPS with --tls-key"`
	TLSKey          string        `yaml:"tlsKey" flag:"tls-key" help:"TLS private key file (PEM)"`
	TLSSelf         bool          `yaml:"tlsSelfSigned" flag:"tls-self-signed" help:"serve HTTPS with a throwaway self-signed certificate (development only)"`
	Issuers         issuerList    `yaml:"issuers" flag:"issuers" help:"issuer instances, a YAML list (docs/configuration.md); none means one did:key instance with a key under the data directory"`
	// VerifySuites lists the Data Integrity cryptosuites the verifier accepts (verifySuites).
	VerifySuites string `yaml:"verifyCryptosuites" flag:"verify-cryptosuites" help:"comma-separated Data Integrity cryptosuites the verifier accepts, among them the legacy Ed25519Signature2020 (default eddsa-rdfc-2022,eddsa-jcs-2022,ecdsa-rdfc-2019,ecdsa-jcs-2019)"`
	// CredentialCascade is what revoking an agent certificate does to the agent's
	// credentials (cascadePurpose).
	CredentialCascade string `yaml:"credentialCascade" flag:"credential-cascade" help:"what revoking an agent certificate does to the credentials issued to its DID: suspend (an owner may lift it) or revoke"`
	// AuditKey and AuditRetiredKeys are the audit log's keys (wire_audit.go).
	AuditKey         string     `yaml:"auditKey" flag:"audit-key" help:"key URI of the Ed25519 key that signs audit log checkpoints (default <data-dir>/audit-log.key, created at first start)"`
	AuditRetiredKeys keyURIList `yaml:"auditRetiredKeys" flag:"audit-retired-keys" help:"former audit log keys that still co-sign checkpoints during a key rotation, a YAML list of key URIs"`
}

func defaultServeConfig() serveConfig {
	return serveConfig{
		Addr:      "127.0.0.1:8080",
		DataDir:   "data",
		Roles:     "resolver,ca,issuer,audit",
		Demo:      true,
		LogLevel:  "info",
		CertTTL:   24 * time.Hour,
		CRLPeriod: time.Hour,
		CacheTTL:  time.Minute,
		MaxBody:   1 << 20,

		CredentialCascade: cascadeSuspend,
	}
}

// loadServeConfig applies the YAML file, the environment and the flags, in that order.
func loadServeConfig(env *cliEnv, args []string) (serveConfig, error) {
	cfg := defaultServeConfig()
	fs := newFlags(env, "serve", "[flags]")
	configPath := fs.String("config", env.getenv("KAKUNIN_CONFIG"), "YAML configuration file (env KAKUNIN_CONFIG)")
	bindFlags(fs, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	fromFlags := cfg
	cfg = defaultServeConfig()
	if *configPath != "" {
		if err := readYAML(*configPath, &cfg); err != nil {
			return cfg, err
		}
	}
	if err := applyEnv(env, &cfg); err != nil {
		return cfg, err
	}
	overlayFlags(&cfg, fromFlags, set)
	return cfg.resolve()
}

func readYAML(path string, cfg *serveConfig) error {
	f, err := os.Open(path)
	if err != nil {
		return usageError{fmt.Sprintf("config: %v", err)}
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		return usageError{fmt.Sprintf("config %s: %v", path, err)}
	}
	return nil
}

// fields lists the configurable fields of cfg with their flag names.
func fields(cfg *serveConfig) []struct {
	name, help string
	v          reflect.Value
} {
	rv := reflect.ValueOf(cfg).Elem()
	rt := rv.Type()
	out := make([]struct {
		name, help string
		v          reflect.Value
	}, 0, rt.NumField())
	for i := range rt.NumField() {
		f := rt.Field(i)
		out = append(out, struct {
			name, help string
			v          reflect.Value
		}{f.Tag.Get("flag"), f.Tag.Get("help"), rv.Field(i)})
	}
	return out
}

func bindFlags(fs *flag.FlagSet, cfg *serveConfig) {
	for _, f := range fields(cfg) {
		help := f.help + " (env KAKUNIN_" + envName(f.name) + ")"
		switch p := f.v.Addr().Interface().(type) {
		case *string:
			fs.StringVar(p, f.name, *p, help)
		case *bool:
			fs.BoolVar(p, f.name, *p, help)
		case *time.Duration:
			fs.DurationVar(p, f.name, *p, help)
		case *int64:
			fs.Int64Var(p, f.name, *p, help)
		case flag.Value:
			fs.Var(p, f.name, help)
		}
	}
}

func envName(flagName string) string {
	return strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func applyEnv(env *cliEnv, cfg *serveConfig) error {
	for _, f := range fields(cfg) {
		name := "KAKUNIN_" + envName(f.name)
		s := env.getenv(name)
		if s == "" {
			continue
		}
		if err := setValue(f.v, s); err != nil {
			return usageError{fmt.Sprintf("%s: %v", name, err)}
		}
	}
	return nil
}

func setValue(v reflect.Value, s string) error {
	switch p := v.Addr().Interface().(type) {
	case *string:
		*p = s
	case *bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		*p = b
	case *time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*p = d
	case *int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		*p = n
	case flag.Value:
		return p.Set(s)
	}
	return nil
}

func overlayFlags(cfg *serveConfig, fromFlags serveConfig, set map[string]bool) {
	src := fields(&fromFlags)
	for i, f := range fields(cfg) {
		if set[f.name] {
			f.v.Set(src[i].v)
		}
	}
}

// resolve fills derived defaults and checks the values.
func (c serveConfig) resolve() (serveConfig, error) {
	if c.DB == "" {
		c.DB = filepath.Join(c.DataDir, "kakunin.db")
	}
	if c.BaseURL == "" {
		scheme := "http"
		if c.TLSCert != "" || c.TLSSelf {
			scheme = "https"
		}
		c.BaseURL = scheme + "://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	var errs []error
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	if c.TLSSelf && c.TLSCert != "" {
		errs = append(errs, errors.New("--tls-self-signed excludes --tls-cert"))
	}
	if c.CertTTL <= 0 || c.CertTTL > 7*24*time.Hour {
		errs = append(errs, errors.New("--cert-ttl must be between 0 and 168h"))
	}
	if c.CacheTTL < time.Second || c.CacheTTL > time.Hour {
		errs = append(errs, errors.New("--resolver-cache-ttl must be between 1s and 1h"))
	}
	if c.CRLPeriod < time.Minute {
		errs = append(errs, errors.New("--crl-period must be at least 1m"))
	}
	if err := c.checkWebDIDs(); err != nil {
		errs = append(errs, err)
	}
	for _, r := range c.roles() {
		switch r {
		case "resolver", "ca", "issuer", "audit":
		default:
			errs = append(errs, fmt.Errorf("unknown role %q", r))
		}
	}
	if _, err := c.verifySuites(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.cascadePurpose(); err != nil {
		errs = append(errs, err)
	}
	if err := c.checkAuditKeys(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return c, usageError{err.Error()}
	}
	return c, nil
}

func (c serveConfig) roles() []string {
	var out []string
	for _, r := range strings.Split(c.Roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

func (c serveConfig) hasRole(name string) bool {
	for _, r := range c.roles() {
		if r == name {
			return true
		}
	}
	return false
}

// verifySuites returns the cryptosuites of --verify-cryptosuites, nil for the
// verifier's defaults: those of dataintegrity.DefaultCryptosuites and the legacy
// Ed25519Signature2020 proof type, which VC 1.1 credentials in the field carry.
func (c serveConfig) verifySuites() ([]string, error) {
	var out []string
	known := append(dataintegrity.DefaultCryptosuites(), dataintegrity.Ed25519Signature2020)
	for _, s := range strings.Split(c.VerifySuites, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !slices.Contains(known, s) {
			return nil, fmt.Errorf("--verify-cryptosuites: unknown cryptosuite %q (known: %s)", s, strings.Join(known, ", "))
		}
		out = append(out, s)
	}
	return out, nil
}
