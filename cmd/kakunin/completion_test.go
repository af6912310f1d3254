package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cliCommands is commands() with vc and completion, which the table in
// main.go may not list yet.
func cliCommands() map[string]command {
	cmds := commands()
	if _, ok := cmds["vc"]; !ok {
		cmds["vc"] = command{"issue, verify and revoke verifiable credentials", runVC}
	}
	if _, ok := cmds["completion"]; !ok {
		cmds["completion"] = command{"print a shell completion script (bash, zsh, fish)", runCompletion}
	}
	return cmds
}

// runHelp runs one command with args and returns its exit code (as run maps
// errors) and everything it printed.
func runHelp(c command, args ...string) (int, string) {
	var out strings.Builder
	err := c.run(context.Background(), &cliEnv{stdout: &out, stderr: &out, getenv: func(string) string { return "" }}, args)
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK, out.String()
	case errors.As(err, &ue):
		return exitUsage, out.String()
	}
	return exitFailure, out.String()
}

// knownHelpGaps lists the commands whose -h does not yet meet the bar of
// TestHelp, with why; the test fails once one is fixed so that the list shrinks.
var knownHelpGaps = map[string]string{}

var (
	usageLine   = regexp.MustCompile(`(?m)^Usage: kakunin `)
	exampleLine = regexp.MustCompile(`(?m)^Example`)
)

// TestHelp runs `kakunin <cmd> -h` for every command: exit code 0, a Usage
// line, the flags and an Example.
func TestHelp(t *testing.T) {
	for name, c := range cliCommands() {
		t.Run(name, func(t *testing.T) {
			code, out := runHelp(c, "-h")
			var gaps []string
			if code != exitOK {
				gaps = append(gaps, fmt.Sprintf("exit code %d", code))
			}
			if !usageLine.MatchString(out) {
				gaps = append(gaps, "no Usage line")
			}
			if !exampleLine.MatchString(out) {
				gaps = append(gaps, "no Example")
			}
			got, known := strings.Join(gaps, ", "), knownHelpGaps[name]
			switch {
			case known != "" && got == "":
				t.Errorf("%s -h is fixed: remove it from knownHelpGaps", name)
			case got != known:
				t.Errorf("%s -h: %s (known gaps %q)\n%s", name, got, known, out)
			}
		})
	}
}

// TestSubcommandHelp checks the subcommands table against the commands: each
// one's usage names its subcommands, and those with their own flags answer -h.
func TestSubcommandHelp(t *testing.T) {
	cmds := cliCommands()
	for name, sub := range subcommands {
		c, ok := cmds[name]
		if !ok {
			t.Errorf("subcommands lists %q, which is no command", name)
			continue
		}
		_, top := runHelp(c, "-h")
		for _, s := range sub.names {
			t.Run(name+" "+s, func(t *testing.T) {
				if !strings.Contains(top, s) {
					t.Errorf("%s -h does not mention %q", name, s)
				}
				if !sub.ownFlags {
					return
				}
				if code, out := runHelp(c, s, "-h"); code != exitOK || !usageLine.MatchString(out) || !strings.Contains(out, "  -") {
					t.Errorf("%s %s -h: exit %d\n%s", name, s, code, out)
				}
			})
		}
	}
}

func TestCompletionSpecs(t *testing.T) {
	specs := completionSpecs(context.Background(), cliCommands())
	byName := map[string]cmdSpec{}
	for _, s := range specs {
		byName[s.name] = s
	}
	tests := []struct {
		cmd, sub, flag string
		value          bool
	}{
		{"vc", "issue", "scope", true},
		{"vc", "issue", "validity", true},
		{"vc", "verify", "json", false},
		{"vc", "status", "set", false},
		{"audit", "verify", "origin", true},
		{"owner", "init", "id", true},
		{"serve", "", "addr", true},
		{"digest", "", "quiet", false},
		{"version", "", "json", false},
	}
	for _, tt := range tests {
		t.Run(tt.cmd+" "+tt.sub+" "+tt.flag, func(t *testing.T) {
			i := slices.IndexFunc(byName[tt.cmd].flags[tt.sub], func(f flagSpec) bool { return f.name == tt.flag })
			if i < 0 {
				t.Fatalf("no --%s in %v", tt.flag, byName[tt.cmd].flags[tt.sub])
			}
			if f := byName[tt.cmd].flags[tt.sub][i]; f.value != tt.value || f.help == "" {
				t.Errorf("--%s: value %t, help %q", tt.flag, f.value, f.help)
			}
		})
	}
	if !slices.IsSortedFunc(specs, func(a, b cmdSpec) int { return strings.Compare(a.name, b.name) }) {
		t.Error("specs not sorted")
	}
}

// TestCompletionScripts renders each shell's script; every command and a
// subcommand's flag appear, and the shells at hand accept the syntax.
func TestCompletionScripts(t *testing.T) {
	specs := completionSpecs(context.Background(), cliCommands())
	renders := map[string]func(*strings.Builder) error{
		"bash": func(b *strings.Builder) error { return renderBash(b, specs) },
		"zsh":  func(b *strings.Builder) error { return renderZsh(b, specs) },
		"fish": func(b *strings.Builder) error { return renderFish(b, specs) },
	}
	for shell, render := range renders {
		t.Run(shell, func(t *testing.T) {
			var b strings.Builder
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			for _, want := range append(names(specs), "issue", "scope", "origin") {
				if !strings.Contains(b.String(), want) {
					t.Errorf("no %q in the %s script", want, shell)
				}
			}
			bin, err := exec.LookPath(shell)
			if err != nil {
				t.Skipf("%s absent: syntax not checked", shell)
			}
			path := filepath.Join(t.TempDir(), "kakunin."+shell)
			writeFile(t, path, b.String())
			if out, err := exec.Command(bin, "-n", path).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// TestCompletionBash runs the bash function for a few command lines.
func TestCompletionBash(t *testing.T) {
	bin, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash absent")
	}
	var b strings.Builder
	if err := renderBash(&b, completionSpecs(context.Background(), cliCommands())); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kakunin.bash")
	writeFile(t, path, b.String())
	tests := []struct{ line, want, not string }{
		{"kakunin v", "vc version", "serve"},
		{"kakunin vc ", "issue status verify", "--origin"},
		{"kakunin vc issue --sc", "--scope", "--origin"},
		{"kakunin audit verify --or", "--origin", "--scope"},
		{"kakunin completion ", "bash zsh fish", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			script := `source "$1"; COMP_WORDS=($2); [[ "$2" == *" " ]] && COMP_WORDS+=(""); ` +
				`COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _kakunin; echo "${COMPREPLY[*]}"`
			out, err := exec.Command(bin, "-c", script, "bash", path, tt.line).CombinedOutput()
			got := strings.Fields(string(out))
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			for _, w := range strings.Fields(tt.want) {
				if !slices.Contains(got, w) {
					t.Errorf("%q completes to %v, want %s", tt.line, got, w)
				}
			}
			if tt.not != "" && slices.Contains(got, tt.not) {
				t.Errorf("%q completes to %v, with %s", tt.line, got, tt.not)
			}
		})
	}
}

func TestCompletionUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"tcsh"}, {"bash", "zsh"}, {"--bogus"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var ue usageError
			err := runCompletion(context.Background(), &cliEnv{stdout: &strings.Builder{}, stderr: &strings.Builder{}}, args)
			if !errors.As(err, &ue) {
				t.Errorf("err = %v, want a usage error", err)
			}
		})
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
