#!/usr/bin/env python3
"""gogcsim: instrument a COPY of Go 1.19 src/runtime/mgcpacer_test.go.

Usage: instrument_pacer_test.py <path/to/copy/of/mgcpacer_test.go>

Adds read-only logging around each simulated GC cycle of TestGcPacer.
Every edit is an exact-anchor insertion; the script aborts if an anchor is
not found exactly once (i.e. the file is not the expected Go 1.19 version).
No existing statement is removed or reordered, and the inserted code only
reads state (via the Gogcsim* accessors in gogcsim_export_pacer_test.go),
so the simulation is unchanged.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from anchored_edit import AnchoredFile  # noqa: E402

f = AnchoredFile(sys.argv[1])
edit = f.edit


# 1. Around StartCycle: capture the state the cycle starts from.
edit(
    "\t\t\t\tcycle := e.next()\n"
    "\t\t\t\tc.StartCycle(cycle.stackBytes, e.globalsBytes, cycle.scannableFrac, e.nCores)\n",
    "\t\t\t\tcycle := e.next()\n"
    "\t\t\t\tgogcsimHeapMarkedPrev := c.HeapMarked()\n"
    "\t\t\t\tgogcsimRunway := c.GogcsimRunway()\n"
    "\t\t\t\tgogcsimConsMarkBefore := c.GogcsimConsMark()\n"
    "\t\t\t\tgogcsimSweepDist := c.GogcsimSweepDistMinTrigger()\n"
    "\t\t\t\tgogcsimTriggerStart, gogcsimGoalStart := c.GogcsimTrigger()\n"
    "\t\t\t\tc.StartCycle(cycle.stackBytes, e.globalsBytes, cycle.scannableFrac, e.nCores)\n"
    "\t\t\t\tgogcsimHeapLiveStart := c.HeapLive()\n"
    "\t\t\t\tgogcsimHeapScanStart := c.GogcsimHeapScan()\n"
    "\t\t\t\tgogcsimAWPBStart := c.AssistWorkPerByte()\n"
    "\t\t\t\tvar gogcsimNRevise int64\n",
)

# 2. Count revise periods (one per iteration of the mark loop).
edit(
    "\t\t\t\t\t// Accumulate variables.\n",
    "\t\t\t\t\tgogcsimNRevise++\n"
    "\t\t\t\t\t// Accumulate variables.\n",
)

# 3. Around EndCycle: capture end-of-mark state, call EndCycle, capture
#    post-commit state, emit one line.
edit(
    "\t\t\t\tc.EndCycle(uint64(nextHeapMarked+bytesAllocatedBlack), assistTime, gcDuration, e.nCores)\n",
    "\t\t\t\tgogcsimAWPBEnd := c.AssistWorkPerByte()\n"
    "\t\t\t\tgogcsimHeapScanWork := c.GogcsimHeapScanWork()\n"
    "\t\t\t\tgogcsimStackScanWork := c.GogcsimStackScanWork()\n"
    "\t\t\t\tgogcsimGlobalsScanWork := c.GogcsimGlobalsScanWork()\n"
    "\t\t\t\tgogcsimTriggered := c.GogcsimTriggered()\n"
    "\t\t\t\tgogcsimAssistUtil := float64(assistTime) / (float64(gcDuration) * float64(e.nCores))\n"
    "\t\t\t\t// current cons/mark, recomputed with the same expression as endCycle (idle time is 0).\n"
    "\t\t\t\tgogcsimCurConsMark := \"\"\n"
    "\t\t\t\tif c.HeapLive() > gogcsimTriggered {\n"
    "\t\t\t\t\tu := GCBackgroundUtilization\n"
    "\t\t\t\t\tif gcDuration > 0 {\n"
    "\t\t\t\t\t\tu += float64(assistTime) / float64(gcDuration*int64(e.nCores))\n"
    "\t\t\t\t\t}\n"
    "\t\t\t\t\tsw := gogcsimHeapScanWork + gogcsimStackScanWork + gogcsimGlobalsScanWork\n"
    "\t\t\t\t\tgogcsimCurConsMark = gogcsimF((float64(c.HeapLive()-gogcsimTriggered) * (u + 0.0)) / (float64(sw) * (1 - u)))\n"
    "\t\t\t\t}\n"
    "\t\t\t\tc.EndCycle(uint64(nextHeapMarked+bytesAllocatedBlack), assistTime, gcDuration, e.nCores)\n"
    "\t\t\t\tgogcsimEmit(\"GOGCSIM_PACER\", e.name, []string{\n"
    "\t\t\t\t\tgogcsimI(int64(i + 1)),\n"
    "\t\t\t\t\tgogcsimI(int64(e.gcPercent)),\n"
    "\t\t\t\t\tgogcsimI(e.memoryLimit),\n"
    "\t\t\t\t\tgogcsimI(int64(e.nCores)),\n"
    "\t\t\t\t\tgogcsimF(cycle.allocRate),\n"
    "\t\t\t\t\tgogcsimF(cycle.scanRate),\n"
    "\t\t\t\t\tgogcsimF(cycle.growthRate),\n"
    "\t\t\t\t\tgogcsimF(cycle.scannableFrac),\n"
    "\t\t\t\t\tgogcsimU(cycle.stackBytes),\n"
    "\t\t\t\t\tgogcsimU(e.globalsBytes),\n"
    "\t\t\t\t\tgogcsimU(gogcsimHeapMarkedPrev),\n"
    "\t\t\t\t\tgogcsimU(result.heapTrigger),\n"
    "\t\t\t\t\tgogcsimU(result.heapGoal),\n"
    "\t\t\t\t\tgogcsimU(result.heapPeak),\n"
    "\t\t\t\t\tgogcsimU(c.HeapMarked()),\n"
    "\t\t\t\t\tgogcsimF(result.gcUtilization),\n"
    "\t\t\t\t\tgogcsimF(gogcsimAssistUtil),\n"
    "\t\t\t\t\tgogcsimF(c.GogcsimConsMark()),\n"
    "\t\t\t\t\tgogcsimU(gogcsimRunway),\n"
    "\t\t\t\t\t// extra columns\n"
    "\t\t\t\t\tgogcsimF(gogcsimConsMarkBefore),\n"
    "\t\t\t\t\tgogcsimCurConsMark,\n"
    "\t\t\t\t\tgogcsimF(c.GogcsimErrIntegral()),\n"
    "\t\t\t\t\tgogcsimU(gogcsimSweepDist),\n"
    "\t\t\t\t\tgogcsimU(gogcsimTriggerStart),\n"
    "\t\t\t\t\tgogcsimU(gogcsimGoalStart),\n"
    "\t\t\t\t\tgogcsimU(gogcsimHeapLiveStart),\n"
    "\t\t\t\t\tgogcsimU(gogcsimHeapScanStart),\n"
    "\t\t\t\t\tgogcsimF(gogcsimAWPBStart),\n"
    "\t\t\t\t\tgogcsimF(gogcsimAWPBEnd),\n"
    "\t\t\t\t\tgogcsimI(gogcsimNRevise),\n"
    "\t\t\t\t\tgogcsimI(gcDuration),\n"
    "\t\t\t\t\tgogcsimI(assistTime),\n"
    "\t\t\t\t\tgogcsimI(nextHeapMarked),\n"
    "\t\t\t\t\tgogcsimI(bytesAllocatedBlack),\n"
    "\t\t\t\t\tgogcsimI(result.heapScannable),\n"
    "\t\t\t\t\tgogcsimI(gogcsimHeapScanWork),\n"
    "\t\t\t\t\tgogcsimI(gogcsimStackScanWork),\n"
    "\t\t\t\t\tgogcsimI(gogcsimGlobalsScanWork),\n"
    "\t\t\t\t\tgogcsimU(c.GogcsimLastHeapScan()),\n"
    "\t\t\t\t\tgogcsimU(c.GogcsimLastStackScan()),\n"
    "\t\t\t\t\tgogcsimU(c.GogcsimGCPercentHeapGoal()),\n"
    "\t\t\t\t\tgogcsimU(c.GogcsimMemoryLimitHeapGoal()),\n"
    "\t\t\t\t\tgogcsimU(c.HeapGoal()),\n"
    "\t\t\t\t\tgogcsimU(c.GogcsimRunway()),\n"
    "\t\t\t\t\tgogcsimU(c.GogcsimHeapMinimum()),\n"
    "\t\t\t\t})\n",
)

# 4. Per-revise-period trace, only for a few small scenarios (keeps data small).
edit(
    "\t\t\t\t\tbytesAllocatedBlack += actualAllocated\n",
    "\t\t\t\t\tbytesAllocatedBlack += actualAllocated\n"
    "\t\t\t\t\tif gogcsimTraceRevise[e.name] {\n"
    "\t\t\t\t\t\tgogcsimEmit(\"GOGCSIM_REVISE\", e.name, []string{\n"
    "\t\t\t\t\t\t\tgogcsimI(int64(i + 1)),\n"
    "\t\t\t\t\t\t\tgogcsimI(gogcsimNRevise),\n"
    "\t\t\t\t\t\t\tgogcsimF(assistRatio),\n"
    "\t\t\t\t\t\t\tgogcsimF(utilization),\n"
    "\t\t\t\t\t\t\tgogcsimI(bytesScanned),\n"
    "\t\t\t\t\t\t\tgogcsimI(bytesAllocated),\n"
    "\t\t\t\t\t\t\tgogcsimI(globalsScanned),\n"
    "\t\t\t\t\t\t\tgogcsimI(stackScanned),\n"
    "\t\t\t\t\t\t\tgogcsimI(heapScanned),\n"
    "\t\t\t\t\t\t\tgogcsimI(int64(actualElapsed)),\n"
    "\t\t\t\t\t\t\tgogcsimI(actualAllocated),\n"
    "\t\t\t\t\t\t\tgogcsimI(int64(float64(actualAllocated) * cycle.scannableFrac)),\n"
    "\t\t\t\t\t\t\tgogcsimI(globalsScanWorkLeft),\n"
    "\t\t\t\t\t\t\tgogcsimI(stackScanWorkLeft),\n"
    "\t\t\t\t\t\t\tgogcsimI(heapScanWorkLeft),\n"
    "\t\t\t\t\t\t\tgogcsimU(c.HeapLive()),\n"
    "\t\t\t\t\t\t\tgogcsimU(c.GogcsimHeapScan()),\n"
    "\t\t\t\t\t\t\tgogcsimF(c.AssistWorkPerByte()),\n"
    "\t\t\t\t\t\t\tgogcsimU(c.HeapGoal()),\n"
    "\t\t\t\t\t\t\tgogcsimI(assistTime),\n"
    "\t\t\t\t\t\t\tgogcsimI(gcDuration),\n"
    "\t\t\t\t\t\t})\n"
    "\t\t\t\t\t}\n",
)

f.save()
print("instrumented", f.path)
