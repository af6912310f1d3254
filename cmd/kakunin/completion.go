package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

const completionUsage = `bash|zsh|fish

Prints a shell completion script for kakunin's commands, subcommands and flags.
The flags are read from each command's own -h output, so they stay in sync.

Example:
  source <(kakunin completion bash)
  kakunin completion zsh > "${fpath[1]}/_kakunin"
  kakunin completion fish > ~/.config/fish/completions/kakunin.fish`

// subcommands lists the words that may follow a command. With ownFlags, each
// subcommand parses its own flags (`kakunin audit verify -h`); otherwise the
// words are plain arguments after the command's flags.
var subcommands = map[string]struct {
	names    []string
	ownFlags bool
}{
	"agent":      {[]string{"enroll", "renew", "rotate", "revoke", "deactivate", "link"}, true},
	"audit":      {[]string{"verify", "export", "evidence"}, true},
	"owner":      {[]string{"init"}, true},
	"vc":         {[]string{"issue", "verify", "status"}, true},
	"digest":     {[]string{"model", "prompt", "salt"}, false},
	"completion": {[]string{"bash", "zsh", "fish"}, false},
}

// cmdSpec is what a completion script knows of one command: its summary,
// subcommands and the flags after each ("" is the command itself).
type cmdSpec struct {
	name, summary string
	subs          []string
	flags         map[string][]flagSpec
}

type flagSpec struct {
	name, help string
	value      bool // the flag takes a value (it is not a boolean)
}

func runCompletion(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "completion", completionUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"completion needs one shell: bash, zsh or fish"}
	}
	render, ok := map[string]func(io.Writer, []cmdSpec) error{
		"bash": renderBash, "zsh": renderZsh, "fish": renderFish,
	}[fs.Arg(0)]
	if !ok {
		return usageError{fmt.Sprintf("unknown shell %q (bash, zsh or fish)", fs.Arg(0))}
	}
	return render(env.stdout, completionSpecs(ctx, commands()))
}

// completionSpecs describes cmds, sorted by name, reading each one's flags from
// its -h output.
func completionSpecs(ctx context.Context, cmds map[string]command) []cmdSpec {
	var specs []cmdSpec
	for name, c := range cmds {
		s := cmdSpec{name: name, summary: c.summary, flags: map[string][]flagSpec{}}
		sub := subcommands[name]
		s.subs = sub.names
		s.flags[""] = helpFlags(ctx, c, nil)
		if sub.ownFlags {
			for _, n := range sub.names {
				s.flags[n] = helpFlags(ctx, c, []string{n})
			}
		}
		specs = append(specs, s)
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].name < specs[j].name })
	return specs
}

// defaultLine is a flag line of flag.PrintDefaults: "  -name [type]", with no
// type for a boolean flag.
var defaultLine = regexp.MustCompile(`^  -([A-Za-z0-9][\w.-]*)( \S+)?`)

// helpFlags runs the command with -h, its output discarded but for the flags
// and their help lines that flag.PrintDefaults wrote. -h makes every command
// return before doing anything.
func helpFlags(ctx context.Context, c command, prefix []string) []flagSpec {
	var out strings.Builder
	env := &cliEnv{stdout: io.Discard, stderr: &out, getenv: func(string) string { return "" }}
	_ = c.run(ctx, env, append(prefix, "-h")) // -h answers flag.ErrHelp or a usage error
	var flags []flagSpec
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		line := sc.Text()
		if m := defaultLine.FindStringSubmatch(line); m != nil {
			flags = append(flags, flagSpec{name: m[1], value: m[2] != ""})
		} else if n := len(flags); n > 0 && strings.HasPrefix(line, "    \t") && flags[n-1].help == "" {
			flags[n-1].help = strings.TrimSpace(line)
		}
	}
	return flags
}

