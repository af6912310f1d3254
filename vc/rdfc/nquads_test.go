package rdfc

import (
	"errors"
	"strings"
	"testing"
)

func TestParseNQuadsTerms(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want Quad
	}{
		{"IRIs", "<urn:s> <urn:p> <urn:o> .", Quad{IRI("urn:s"), IRI("urn:p"), IRI("urn:o"), Term{}}},
		{"named graph", "<urn:s> <urn:p> <urn:o> <urn:g> .", Quad{IRI("urn:s"), IRI("urn:p"), IRI("urn:o"), IRI("urn:g")}},
		{"blank nodes", "_:s <urn:p> _:o.1 _:g .", Quad{Blank("s"), IRI("urn:p"), Blank("o.1"), Blank("g")}},
		{"label then dot", "_:s <urn:p> _:o.", Quad{Blank("s"), IRI("urn:p"), Blank("o"), Term{}}},
		{"no white space", "<urn:s><urn:p>\"x\"<urn:g>.", Quad{IRI("urn:s"), IRI("urn:p"), Literal("x", ""), IRI("urn:g")}},
		{"tabs and comment", "\t<urn:s>\t<urn:p> <urn:o> . # note", Quad{IRI("urn:s"), IRI("urn:p"), IRI("urn:o"), Term{}}},
		{"typed literal", `<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .`,
			Quad{IRI("urn:s"), IRI("urn:p"), Literal("1", "http://www.w3.org/2001/XMLSchema#integer"), Term{}}},
		{"language", `<urn:s> <urn:p> "chat"@fr-BE .`, Quad{IRI("urn:s"), IRI("urn:p"), LangLiteral("chat", "fr-BE"), Term{}}},
		{"escapes", `<urn:s> <urn:p> "\t\b\n\r\f\"\'\\\u00e9\U0001F303" .`,
			Quad{IRI("urn:s"), IRI("urn:p"), Literal("\t\b\n\r\f\"'\\é🌃", ""), Term{}}},
		{"IRI escape", `<urn:s> <urn:p> <urn:\u00E9> .`, Quad{IRI("urn:s"), IRI("urn:p"), IRI("urn:é"), Term{}}},
		{"unicode label", "_:é·x <urn:p> <urn:o> .", Quad{Blank("é·x"), IRI("urn:p"), IRI("urn:o"), Term{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ParseNQuads([]byte(tt.doc), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0] != tt.want {
				t.Fatalf("got %+v, want %+v", ds, tt.want)
			}
		})
	}
}

func TestParseNQuadsLines(t *testing.T) {
	doc := "# header\r\n\r\n<urn:s> <urn:p> <urn:o> .\r\n  \n<urn:s> <urn:p> <urn:o2> ." // no final EOL
	ds, err := ParseNQuads([]byte(doc), ParseOptions{})
	if err != nil || len(ds) != 2 {
		t.Fatalf("got %d quads, %v; want 2", len(ds), err)
	}
}

func TestParseNQuadsErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int
	}{
		{"missing dot", "<urn:s> <urn:p> <urn:o>", 1},
		{"relative IRI", "<s> <urn:p> <urn:o> .", 1},
		{"space in IRI", "<urn:a b> <urn:p> <urn:o> .", 1},
		{"escaped space in IRI", `<urn:a\u0020b> <urn:p> <urn:o> .`, 1},
		{"literal subject", "\"s\" <urn:p> <urn:o> .", 1},
		{"blank predicate", "<urn:s> _:p <urn:o> .", 1},
		{"literal graph", "<urn:s> <urn:p> <urn:o> \"g\" .", 1},
		{"unterminated literal", "<urn:s> <urn:p> \"abc .", 1},
		{"bad echar", `<urn:s> <urn:p> "\a" .`, 1},
		{"short uchar", `<urn:s> <urn:p> "\u12" .`, 1},
		{"surrogate uchar", `<urn:s> <urn:p> "\uD800" .`, 1},
		{"uchar out of range", `<urn:s> <urn:p> "\U00110000" .`, 1},
		{"bad language tag", `<urn:s> <urn:p> "x"@-en .`, 1},
		{"langString datatype", `<urn:s> <urn:p> "x"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .`, 1},
		{"datatype not IRI", `<urn:s> <urn:p> "x"^^"y" .`, 1},
		{"empty label", "_: <urn:p> <urn:o> .", 1},
		{"label starting with dash", "_:-a <urn:p> <urn:o> .", 1},
		{"trailing text", "<urn:s> <urn:p> <urn:o> . <urn:x>", 1},
		{"two statements on a line", "<urn:s> <urn:p> <urn:o> . <urn:s> <urn:p> <urn:o> .", 1},
		{"invalid UTF-8", "<urn:s> <urn:p> \"\xff\" .", 1},
		{"error on line 3", "<urn:s> <urn:p> <urn:o> .\n# ok\n<urn:s> <urn:p> .", 3},
		{"CR counts as a line end", "<urn:s> <urn:p> <urn:o> .\r<urn:s> .", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNQuads([]byte(tt.doc), ParseOptions{})
			var se *SyntaxError
			if !errors.Is(err, ErrSyntax) || !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if se.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", se.Line, tt.line, err)
			}
		})
	}
}

