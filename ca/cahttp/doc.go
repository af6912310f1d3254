// Package cahttp serves the agent CA (package ca) over HTTP with echo: thin
// handlers that authorise, decode a bounded strict-JSON body, call one CA method and
// map its error to RFC 9457 problem details. Make one with [New] and mount it on
// the server (it is a server.Mounter); write endpoints ask an injected [Authorizer]
// ([StaticTokens] for tests and small deployments). The routes are listed in the
// documentation of package ca.
package cahttp
