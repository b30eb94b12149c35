// gogcsim instrumentation: output helpers for TestGcPacer logging.
// Copied into $GOROOT_COPY/src/runtime/ by record.sh (package runtime_test).

package runtime_test

import (
	"os"
	"strconv"
	"strings"
)

func gogcsimF(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
func gogcsimU(x uint64) string  { return strconv.FormatUint(x, 10) }
func gogcsimI(x int64) string   { return strconv.FormatInt(x, 10) }

// gogcsimEmit writes one complete line with a single write(2) call so that
// lines from parallel subtests never interleave (each line << PIPE_BUF).
func gogcsimEmit(tag, name string, fields []string) {
	line := tag + "\t" + name + "\t" + strings.Join(fields, ",") + "\n"
	os.Stdout.Write([]byte(line))
}

// Scenarios for which every revise period of the mark loop is also logged.
var gogcsimTraceRevise = map[string]bool{
	"Steady":                       true,
	"SmallHeapSlowAlloc":           true,
	"HeavyJitterAlloc":             true,
	"SteadyMemoryLimitNoGCPercent": true,
}
