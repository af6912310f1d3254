package scope

// Bounds on list lengths, shared with spec/schemas/scope-credential.json.
const (
	maxGrants  = 64
	maxList    = 64 // actions, audiences, resources, instruments, venues
	maxWindows = 16
	maxText    = 256 // names, instruments, venues
)
