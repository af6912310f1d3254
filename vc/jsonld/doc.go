// Package jsonld processes JSON-LD for the credential stack offline, with the
// standard contexts embedded and the strictness that Data Integrity requires.
//
// Build one [Processor] with [NewProcessor] (optionally with a [Loader] that
// also serves the application's own contexts, from [NewLoader]) and share it:
// [Processor.ToRDF] turns a credential into the RDF dataset that RDF Dataset
// Canonicalization takes, and [Processor.Expand] returns its expanded form.
// Both fail with [ErrUnknownContext] for a context that is not embedded or
// registered (nothing is fetched from the network) and with [ErrDataLoss] when
// JSON-LD processing would silently drop data, such as an undefined term.
package jsonld
