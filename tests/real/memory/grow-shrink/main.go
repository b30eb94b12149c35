// grow-shrink: live heap of small objects grows to ~512 MiB, drops to ~32 MiB, keeps churning.
//
// Everything is deterministic: fixed seeds, fixed counts, runtime.GOMAXPROCS(2).
// Build/run: see ../record.sh (GOMAXPROCS=2; GOGC=100, GOGC=200, GOGC=100+GOMEMLIMIT=400MiB).
// Flags: -out <prefix>, -post-iters N.
//
// Size mix for ALL objects (bytes:probability): 64:.25 128:.25 256:.25 512:.25 (mean 240 B),
// all pointer-free []byte, each written at byte 0 and its last byte (every page touched).
// 2 worker goroutines (seeds 400, 401), each with a churn ring of 1024 slots
// (churn lifetime = 1024 churn allocations of its worker).
//
// Phase "grow" (until mark "grown"): each worker loops: allocate 1 retained object + 1 churn
// object, until its retained bytes reach 256 MiB. Retained objects are indexed by
// []unsafe.Pointer chunks of 65536 entries (512 KiB each, pointerful).
// Result: 2,236,449 retained objects = 536,871,040 B (512 MiB) + 18 MiB of index chunks;
// 4,472,898 allocations in this phase. Takes ~0.45 s (GOGC=100/200), ~1.1 s with GOMEMLIMIT=400MiB.
// Phase "drop" (mark "dropped", ~10 ms): each worker keeps the first retained objects in
// allocation order until >= 16 MiB (139,406 objects kept in total = 32 MiB) and nils the rest
// and the unused index chunks. The kept prefix is contiguous in memory, so almost all spans of
// the dropped objects become completely free (heap free -> releasable by the scavenger).
// Phase "post" (until mark "done"): each worker does 15,000,000 churn allocations (1 per
// iteration), i.e. 30,000,000 more allocations, 7.2 GB; lasts 2.1-2.5 s.
// Total 34,472,898 allocations, 8.29 GB.
//
// Live heap target: grows linearly to ~530 MiB (512 MiB objects + 18 MiB index) at ~1.1-1.2 GiB/s,
// then ~35.5 MiB (32 MiB objects + 2 MiB index + rings + 1.2 MiB sampler).
// Measured on this machine (2 vCPU Xeon, Go 1.19.8, mean of 3 reps, recordings/):
//
//	GOGC=100:                  wall 2.76 s, 3.00e9 B/s, 1.25e7 objects/s, 150 GCs; post-drop marked ~47 MiB, goal ~96 MiB
//	GOGC=200:                  wall 2.54 s, 3.27e9 B/s, 1.36e7 objects/s,  66 GCs; post-drop marked ~59 MiB, goal ~178 MiB
//	GOGC=100 GOMEMLIMIT=400MiB: wall 3.52 s, 2.36e9 B/s, 9.8e6 objects/s, 179 GCs (limiter never engaged)
package main

import (
	"flag"
	"math/rand"
	"runtime"
	"sync"
	"unsafe"

	"gogcsim/realmemory/internal/pages"
	"gogcsim/realmemory/internal/sampler"
)

// Retained and churn objects use the same mix; all are pointer-free []byte.
var sizes = []int{64, 128, 256, 512}
var probs = []float64{0.25, 0.25, 0.25, 0.25}

const (
	workers     = 2
	growPerWkr  = 256 << 20 // retained object bytes per worker at the peak (2 x 256 = 512 MiB)
	keepPerWkr  = 16 << 20  // retained object bytes per worker kept after the drop (2 x 16 = 32 MiB)
	chunkN      = 65536     // retained objects are indexed by unsafe.Pointer chunks of 64 Ki entries (512 KiB each)
	ringN       = 1024      // churn objects die after 1024 further churn allocations of their worker
	workerSeed0 = 400
)

var postIters = flag.Int("post-iters", 15_000_000, "churn allocations per worker after the drop")

type worker struct {
	r      *rand.Rand
	cum    []float64
	chunks [][]unsafe.Pointer // retained objects (pointer to element 0 keeps the []byte alive)
	n      int                // retained objects
	bytes  int                // retained object bytes
	keepN  int                // objects kept after the drop (prefix of allocation order)
	ring   [][]byte
	j      int
}

func (w *worker) size() int {
	u := w.r.Float64()
	for i, c := range w.cum {
		if u < c {
			return sizes[i]
		}
	}
	return sizes[len(sizes)-1]
}

func (w *worker) churn() {
	b := make([]byte, w.size())
	pages.Touch(b)
	w.ring[w.j] = b
	w.j++
	if w.j == ringN {
		w.j = 0
	}
}

// grow: each iteration allocates 1 retained object + 1 churn object.
func (w *worker) grow() {
	for w.bytes < growPerWkr {
		b := make([]byte, w.size())
		pages.Touch(b)
		if w.n%chunkN == 0 {
			w.chunks = append(w.chunks, make([]unsafe.Pointer, chunkN))
		}
		w.chunks[w.n/chunkN][w.n%chunkN] = unsafe.Pointer(&b[0])
		w.n++
		w.bytes += len(b)
		if w.keepN == 0 && w.bytes >= keepPerWkr {
			w.keepN = w.n
		}
		w.churn()
	}
}

// drop keeps the first keepN retained objects (a contiguous prefix in allocation order,
// so most spans of the dropped objects become completely empty).
func (w *worker) drop() {
	for i := w.keepN; i < w.n; i++ {
		w.chunks[i/chunkN][i%chunkN] = nil
	}
	nc := (w.keepN + chunkN - 1) / chunkN
	for i := nc; i < len(w.chunks); i++ {
		w.chunks[i] = nil
	}
	w.chunks = w.chunks[:nc]
	w.n = w.keepN
}

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(2)
	cum := make([]float64, len(probs))
	mean, acc := 0.0, 0.0
	for i, p := range probs {
		acc += p
		cum[i] = acc
		mean += p * float64(sizes[i])
	}
	cum[len(cum)-1] = 1
	s := sampler.Start("grow-shrink", map[string]any{
		"sizes": sizes, "probs": probs, "pointerful": false, "mean_size": mean,
		"workers": workers, "grow_bytes_per_worker": growPerWkr, "keep_bytes_per_worker": keepPerWkr,
		"chunk_n": chunkN, "ring_n": ringN, "post_iters_per_worker": *postIters,
	})
	ws := make([]*worker, workers)
	for i := range ws {
		ws[i] = &worker{r: rand.New(rand.NewSource(int64(workerSeed0 + i))), cum: cum, ring: make([][]byte, ringN)}
	}
	run := func(f func(w *worker)) {
		var wg sync.WaitGroup
		for _, w := range ws {
			wg.Add(1)
			go func(w *worker) { defer wg.Done(); f(w) }(w)
		}
		wg.Wait()
	}
	run((*worker).grow)
	peakN, keepN, peakB, idx := 0, 0, 0, 0
	for _, w := range ws {
		peakN += w.n
		keepN += w.keepN
		peakB += w.bytes
		idx += 8 * chunkN * len(w.chunks)
	}
	s.Param("retained_objects_peak", peakN)
	s.Param("retained_object_bytes_peak", peakB)
	s.Param("retained_objects_kept", keepN)
	s.Param("index_bytes_peak", idx)
	s.Mark("grown")
	run((*worker).drop)
	s.Mark("dropped")
	run(func(w *worker) {
		for i := 0; i < *postIters; i++ {
			w.churn()
		}
	})
	s.Mark("done")
	runtime.KeepAlive(ws)
	s.Stop()
}
