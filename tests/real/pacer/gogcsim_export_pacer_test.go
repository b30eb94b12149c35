// gogcsim instrumentation: read-only accessors for gcControllerState
// internals. Copied into $GOROOT_COPY/src/runtime/ by record.sh.
// Package runtime (internal test file), so private fields are reachable.
// None of these functions mutate controller state.

package runtime

func (c *GCController) GogcsimConsMark() float64         { return c.consMark }
func (c *GCController) GogcsimErrIntegral() float64      { return c.consMarkController.errIntegral }
func (c *GCController) GogcsimRunway() uint64            { return c.runway.Load() }
func (c *GCController) GogcsimHeapScan() uint64          { return c.heapScan }
func (c *GCController) GogcsimLastHeapScan() uint64      { return c.lastHeapScan }
func (c *GCController) GogcsimLastStackScan() uint64     { return c.lastStackScan }
func (c *GCController) GogcsimHeapScanWork() int64       { return c.heapScanWork.Load() }
func (c *GCController) GogcsimStackScanWork() int64      { return c.stackScanWork.Load() }
func (c *GCController) GogcsimGlobalsScanWork() int64    { return c.globalsScanWork.Load() }
func (c *GCController) GogcsimGCPercentHeapGoal() uint64 { return c.gcPercentHeapGoal.Load() }
func (c *GCController) GogcsimSweepDistMinTrigger() uint64 {
	return c.sweepDistMinTrigger.Load()
}
func (c *GCController) GogcsimHeapMinimum() uint64         { return c.heapMinimum }
func (c *GCController) GogcsimGCPercent() int32            { return c.gcPercent.Load() }
func (c *GCController) GogcsimMemoryLimit() int64          { return c.memoryLimit.Load() }
func (c *GCController) GogcsimMemoryLimitHeapGoal() uint64 { return c.memoryLimitHeapGoal() }
func (c *GCController) GogcsimTriggered() uint64           { return c.triggered }

// GogcsimTrigger calls the pure function trigger() (no side effects).
func (c *GCController) GogcsimTrigger() (uint64, uint64) { return c.trigger() }
