// Package sampler records a 10 ms timeseries of Go runtime memory metrics
// (runtime/metrics, which does not stop the world) plus process RSS
// (/proc/self/statm), and writes <out>.csv and <out>.json at Stop().
//
// Usage (each program):
//
//	s := sampler.Start("small-churn", params)   // params: map[string]any, echoed into JSON
//	...workload...; s.Mark("drop")              // optional phase markers (t_ns recorded)
//	s.Stop()                                    // final sample, ReadMemStats, histograms, write files
//
// Output prefix comes from the -out flag (default "./<name>"); the program must
// call flag.Parse() (sampler.Start does it if not yet parsed).
//
// Overhead: one background goroutine waking every 10 ms; all sample storage is
// preallocated at Start (maxRows x len(columns) uint64 = ~1.2 MiB pointer-free,
// counted in heap_objects_bytes for the whole run); per-tick work does not allocate.
package sampler

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/trace"
	"strconv"
	"sync"
	"syscall"
	"time"
)

var outFlag = flag.String("out", "", "output prefix (writes <out>.csv and <out>.json); default ./<program name>")

// Column is one CSV column: snake_case name and the runtime/metrics name ("" = derived).
type Column struct{ Name, Metric string }

// Columns in CSV order. t_ns first, rss_bytes last.
var Columns = []Column{
	{"t_ns", ""},
	{"heap_objects_bytes", "/memory/classes/heap/objects:bytes"},
	{"heap_unused_bytes", "/memory/classes/heap/unused:bytes"},
	{"heap_free_bytes", "/memory/classes/heap/free:bytes"},
	{"heap_released_bytes", "/memory/classes/heap/released:bytes"},
	{"heap_stacks_bytes", "/memory/classes/heap/stacks:bytes"},
	{"total_bytes", "/memory/classes/total:bytes"},
	{"metadata_mspan_inuse_bytes", "/memory/classes/metadata/mspan/inuse:bytes"},
	{"metadata_mspan_free_bytes", "/memory/classes/metadata/mspan/free:bytes"},
	{"metadata_mcache_inuse_bytes", "/memory/classes/metadata/mcache/inuse:bytes"},
	{"metadata_mcache_free_bytes", "/memory/classes/metadata/mcache/free:bytes"},
	{"metadata_other_bytes", "/memory/classes/metadata/other:bytes"},
	{"os_stacks_bytes", "/memory/classes/os-stacks:bytes"},
	{"other_bytes", "/memory/classes/other:bytes"},
	{"profiling_buckets_bytes", "/memory/classes/profiling/buckets:bytes"},
	{"gc_heap_goal_bytes", "/gc/heap/goal:bytes"},
	{"gc_cycles_total", "/gc/cycles/total:gc-cycles"},
	{"gc_cycles_forced", "/gc/cycles/forced:gc-cycles"},
	{"gc_heap_allocs_bytes", "/gc/heap/allocs:bytes"},
	{"gc_heap_allocs_objects", "/gc/heap/allocs:objects"},
	{"gc_heap_frees_bytes", "/gc/heap/frees:bytes"},
	{"gc_heap_frees_objects", "/gc/heap/frees:objects"},
	{"gc_heap_tiny_allocs_objects", "/gc/heap/tiny/allocs:objects"},
	{"gc_limiter_last_enabled", "/gc/limiter/last-enabled:gc-cycle"},
	{"rss_bytes", ""},
}

const (
	Interval = 10 * time.Millisecond
	maxRows  = 6000 // 60 s at 10 ms; later ticks are dropped (counted in JSON)
	maxCSV   = 1000 // CSV is downsampled to at most this many rows
)

type Sampler struct {
	name    string
	params  map[string]any
	out     string
	start   time.Time
	samples []metrics.Sample
	traceF  *os.File
	rows    []uint64 // flat maxRows*ncol
	n       int
	dropped int
	statm   int
	page    uint64
	buf     [256]byte
	mu      sync.Mutex
	marks   []mark
	stop    chan struct{}
	done    chan struct{}
	ncol    int
	busy0   uint64
	steal0  uint64
}

