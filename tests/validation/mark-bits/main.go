// mark-bits: not a validation program. Measures the runtime metadata a span costs beyond its
// mspan record and its arena's heapArena record: the mark and allocation bitmaps (gcBits,
// 8 bytes per 64 objects, at least 8), kept in arenas of 64 KiB for several cycles. Ground
// truth for the fluid level's per-span metadata (models/heap/fluid_heap.hpp).
//
// It maps its arenas first (a 640 MiB object, freed), so that new spans add no heapArena
// record, then reads /memory/classes/metadata/* before and after each case, four forced GCs
// after the allocation:
//
//	big:   20,000 objects of 8 KiB, one per 8 KiB span: 8 B of mark bits a span;
//	small: 20,000 rows of 341 x 24 B objects, 341 a 8 KiB span: 48 B of mark bits a span
//	       (and 20,000 rows of 2,736 B: 2,500 spans of 3 KiB slots, 8 B of bits each).
//
// Prints one line per case: case, spans, mark-bit bytes a span, mspan bytes a span,
// metadata/other bytes a span (both per span of the case's objects; small's include its rows).
package main

import (
	"fmt"
	"runtime"
	"runtime/metrics"
)

var (
	big  []byte
	keep [][]byte
	rows [][]*[3]int
)

func read() (mspan, other uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/metadata/mspan/inuse:bytes"}, {Name: "/memory/classes/metadata/other:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

func collect() {
	for i := 0; i < 4; i++ {
		runtime.GC()
	}
}

func main() {
	const spans = 20000
	big = make([]byte, 640<<20)
	big = nil
	collect()
	m0, o0 := read()
	for i := 0; i < spans; i++ {
		keep = append(keep, make([]byte, 8192))
	}
	collect()
	m1, o1 := read()
	fmt.Printf("big\t%d\t8\t%.1f\t%.1f\n", spans, float64(m1-m0)/spans, float64(o1-o0)/spans)
	for j := 0; j < spans; j++ {
		row := make([]*[3]int, 341)
		for i := range row {
			row[i] = new([3]int)
		}
		rows = append(rows, row)
	}
	collect()
	m2, o2 := read()
	fmt.Printf("small\t%d\t48\t%.1f\t%.1f\n", spans, float64(m2-m1)/spans, float64(o2-o1)/spans)
	runtime.KeepAlive(keep)
	runtime.KeepAlive(rows)
}
