// gogcsim instrumentation: a logging wrapper around *GCCPULimiter used by the
// instrumented TestGCCPULimiter. Copied into $GOROOT_COPY/src/runtime/ by
// record.sh (package runtime_test). Every mutating call (and NeedUpdate) is
// forwarded unchanged to the real limiter, then one line is written with the
// call's arguments and the limiter state afterwards. Pure queries (Fill,
// Capacity, Overflow, Limiting) are forwarded via embedding and not logged.

package runtime_test

import (
	"os"
	. "runtime"
	"strconv"
	"strings"
)

type gogcsimLimiter struct {
	*GCCPULimiter
	iter int
	step int
}

func newGogcsimLimiter(now int64, procs int32) *gogcsimLimiter {
	l := &gogcsimLimiter{GCCPULimiter: NewGCCPULimiter(now, procs)}
	l.log("new", strconv.FormatInt(now, 10), "", "", strconv.FormatInt(int64(procs), 10), "")
	return l
}

func gogcsimB(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func (l *gogcsimLimiter) log(op, now, enableGC, assist, nprocs, result string) {
	l.step++
	f := []string{
		strconv.Itoa(l.step), strconv.Itoa(l.iter), op, now, enableGC, assist, nprocs, result,
		strconv.FormatUint(l.Fill(), 10),
		strconv.FormatUint(l.Capacity(), 10),
		strconv.FormatUint(l.Overflow(), 10),
		gogcsimB(l.GogcsimEnabled()),
		strconv.FormatInt(l.GogcsimLastUpdate(), 10),
		strconv.FormatInt(l.GogcsimAssistTimePool(), 10),
		strconv.FormatInt(l.GogcsimIdleTimePool(), 10),
		gogcsimB(l.GogcsimGCEnabled()),
		gogcsimB(l.GogcsimTransitioning()),
		strconv.FormatInt(int64(l.GogcsimNprocs()), 10),
	}
	os.Stdout.Write([]byte("GOGCSIM_LIMITER\t" + strings.Join(f, ",") + "\n"))
}

func (l *gogcsimLimiter) Update(now int64) {
	l.GCCPULimiter.Update(now)
	l.log("update", strconv.FormatInt(now, 10), "", "", "", "")
}

func (l *gogcsimLimiter) NeedUpdate(now int64) bool {
	r := l.GCCPULimiter.NeedUpdate(now)
	l.log("needUpdate", strconv.FormatInt(now, 10), "", "", "", gogcsimB(r))
	return r
}

func (l *gogcsimLimiter) StartGCTransition(enableGC bool, now int64) {
	l.GCCPULimiter.StartGCTransition(enableGC, now)
	l.log("startGCTransition", strconv.FormatInt(now, 10), gogcsimB(enableGC), "", "", "")
}

func (l *gogcsimLimiter) FinishGCTransition(now int64) {
	l.GCCPULimiter.FinishGCTransition(now)
	l.log("finishGCTransition", strconv.FormatInt(now, 10), "", "", "", "")
}

func (l *gogcsimLimiter) AddAssistTime(t int64) {
	l.GCCPULimiter.AddAssistTime(t)
	l.log("addAssistTime", "", "", strconv.FormatInt(t, 10), "", "")
}

func (l *gogcsimLimiter) ResetCapacity(now int64, nprocs int32) {
	l.GCCPULimiter.ResetCapacity(now, nprocs)
	l.log("resetCapacity", strconv.FormatInt(now, 10), "", "", strconv.FormatInt(int64(nprocs), 10), "")
}
