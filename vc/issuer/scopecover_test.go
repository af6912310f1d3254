package issuer

import (
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/scope"
)

func mustPattern(t testing.TB, s string) scope.ActionPattern {
	t.Helper()
	p, err := scope.ParseActionPattern(s)
	if err != nil {
		t.Fatalf("ParseActionPattern(%q): %v", s, err)
	}
	return p
}

func TestCoversHTTP(t *testing.T) {
	const api = "https://api.example.com"
	tests := []struct {
		a, p string
		want bool
	}{
		// The operator's case: "/**" covers any deeper pattern.
		{"http:* " + api + "/**", "http:GET " + api + "/v1/orders/*", true},
		{"http:* " + api + "/**", "http:GET " + api + "/v1/orders/*/items/**", true},
		{"http:* " + api + "/**", "http:* " + api + "/**", true},
		{"http:* " + api + "/**", "http:GET " + api + "/*/", true},
		{"http:* " + api + "/**", "http:GET " + api + "/v1", true},
		{"http:* " + api + "/**", "http:GET " + api + "/", false},         // "/**" needs a segment
		{"http:* " + api + "/**", "http:GET " + api, false},               // the empty path is "/"
		{"http:GET " + api + "/v1/**", "http:GET " + api + "/v1/", false}, // empty remainder
		{"http:GET " + api + "/v1/**", "http:GET " + api + "/v1", false},
		{"http:GET " + api + "/v1/**", "http:GET " + api + "/**", false},
		{"http:GET " + api + "/v1/**", "http:GET " + api + "/v2/**", false},
		{"http:GET " + api + "/v1/**", "http:GET " + api + "/*/**", false},
		{"http:GET " + api + "/*/**", "http:GET " + api + "/v1/**", true},
		// "*" covers a literal segment or "*", not "**" nor an empty last item.
		{"http:GET " + api + "/v1/*", "http:GET " + api + "/v1/orders", true},
		{"http:GET " + api + "/v1/*", "http:GET " + api + "/v1/*", true},
		{"http:GET " + api + "/v1/*", "http:GET " + api + "/v1/**", false},
		{"http:GET " + api + "/v1/*", "http:GET " + api + "/v1/", false},
		{"http:GET " + api + "/v1/*", "http:GET " + api + "/v1/*/", false},
		{"http:GET " + api + "/v1/*/", "http:GET " + api + "/v1/a/", true},
		{"http:GET " + api + "/v1/orders", "http:GET " + api + "/v1/*", false},
		{"http:GET " + api + "/v1/orders", "http:GET " + api + "/v1/orders/", false},
		{"http:GET " + api + "/", "http:GET " + api, true},
		// Methods.
		{"http:GET " + api + "/**", "http:POST " + api + "/v1/*", false},
		{"http:GET " + api + "/**", "http:* " + api + "/v1/*", false},
		{"http:* " + api + "/**", "http:DELETE " + api + "/v1/*", true},
		// Schemes and ports: exact, a default port equals none.
		{"http:* " + api + "/**", "http:GET http://api.example.com/v1/*", false},
		{"http:* " + api + "/**", "http:GET https://api.example.com:443/v1/*", true},
		{"http:* https://api.example.com:443/**", "http:GET " + api + "/v1/*", true},
		{"http:* " + api + "/**", "http:GET https://api.example.com:8443/v1/*", false},
		{"http:* http://api.example.com:80/**", "http:GET http://api.example.com/v1/*", true},
		{"http:* http://api.example.com:443/**", "http:GET http://api.example.com/v1/*", false},
		// Hosts: "*." is one leftmost label; a wildcard host is covered only by itself.
		{"http:* https://*.example.com/**", "http:GET " + api + "/v1/*", true},
		{"http:* https://*.example.com/**", "http:GET https://*.example.com/v1/*", true},
		{"http:* https://*.example.com/**", "http:GET https://example.com/v1/*", false},
		{"http:* https://*.example.com/**", "http:GET https://eu.api.example.com/v1/*", false},
		{"http:* https://*.example.com/**", "http:GET https://*.api.example.com/v1/*", false},
		{"http:* " + api + "/**", "http:GET https://*.example.com/v1/*", false},
		{"http:* " + api + "/**", "http:GET https://api.example.org/v1/*", false},
		// Concrete requested patterns are decided by the matcher itself.
		{"http:* " + api + "/v1/*", "http:PUT " + api + "/v1/orders", true},
		{"http:* " + api + "/v1/*", "http:PUT " + api + "/v1/orders/7", false},
		// Families never cover each other.
		{"http:* " + api + "/**", "mcp:github/list_issues", false},
		{"payments:*", "http:GET " + api + "/payments", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" ⊇ "+tt.p, func(t *testing.T) {
			if got := covers(mustPattern(t, tt.a), mustPattern(t, tt.p)); got != tt.want {
				t.Errorf("covers(%q, %q) = %v, want %v", tt.a, tt.p, got, tt.want)
			}
		})
	}
}

