package kakunin

// The golden DID documents and resolution results (testdata/golden) are written by
// the tests that check them; `make golden` runs this.
//go:generate go test -run ^(TestGolden|TestSpecDocument) -update .
