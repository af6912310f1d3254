package did

import "fmt"

// ExpandRelativeURLs rewrites every relative DID URL in d (verification method and
// service ids, and references in verification relationships) as an absolute DID URL,
// as the expandRelativeUrls resolution option asks. Errors wrap ErrInvalidDocument.
func (d *Document) ExpandRelativeURLs() error {
	abs := d.absoluter()
	expand := func(path string, ref *string) error {
		a := abs(*ref)
		if a == "" {
			return docErr(path, "%q does not resolve against %s", truncate(*ref), truncate(d.ID))
		}
		*ref = a
		return nil
	}
	for i := range d.VerificationMethod {
		if err := expand(fmt.Sprintf("verificationMethod[%d].id", i), &d.VerificationMethod[i].ID); err != nil {
			return err
		}
	}
	for _, rel := range relationships {
		entries := *d.relationship(rel)
		for i := range entries {
			ref := &entries[i].Ref
			if entries[i].Embedded != nil {
				ref = &entries[i].Embedded.ID
			}
			if err := expand(fmt.Sprintf("%s[%d]", rel, i), ref); err != nil {
				return err
			}
		}
	}
	for i := range d.Service {
		// Service ids may be URIs of any scheme; only relative DID URLs change.
		if checkURI(d.Service[i].ID) == nil {
			continue
		}
		if err := expand(fmt.Sprintf("service[%d].id", i), &d.Service[i].ID); err != nil {
			return err
		}
	}
	return nil
}
