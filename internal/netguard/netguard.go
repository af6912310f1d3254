// Package netguard is the address policy of the fetchers that dereference URLs an untrusted
// party chose (did:web documents, status list credentials): only public unicast addresses
// may be reached, so that no DID or credential can make the service connect to itself, its
// network or a cloud metadata endpoint (SSRF).
//
// [CheckAddr] decides for one address; [Control] applies it in a [net.Dialer] at connection
// time, after DNS resolution, so that a name cannot rebind to an internal address between
// check and connect. The package imports the standard library only.
package netguard

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ErrForbidden is wrapped by every refusal.
var ErrForbidden = errors.New("netguard: not a public unicast address")

// blocked are the special-purpose ranges (IANA IPv4 and IPv6 Special-Purpose Address
// Registries, RFC 6890 and later) that are not globally reachable, beyond what the netip
// predicates cover: this network, shared address space (RFC 6598), IETF protocol
// assignments, the three documentation ranges, 6to4 relay anycast, benchmarking, reserved
// (240/4); IPv4-compatible and -mapped IPv6, the local-use NAT64 prefix (RFC 8215), the
// discard prefix, the IETF protocol assignments (Teredo, benchmarking, ORCHIDv2 among
// them), IPv6 documentation (2001:db8::/32, 3fff::/20), 6to4, SRv6 SIDs and the deprecated
// site-local prefix. Cloud metadata endpoints (169.254.169.254, fd00:ec2::254) fall under
// link-local and unique-local.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("192.88.99.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/96"),
	netip.MustParsePrefix("::ffff:0:0/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001::/23"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("3fff::/20"),
	netip.MustParsePrefix("5f00::/16"),
	netip.MustParsePrefix("fec0::/10"),
}

// globalUnicast6 is where IANA assigns IPv6 unicast addresses (RFC 4291 §2.4, IANA IPv6
// Address Space): an IPv6 address outside it, and outside nat64, is refused, whatever later
// registrations carve out of the reserved space.
var globalUnicast6 = netip.MustParsePrefix("2000::/3")

// nat64 is the well-known NAT64 prefix (RFC 6052 §2.1): its addresses reach the IPv4 address
// in their last 32 bits, which is checked in turn.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// CheckAddr returns nil when a is a public unicast address and otherwise an error wrapping
// [ErrForbidden] that says why. Refused: invalid addresses, addresses with a zone,
// unspecified, loopback, private and unique-local, link-local, multicast and broadcast
// addresses, the ranges listed in the package's blocked table, IPv6 outside 2000::/3, and
// NAT64 addresses (64:ff9b::/96) whose embedded IPv4 address is refused. IPv4-mapped IPv6
// addresses are refused rather than unmapped: a dialer given one as such has no reason to.
func CheckAddr(a netip.Addr) error {
	if a.Zone() != "" {
		return fmt.Errorf("%w: %s has a zone", ErrForbidden, a)
	}
	if nat64.Contains(a) {
		b := a.As16()
		if err := CheckAddr(netip.AddrFrom4([4]byte(b[12:]))); err != nil {
			return fmt.Errorf("%w: %s is NAT64 of a refused address: %w", ErrForbidden, a, err)
		}
		return nil
	}
	switch {
	case !a.IsValid(), a.IsUnspecified(), a.IsLoopback(), a.IsPrivate(), a.IsLinkLocalUnicast(),
		a.IsMulticast(), !a.IsGlobalUnicast():
		return fmt.Errorf("%w: %s", ErrForbidden, a)
	}
	for _, p := range blocked {
		if p.Contains(a) {
			return fmt.Errorf("%w: %s is in %s", ErrForbidden, a, p)
		}
	}
	if a.Is6() && !globalUnicast6.Contains(a) {
		return fmt.Errorf("%w: %s is outside %s", ErrForbidden, a, globalUnicast6)
	}
	return nil
}

// Control is a [net.Dialer] Control function that applies [CheckAddr] to the address a
// socket is about to connect to ("host:port" with a literal IP, as the dialer gives it).
func Control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %q is not an IP address and port", ErrForbidden, address)
	}
	return CheckAddr(ap.Addr())
}
