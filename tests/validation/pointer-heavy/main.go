// pointer-heavy: a large pointer-dense live structure plus churn of small
// pointerful objects.
//
// Workload (numbers; "measured" values are from this machine, GOMAXPROCS=2,
// GOGC=100, no limit — see README.md for the full matrix):
//   - live heap: a complete binary tree of depth 20 (2^21-1 = 2,097,151
//     nodes). node = {left, right *node; key int64} = 24 B (24 B size class,
//     2 of 3 words are pointers) => 48 MiB live, all scannable.
//   - workers: 2 goroutines; worker w owns subtree root.left (w=0) or
//     root.right (w=1).
//   - work: 700,000 iterations per worker (1,400,000 total). Each iteration
//     (1) walks a random path from its subtree root down to depth 14
//     (pointer chasing, read-only); (2) allocates a temporary depth-3 tree
//     (15 nodes x 24 B = 360 B) and a []*node of length 8 (64 B,
//     pointerful) referencing it, stored in a per-worker ring of 1024 slots
//     (dies after 1024 iterations, ~430 KiB young data per worker);
//     (3) every 16 iterations, replaces a random depth-15 subtree (63 nodes
//     = 1,512 B) with a freshly built one; the old subtree dies. Live size
//     stays 48 MiB.
//   - allocation per iteration: 360 + 64 + 1512/16 = ~518 B, 19.9 objects;
//     total ~ 1.4M * 518 B = ~692 MiB plus 48 MiB for the initial tree.
//   - measured (GOGC=100, no limit, 3 reps): 740 MiB allocated in total,
//     30.0M mallocs, wall 1.32-2.22 s, i.e. 0.33-0.55 GiB/s; GC takes ~35% of
//     the CPU (marking 2M small pointerful objects).
package main

import (
	"gogcsim/validation/internal/gcsummary"
	"sync"
)

type node struct {
	left, right *node
	key         int64
}

const (
	treeDepth      = 20 // levels below the root
	workers        = 2
	itersPerWorker = 700_000
	ringSize       = 1024
	replaceEvery   = 16
	replaceDepth   = 14 // depth (from root) of replaced subtrees
	tempDepth      = 3
)

func build(depth int, key int64) *node {
	n := &node{key: key}
	if depth > 0 {
		n.left = build(depth-1, 2*key)
		n.right = build(depth-1, 2*key+1)
	}
	return n
}

var root *node
var sink [workers]int64

func main() {
	rec := gcsummary.Start("pointer-heavy")
	root = build(treeDepth, 1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := gcsummary.XorShift(0x2545F4914F6CDD1D + uint64(w))
			sub := root.left
			if w == 1 {
				sub = root.right
			}
			ring := make([][]*node, ringSize)
			var acc int64
			for i := 0; i < itersPerWorker; i++ {
				// read-only walk to depth replaceDepth (sub is at depth 1)
				path := rng.Next()
				n := sub
				for d := 1; d < replaceDepth; d++ {
					acc += n.key
					if path&(1<<d) != 0 {
						n = n.right
					} else {
						n = n.left
					}
				}
				// short-lived pointerful garbage
				t := build(tempDepth, int64(i))
				s := make([]*node, 8)
				s[0], s[1], s[2] = t, t.left, t.right
				s[3], s[4] = t.left.left, t.left.right
				s[5], s[6] = t.right.left, t.right.right
				s[7] = n
				if old := ring[i%ringSize]; old != nil {
					acc += old[0].key
				}
				ring[i%ringSize] = s
				// mutate the long-lived tree
				if i%replaceEvery == 0 {
					// n is at depth replaceDepth; replace one of its children
					// (a subtree with treeDepth-replaceDepth-1 levels below it).
					if path&1 != 0 {
						n.right = build(treeDepth-replaceDepth-1, n.key*2+1)
					} else {
						n.left = build(treeDepth-replaceDepth-1, n.key*2)
					}
				}
			}
			sink[w] = acc
		}(w)
	}
	wg.Wait()
	rec.Finish(map[string]int64{"workers": workers, "iterations": workers * itersPerWorker, "tree_nodes": 1<<(treeDepth+1) - 1})
}
