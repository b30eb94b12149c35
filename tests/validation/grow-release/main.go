// grow-release: a live heap that grows to a peak and is then released (3 rounds).
//
// Workload (numbers; "measured" values are from this machine, GOMAXPROCS=2,
// GOGC=100, no limit — see README.md for the full matrix):
//
// Workers: 2 goroutines, running the same phase schedule in lock-step
// (a barrier between phases). A permanent baseline of 16 MiB (16,384 x 1 KiB
// noscan) is held by main. Each worker runs 3 rounds of:
//
//  1. grow: 32,768 steps. Each step retains one record: a 4 KiB []byte
//     (noscan) plus a 48 B pointerful header {next *rec; buf []byte; id int}
//     linked into the worker's list => +4,144 B retained per step,
//     ~129.5 MiB per worker, ~259 MiB (+16 MiB baseline = ~275 MiB) live
//     at the peak (both workers). The 4 KiB buffer is filled byte by byte.
//     Each step also allocates 2 short-lived 512 B []byte (1 KiB garbage).
//  2. hold: 150,000 steps of churn only (the peak live heap stays reachable):
//     each step allocates one short-lived object cycling through
//     {256 B noscan, 1 KiB noscan, 48 B pointerful} (mean 443 B; byte
//     buffers are filled), kept in a ring of 512 per worker.
//  3. release: the worker drops its list (the whole ~129.5 MiB becomes
//     garbage at once).
//  4. low: 500,000 churn steps like "hold"; live heap ~16.5 MiB.
//
// Allocation per round per worker: grow 32,768*(4,096+48+1,024) = 161.5 MiB,
// hold+low 650,000 * ~443 B = 274 MiB. Total over 3 rounds x 2 workers:
// ~2.55 GiB (+16 MiB baseline). Peak live ~275 MiB; after release ~16.5 MiB.
//
// Measured (GOGC=100, no limit, 3 reps): 2,691 MiB allocated in total, 7.3M
// mallocs, wall 1.01-1.04 s, i.e. 2.54-2.60 GiB/s.
package main

import (
	"gogcsim/validation/internal/gcsummary"
	"sync"
)

type rec struct {
	next *rec
	buf  []byte
	id   int
}

type small struct {
	a, b *small
	n    [4]int64
}

const (
	workers      = 2
	rounds       = 3
	growSteps    = 32_768
	recSize      = 4096
	holdSteps    = 150_000
	lowSteps     = 500_000
	ringSize     = 512
	growGarb     = 512
	baselineBufs = 16384
)

var sink [workers]uint64
var ringSink [workers][]interface{}

func churn(ring []interface{}, i int) uint64 {
	var v interface{}
	switch i % 3 {
	case 0:
		b := make([]byte, 256)
		fill(b, i)
		v = b
	case 1:
		b := make([]byte, 1024)
		fill(b, i)
		v = b
	default:
		s := &small{}
		s.n[0] = int64(i)
		if p, ok := ring[(i+1)%len(ring)].(*small); ok {
			s.a = p
		}
		v = s
	}
	ring[i%len(ring)] = v
	return uint64(i)
}

// fill is the mutator's "work" on each new buffer.
func fill(b []byte, seed int) {
	for j := range b {
		b[j] = byte(seed + j)
	}
}

// baseline is a permanent 16 MiB live set (16,384 x 1 KiB noscan).
var baseline [][]byte

func main() {
	r := gcsummary.Start("grow-release")
	baseline = make([][]byte, baselineBufs)
	for i := range baseline {
		baseline[i] = make([]byte, 1024)
		fill(baseline[i], i)
	}
	var barrier sync.WaitGroup
	phase := func(f func(w int)) {
		barrier.Add(workers)
		for w := 0; w < workers; w++ {
			go func(w int) { defer barrier.Done(); f(w) }(w)
		}
		barrier.Wait()
	}
	var heads [workers]*rec
	rings := make([][]interface{}, workers)
	for w := range rings {
		rings[w] = make([]interface{}, ringSize)
	}
	for round := 0; round < rounds; round++ {
		phase(func(w int) { // grow
			var acc uint64
			var tmp [2][]byte
			for i := 0; i < growSteps; i++ {
				b := make([]byte, recSize)
				fill(b, i)
				heads[w] = &rec{next: heads[w], buf: b, id: i}
				for k := range tmp {
					g := make([]byte, growGarb)
					g[k] = byte(i)
					if tmp[k] != nil {
						acc += uint64(tmp[k][k])
					}
					tmp[k] = g
				}
			}
			sink[w] += acc
		})
		phase(func(w int) { // hold
			var acc uint64
			for i := 0; i < holdSteps; i++ {
				acc += churn(rings[w], i)
			}
			sink[w] += acc
		})
		phase(func(w int) { // release
			var n uint64
			for p := heads[w]; p != nil; p = p.next {
				n += uint64(p.buf[0])
			}
			sink[w] += n
			heads[w] = nil
		})
		phase(func(w int) { // low
			var acc uint64
			for i := 0; i < lowSteps; i++ {
				acc += churn(rings[w], i)
			}
			sink[w] += acc
		})
	}
	for w := range rings {
		ringSink[w] = rings[w]
	}
	r.Finish(map[string]int64{"workers": workers, "rounds": rounds, "grow_steps": growSteps, "hold_steps": holdSteps, "low_steps": lowSteps})
}
