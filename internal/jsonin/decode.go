package jsonin

import (
	"bytes"
	"encoding/json"
	"encoding/json/jsontext"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// walker reads one JSON value token by token, enforcing the rules that jsontext does not
// (depth, noncharacters, trailing data) and translating its errors into *Error.
type walker struct {
	dec   *jsontext.Decoder
	data  []byte
	opts  Options
	build bool
}

// walk validates data and, when build is set, returns its decoded value.
func walk(data []byte, opts Options, build bool) (any, error) {
	if limit := opts.maxBytes(); int64(len(data)) > limit {
		return nil, tooLarge(limit)
	}
	if !utf8.Valid(data) {
		return nil, &Error{Err: ErrInvalidUTF8, Offset: invalidUTF8Offset(data), Detail: "invalid UTF-8 sequence"}
	}
	if v, ok := fastDecode(data, opts); ok {
		if !build {
			return nil, nil
		}
		return v, nil
	}
	return walkTokens(data, opts, build)
}

// walkTokens is walk's slow path, which decides every input fastDecode leaves to it.
func walkTokens(data []byte, opts Options, build bool) (any, error) {
	// jsontext rejects duplicate names and invalid UTF-8 (including unpaired surrogate escapes)
	// by default; those defaults are what RFC 7493 §2.1 and §2.3 require.
	w := walker{dec: jsontext.NewDecoder(bytes.NewReader(data)), data: data, opts: opts, build: build}
	v, err := w.value()
	if err != nil {
		return nil, err
	}
	return v, w.end()
}

func (w *walker) value() (any, error) {
	switch kind := w.dec.PeekKind(); kind {
	case '{', '[':
		return w.composite(kind)
	case 0:
		_, err := w.dec.ReadToken() // surfaces the syntax error or EOF that stopped PeekKind
		return nil, w.convert(err)
	default:
		return w.scalar(kind)
	}
}

func (w *walker) composite(kind jsontext.Kind) (any, error) {
	start := w.dec.InputOffset()
	if _, err := w.dec.ReadToken(); err != nil {
		return nil, w.convert(err)
	}
	if w.dec.StackDepth() > w.opts.maxDepth() {
		return nil, &Error{Err: ErrTooDeep, Offset: start, Pointer: string(w.dec.StackPointer()),
			Detail: fmt.Sprintf("more than %d nested objects or arrays", w.opts.maxDepth())}
	}
	if kind == '{' {
		return w.object()
	}
	return w.array()
}

func (w *walker) object() (any, error) {
	var m map[string]any
	if w.build {
		m = map[string]any{}
	}
	for w.dec.PeekKind() != '}' {
		name, err := w.scalar(w.dec.PeekKind())
		if err != nil {
			return nil, err
		}
		v, err := w.value()
		if err != nil {
			return nil, err
		}
		if w.build {
			m[name.(string)] = v
		}
	}
	if _, err := w.dec.ReadToken(); err != nil {
		return nil, w.convert(err)
	}
	if w.build {
		return m, nil
	}
	return nil, nil
}

func (w *walker) array() (any, error) {
	var a []any
	if w.build {
		a = []any{}
	}
	for w.dec.PeekKind() != ']' {
		v, err := w.value()
		if err != nil {
			return nil, err
		}
		if w.build {
			a = append(a, v)
		}
	}
	if _, err := w.dec.ReadToken(); err != nil {
		return nil, w.convert(err)
	}
	if w.build {
		return a, nil
	}
	return nil, nil
}

func (w *walker) scalar(kind jsontext.Kind) (any, error) {
	raw, err := w.dec.ReadValue()
	if err != nil {
		return nil, w.convert(err)
	}
	switch kind {
	case '"':
		return w.str(raw)
	case '0':
		return json.Number(raw), nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	default:
		return nil, nil
	}
}

func (w *walker) str(raw jsontext.Value) (any, error) {
	s, err := jsontext.AppendUnquote(nil, raw)
	if err != nil { // unreachable after ReadValue validated the string, kept for safety
		return nil, &Error{Err: ErrSyntax, Offset: w.dec.InputOffset() - int64(len(raw)), Detail: err.Error()}
	}
	if !w.opts.AllowNoncharacters {
		if r, ok := firstNoncharacter(s); ok {
			return nil, &Error{Err: ErrInvalidUTF8, Offset: w.dec.InputOffset() - int64(len(raw)),
				Pointer: string(w.dec.StackPointer()), Detail: fmt.Sprintf("noncharacter U+%04X in string", r)}
		}
	}
	return string(s), nil
}

// end requires that nothing but whitespace follows the value.
func (w *walker) end() error {
	off := w.dec.InputOffset()
	_, err := w.dec.ReadToken()
	switch {
	case err == io.EOF:
		return nil
	case err == nil:
		return &Error{Err: ErrSyntax, Offset: off, Detail: "data after the top-level value"}
	default:
		return w.convert(err)
	}
}

// convert maps a jsontext error to *Error, keeping its offset and pointer.
func (w *walker) convert(err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Err: ErrSyntax, Offset: int64(len(w.data)), Detail: "unexpected end of input"}
	}
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		return &Error{Err: ErrSyntax, Offset: w.dec.InputOffset(), Detail: err.Error()}
	}
	e := &Error{Err: ErrSyntax, Offset: se.ByteOffset, Pointer: string(se.JSONPointer), Detail: se.Err.Error()}
	switch {
	case errors.Is(err, jsontext.ErrDuplicateName):
		e.Err, e.Detail = ErrDuplicateKey, ""
	case loneSurrogateAt(w.data, se.ByteOffset):
		e.Err, e.Detail = ErrInvalidUTF8, "escaped surrogate without its pair"
	}
	return e
}