// TestGrantsHTTP checks the instance-level answer for the operator's allowed scope.
func TestGrantsHTTP(t *testing.T) {
	in := &Instance{allowed: []scope.ActionPattern{
		mustPattern(t, "mcp:github/*"),
		mustPattern(t, "http:* https://api.example.com/**"),
	}}
	if !in.grants(mustPattern(t, "http:GET https://api.example.com/v1/orders/*")) {
		t.Error("http:* https://api.example.com/** does not grant http:GET https://api.example.com/v1/orders/*")
	}
	if in.grants(mustPattern(t, "http:GET https://api.example.com/")) {
		t.Error("http:* https://api.example.com/** grants http:GET https://api.example.com/")
	}
}

// universeCheck compares covers with the coverage computed over a finite universe of
// concrete actions: p is covered when every concrete action it matches is matched by a. The
// universe holds a segment or label no pattern names, so that it stands for all others, and
// paths two segments longer than the longest pattern, so the comparison is exact: covers must
// be neither unsound nor refuse more than it has to.
func universeCheck(t *testing.T, patterns, concretes []string) {
	acts := make([]scope.ActionPattern, len(concretes))
	for i, c := range concretes {
		var err error
		if acts[i], err = scope.ParseAction(c); err != nil {
			t.Fatalf("ParseAction(%q): %v", c, err)
		}
	}
	parsed := make([]scope.ActionPattern, len(patterns))
	sets := make([][]uint64, len(patterns))
	for i, s := range patterns {
		parsed[i] = mustPattern(t, s)
		sets[i] = make([]uint64, (len(acts)+63)/64)
		for j, c := range acts {
			if parsed[i].Match(c) {
				sets[i][j/64] |= 1 << (j % 64)
			}
		}
		if ones(sets[i]) == 0 {
			t.Fatalf("%q matches nothing in the universe", s)
		}
	}
	covered := 0
	for i := range parsed {
		for j := range parsed {
			want := subset(sets[j], sets[i])
			if got := covers(parsed[i], parsed[j]); got != want {
				t.Errorf("covers(%q, %q) = %v, the universe says %v", patterns[i], patterns[j], got, want)
			}
			if want {
				covered++
			}
		}
	}
	t.Logf("%d patterns, %d concrete actions, %d of %d pairs covered", len(patterns), len(acts), covered, len(patterns)*len(patterns))
}

func ones(set []uint64) (n int) {
	for _, w := range set {
		n += bits.OnesCount64(w)
	}
	return n
}

func subset(p, a []uint64) bool {
	for i := range p {
		if p[i]&^a[i] != 0 {
			return false
		}
	}
	return true
}

// seqs returns the "/"-joined sequences of 1 to n items of alphabet.
func seqs(alphabet []string, n int) []string {
	out, last := []string{}, []string{""}
	for range n {
		var next []string
		for _, s := range last {
			for _, x := range alphabet {
				next = append(next, s+"/"+x)
			}
		}
		out, last = append(out, next...), next
	}
	return out
}

func TestCoversHTTPPathUniverse(t *testing.T) {
	const prefix = "http:GET https://x.example"
	patterns := []string{prefix, prefix + "/", prefix + "/**"}
	for _, s := range seqs([]string{"a", "b", "*"}, 3) {
		patterns = append(patterns, prefix+s, prefix+s+"/", prefix+s+"/**")
	}
	concretes := []string{prefix, prefix + "/"}
	for _, s := range seqs([]string{"a", "b", "c"}, 5) {
		concretes = append(concretes, prefix+s, prefix+s+"/")
	}
	universeCheck(t, patterns, concretes)
}

