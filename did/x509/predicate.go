package x509

import (
	"net/url"
	"slices"
)

// checkPredicates evaluates every predicate of id against the leaf's model.
func checkPredicates(id ID, leaf certModel) error {
	for _, p := range id.Predicates {
		if err := checkPredicate(p, leaf); err != nil {
			return err
		}
	}
	return nil
}

func checkPredicate(p Predicate, leaf certModel) error {
	switch p.Name {
	case PredicateSubject:
		fields, err := subjectFields(p.Value)
		if err != nil {
			return err
		}
		for k, v := range fields {
			if got, ok := leaf.subject[k]; !ok || got != v {
				return optErr(ErrPredicateMismatch, "subject %s", k)
			}
		}
	case PredicateSAN:
		typ, value, err := sanValue(p.Value)
		if err != nil {
			return err
		}
		if !slices.Contains(leaf.san, sanEntry{typ, value}) {
			return optErr(ErrPredicateMismatch, "san %s", typ)
		}
	case PredicateEKU:
		if !leaf.hasEKU {
			return optErr(ErrMissingExtension, "extendedKeyUsage")
		}
		if !slices.Contains(leaf.eku, p.Value) {
			return optErr(ErrPredicateMismatch, "eku %s", truncate(p.Value))
		}
	case PredicateFulcioIssuer:
		if !leaf.hasFulcio {
			return optErr(ErrMissingExtension, "Fulcio issuer")
		}
		v, err := url.PathUnescape(p.Value)
		if err != nil || "https://"+v != leaf.fulcioIssuer {
			return optErr(ErrPredicateMismatch, "fulcio-issuer")
		}
	default:
		return invalid(ErrUnknownPredicate, "%q", truncate(p.Name))
	}
	return nil
}
