#!/usr/bin/env python3
"""gogcsim: instrument a COPY of Go 1.19 src/runtime/mgclimit_test.go.

Usage: instrument_limiter_test.py <path/to/copy/of/mgclimit_test.go>

Two exact-anchor edits (abort unless each anchor occurs exactly once):
  * the limiter is created through newGogcsimLimiter (a wrapper that forwards
    every call unchanged to the real *GCCPULimiter and logs it),
  * the wrapper is told the current iteration number (1 or 2).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from anchored_edit import AnchoredFile  # noqa: E402

f = AnchoredFile(sys.argv[1])
edit = f.edit


edit("\tl := NewGCCPULimiter(ticks, procs)\n",
     "\tl := newGogcsimLimiter(ticks, procs)\n")
edit("\t\tt.Logf(\"Iteration %d\", i+1)\n",
     "\t\tt.Logf(\"Iteration %d\", i+1)\n\t\tl.iter = i + 1\n")

f.save()
print("instrumented", f.path)
