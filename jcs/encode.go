package jcs

// sortObjects sorts the members of every object in the tree and rejects
// duplicate names (RFC 7493 section 2.3: "Objects in I-JSON messages MUST NOT
// have members with duplicate names").
func sortObjects(n *node) error {
	for i := range n.elems {
		if err := sortObjects(&n.elems[i]); err != nil {
			return err
		}
	}
	for i := range n.members {
		if err := sortObjects(&n.members[i].value); err != nil {
			return err
		}
	}
	if at := sortMembers(n.members); at >= 0 {
		return &SyntaxError{Offset: at, Err: ErrDuplicateKey}
	}
	return nil
}

// appendValue writes n in canonical form: no whitespace (RFC 8785 section
// 3.2.1), literals as is, numbers and strings per sections 3.2.2.3 and
// 3.2.2.2, object members in their sorted order.
func appendValue(dst []byte, n *node) []byte {
	switch n.kind {
	case kindNull:
		return append(dst, "null"...)
	case kindTrue:
		return append(dst, "true"...)
	case kindFalse:
		return append(dst, "false"...)
	case kindNumber:
		return appendNumber(dst, n.num)
	case kindString:
		return appendString(dst, n.str)
	case kindArray:
		dst = append(dst, '[')
		for i := range n.elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendValue(dst, &n.elems[i])
		}
		return append(dst, ']')
	default:
		dst = append(dst, '{')
		for i := range n.members {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, n.members[i].name)
			dst = append(dst, ':')
			dst = appendValue(dst, &n.members[i].value)
		}
		return append(dst, '}')
	}
}
