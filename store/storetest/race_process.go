package storetest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// raceEnv carries the DSN to the re-executed test binaries that race.
const raceEnv = "KAKUNIN_STORETEST_RACE_DSN"

// raceSubject is the agent every credential of the process race is issued to.
const raceSubject = "did:kakunin:race"

// Shape of each racing process: raceWorkers goroutines, each doing raceRounds
// rounds of one reservation and one allocation, on lists of capacity
// raceCapacity, so that both processes roll lists over many times.
const (
	raceWorkers  = 4
	raceRounds   = 12
	raceBlock    = 6
	raceCapacity = 40
)

// RaceProcesses runs the calling test again as two OS processes on one
// database, released at once, as two replicas (or two processes on one SQLite
// file) are. Each process's goroutines reserve blocks of raceBlock
// revocation indexes and record a credential for half of each block with
// HoldCredential (as the issuer does), and allocate a revocation and a
// suspension index in the transaction that records a credential with
// PutCredential; they print every index they got and every credential they
// recorded. After both exit, no index may have been given out twice, each
// list's Allocated must be the indexes given out from it, every list but the
// current one of each purpose must be full, and the stored credentials must be
// exactly those recorded, each with exactly its entries. newDSN returns a new,
// empty database; open returns a store on it, closed when the test ends.
func RaceProcesses(t *testing.T, newDSN func(t *testing.T) string, open func(t *testing.T, dsn string) store.DB) {
	if dsn := os.Getenv(raceEnv); dsn != "" {
		raceHelper(t, open(t, dsn))
		return
	}
	dsn := newDSN(t)
	db := open(t, dsn) // migrated before the helpers start
	var out raceOutput
	runRacers(t, dsn, &out)
	checkRace(t, db, &out)
}

// raceOutput is what the helpers printed: each index given out (with the
// process that got it) and each credential recorded, with its entries.
type raceOutput struct {
	mu      sync.Mutex
	entries map[store.StatusEntry]string
	creds   map[string][]store.StatusEntry
	dups    []string
}

func (o *raceOutput) line(proc, line string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.entries == nil {
		o.entries, o.creds = map[store.StatusEntry]string{}, map[string][]store.StatusEntry{}
	}
	kind, rest, _ := strings.Cut(line, " ")
	switch kind {
	case "entry":
		e, ok := parseEntry(rest)
		if other, dup := o.entries[e]; dup {
			o.dups = append(o.dups, fmt.Sprintf("index %d of list %s given to %s and %s", e.Index, e.ListID, other, proc))
		}
		o.entries[e] = proc
		return ok
	case "cred":
		id, list, _ := strings.Cut(rest, " ")
		var es []store.StatusEntry
		for _, f := range strings.Split(list, ",") {
			e, _ := parseEntry(strings.Replace(f, ":", " ", 1))
			es = append(es, e)
		}
		o.creds[id] = es
		return true
	}
	return false
}

// parseEntry reads "<list id> <index>".
func parseEntry(s string) (store.StatusEntry, bool) {
	list, idx, ok := strings.Cut(s, " ")
	i, err := strconv.Atoi(idx)
	return store.StatusEntry{ListID: list, Index: i}, ok && err == nil
}