type mark struct {
	Name string `json:"name"`
	TNs  int64  `json:"t_ns"`
}

// Start begins sampling immediately (one sample at t=0, then every 10 ms).
func Start(name string, params map[string]any) *Sampler {
	if !flag.Parsed() {
		flag.Parse()
	}
	s := &Sampler{name: name, params: params, out: *outFlag, page: uint64(os.Getpagesize()),
		stop: make(chan struct{}), done: make(chan struct{}), ncol: len(Columns)}
	if s.out == "" {
		s.out = "./" + name
	}
	for _, c := range Columns {
		if c.Metric != "" {
			s.samples = append(s.samples, metrics.Sample{Name: c.Metric})
		}
	}
	s.rows = make([]uint64, maxRows*s.ncol)
	fd, err := syscall.Open("/proc/self/statm", syscall.O_RDONLY, 0)
	if err != nil {
		fd = -1
	}
	s.statm = fd
	// SAMPLER_TRACE=FILE: also write a runtime/trace of the run (record_scavenger.sh reads the
	// background scavenger's runs from it). Off in the recordings: tracing slows the program.
	if path := os.Getenv("SAMPLER_TRACE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		if err := trace.Start(f); err != nil {
			panic(err)
		}
		s.traceF = f
	}
	s.busy0, s.steal0 = hostCPU()
	s.start = time.Now()
	s.sample()
	go s.loop()
	return s
}

// Param adds/overwrites one entry of the params echoed into the JSON summary
// (for quantities only known after the workload started, e.g. live-set counts).
func (s *Sampler) Param(k string, v any) {
	s.mu.Lock()
	s.params[k] = v
	s.mu.Unlock()
}

// Mark records a named phase boundary at the current time.
func (s *Sampler) Mark(name string) {
	t := time.Since(s.start).Nanoseconds()
	s.mu.Lock()
	s.marks = append(s.marks, mark{name, t})
	s.mu.Unlock()
	fmt.Fprintf(os.Stderr, "gogcsim-mark %s t_ns=%d\n", name, t)
}

func (s *Sampler) loop() {
	defer close(s.done)
	tk := time.NewTicker(Interval)
	defer tk.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tk.C:
			s.sample()
		}
	}
}

func (s *Sampler) rss() uint64 {
	if s.statm < 0 {
		return 0
	}
	n, err := syscall.Pread(s.statm, s.buf[:], 0)
	if err != nil || n <= 0 {
		return 0
	}
	// "size resident shared text lib data dt" in pages
	b := s.buf[:n]
	i := 0
	for i < len(b) && b[i] != ' ' {
		i++
	}
	i++
	var v uint64
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		v = v*10 + uint64(b[i]-'0')
		i++
	}
	return v * s.page
}

func (s *Sampler) sample() {
	if s.n >= maxRows {
		s.dropped++
		return
	}
	t := time.Since(s.start).Nanoseconds()
	metrics.Read(s.samples)
	rss := s.rss()
	row := s.rows[s.n*s.ncol : (s.n+1)*s.ncol]
	j := 0
	for i, c := range Columns {
		switch {
		case c.Name == "t_ns":
			row[i] = uint64(t)
		case c.Name == "rss_bytes":
			row[i] = rss
		default:
			v := s.samples[j].Value
			if v.Kind() == metrics.KindUint64 {
				row[i] = v.Uint64()
			}
			j++
		}
	}
	s.n++
}

