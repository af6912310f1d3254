package web

import (
	"fmt"
	"net/netip"
)

// blocked are the special-purpose ranges (IANA IPv4 and IPv6 Special-Purpose Address
// Registries, RFC 6890) a did:web fetch must never reach, beyond what the netip
// predicates cover: shared address space, benchmarking, documentation, reserved,
// IPv4-mapped and -compatible IPv6, the local-use NAT64 prefix, Teredo, 6to4,
// ORCHIDv2 and the discard prefix. Cloud metadata endpoints (169.254.169.254,
// fd00:ec2::254) fall under link-local and unique-local.
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
	netip.MustParsePrefix("::ffff:0:0/96"),
	netip.MustParsePrefix("::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001::/23"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("3fff::/20"),
}

// nat64 is the well-known NAT64 prefix (RFC 6052): its addresses reach the IPv4
// address in their last 32 bits, which is checked in turn.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// checkAddr rejects every address that is not public unicast. Errors wrap
// ErrForbiddenAddress.
func checkAddr(a netip.Addr) error {
	if a.Zone() != "" {
		return fmt.Errorf("%w: %s has a zone", ErrForbiddenAddress, a)
	}
	if nat64.Contains(a) {
		b := a.As16()
		if err := checkAddr(netip.AddrFrom4([4]byte(b[12:]))); err != nil {
			return fmt.Errorf("%w: NAT64 of %w", ErrForbiddenAddress, err)
		}
		return nil
	}
	switch {
	case !a.IsValid(), a.IsUnspecified(), a.IsLoopback(), a.IsPrivate(), a.IsLinkLocalUnicast(),
		a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast(), a.IsMulticast(), !a.IsGlobalUnicast():
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, a)
	}
	for _, p := range blocked {
		if p.Contains(a) {
			return fmt.Errorf("%w: %s is in %s", ErrForbiddenAddress, a, p)
		}
	}
	return nil
}
