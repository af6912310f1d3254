package did

import "testing"

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("did:web:example.com%3A8443:agents:alice"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseURL(b *testing.B) {
	for b.Loop() {
		if _, err := ParseURL("did:example:123?service=files&relativeRef=%2Fresume.pdf&versionTime=2021-05-10T17:00:00Z#intro"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDocument(b *testing.B) {
	data := []byte(exampleDoc)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseDocument(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshal(b *testing.B) {
	d, err := ParseDocument([]byte(exampleDoc))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := d.Marshal(MediaTypeDIDLDJSON); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthorized(b *testing.B) {
	d, err := ParseDocument([]byte(exampleDoc))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := d.Authorized("did:example:123#key-2", AssertionMethod); err != nil {
			b.Fatal(err)
		}
	}
}
