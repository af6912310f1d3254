// Package resolverhttp is the HTTP(S) binding of W3C DID Resolution (CR July 2026,
// § 12.1) and the Universal Resolver driver API, as an echo route set (a
// server.Mounter):
//
//	GET  /1.0/identifiers/{did-or-did-url}  resolve a DID or dereference a DID URL
//	HEAD /1.0/identifiers/{did-or-did-url}  the same answer without content
//	POST /1.0/identifiers/{did-or-did-url}  the same, options as a JSON body (§ 12.1)
//	GET  /1.0/methods                       the supported DID methods
//	GET  /1.0/testIdentifiers               example DIDs per method
//	GET  /1.0/properties                    configured resolver properties
//
// Call New with the resolver (a *resolver.Registry) and a Config, and pass the
// Handler to server.New.
//
// The identifier is taken raw ("did:example:123?service=files") or URL-encoded
// ("did%3Aexample%3A123?noCache=true"). Raw, the request query belongs to the DID URL;
// encoded, it carries the resolution options, as form parameters or as one
// URL-encoded JSON object, exactly as the Universal Resolver's HttpDriver sends them.
// POST takes the identifier as GET does and the options other than accept as one
// JSON object in the body (at most Config.MaxOptionsBytes; 413 beyond, 415 for a
// body that is not JSON). The Accept header picks the full result
// (application/did-resolution,
// application/did-url-dereferencing, or their legacy application/ld+json profiles)
// or a document representation. Over a *resolver.Registry with a cache, a cached
// resolution is answered with the body and ETag rendered by the first request for
// the same representation (resolver.Registry.ResolveRendered); only Cache-Control
// is computed per request. Every error answers with a full result whose
// error is an RFC 9457 problem, with the status of the binding's table.
package resolverhttp
