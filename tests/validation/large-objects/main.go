// large-objects: allocation dominated by large (> 32 KiB) objects.
//
// Workload (numbers; "measured" values are from this machine, GOMAXPROCS=2,
// GOGC=100, no limit — see README.md for the full matrix):
//
// Live heap: 64 slots per worker x 2 workers; slot k holds a noscan []byte of
// liveSizes[k%4] = {256 KiB, 512 KiB, 1 MiB, 2 MiB} (mean 960 KiB)
// => 60 MiB per worker, 120 MiB live in total, all large noscan objects.
//
// Workers: 2 goroutines, 3,600 iterations each (7,200 total). Each iteration:
//
//   - allocates one short-lived noscan []byte cycling through
//     {40 KiB, 64 KiB, 128 KiB, 256 KiB, 1 MiB} (mean 302.4 KiB) and, every
//     4th iteration, a 64 KiB []*int64 (8,192 pointers, pointerful; +16 KiB
//     per iteration on average); both kept in rings of 4 (die after 4 uses);
//   - fills the whole new buffer (memmove from a 64 KiB pattern) and sums one
//     byte in every 4 of a random live buffer (mean 960 KiB);
//   - every 8th iteration replaces one of its live slots with a fresh buffer
//     of the same size (mean 960 KiB, i.e. +120 KiB per iteration); the old
//     buffer dies.
//
// Allocation: ~438 KiB per iteration, ~3.0 GiB in total (+120 MiB initial).
// Almost no small objects (only runtime/bookkeeping ones).
//
// Measured (GOGC=100, no limit, 3 reps): 3,214 MiB allocated in total, 12,027
// mallocs, wall 1.19-1.22 s, i.e. 2.57-2.64 GiB/s.
package main

import (
	"gogcsim/validation/internal/gcsummary"
	"sync"
)

const (
	workers        = 2
	slotsPerWorker = 64
	itersPerWorker = 3_600
	ringSize       = 4
	replaceEvery   = 8
	ptrEvery       = 4
	ptrSliceLen    = 8192 // 64 KiB
	page           = 4096
)

var liveSizes = [...]int{256 << 10, 512 << 10, 1 << 20, 2 << 20}
var churnSizes = [...]int{40 << 10, 64 << 10, 128 << 10, 256 << 10, 1 << 20}

var live [workers][][]byte
var sink [workers]uint64
var ptrSink [workers][][]*int64

// pattern is the source for filling new buffers ("reading input").
var pattern = func() []byte {
	p := make([]byte, 64<<10)
	for i := range p {
		p[i] = byte(i * 131)
	}
	return p
}()

// touch fills the whole buffer (memmove from pattern) and stamps v per page.
func touch(b []byte, v byte) {
	for j := 0; j < len(b); j += len(pattern) {
		copy(b[j:], pattern)
	}
	for j := 0; j < len(b); j += page {
		b[j] = v
	}
}

func main() {
	r := gcsummary.Start("large-objects")
	for w := 0; w < workers; w++ {
		live[w] = make([][]byte, slotsPerWorker)
		for k := range live[w] {
			b := make([]byte, liveSizes[k%len(liveSizes)])
			touch(b, byte(k))
			live[w][k] = b
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := gcsummary.XorShift(0x9FB21C651E98DF25 + uint64(w))
			ring := make([][]byte, ringSize)
			pring := make([][]*int64, ringSize)
			var acc uint64
			for i := 0; i < itersPerWorker; i++ {
				b := make([]byte, churnSizes[i%len(churnSizes)])
				touch(b, byte(i))
				ring[i%ringSize] = b
				if i%ptrEvery == 0 {
					p := make([]*int64, ptrSliceLen)
					p[0] = new(int64)
					pring[(i/ptrEvery)%ringSize] = p
				}
				lb := live[w][rng.Intn(slotsPerWorker)]
				for j := 0; j < len(lb); j += 4 {
					acc += uint64(lb[j])
				}
				if i%replaceEvery == 0 {
					k := rng.Intn(slotsPerWorker)
					nb := make([]byte, liveSizes[k%len(liveSizes)])
					touch(nb, byte(i))
					live[w][k] = nb
				}
			}
			sink[w] = acc
			ptrSink[w] = pring
		}(w)
	}
	wg.Wait()
	r.Finish(map[string]int64{"workers": workers, "iterations": workers * itersPerWorker})
}
