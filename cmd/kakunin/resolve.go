package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

const resolveUsage = `[--server URL] [--accept MEDIA-TYPE] DID-or-DID-URL

Resolves a DID (or dereferences a DID URL) through a kakunin service's
/1.0/identifiers endpoint and prints the answer.`

func runResolve(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "resolve", resolveUsage)
	server := fs.String("server", envOr(env, "KAKUNIN_SERVER", "http://127.0.0.1:8080"), "kakunin service URL (env KAKUNIN_SERVER)")
	accept := fs.String("accept", "application/did-resolution", "media type asked for (e.g. application/did, application/did-url-dereferencing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"resolve needs exactly one DID"}
	}
	// The identifier is URL-encoded whole, as the Universal Resolver sends it, so
	// that a DID URL's query and fragment reach the resolver.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *server+"/1.0/identifiers/"+url.QueryEscape(fs.Arg(0)), nil)
	if err != nil {
		return usageError{err.Error()}
	}
	req.Header.Set("Accept", *accept)
	data, err := do(req)
	if data != nil {
		fmt.Fprintln(env.stdout, string(data))
	}
	return err
}
