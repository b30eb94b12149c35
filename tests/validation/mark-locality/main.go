// mark-locality: what marking one object costs the collector, by where the objects lie.
//
// Builds 32 MiB of objects of SIZE bytes (a pointer and pointer-free padding), held either
// by a slice of pointers (mode "slice": the mark fans out) or only through the objects' own
// pointers (mode "chain": a linked list, one object after another). Order "seq" keeps them
// in allocation order, so consecutive objects are neighbours in memory; "shuffled" links and
// indexes them in a random order (seed 1), so each one is somewhere else, as long-lived
// objects replaced among short-lived ones end up. Then runs 10 forced GCs with nothing
// else running; record_mark_locality.sh reads their mark CPU from gctrace.
//
// With GARBAGE_MIB, each of the 10 GCs follows that many MiB of short-lived 2 KiB pointer-free
// objects, each written one byte per 64 B cache line (with GOGC off, so only the forced GCs
// run): how much of what the mark reads a program's allocation between two marks has pushed
// out of the caches and TLBs (record_mark_cache.sh).
//
// Usage: mark-locality SIZE(24|64|256) slice|chain seq|shuffled [GARBAGE_MIB]   (GOMAXPROCS=2)
// Prints the number of objects on stdout.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

type obj24 struct {
	next *obj24
	pad  [2]int64
}
type obj64 struct {
	next *obj64
	pad  [7]int64
}
type obj256 struct {
	next *obj256
	pad  [31]int64
}

var keep interface{}

// sink holds the last garbage object, so the allocations are not optimised away.
var sink []byte

// garbage allocates mib MiB of 2 KiB objects and writes one byte in each 64 B line of each.
func garbage(mib int) {
	for i := 0; i < mib<<9; i++ {
		b := make([]byte, 2048)
		for j := 0; j < len(b); j += 64 {
			b[j] = byte(i)
		}
		sink = b
	}
}

func build[T any](n int, shuffled bool, link func(a, b *T)) []*T {
	s := make([]*T, n)
	for i := range s {
		s[i] = new(T)
	}
	if shuffled {
		r := rand.New(rand.NewSource(1))
		r.Shuffle(n, func(i, j int) { s[i], s[j] = s[j], s[i] })
	}
	for i := 1; i < n; i++ {
		link(s[i], s[i-1])
	}
	return s
}

// hold keeps the slice (fan-out) or only the last object (a chain back to the first).
func hold[T any](s []*T, mode string) interface{} {
	if mode == "chain" {
		return s[len(s)-1]
	}
	return s
}

func main() {
	if len(os.Args) != 4 && len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: mark-locality 24|64|256 slice|chain seq|shuffled [GARBAGE_MIB]")
		os.Exit(2)
	}
	garbageMiB := 0
	if len(os.Args) == 5 {
		var err error
		if garbageMiB, err = strconv.Atoi(os.Args[4]); err != nil || garbageMiB < 0 {
			fmt.Fprintln(os.Stderr, "GARBAGE_MIB must be a whole number of MiB, 0 or more")
			os.Exit(2)
		}
		debug.SetGCPercent(-1)
	}
	size, mode, shuffled := os.Args[1], os.Args[2], os.Args[3] == "shuffled"
	const heap = 32 << 20
	var n int
	switch size {
	case "24":
		n = heap / 24
		keep = hold(build[obj24](n, shuffled, func(a, b *obj24) { a.next = b }), mode)
	case "64":
		n = heap / 64
		keep = hold(build[obj64](n, shuffled, func(a, b *obj64) { a.next = b }), mode)
	case "256":
		n = heap / 256
		keep = hold(build[obj256](n, shuffled, func(a, b *obj256) { a.next = b }), mode)
	default:
		fmt.Fprintln(os.Stderr, "size must be 24, 64 or 256")
		os.Exit(2)
	}
	runtime.GC() // the garbage of building
	for i := 0; i < 10; i++ {
		garbage(garbageMiB)
		runtime.GC()
	}
	runtime.KeepAlive(keep)
	fmt.Println(n)
}