func TestCoversHTTPAuthorityUniverse(t *testing.T) {
	var patterns, concretes []string
	for _, m := range []string{"GET", "*"} {
		for _, s := range []string{"http", "https"} {
			for _, h := range []string{"x.com", "a.x.com", "b.a.x.com", "*.x.com", "*.a.x.com", "*.com", "y.com"} {
				for _, port := range []string{"", ":443", ":80", ":8443"} {
					for _, path := range []string{"/", "/**"} {
						patterns = append(patterns, "http:"+m+" "+s+"://"+h+port+path)
					}
				}
			}
		}
	}
	for _, m := range []string{"GET", "PUT"} {
		for _, s := range []string{"http", "https"} {
			for _, h := range []string{"com", "x.com", "X.COM", "a.x.com", "A.x.com", "c.x.com", "b.a.x.com", "c.a.x.com", "y.com", "a.y.com"} {
				for _, port := range []string{"", ":443", ":80", ":8443"} {
					for _, path := range []string{"/", "/a?q=1"} {
						concretes = append(concretes, "http:"+m+" "+s+"://"+h+port+path)
					}
				}
			}
		}
	}
	universeCheck(t, patterns, concretes)
}

// instance returns a concrete action that the HTTP pattern h matches, drawing path segments
// from segs and host labels from labels, and host case, explicit default ports and queries
// at random.
func instance(rng *rand.Rand, h httpPattern, segs, labels []string) string {
	pick := func(from []string) string { return from[rng.IntN(len(from))] }
	method, host := h.method, h.host
	if method == "*" {
		method = pick([]string{"GET", "POST", "DELETE"})
	}
	if h.anyLabel {
		host = pick(labels) + "." + host
	}
	if rng.IntN(4) == 0 {
		host = strings.ToUpper(host)
	}
	var b strings.Builder
	b.WriteString("http:" + method + " " + h.scheme + "://" + host)
	switch {
	case h.port != "":
		b.WriteString(":" + h.port)
	case rng.IntN(4) == 0:
		b.WriteString(":" + defaultPort(h.scheme))
	}
	for _, item := range h.items {
		if item == "*" {
			item = pick(segs)
		}
		b.WriteString("/" + item)
	}
	if h.tail {
		for range 1 + rng.IntN(3) {
			b.WriteString("/" + pick(segs))
		}
		if rng.IntN(3) == 0 {
			b.WriteString("/")
		}
	}
	if rng.IntN(4) == 0 {
		b.WriteString("?q=1")
	}
	return b.String()
}

// checkSound draws concrete actions that p matches and, when covers(a, p), checks that a
// matches each: covers must never be more generous than the matcher. It reports whether a
// covered p.
func checkSound(t *testing.T, rng *rand.Rand, as, ps string) bool {
	a, errA := scope.ParseActionPattern(as)
	p, errP := scope.ParseActionPattern(ps)
	if errA != nil || errP != nil || p.Kind() != scope.KindHTTP || !covers(a, p) {
		return false
	}
	h, ok := parseHTTPPattern(ps)
	if !ok {
		t.Fatalf("covers(%q, %q) holds but %q does not split", as, ps, ps)
	}
	// Wildcards are filled with fresh values and with the literals of both patterns, so
	// that a literal of a that p leaves open is drawn too.
	segs, labels := literals([]string{"q9", "a", "%41"}, h.items), []string{"q9", "a"}
	if ha, ok := parseHTTPPattern(as); ok {
		segs = literals(segs, ha.items)
		labels = append(labels, strings.Split(ha.host, ".")[0])
	}
	for range 32 {
		c := instance(rng, h, segs, labels)
		act, err := scope.ParseAction(c)
		if err != nil || !p.Match(act) {
			t.Fatalf("generator: %q is not a concrete action of %q (%v)", c, ps, err)
		}
		if !a.Match(act) {
			t.Fatalf("covers(%q, %q) holds but %q matches %q and not %q", as, ps, c, ps, as)
		}
	}
	return true
}

