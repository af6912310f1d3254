package store

import "fmt"

// CheckSubjectDIDs checks the argument of CredentialReader.SubjectGenerations.
func CheckSubjectDIDs(dids []string) error {
	if len(dids) > MaxCredentialSubjects+1 {
		return &FieldError{"subject DIDs", "too many"}
	}
	var err error
	for _, d := range dids {
		err = first(err, checkText("subject DID", d, MaxDIDLen, true))
	}
	return err
}

// CheckGenerations returns ErrSubjectChanged when the generation c recorded
// for one of its subjects (0 when it recorded none) is not the current one in
// gens (0 when absent): the subject's state changed after the issuer checked
// it. Backends call it with the fences of c's subjects locked.
func CheckGenerations(c Credential, gens map[string]int64) error {
	for _, did := range c.AllSubjects() {
		if seen, now := c.Generations[did], gens[did]; seen != now {
			return fmt.Errorf("%w: the fence of %s is at generation %d, credential %s was checked at %d",
				ErrSubjectChanged, did, now, c.ID, seen)
		}
	}
	return nil
}
