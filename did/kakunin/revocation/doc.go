// Package revocation checks whether an X.509 certificate has been revoked, by OCSP
// (RFC 6960) and CRL (RFC 5280 §5), and says which source answered and how fresh the
// answer is.
//
// Make one [Checker] with [New] and call [Checker.Check] for each certificate and its
// issuer. Time, the network ([Transport]) and a local CRL source ([CRLSource], such as
// the kakunin registry) are injected through [Options]. The policy is hard-fail: Check
// returns a nil error only with a verified Good or Revoked answer; everything else
// (no source, unreachable source, bad signature, stale data, an "unknown" answer) is an
// error. A CRL may be used past its nextUpdate only within an explicitly configured
// [Options.CRLStaleWindow] and only when no fresh answer can be had; the result then
// says Stale. [Result] also says which source answered, whether from the cache, and
// the thisUpdate/nextUpdate of the answer.
//
// CRLs are cached per issuer until nextUpdate and a cached CRL is never replaced by one
// with a lower cRLNumber; OCSP answers are cached per certificate until nextUpdate.
package revocation
