package accept

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	got := Parse("Application/DID;q=0.5, */* ;q=0, text/html;level=1, application/json;q=2")
	want := []Range{{"application/did", 0.5}, {"*/*", 0}, {"text/html", 1}, {"application/json", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Parse = %+v, want %+v", got, want)
	}
}