// literals appends the literal path segments of items to segs.
func literals(segs, items []string) []string {
	for _, item := range items {
		if item != "" && item != "*" {
			segs = append(segs, item)
		}
	}
	return segs
}

// randomPattern draws an HTTP action pattern from a small alphabet so that pairs often cover.
func randomPattern(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteString("http:" + []string{"*", "GET", "POST"}[rng.IntN(3)] + " ")
	b.WriteString([]string{"https://", "http://"}[rng.IntN(8)/7])
	b.WriteString([]string{"x.example", "a.x.example", "*.x.example", "x.example:443", "x.example:8443"}[rng.IntN(5)])
	for range rng.IntN(6) {
		b.WriteString("/" + []string{"a", "b", "*", "%41"}[rng.IntN(4)])
	}
	switch rng.IntN(3) {
	case 1:
		b.WriteString("/")
	case 2:
		b.WriteString("/**")
	}
	return b.String()
}

// narrow returns a pattern that h covers, by a random sequence of narrowings: a method for
// "*", a label for "*.", a literal for a "*" item, and more items in place of or before "/**".
func narrow(rng *rand.Rand, h httpPattern) httpPattern {
	lit := func() string { return []string{"a", "b", "%41", "*"}[rng.IntN(4)] }
	if h.method == "*" && rng.IntN(2) == 0 {
		h.method = "GET"
	}
	if h.anyLabel && rng.IntN(2) == 0 {
		h.anyLabel, h.host = false, "eu."+h.host
	}
	h.items = append([]string(nil), h.items...)
	for i, item := range h.items {
		if item == "*" && rng.IntN(2) == 0 {
			h.items[i] = lit()
		}
	}
	if h.tail && rng.IntN(2) == 0 {
		for range 1 + rng.IntN(3) {
			h.items = append(h.items, lit())
		}
		if h.tail = rng.IntN(2) == 0; !h.tail && rng.IntN(2) == 0 {
			h.items = append(h.items, "")
		}
	}
	return h
}

// format writes h as an action pattern, with an explicit default port at random.
func format(rng *rand.Rand, h httpPattern) string {
	host := h.host
	if h.anyLabel {
		host = "*." + host
	}
	if h.port != "" {
		host += ":" + h.port
	} else if rng.IntN(4) == 0 {
		host += ":" + defaultPort(h.scheme)
	}
	path := "/" + strings.Join(h.items, "/")
	if h.tail {
		path = strings.TrimSuffix(path, "/") + "/**"
	}
	return "http:" + h.method + " " + h.scheme + "://" + host + path
}

func TestCoversHTTPRandom(t *testing.T) {
	const n = 25000
	rng := rand.New(rand.NewPCG(1, 2))
	random := 0
	for range n {
		if checkSound(t, rng, randomPattern(rng), randomPattern(rng)) {
			random++
		}
	}
	for range n {
		as := randomPattern(rng)
		h, ok := parseHTTPPattern(as)
		if !ok {
			t.Fatalf("%q does not split", as)
		}
		if ps := format(rng, narrow(rng, h)); !checkSound(t, rng, as, ps) {
			t.Fatalf("covers(%q, %q) = false for a narrowing", as, ps)
		}
	}
	if random < 300 {
		t.Fatalf("only %d of %d random pairs covered: the property is barely exercised", random, n)
	}
	t.Logf("%d of %d random pairs and %d narrowed pairs covered, each checked on 32 concrete actions", random, n, n)
}

func FuzzCoversHTTP(f *testing.F) {
	f.Add("http:* https://api.example.com/**", "http:GET https://api.example.com/v1/orders/*", uint64(1))
	f.Add("http:GET https://*.example.com/*/**", "http:GET https://eu.example.com/v1/**", uint64(2))
	f.Add("http:* https://api.example.com:443/v1/*/", "http:PUT https://api.example.com/v1/*/", uint64(3))
	f.Add("http:* http://x.example/", "http:GET http://x.example", uint64(4))
	f.Fuzz(func(t *testing.T, as, ps string, seed uint64) {
		checkSound(t, rand.New(rand.NewPCG(seed, 0)), as, ps)
	})
}
