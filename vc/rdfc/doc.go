// Package rdfc implements RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation,
// https://www.w3.org/TR/rdf-canon/), with the canonical N-Quads form it requires.
//
// Most callers need one of two functions:
//
//   - [Canonicalize] takes a [Dataset] (for example from [FromJSONGold], the output of
//     json-gold's toRDF) and returns the canonical N-Quads document and the issued
//     identifiers map.
//   - [CanonicalizeNQuads] does the same for an N-Quads document.
//
// [ParseNQuads] and [FormatNQuads] read and write N-Quads on their own.
//
// The zero [Options] is safe: SHA-256, and a work bound that stops "poison" datasets
// (RDFC-1.0 § Dataset Poisoning) with [ErrTooComplex] in a few milliseconds. Inputs from
// outside are bounded by [ParseOptions].
package rdfc
