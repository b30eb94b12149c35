#!/usr/bin/env python3
"""gogcsim: instrument a COPY of Go 1.19 src/runtime/mgclimit_test.go.

Usage: instrument_limiter_test.py <path/to/copy/of/mgclimit_test.go>

Two exact-anchor edits (abort unless each anchor occurs exactly once):
  * the limiter is created through newGogcsimLimiter (a wrapper that forwards
    every call unchanged to the real *GCCPULimiter and logs it),
  * the wrapper is told the current iteration number (1 or 2).
"""
import sys

path = sys.argv[1]
src = open(path).read()


def edit(anchor, replacement):
    global src
    n = src.count(anchor)
    if n != 1:
        sys.exit("instrument_limiter_test.py: anchor found %d times (want 1):\n%s" % (n, anchor))
    src = src.replace(anchor, replacement)


edit("\tl := NewGCCPULimiter(ticks, procs)\n",
     "\tl := newGogcsimLimiter(ticks, procs)\n")
edit("\t\tt.Logf(\"Iteration %d\", i+1)\n",
     "\t\tt.Logf(\"Iteration %d\", i+1)\n\t\tl.iter = i + 1\n")

open(path, "w").write(src)
print("instrumented", path)
