package store

import "context"

// StatusVersionReader reads the version of a status list alone: one indexed read, much
// cheaper than StatusList, with which a publisher that keeps a signed copy of a list checks
// that the copy is current. The Reader of both backends implements it.
type StatusVersionReader interface {
	// StatusListVersion returns the Version of the list with this id, raised by every
	// status change of its entries. ErrNotFound when the list does not exist.
	StatusListVersion(ctx context.Context, id string) (int64, error)
}
