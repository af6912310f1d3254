//go:build cgo

package keys

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// softHSMModules are where Debian, Fedora and source builds put the SoftHSM2 module.
var softHSMModules = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
}

const (
	testPIN   = "s3cr3t-PIN-7731"
	testSOPIN = "so-PIN-99120"
)

// softToken is a SoftHSM2 token made for one test, in its own token directory.
type softToken struct {
	module string
	label  string
	dir    string
}

// newSoftToken makes a fresh token for t. It skips t only when the SoftHSM2 module is
// not installed; a missing softhsm2-util beside an installed module fails the test.
func newSoftToken(t testing.TB) *softToken {
	t.Helper()
	module := ""
	for _, m := range softHSMModules {
		if _, err := os.Stat(m); err == nil {
			module = m
			break
		}
	}
	if module == "" {
		t.Skip("SoftHSM2 module libsofthsm2.so not found; install softhsm2 (apt-get install softhsm2) to run the PKCS#11 tests")
	}
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	cfg := "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
	if err := os.WriteFile(conf, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	st := &softToken{module: module, label: "kakunin-test", dir: dir}
	out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", st.label,
		"--pin", testPIN, "--so-pin", testSOPIN).CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util --init-token: %v\n%s", err, out)
	}
	return st
}

// uri returns a pkcs11: URI for a key on the token, with the PIN inline.
func (st *softToken) uri(path string) string {
	return "pkcs11:token=" + st.label + ";" + path + "?module-path=" + st.module + "&pin-value=" + testPIN
}
