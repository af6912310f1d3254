// Package jcs implements the JSON Canonicalization Scheme of RFC 8785.
//
// Call [Transform] to canonicalize a JSON text received from outside (it parses
// strictly: I-JSON, no duplicate names, bounded size and depth), or [Marshal] to
// canonicalize a Go value. [Options.Transform] applies non-default bounds.
//
// The output sorts object members by the UTF-16 code units of their names,
// serializes numbers as ECMAScript's Number.prototype.toString does, escapes
// strings as ECMAScript's JSON.stringify does, and has no whitespace, so two
// parties that hold the same JSON data produce the same bytes to hash or sign.
package jcs
