// bursty: high-rate allocation bursts separated by quiet, compute-bound phases.
//
// Workload (numbers; "measured" values are from this machine, GOMAXPROCS=2,
// GOGC=100, no limit — see README.md for the full matrix):
//
// Live heap: 32 MiB = 131,072 records of 256 B {next *record; id int64;
// payload [240]byte} (pointerful, 1 pointer per 32 words), built at start and
// held for the whole run; in each burst every worker replaces a random record
// of its half every 48th step (1,042 per worker, 2,084 per burst; the old
// records are unlinked and die), so live stays 32 MiB.
//
// Workers: 2 goroutines. 12 cycles, each = burst then quiet (barrier between):
//
//   - burst: each worker does 50,000 steps; each step allocates one
//     short-lived object whose size cycles through {32, 128, 512, 2048, 8192}
//     B (mean 2,182 B; 32 and 2048 B are pointerful []*int64, the rest noscan
//     []byte), kept in a ring of 64 per worker. => ~104 MiB per worker per
//     burst, ~208 MiB per burst, ~2.44 GiB over the run (plus 2,084 x
//     256 B = 0.5 MiB of record replacements per burst).
//   - quiet: each worker does 32,000,000 xorshift+FNV hashing steps over a
//     1 KiB scratch array, allocating one 64 B pointer-free object every
//     4,096 steps (7,813 allocations, ~488 KiB per worker per quiet phase).
//
// The summary's "work" map reports the total wall time spent in bursts
// (burst_ns) and in quiet phases (quiet_ns).
//
// Measured (GOGC=100, no limit, 3 reps): 2,576 MiB allocated in total, 2.74M
// mallocs, wall 1.50-2.00 s (1.26-1.68 GiB/s on average); bursts 0.82-1.07 s
// in total (~70-90 ms each, ~2.3-3 GiB/s while bursting), quiet phases
// 0.65-0.90 s in total (~55-75 ms each, ~13-18 MiB/s).
package main

import (
	"gogcsim/validation/internal/gcsummary"
	"sync"
)

type record struct {
	next    *record
	id      int64
	payload [240]byte
}

const (
	workers        = 2
	cycles         = 12
	liveRecords    = 131_072
	burstSteps     = 50_000
	burstReplace   = 1_024 // per worker per burst
	quietSteps     = 32_000_000
	quietAllocMask = 4095
	ringSize       = 64
)

var live []*record
var sink [workers]uint64
var quietSink [workers]*[8]int64

func main() {
	r := gcsummary.Start("bursty")
	live = make([]*record, liveRecords)
	for i := range live {
		live[i] = &record{id: int64(i)}
		if i >= workers {
			live[i].next = live[i-workers]
		}
	}
	var rings [workers][]interface{}
	for w := range rings {
		rings[w] = make([]interface{}, ringSize)
	}
	rngs := [workers]gcsummary.XorShift{0xA0761D6478BD642F, 0xE7037ED1A0B428DB}
	run := func(f func(w int)) {
		var wg sync.WaitGroup
		wg.Add(workers)
		for w := 0; w < workers; w++ {
			go func(w int) { defer wg.Done(); f(w) }(w)
		}
		wg.Wait()
	}
	var burstNs, quietNs int64
	for c := 0; c < cycles; c++ {
		t0 := nowNs()
		run(func(w int) { // burst
			rng := &rngs[w]
			ring := rings[w]
			var acc uint64
			for i := 0; i < burstSteps; i++ {
				var v interface{}
				switch i % 5 {
				case 0:
					p := make([]*int64, 4) // 32 B pointerful
					v = p
				case 1:
					b := make([]byte, 128)
					b[0] = byte(i)
					v = b
				case 2:
					b := make([]byte, 512)
					b[0] = byte(i)
					v = b
				case 3:
					p := make([]*int64, 256) // 2048 B pointerful
					v = p
				default:
					b := make([]byte, 8192)
					b[0] = byte(i)
					v = b
				}
				ring[i%ringSize] = v
				if i%(burstSteps/burstReplace) == 0 {
					// worker w owns even/odd indices
					idx := rng.Intn(liveRecords/workers)*workers + w
					// chain: record i points to record i-2 (same owner);
					// unlink the old record so it really dies.
					nr := &record{id: int64(i), next: live[idx].next}
					live[idx] = nr
					if idx+workers < liveRecords {
						live[idx+workers].next = nr
					}
					acc += uint64(nr.id)
				}
			}
			sink[w] += acc
		})
		t1 := nowNs()
		run(func(w int) { // quiet
			var scratch [1024]byte
			h := uint64(14695981039346656037)
			x := gcsummary.XorShift(uint64(c*workers+w) + 1)
			for i := 0; i < quietSteps; i++ {
				v := x.Next()
				scratch[i&1023] ^= byte(v)
				h ^= uint64(scratch[(i*7)&1023])
				h *= 1099511628211
				if i&quietAllocMask == 0 {
					o := new([8]int64)
					o[0] = int64(h)
					quietSink[w] = o
				}
			}
			sink[w] += h
		})
		t2 := nowNs()
		burstNs += t1 - t0
		quietNs += t2 - t1
	}
	r.Finish(map[string]int64{"workers": workers, "cycles": cycles, "burst_steps": burstSteps, "quiet_steps": quietSteps, "burst_ns": burstNs, "quiet_ns": quietNs})
}
