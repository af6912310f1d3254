// Package cahttp serves the agent CA (package ca) over HTTP with echo: thin
// handlers that authorise, decode a bounded strict-JSON body, call one CA method and
// map its error to RFC 9457 problem details. Make one with [New] and mount it on
// the server (it is a server.Mounter); write endpoints ask an injected [Authorizer]
// ([StaticTokens] for tests and small deployments). The routes are listed in the
// documentation of package ca.
//
// With Options.Idempotency set, write requests honour an Idempotency-Key header
// (package server/idempotency): a retry of the same request by the same tenant
// within 24 hours gets the first response again, and the key reused for another
// request is a 422. The CA commits its write in its own transaction and the
// response is recorded just after it, so a crash in between, or two concurrent
// first attempts, may still perform the write twice.
package cahttp
