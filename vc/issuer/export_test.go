package issuer

import "github.com/kakunin-dev/kakunin/vc/status"

// PoolFree returns how many reserved entries of instance and purpose are ready to hand out.
func PoolFree(is *Issuer, instance string, p status.Purpose) int {
	pl := is.pools[poolKey{instance, p}]
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return len(pl.free)
}