func renderBash(w io.Writer, specs []cmdSpec) error {
	var b strings.Builder
	b.WriteString("# bash completion for kakunin; source <(kakunin completion bash)\n_kakunin() {\n")
	b.WriteString("  local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]} sub=\n")
	b.WriteString("  [[ $COMP_CWORD -gt 2 ]] && sub=${COMP_WORDS[2]}\n")
	b.WriteString("  if [[ $COMP_CWORD -eq 1 ]]; then\n")
	fmt.Fprintf(&b, "    COMPREPLY=($(compgen -W %q -- \"$cur\")); return\n  fi\n", "help "+strings.Join(names(specs), " "))
	b.WriteString("  local words=\n  case \"$cmd $sub\" in\n")
	for _, s := range specs {
		for _, sub := range s.subs {
			if fl, ok := s.flags[sub]; ok {
				fmt.Fprintf(&b, "    %q) words=%q ;;\n", s.name+" "+sub, flagWords(fl))
			}
		}
		words := strings.TrimSpace(strings.Join(s.subs, " ") + " " + flagWords(s.flags[""]))
		fmt.Fprintf(&b, "    %q*) words=%q ;;\n", s.name+" ", words)
	}
	b.WriteString("  esac\n  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\ncomplete -o default -F _kakunin kakunin\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func renderZsh(w io.Writer, specs []cmdSpec) error {
	var b strings.Builder
	b.WriteString("#compdef kakunin\n# zsh completion for kakunin\n_kakunin() {\n  local -a cmds opts\n  cmds=(\n")
	for _, s := range specs {
		fmt.Fprintf(&b, "    %s\n", zshQuote(s.name+":"+s.summary))
	}
	b.WriteString("  )\n  if (( CURRENT == 2 )); then _describe command cmds; return; fi\n")
	b.WriteString("  case \"${words[2]} ${words[3]}\" in\n")
	for _, s := range specs {
		for _, sub := range s.subs {
			if fl, ok := s.flags[sub]; ok {
				fmt.Fprintf(&b, "    %s) opts=(%s) ;;\n", zshQuote(s.name+" "+sub), zshFlags(fl))
			}
		}
		all := zshFlags(s.flags[""])
		for _, sub := range s.subs {
			all += " " + zshQuote(sub)
		}
		fmt.Fprintf(&b, "    %s*) opts=(%s) ;;\n", zshQuote(s.name+" "), strings.TrimSpace(all))
	}
	// Sourced, the script registers the function; autoloaded from $fpath as
	// _kakunin, it runs it.
	b.WriteString("  esac\n  _describe option opts || _files\n}\n")
	b.WriteString("if [[ \"${funcstack[1]}\" == _kakunin ]]; then _kakunin \"$@\"; else compdef _kakunin kakunin; fi\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func renderFish(w io.Writer, specs []cmdSpec) error {
	var b strings.Builder
	b.WriteString("# fish completion for kakunin\ncomplete -c kakunin -f\n")
	fmt.Fprintf(&b, "complete -c kakunin -n __fish_use_subcommand -a help -d %s\n", fishQuote("show the commands"))
	for _, s := range specs {
		fmt.Fprintf(&b, "complete -c kakunin -n __fish_use_subcommand -a %s -d %s\n", s.name, fishQuote(s.summary))
		in := "__fish_seen_subcommand_from " + s.name
		for _, sub := range s.subs {
			fmt.Fprintf(&b, "complete -c kakunin -n %s -a %s\n", fishQuote(in+"; and not __fish_seen_subcommand_from "+strings.Join(s.subs, " ")), sub)
		}
		for _, sub := range append([]string{""}, s.subs...) {
			cond := in
			if sub != "" {
				cond += "; and __fish_seen_subcommand_from " + sub
			}
			for _, f := range s.flags[sub] {
				arg := ""
				if f.value {
					arg = " -r -F"
				}
				fmt.Fprintf(&b, "complete -c kakunin -n %s -l %s -d %s%s\n", fishQuote(cond), f.name, fishQuote(f.help), arg)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func names(specs []cmdSpec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.name
	}
	return out
}

func flagWords(fl []flagSpec) string {
	w := make([]string, len(fl))
	for i, f := range fl {
		w[i] = "--" + f.name
	}
	return strings.Join(w, " ")
}

func zshFlags(fl []flagSpec) string {
	w := make([]string, len(fl))
	for i, f := range fl {
		w[i] = zshQuote("--" + f.name + ":" + f.help)
	}
	return strings.Join(w, " ")
}

// zshQuote and fishQuote single-quote s for the shell.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
