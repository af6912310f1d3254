package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

const linkUsage = `link --server URL --from DID --to DID [--token T] [--json]

Links a did:kakunin to its successor (a new model or prompt, or a new owner key):
the CA records a link signed by the owner key (by both owner keys when they
differ; the CA must hold both). Resolution then reports "successor" in the
metadata of the old DID and "predecessor" in that of the new one, which lists the
old DID in alsoKnownAs while both have valid certificates. A DID has at most one
successor and one predecessor; a link cannot be undone.`

// linkBody is the JSON body of POST /ca/dids/{did}/link.
type linkBody struct {
	Successor string `json:"successor"`
}

// linked is the outcome of link, as the CA answers it and as --json prints it.
type linked struct {
	Predecessor        string `json:"predecessor"`
	Successor          string `json:"successor"`
	PredecessorVersion int64  `json:"predecessorVersionId"`
	SuccessorVersion   int64  `json:"successorVersionId"`
}

func runAgentLink(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "agent", linkUsage)
	conn := connFlags(fs, env)
	from := fs.String("from", "", "the did:kakunin that is succeeded")
	to := fs.String("to", "", "the did:kakunin that succeeds it")
	if err := conn.parse(fs, env, args); err != nil {
		return err
	}
	if !strings.HasPrefix(*from, "did:kakunin:") || !strings.HasPrefix(*to, "did:kakunin:") {
		return usageError{"agent link needs --from did:kakunin:… and --to did:kakunin:…"}
	}
	body, _ := json.Marshal(linkBody{Successor: *to})
	var out linked
	if err := postJSON(ctx, conn.server, "/ca/dids/"+url.PathEscape(*from)+"/link", conn.token, body, &out); err != nil {
		return err
	}
	return conn.print(env, out, fmt.Sprintf("linked %s (version %d)\n  → %s (version %d)\n",
		out.Predecessor, out.PredecessorVersion, out.Successor, out.SuccessorVersion))
}