// hostCPU returns host-wide busy jiffies (user+nice+system+irq+softirq+steal) and steal
// jiffies from the first line of /proc/stat (zeros if unavailable).
func hostCPU() (busy, steal uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	// "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
	var f [11]uint64
	k := -1
	inNum := false
	for i := 0; i < len(b) && b[i] != '\n'; i++ {
		c := b[i]
		if c >= '0' && c <= '9' {
			if !inNum {
				k++
				inNum = true
			}
			if k < len(f) {
				f[k] = f[k]*10 + uint64(c-'0')
			}
		} else {
			inNum = false
		}
	}
	return f[0] + f[1] + f[2] + f[5] + f[6] + f[7], f[7]
}

type bucket struct {
	Lo    string `json:"lo"`
	Hi    string `json:"hi"`
	Count uint64 `json:"count"`
}

func fnum(f float64) string {
	if math.IsInf(f, 1) {
		return "+Inf"
	}
	if math.IsInf(f, -1) {
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func hist(name string) []bucket {
	sm := []metrics.Sample{{Name: name}}
	metrics.Read(sm)
	if sm[0].Value.Kind() != metrics.KindFloat64Histogram {
		return nil
	}
	h := sm[0].Value.Float64Histogram()
	var out []bucket
	for i, c := range h.Counts {
		if c != 0 {
			out = append(out, bucket{fnum(h.Buckets[i]), fnum(h.Buckets[i+1]), c})
		}
	}
	return out
}

// Stop takes a final sample, then ReadMemStats + histograms, and writes the files.
func (s *Sampler) Stop() {
	close(s.stop)
	<-s.done
	if s.traceF != nil {
		trace.Stop()
		s.traceF.Close()
	}
	s.sample() // final sample (after the workload)
	wall := time.Since(s.start)
	busy1, steal1 := hostCPU()
	steal := steal1 - s.steal0
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	allocsBy := hist("/gc/heap/allocs-by-size:bytes")
	freesBy := hist("/gc/heap/frees-by-size:bytes")
	if s.statm >= 0 {
		syscall.Close(s.statm)
	}

	col := func(name string) int {
		for i, c := range Columns {
			if c.Name == name {
				return i
			}
		}
		panic(name)
	}
	// Values are stored as uint64 but interpreted as int64: /memory/classes/heap/unused:bytes
	// is computed by the runtime as inHeap - inObjects and occasionally underflows
	// (golang/go#67019); such samples appear as small negative numbers.
	peak := map[string]int64{}
	final := map[string]int64{}
	peakT := map[string]float64{}
	negatives := map[string]int{}
	last := s.rows[(s.n-1)*s.ncol : s.n*s.ncol]
	for i, c := range Columns {
		final[c.Name] = int64(last[i])
		for r := 0; r < s.n; r++ {
			v := int64(s.rows[r*s.ncol+i])
			if v < 0 {
				negatives[c.Name]++
			}
			if v > peak[c.Name] || r == 0 {
				peak[c.Name] = v
				peakT[c.Name] = float64(s.rows[r*s.ncol]) / 1e9
			}
		}
	}
	// derived: mapped = total - released (per sample, peak & final)
	it, ir := col("total_bytes"), col("heap_released_bytes")
	var peakMapped int64
	for r := 0; r < s.n; r++ {
		m := int64(s.rows[r*s.ncol+it] - s.rows[r*s.ncol+ir])
		if m > peakMapped {
			peakMapped = m
		}
	}
	peak["mapped_bytes"] = peakMapped
	final["mapped_bytes"] = int64(last[it] - last[ir])

	allocB := float64(last[col("gc_heap_allocs_bytes")]) - float64(s.rows[col("gc_heap_allocs_bytes")])
	allocO := float64(last[col("gc_heap_allocs_objects")]) - float64(s.rows[col("gc_heap_allocs_objects")])
	sec := wall.Seconds()

	s.writeCSV()
	summary := map[string]any{
		"program":                  s.name,
		"params":                   s.params,
		"go_version":               runtime.Version(),
		"gomaxprocs":               runtime.GOMAXPROCS(0),
		"env_GOGC":                 os.Getenv("GOGC"),
		"env_GOMEMLIMIT":           os.Getenv("GOMEMLIMIT"),
		"env_GODEBUG":              os.Getenv("GODEBUG"),
		"wall_s":                   sec,
		"cpu_user_s":               tv(ru.Utime),
		"cpu_sys_s":                tv(ru.Stime),
		"max_rss_bytes":            uint64(ru.Maxrss) * 1024,
		"host_steal_s":             float64(steal) / 100, // /proc/stat steal ticks (USER_HZ=100 assumed), all CPUs
		"samples_taken":            s.n,
		"samples_dropped":          s.dropped,
		"sample_interval_ms":       Interval.Milliseconds(),
		"marks":                    s.marks,
		"total_alloc_bytes":        ms.TotalAlloc,
		"total_alloc_objects":      ms.Mallocs,
		"alloc_rate_bytes_per_s":   allocB / sec,
		"alloc_rate_objects_per_s": allocO / sec,
		"peak":                     peak,
		"peak_t_s":                 peakT,
		"final":                    final,
		"negative_samples":         negatives,
		"memstats": map[string]uint64{
			"HeapAlloc": ms.HeapAlloc, "HeapInuse": ms.HeapInuse, "HeapIdle": ms.HeapIdle,
			"HeapReleased": ms.HeapReleased, "HeapSys": ms.HeapSys, "HeapObjects": ms.HeapObjects,
			"Sys": ms.Sys, "NextGC": ms.NextGC, "NumGC": uint64(ms.NumGC), "NumForcedGC": uint64(ms.NumForcedGC),
			"StackInuse": ms.StackInuse, "StackSys": ms.StackSys, "MSpanInuse": ms.MSpanInuse,
			"MSpanSys": ms.MSpanSys, "MCacheInuse": ms.MCacheInuse, "MCacheSys": ms.MCacheSys,
			"BuckHashSys": ms.BuckHashSys, "GCSys": ms.GCSys, "OtherSys": ms.OtherSys,
			"TotalAlloc": ms.TotalAlloc, "Mallocs": ms.Mallocs, "Frees": ms.Frees,
			"PauseTotalNs": ms.PauseTotalNs,
		},
		"memstats_gc_cpu_fraction": ms.GCCPUFraction,
		"allocs_by_size":           allocsBy,
		"frees_by_size":            freesBy,
	}
	f, err := os.Create(s.out + ".json")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", " ")
	if err := enc.Encode(summary); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()
	fmt.Fprintf(os.Stderr, "gogcsim-summary %s wall_s=%.3f cpu_s=%.2f other_cpu_s=%.2f alloc=%.0fB/s %.0fobj/s numgc=%d peak_objects=%d peak_rss=%d rows=%d\n",
		s.name, sec, tv(ru.Utime)+tv(ru.Stime), float64(busy1-s.busy0)/100-tv(ru.Utime)-tv(ru.Stime), allocB/sec, allocO/sec, ms.NumGC, peak["heap_objects_bytes"], peak["rss_bytes"], s.n)
}

func (s *Sampler) writeCSV() {
	f, err := os.Create(s.out + ".csv")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(f)
	for i, c := range Columns {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(c.Name)
	}
	w.WriteByte('\n')
	step := 1
	if s.n > maxCSV {
		step = (s.n + maxCSV - 2) / (maxCSV - 1) // ceil(n/(maxCSV-1)): leaves room for the last row
	}
	emit := func(r int) {
		for i := 0; i < s.ncol; i++ {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(strconv.FormatInt(int64(s.rows[r*s.ncol+i]), 10))
		}
		w.WriteByte('\n')
	}
	lastEmitted := -1
	for r := 0; r < s.n; r += step {
		emit(r)
		lastEmitted = r
	}
	if lastEmitted != s.n-1 {
		emit(s.n - 1)
	}
	w.Flush()
	f.Close()
}
