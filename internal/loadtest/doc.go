// Package loadtest drives HTTP load at servers on the loopback interface and
// reports throughput and latency, for the load scenarios of this repository.
//
// [ClosedLoop] finds the highest rate a server sustains: N workers each send
// their next request when the previous one is answered. [OpenLoop] offers fixed
// rates in consecutive phases whatever the server does, and times each request
// from the moment it was due, so a server that queues cannot hide it (no
// coordinated omission). [Get] makes the request function of both, refusing any
// address but 127.0.0.1; [Summarize] turns samples into counts and percentiles.
// Every run is bounded in requests, in outstanding requests and in time.
//
// The scenarios are tests that run only with the -load flag:
//
//	go test -run TestLoad -v ./internal/loadtest/ -load
package loadtest
