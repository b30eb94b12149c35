// madvise-interference: how much one thread releasing memory slows another thread that only
// reads memory, on this machine. Not a validation program: a measurement behind the near-limit
// gap in README.md ("Where it is still wrong").
//
// Over GOMEMLIMIT the Go 1.19 runtime releases memory span by span as it allocates: strace of
// near-limit at 200MiB shows ~166,000 madvise(MADV_DONTNEED) calls of 8-16 KiB, each after a
// madvise(MADV_NOHUGEPAGE) of its 2 MiB region, ~35 pairs per ms. Each MADV_DONTNEED flushes
// the TLBs of every CPU running the process (an inter-processor interrupt; in a VM, an exit to
// the hypervisor). This program measures what that costs the *other* thread.
//
// Reader: one goroutine locked to its thread follows a random cyclic list of 3M 48 B nodes
// (144 MiB, pointer chasing like a GC marker on a linked list) or, with "seq", the same list in
// address order (a streaming reader), 20M steps. Releaser: another locked goroutine loops over
// a 64 MiB mapping: touch the next CHUNK bytes (page faults), then optionally
// madvise(MADV_NOHUGEPAGE) on their 2 MiB region, then madvise(MADV_DONTNEED) on them.
// CHUNK=0: no releaser (the baseline).
//
// Usage: madvise-interference CHUNK [nohuge|plain] [random|seq]
// Prints one line: ns per reader step, releaser calls per ms, MB/s released.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

type node struct {
	next *node
	pad  [5]int64
}

const (
	madvDontneed   = 4
	madvNohugepage = 15
	nodes          = 3 << 20
	steps          = 20_000_000
	region         = 64 << 20
	hugePage       = 2 << 20
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: madvise-interference CHUNK [nohuge|plain] [random|seq]")
		os.Exit(2)
	}
	chunk, err := strconv.Atoi(os.Args[1])
	if err != nil || chunk < 0 || chunk%4096 != 0 || chunk > region {
		fmt.Fprintln(os.Stderr, "madvise-interference: CHUNK must be a multiple of 4096 up to 64 MiB")
		os.Exit(2)
	}
	nohuge := len(os.Args) > 2 && os.Args[2] == "nohuge"
	seq := len(os.Args) > 3 && os.Args[3] == "seq"

	list := make([]node, nodes)
	order := rand.New(rand.NewSource(1)).Perm(nodes)
	if seq {
		for i := range order {
			order[i] = i
		}
	}
	for i := 0; i < nodes; i++ {
		list[order[i]].next = &list[order[(i+1)%nodes]]
	}

	var stop int32
	var calls int64
	done := make(chan struct{})
	if chunk > 0 {
		mem, err := syscall.Mmap(-1, 0, region, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			panic(err)
		}
		go func() {
			runtime.LockOSThread()
			defer close(done)
			for off := 0; atomic.LoadInt32(&stop) == 0; off = (off + chunk) % region {
				for i := off; i < off+chunk; i += 4096 {
					mem[i] = 1
				}
				if nohuge {
					h := off &^ (hugePage - 1)
					syscall.Madvise(mem[h:h+hugePage], madvNohugepage)
				}
				syscall.Madvise(mem[off:off+chunk], madvDontneed)
				atomic.AddInt64(&calls, 1)
			}
		}()
	} else {
		close(done)
	}

	runtime.LockOSThread()
	time.Sleep(50 * time.Millisecond) // let the releaser start
	c0 := atomic.LoadInt64(&calls)
	p := &list[order[0]]
	t0 := time.Now()
	for i := 0; i < steps; i++ {
		p = p.next
	}
	el := time.Since(t0)
	n := atomic.LoadInt64(&calls) - c0
	atomic.StoreInt32(&stop, 1)
	<-done
	ms := float64(el.Nanoseconds()) / 1e6
	fmt.Printf("%.1f ns/step, %.1f releases/ms, %.0f MB/s released, %v\n",
		float64(el.Nanoseconds())/steps, float64(n)/ms, float64(n)*float64(chunk)/ms/1e3, p != nil)
}
