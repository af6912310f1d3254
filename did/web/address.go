package web

import (
	"fmt"
	"net/netip"

	"github.com/kakunin-dev/kakunin/internal/netguard"
)

// checkAddr rejects every address that is not public unicast, by the policy of
// internal/netguard (special-purpose ranges, IPv4-mapped IPv6, NAT64 of a refused IPv4
// address, zones). Errors wrap ErrForbiddenAddress and netguard.ErrForbidden.
func checkAddr(a netip.Addr) error {
	if err := netguard.CheckAddr(a); err != nil {
		return fmt.Errorf("%w: %w", ErrForbiddenAddress, err)
	}
	return nil
}
