// near-limit: a live heap close to GOMEMLIMIT. The program sets no GC
// parameters itself; record.sh passes GOMEMLIMIT (200MiB and 240MiB).
//
// Workload (numbers; "measured" values are from this machine, GOMAXPROCS=2,
// GOGC=100, no limit — see README.md for the full matrix):
//
// Live heap: ~183 MiB at the start (+18.3 MiB by the end, see below) =
//   - 20,480 noscan []byte buffers x 8 KiB = 160 MiB, plus
//   - 327,680 pointerful nodes x 64 B {prev, next *node; data [6]int64}
//     = 20 MiB, linked as 2 doubly-linked lists (one per worker), also
//     referenced from an index slice (2.5 MiB of pointers, pointerful).
//
// Workers: 2 goroutines, 1,000,000 iterations each (2,000,000 total). Each
// iteration:
//
//   - allocates one object cycling through {16 B noscan, 48 B pointerful,
//     128 B noscan, 512 B noscan, 2 KiB noscan} (mean 540.8 B),
//     fills/initialises it, and keeps it in a ring of 256 per worker (dies
//     after 256 iterations, ~135 KiB young data per worker) -- except the
//     48 B ones: each points to the previous one (the ring entry 5
//     iterations back), so they form one chain per worker that stays
//     reachable to the end: 200,000 x 48 B = 9.2 MiB per worker, and the
//     live heap grows linearly from ~183 MiB to ~201 MiB over the run
//     (found when the simulated collection counts near the limit came out
//     30 % low; the recordings are of this program as it is);
//   - sums 1 KiB (stride 8) of a random live buffer;
//   - every 32 iterations replaces one of its 8 KiB live buffers and one of
//     its 64 B live nodes (unlinking the old node), which keeps those
//     183 MiB constant.
//
// Allocation: 540.8 + (8192+64)/32 = ~799 B per iteration, ~1.49 GiB total
// (+183 MiB initial).
//
// Measured (GOGC=100, no limit, 3 reps): 1,762 MiB allocated in total, 4.07M
// mallocs, wall 0.98-1.06 s, i.e. 1.62-1.75 GiB/s. With GOMEMLIMIT=200MiB the
// same work takes ~5 s (GC runs back to back).
package main

import (
	"gogcsim/validation/internal/gcsummary"
	"sync"
)

type node struct {
	prev, next *node
	data       [6]int64
}

type small struct {
	a, b *small
	n    [4]int64
}

const (
	workers        = 2
	liveBufs       = 20_480
	liveBufSize    = 8 << 10
	liveNodes      = 327_680
	itersPerWorker = 1_000_000
	ringSize       = 256
	replaceEvery   = 32
)

var bufs [][]byte
var nodes []*node
var sink [workers]uint64

func fill(b []byte, seed int) {
	for j := range b {
		b[j] = byte(seed + j)
	}
}

func main() {
	r := gcsummary.Start("near-limit")
	bufs = make([][]byte, liveBufs)
	for i := range bufs {
		b := make([]byte, liveBufSize)
		b[0] = byte(i)
		bufs[i] = b
	}
	nodes = make([]*node, liveNodes)
	for i := range nodes {
		n := &node{}
		n.data[0] = int64(i)
		if i >= workers {
			n.prev = nodes[i-workers]
			n.prev.next = n
		}
		nodes[i] = n
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := gcsummary.XorShift(0x8EBC6AF09C88C6E3 + uint64(w))
			ring := make([]interface{}, ringSize)
			var acc uint64
			for i := 0; i < itersPerWorker; i++ {
				var v interface{}
				switch i % 5 {
				case 0:
					b := make([]byte, 16)
					b[0] = byte(i)
					v = b
				case 1:
					s := &small{}
					s.n[0] = int64(i)
					if p, ok := ring[(i+ringSize-5)%ringSize].(*small); ok {
						s.a = p
					}
					v = s
				case 2:
					b := make([]byte, 128)
					fill(b, i)
					v = b
				case 3:
					b := make([]byte, 512)
					fill(b, i)
					v = b
				default:
					b := make([]byte, 2048)
					fill(b, i)
					v = b
				}
				ring[i%ringSize] = v
				lb := bufs[rng.Intn(liveBufs/workers)*workers+w]
				for j := 0; j < 1024; j += 8 {
					acc += uint64(lb[j])
				}
				if i%replaceEvery == 0 {
					idx := rng.Intn(liveBufs/workers)*workers + w
					nb := make([]byte, liveBufSize)
					nb[0] = byte(i)
					bufs[idx] = nb
					// replace a node in this worker's list (index parity = w)
					k := rng.Intn(liveNodes/workers)*workers + w
					old := nodes[k]
					n := &node{prev: old.prev, next: old.next}
					n.data[0] = int64(i)
					if n.prev != nil {
						n.prev.next = n
					}
					if n.next != nil {
						n.next.prev = n
					}
					nodes[k] = n
					acc += uint64(old.data[0])
				}
			}
			sink[w] = acc
		}(w)
	}
	wg.Wait()
	r.Finish(map[string]int64{"workers": workers, "iterations": workers * itersPerWorker})
}
