package netguard

import (
	"errors"
	"go/parser"
	"go/token"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr    string
		allowed bool
	}{
		// Public unicast, and the public neighbours of refused ranges.
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"93.184.215.14", true},
		{"1.0.0.0", true},
		{"9.255.255.255", true},
		{"11.0.0.0", true},
		{"100.63.255.255", true},
		{"100.128.0.0", true},
		{"172.15.255.255", true},
		{"172.32.0.0", true},
		{"192.0.1.255", true},
		{"192.0.3.0", true},
		{"198.17.255.255", true},
		{"198.20.0.0", true},
		{"223.255.255.255", true},
		{"2606:4700:4700::1111", true},
		{"2a00:1450:4001::1", true},
		{"2001:200::1", true},
		{"2001:db9::1", true},
		{"2003::1", true},
		{"3ffe::1", true},
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8

		// netip predicates: unspecified, loopback, private, link-local, multicast, broadcast.
		{"0.0.0.0", false},
		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false},
		{"224.0.0.1", false},
		{"239.255.255.255", false},
		{"255.255.255.255", false},
		{"::", false},
		{"::1", false},
		{"fc00::1", false},
		{"fd00:ec2::254", false},
		{"fe80::1", false},
		{"febf::1", false},
		{"ff02::1", false},
		{"ff0e::1", false},
		{"ff01::1", false},

		// The blocked table, IPv4.
		{"0.1.2.3", false},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"192.0.0.8", false},
		{"192.0.0.170", false},
		{"192.0.2.1", false},
		{"192.88.99.1", false},
		{"198.18.0.1", false},
		{"198.19.255.255", false},
		{"198.51.100.7", false},
		{"203.0.113.9", false},
		{"240.0.0.1", false},
		{"254.255.255.255", false},

		// The blocked table, IPv6.
		{"::127.0.0.1", false}, // IPv4-compatible
		{"::8.8.8.8", false},
		{"::ffff:127.0.0.1", false}, // IPv4-mapped, private or public
		{"::ffff:10.0.0.1", false},
		{"::ffff:8.8.8.8", false},
		{"64:ff9b:1::808:808", false}, // local-use NAT64
		{"100::1", false},             // discard
		{"2001::1", false},            // Teredo
		{"2001:2::1", false},          // benchmarking
		{"2001:20::1", false},         // ORCHIDv2
		{"2001:1ff:ffff::1", false},   // end of 2001::/23
		{"2001:db8::1", false},
		{"2001:db8:ffff::1", false},
		{"2002:7f00:1::", false},  // 6to4 of 127.0.0.1
		{"2002:808:808::", false}, // 6to4 of a public address: still through a relay
		{"3fff::1", false},
		{"3fff:fff::1", false},
		{"5f00::1", false},
		{"fec0::1", false},

		// IPv6 outside 2000::/3 and not listed.
		{"4000::1", false},
		{"::ffff:0:808:808", false}, // IPv4-translated (RFC 2765)
		{"1::1", false},

		// NAT64 (64:ff9b::/96): the embedded IPv4 address decides.
		{"64:ff9b::7f00:1", false},    // 127.0.0.1
		{"64:ff9b::a00:1", false},     // 10.0.0.1
		{"64:ff9b::a9fe:a9fe", false}, // 169.254.169.254
		{"64:ff9b::c000:201", false},  // 192.0.2.1
		{"64:ff9b::", false},          // 0.0.0.0
		{"64:ff9b::101:101", true},    // 1.1.1.1

		// Zones, on any address.
		{"fe80::1%eth0", false},
		{"2606:4700:4700::1111%eth0", false},
		{"64:ff9b::808:808%eth0", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := CheckAddr(netip.MustParseAddr(tt.addr))
			if tt.allowed && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.allowed && !errors.Is(err, ErrForbidden) {
				t.Fatalf("error %v, want ErrForbidden", err)
			}
		})
	}
	if err := CheckAddr(netip.Addr{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("zero Addr: %v", err)
	}
}

// TestEveryBlockedRange refuses the first and last address of each listed range, so that a
// range added to the table without a case above is still exercised.
func TestEveryBlockedRange(t *testing.T) {
	for _, p := range blocked {
		first := p.Masked().Addr()
		last := lastAddr(p)
		for _, a := range []netip.Addr{first, last} {
			if err := CheckAddr(a); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s (%s): %v", a, p, err)
			}
		}
	}
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func TestControl(t *testing.T) {
	tests := []struct {
		address string
		allowed bool
	}{
		{"8.8.8.8:443", true},
		{"[2606:4700:4700::1111]:443", true},
		{"127.0.0.1:443", false},
		{"[::1]:443", false},
		{"[::ffff:127.0.0.1]:443", false},
		{"[64:ff9b::a00:1]:443", false},
		{"[fe80::1%eth0]:443", false},
		{"169.254.169.254:80", false},
		{"localhost:443", false},
		{"8.8.8.8", false},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			err := Control("tcp", tt.address, nil)
			if tt.allowed != (err == nil) || !tt.allowed && !errors.Is(err, ErrForbidden) {
				t.Fatalf("Control(%q) = %v, want allowed=%v", tt.address, err, tt.allowed)
			}
		})
	}
}

// TestStandardLibraryOnly keeps the package a leaf: the did and vc packages import it, so it
// must import none of the module's packages (nor any other module's).
func TestStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s, outside the standard library", name, path)
			}
		}
	}
}
