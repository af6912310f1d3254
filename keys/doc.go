// Package keys gives kakunin its signing keys: a [Signer] is a [crypto.Signer] that
// also reports its [Algorithm] and can be closed, whatever holds the private key.
//
// Call [Open] to use an existing key and [Generate] to create one, naming the key by a URI:
//
//   - "file:/etc/kakunin/ca.pem" or a plain path: a PKCS#8 PEM private key file. It must
//     not be readable or writable by group or others; generated files are written 0600,
//     atomically, and never overwrite an existing file.
//   - "pkcs11:token=ca;object=owner?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/run/pin":
//     a key on a PKCS#11 token, named by an RFC 7512 URI. ECDSA and RSA keys go through
//     github.com/ThalesGroup/crypto11, Ed25519 keys (CKK_EC_EDWARDS, CKM_EDDSA) through
//     github.com/miekg/pkcs11. Keys generated on a token are sensitive and not extractable.
//
// A signer whose token or module has gone away fails closed: Sign returns an error and
// never falls back to another key. Private keys and PINs never appear in errors or in
// the String form of a signer or URI.
package keys
