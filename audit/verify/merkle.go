package verify

import (
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// All Merkle math of this package goes through transparency-dev/merkle.
var hasher = rfc6962.DefaultHasher

func leafHash(entry []byte) []byte { return hasher.HashLeaf(entry) }

func verifyInclusion(index, size uint64, leaf []byte, p [][]byte, root []byte) error {
	return proof.VerifyInclusion(hasher, index, size, leaf, p, root)
}

func rootFromInclusion(index, size uint64, leaf []byte, p [][]byte) ([]byte, error) {
	return proof.RootFromInclusionProof(hasher, index, size, leaf, p)
}

func verifyConsistency(size1, size2 uint64, p [][]byte, root1, root2 []byte) error {
	return proof.VerifyConsistency(hasher, size1, size2, p, root1, root2)
}

// treeRoot recomputes the root of the tree whose leaf hashes are leaves.
func treeRoot(leaves [][]byte) ([]byte, error) {
	if len(leaves) == 0 {
		return hasher.EmptyRoot(), nil
	}
	r := (&compact.RangeFactory{Hash: hasher.HashChildren}).NewEmptyRange(0)
	for _, l := range leaves {
		if err := r.Append(l, nil); err != nil {
			return nil, err
		}
	}
	return r.GetRootHash(nil)
}

// leafElements maps, for the inclusion proof of index in a tree of size, each
// proof position whose node covers exactly one leaf to that leaf's index.
func leafElements(index, size uint64) map[int]uint64 {
	nodes, err := proof.Inclusion(index, size)
	if err != nil {
		return nil
	}
	ephem, begin, end := nodes.Ephem()
	out := make(map[int]uint64)
	pos := 0
	for i := 0; i < len(nodes.IDs); i, pos = i+1, pos+1 {
		id := nodes.IDs[i]
		if i == begin && begin < end-1 {
			i = end - 1 // the ephemeral node stands for IDs[begin:end]
			id = ephem
		}
		if id.Level == 0 {
			out[pos] = id.Index
		}
	}
	return out
}
