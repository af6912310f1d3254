package dataintegrity

import (
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/vc/jsonld"
	"github.com/kakunin-dev/kakunin/vc/rdfc"
)

// maxUnmarkable bounds the slots classifySlots leaves unmarked because their
// marker fails JSON-LD processing where their value does not: a value of a
// vocabulary-typed property that the context defines as a term (proofPurpose
// "assertionMethod" expands to a security vocabulary IRI, a marker would be a
// relative IRI and be dropped). Each costs one more JSON-LD run, once per
// skeleton.
const maxUnmarkable = 4

// classifySlots marks every slot and returns which ones JSON-LD does not
// copy verbatim into terms, or nil when the marked document fails. A slot
// whose marker the processor refuses is left unmarked, and so fixed: its value
// joins the shape.
func classifySlots(proc *jsonld.Processor, doc map[string]any, n int) []bool {
	unmarked := make([]bool, n)
	for range maxUnmarkable + 1 {
		ds, err := markedDataset(proc, doc, func(i int) bool { return !unmarked[i] })
		if err == nil {
			return fixedSlots(ds, doc, n)
		}
		i, ok := refusedSlot(err)
		if !ok || i >= n || unmarked[i] {
			return nil
		}
		unmarked[i] = true
	}
	return nil
}

// fixedSlots returns which of doc's n slots are not copied verbatim into one
// term of ds, the dataset of doc with some slots marked; an unmarked slot is
// fixed.
func fixedSlots(ds rdfc.Dataset, doc map[string]any, n int) []bool {
	markers := map[string]int{}
	w := docWalker{mark: func(i int, s string) string { markers[marker(i, s)] = i; return s }}
	w.value(doc, "", 0)
	exact := make([]bool, n)
	fixed := make([]bool, n)
	eachTerm(ds, func(_ int, _ int8, v string) {
		if i, ok := markers[v]; ok {
			exact[i] = true
			return
		}
		if !strings.Contains(v, markerTag) {
			return
		}
		for i := range fixed {
			if strings.Contains(v, markerTag+itoa(i)+"x") {
				fixed[i] = true
			}
		}
	})
	for i := range fixed {
		fixed[i] = fixed[i] || !exact[i]
	}
	return fixed
}

// refusedSlot returns the slot whose marker a JSON-LD processing error
// names, as the data loss errors quote the value they drop.
func refusedSlot(err error) (int, bool) {
	msg := err.Error()
	at := strings.Index(msg, markerTag)
	if at < 0 {
		return 0, false
	}
	digits := msg[at+len(markerTag):]
	end := strings.IndexByte(digits, 'x')
	if end <= 0 {
		return 0, false
	}
	i, err := strconv.Atoi(digits[:end])
	return i, err == nil
}
