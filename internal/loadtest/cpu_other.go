//go:build !unix

package loadtest

import "time"

// CPUTime is the user and system CPU time this process has used; 0 where the
// system does not say.
func CPUTime() time.Duration { return 0 }