// runRacers starts the two helpers, releases them together once both are
// ready, and waits for both to succeed.
func runRacers(t *testing.T, dsn string, out *raceOutput) {
	var ready, done sync.WaitGroup
	gos := make([]io.WriteCloser, 2)
	errs := make([]error, 2)
	for p := range gos {
		cmd := helperCommand(t, raceEnv, dsn)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if gos[p], err = cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready.Add(1)
		done.Go(func() {
			var other []string
			isReady := false
			lines := bufio.NewScanner(stdout)
			for lines.Scan() {
				switch l := lines.Text(); {
				case l == "ready" && !isReady:
					isReady = true
					ready.Done()
				case !out.line(fmt.Sprintf("process %d", cmd.Process.Pid), l):
					other = append(other, l)
				}
			}
			if !isReady {
				ready.Done() // it ended before racing: Wait reports why
			}
			if errs[p] = cmd.Wait(); errs[p] != nil {
				errs[p] = fmt.Errorf("helper %d: %w; it printed:\n%s", p, errs[p], strings.Join(other, "\n"))
			}
		})
	}
	ready.Wait()
	for _, w := range gos {
		fmt.Fprintln(w, "go")
		w.Close()
	}
	done.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// raceHelper is one racing process: it prints "ready", waits for a line on its
// standard input, then races.
func raceHelper(t *testing.T, db store.DB) {
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Printf(format+"\n", args...)
	}
	var wg sync.WaitGroup
	for g := range raceWorkers {
		wg.Go(func() {
			for n := range raceRounds {
				id := fmt.Sprintf("p%d-g%d-%d", os.Getpid(), g, n)
				if err := raceRound(db, id, say); err != nil {
					t.Errorf("%s: %v", id, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// raceRound reserves a block and records credentials for half of it, then
// allocates and records in one transaction, printing what it got.
func raceRound(db store.DB, id string, say func(string, ...any)) error {
	block, err := reserve(db, spec(status.Revocation, raceCapacity), raceBlock)
	if err != nil {
		return err
	}
	for _, e := range block {
		say("entry %s %d", e.ListID, e.Index)
	}
	for i, e := range block[:raceBlock/2] {
		c := credential(fmt.Sprintf("%s-h%d", id, i), raceSubject, e)
		if err := hold(db, c); err != nil {
			return err
		}
		say("cred %s %s:%d", c.ID, e.ListID, e.Index)
	}
	c, err := issue(db, id+"-a", raceSubject, nil, spec(status.Revocation, raceCapacity),
		spec(status.Suspension, raceCapacity))
	if err != nil {
		return err
	}
	var es []string
	for _, e := range c.Status {
		say("entry %s %d", e.ListID, e.Index)
		es = append(es, fmt.Sprintf("%s:%d", e.ListID, e.Index))
	}
	say("cred %s %s", c.ID, strings.Join(es, ","))
	return nil
}

// checkRace checks the database against what the helpers printed.
func checkRace(t *testing.T, db store.DB, out *raceOutput) {
	for _, d := range out.dups {
		t.Error(d)
	}
	want := 2 * raceWorkers * raceRounds
	if len(out.entries) != want*(raceBlock+2) || len(out.creds) != want*(raceBlock/2+1) {
		t.Fatalf("the helpers printed %d indexes and %d credentials, want %d and %d", len(out.entries),
			len(out.creds), want*(raceBlock+2), want*(raceBlock/2+1))
	}
	perList := map[string]int{}
	procs := map[string]map[string]bool{}
	for e, proc := range out.entries {
		perList[e.ListID]++
		if procs[e.ListID] == nil {
			procs[e.ListID] = map[string]bool{}
		}
		procs[e.ListID][proc] = true
	}
	shared := 0
	for _, p := range procs {
		if len(p) == 2 {
			shared++
		}
	}
	if shared == 0 {
		t.Error("no list has indexes of both processes: they did not race")
	}
	t.Logf("%d indexes from two processes in %d lists, %d of them shared", len(out.entries), len(perList), shared)
	checkRaceLists(t, db, perList)
	stored, err := credReader(t, db).CredentialsBySubject(ctx, raceSubject)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(out.creds) {
		t.Errorf("%d credentials stored, %d recorded", len(stored), len(out.creds))
	}
	for _, c := range stored {
		if !sameEntries(c.Status, out.creds[c.ID]) {
			t.Errorf("credential %s stored with %+v, recorded with %+v", c.ID, c.Status, out.creds[c.ID])
		}
	}
}

// checkRaceLists checks each list's Allocated against the indexes given out
// from it, and that every list but the last of each purpose is full.
func checkRaceLists(t *testing.T, db store.DB, perList map[string]int) {
	lists, err := statusReader(t, db).StatusLists(ctx, "i1")
	if err != nil {
		t.Fatal(err)
	}
	last := map[status.Purpose]int64{}
	for _, l := range lists {
		last[l.Purpose] = max(last[l.Purpose], l.Seq)
	}
	for _, l := range lists {
		if l.Allocated != perList[l.ID] {
			t.Errorf("list %s (%s, seq %d): %d allocated, %d given out", l.ID, l.Purpose, l.Seq, l.Allocated, perList[l.ID])
		}
		if l.Seq != last[l.Purpose] && l.Allocated != l.Capacity {
			t.Errorf("list %s (%s, seq %d) is not current but has %d of %d allocated", l.ID, l.Purpose, l.Seq,
				l.Allocated, l.Capacity)
		}
		delete(perList, l.ID)
	}
	for id := range perList {
		t.Errorf("indexes were given out from list %s, which is not stored", id)
	}
}

// sameEntries compares entries by list and index, in any order.
func sameEntries(got, want []store.StatusEntry) bool {
	key := func(es []store.StatusEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, fmt.Sprintf("%s:%d", e.ListID, e.Index))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(got), key(want))
}
