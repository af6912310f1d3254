package audit

// Event types of API token management (package auth). A token is not a DID, so
// these entries carry no Subject: the token id is inside the digested record.
const (
	TokenCreated EventType = "token.created"
	TokenRevoked EventType = "token.revoked"
)