func TestParseNQuadsLimits(t *testing.T) {
	line := "<urn:s> <urn:p> <urn:o> .\n"
	tests := []struct {
		name string
		doc  string
		opts ParseOptions
	}{
		{"document", strings.Repeat(line, 4), ParseOptions{MaxBytes: 3 * len(line)}},
		{"line", line + `<urn:s> <urn:p> "` + strings.Repeat("x", 100) + "\" .\n", ParseOptions{MaxLineBytes: 64}},
		{"quads", strings.Repeat(line, 4), ParseOptions{MaxQuads: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseNQuads([]byte(tt.doc), tt.opts); !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
		})
	}
	if _, err := ParseNQuads([]byte(strings.Repeat(line, 3)), ParseOptions{MaxBytes: 3 * len(line), MaxQuads: 3}); err != nil {
		t.Fatalf("input at the limits: %v", err)
	}
}

// TestFormatNQuadsEscaping checks the literal rules of RDFC-1.0 § A, one character class
// at a time.
func TestFormatNQuadsEscaping(t *testing.T) {
	tests := []struct {
		name, lexical, want string
	}{
		{"ECHAR", "\b\t\n\f\r\"\\", `"\b\t\n\f\r\"\\"`},
		{"apostrophe is native", "'", `"'"`},
		{"UCHAR controls", "\x00\x07\x0b\x0e\x1f", `"\u0000\u0007\u000B\u000E\u001F"`},
		{"DEL", "\x7f", `"\u007F"`},
		{"non-characters", "\uFFFE\uFFFF", `"\uFFFE\uFFFF"`},
		{"C1 controls are native", "\u0080\u009f", "\"\u0080\u009f\""},
		{"other non-ASCII is native", "é\uFFFD\U0010FFFF🌃", "\"é\uFFFD\U0010FFFF🌃\""},
		{"mixed", "a\"b\x01c", `"a\"b\u0001c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := Dataset{{IRI("urn:s"), IRI("urn:p"), Literal(tt.lexical, ""), Term{}}}
			got, err := FormatNQuads(ds)
			if err != nil {
				t.Fatal(err)
			}
			want := "<urn:s> <urn:p> " + tt.want + " .\n"
			if string(got) != want {
				t.Errorf("got %q, want %q", got, want)
			}
			back, err := ParseNQuads(got, ParseOptions{})
			if err != nil || len(back) != 1 || back[0] != ds[0] {
				t.Errorf("round trip: %+v, %v", back, err)
			}
		})
	}
}

func TestFormatNQuadsTerms(t *testing.T) {
	ds := Dataset{
		{Blank("b0"), IRI("urn:p"), Literal("x", XSDString), Blank("g")},
		{IRI("urn:s"), IRI("urn:p"), Term{Kind: LiteralKind, Value: "x", Datatype: RDFLangString, Language: "en"}, IRI("urn:g")},
		{IRI("urn:s"), IRI("urn:p"), Literal("1", "urn:int"), Term{}},
	}
	want := `_:b0 <urn:p> "x" _:g .
<urn:s> <urn:p> "x"@en <urn:g> .
<urn:s> <urn:p> "1"^^<urn:int> .
`
	got, err := FormatNQuads(ds)
	if err != nil || string(got) != want {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}
