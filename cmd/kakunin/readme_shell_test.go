package main

import (
	"fmt"
	"os"
	"strings"
)

// This file reads the README's shell snippets: just enough of sh to run the
// quickstart (line continuations, comments, quoted words, $VAR, $(…), heredocs),
// so that TestREADMEQuickstart runs what a reader pastes.

// snippet is one fenced ```sh block of a markdown section.
func snippet(readme, heading string) (string, error) {
	_, sec, ok := strings.Cut(readme, "\n"+heading+"\n")
	if !ok {
		return "", fmt.Errorf("no section %q", heading)
	}
	_, block, ok := strings.Cut(sec, "```sh\n")
	if !ok {
		return "", fmt.Errorf("no ```sh block in %q", heading)
	}
	block, _, ok = strings.Cut(block, "```")
	if !ok {
		return "", fmt.Errorf("unterminated block in %q", heading)
	}
	return block, nil
}

// shellLine is one command of a snippet, or a heredoc writing a file.
type shellLine struct {
	text    string // the command, continuations joined
	file    string // for `cat > file <<'EOF'`: the file written
	content string // and what is written to it
}

// shellLines splits a snippet into commands, dropping comments and blank lines.
func shellLines(block string) ([]shellLine, error) {
	var out []shellLine
	lines := strings.Split(block, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(lines[i])
		}
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if name, ok := heredoc(l); ok {
			end := i + 1
			for end < len(lines) && lines[end] != "EOF" {
				end++
			}
			if end == len(lines) {
				return nil, fmt.Errorf("heredoc %q has no EOF", l)
			}
			out = append(out, shellLine{text: l, file: name, content: strings.Join(lines[i+1:end], "\n") + "\n"})
			i = end
			continue
		}
		out = append(out, shellLine{text: l})
	}
	return out, nil
}

// heredoc recognises `cat > name <<'EOF'`.
func heredoc(l string) (string, bool) {
	rest, ok := strings.CutPrefix(l, "cat > ")
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, " <<'EOF'")
	return name, ok
}

// shellWords splits a command into words as sh does for the quoting the README
// uses: '…' is literal, "…" expands $VAR and $(…) and honours \" and \\, and a bare
// word expands too. subst runs a $(…) command and returns its output.
func shellWords(l string, vars func(string) string, subst func(string) (string, error)) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c == ' ':
			if inWord {
				words, inWord = append(words, w.String()), false
				w.Reset()
			}
			continue
		case c == '\'':
			end := strings.IndexByte(l[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated ' in %q", l)
			}
			w.WriteString(l[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			n, err := expandQuoted(l[i+1:], &w, vars, subst)
			if err != nil {
				return nil, err
			}
			i += n
		case c == '$':
			n, err := expand(l[i:], &w, vars, subst)
			if err != nil {
				return nil, err
			}
			i += n - 1
		default:
			w.WriteByte(c)
		}
		inWord = true
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// expandQuoted writes the expansion of a double-quoted string starting after its
// opening quote and returns how many bytes it used, its closing quote included.
func expandQuoted(s string, w *strings.Builder, vars func(string) string, subst func(string) (string, error)) (int, error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return i + 1, nil
		case c == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`, s[i+1]) >= 0:
			w.WriteByte(s[i+1])
			i++
		case c == '$':
			n, err := expand(s[i:], w, vars, subst)
			if err != nil {
				return 0, err
			}
			i += n - 1
		default:
			w.WriteByte(c)
		}
	}
	return 0, fmt.Errorf("unterminated \" in %q", s)
}

// expand writes the expansion of $NAME or $(command) at the start of s and returns
// its length.
func expand(s string, w *strings.Builder, vars func(string) string, subst func(string) (string, error)) (int, error) {
	if strings.HasPrefix(s, "$(") {
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return 0, fmt.Errorf("unterminated $( in %q", s)
		}
		out, err := subst(s[2:end])
		if err != nil {
			return 0, err
		}
		w.WriteString(strings.TrimRight(out, "\n"))
		return end + 1, nil
	}
	n := 1
	for n < len(s) && (s[n] == '_' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	if n == 1 {
		return 0, fmt.Errorf("bare $ in %q", s)
	}
	w.WriteString(vars(s[1:n]))
	return n, nil
}

// readDataArg is curl's -d: @file reads the file.
func readDataArg(arg string) ([]byte, error) {
	if name, ok := strings.CutPrefix(arg, "@"); ok {
		return os.ReadFile(name)
	}
	return []byte(arg), nil
}
