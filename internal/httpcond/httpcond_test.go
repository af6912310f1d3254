package httpcond_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/internal/httpcond"
)

func TestNoneMatch(t *testing.T) {
	const etag = `"abc"`
	tests := []struct {
		header string
		want   bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true}, // weak comparison
		{`"x", "abc"`, true},
		{` "x" ,W/"abc" `, true},
		{`*`, true},
		{``, false},
		{`"abcd"`, false},
		{`abc`, false}, // not a quoted entity tag
		{`"x", "y"`, false},
	}
	for _, tt := range tests {
		if got := httpcond.NoneMatch(tt.header, etag); got != tt.want {
			t.Errorf("NoneMatch(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
