package jcs

// kind tells which JSON value a node holds.
type kind uint8

const (
	kindNull kind = iota
	kindTrue
	kindFalse
	kindNumber
	kindString
	kindArray
	kindObject
)

// node is one parsed JSON value. Strings hold decoded (unescaped) UTF-8, which
// aliases the input when it had no escapes, and numbers their IEEE-754 double
// value, which is all RFC 8785 serializes.
type node struct {
	kind    kind
	str     []byte
	num     float64
	elems   []node
	members []member
}

// member is one name/value pair of an object; offset locates the name in the
// input so a duplicate can be reported where it occurs.
type member struct {
	name   []byte
	offset int
	value  node
}
