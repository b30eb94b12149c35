// A short program whose every heap allocation Go 1.19 reports with GODEBUG=allocfreetrace=1
// (record.sh keeps only the tracealloc / tracefree / tracegc lines).
//
// Workload, in numbers: 2 rounds; each round builds a linked list of 500 nodes (48 B: a
// pointer, a 32-byte payload array, an int; class 48) and 500 pointer-free 256 B buffers
// ([]byte, class 256), keeps the list and drops the buffers, then drops the previous
// round's list. Two forced GCs (runtime.GC) per round let the runtime free the dropped
// objects, so tracefree lines appear. At the end it prints its own counts to stderr.
package main

import (
	"fmt"
	"os"
	"runtime"
)

type node struct {
	next    *node
	payload [32]byte
	n       int
}

var keep *node
var sink []byte

func main() {
	nodes, bufs := 0, 0
	for round := 0; round < 2; round++ {
		var head *node
		for i := 0; i < 500; i++ {
			head = &node{next: head, n: i}
			nodes++
			b := make([]byte, 256)
			b[0] = byte(i)
			sink = b
			bufs++
		}
		keep = head // the previous round's list is now garbage
		runtime.GC()
		runtime.GC()
	}
	fmt.Fprintf(os.Stderr, "nodes %d (48 B) buffers %d (256 B)\n", nodes, bufs)
}
