package kakunin

// The test corpus (testdata/corpus, testdata/example) is written by a committed,
// deterministic generator; `make golden` runs it.
//go:generate go run ./internal/gencorpus -out testdata
