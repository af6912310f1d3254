// Package resolver is kakunin's method-agnostic DID resolver and DID URL dereferencer
// (W3C DID Resolution, CR July 2026, §§ 4 and 5).
//
// Build a Registry with New, add one did.Resolver per DID method with Register, then
// call Registry.Resolve for DIDs and Registry.Dereference for DID URLs. A Cache
// (NewCache) bounds and ages results by the nextUpdate of their document metadata;
// Registry.Invalidate drops a DID from it when its state changes (a revocation).
// Front ends that serialise results (resolverhttp) call Registry.ResolveRendered,
// which keeps each serialisation (a Rendering) with the cached result, so that a
// cached answer is bytes looked up, not a result encoded again.
//
// Dereferencing runs small steps (Step): the resource (the document, a service
// selection, or a path the method serves through PathDereferencer) and then the
// fragment. Registry.Resolve implements did.Resolver itself, so a Registry can be
// handed to anything that resolves DIDs (the resolverhttp binding, a verifier).
package resolver
