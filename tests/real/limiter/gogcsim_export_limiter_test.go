// gogcsim instrumentation: read-only accessors for gcCPULimiterState
// internals. Copied into $GOROOT_COPY/src/runtime/ by record.sh.
// Package runtime (internal test file). None of these mutate state.

package runtime

func (l *GCCPULimiter) GogcsimLastUpdate() int64     { return l.limiter.lastUpdate.Load() }
func (l *GCCPULimiter) GogcsimAssistTimePool() int64 { return l.limiter.assistTimePool.Load() }
func (l *GCCPULimiter) GogcsimIdleTimePool() int64   { return l.limiter.idleTimePool.Load() }
func (l *GCCPULimiter) GogcsimGCEnabled() bool       { return l.limiter.gcEnabled }
func (l *GCCPULimiter) GogcsimTransitioning() bool   { return l.limiter.transitioning }
func (l *GCCPULimiter) GogcsimNprocs() int32         { return l.limiter.nprocs }
func (l *GCCPULimiter) GogcsimEnabled() bool         { return l.limiter.enabled.Load() }
