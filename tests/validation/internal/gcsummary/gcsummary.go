// Package gcsummary is shared by the validation programs. It samples heap
// size metrics in the background (every 5 ms, via runtime/metrics, which does
// not stop the world) and prints a one-line JSON summary at the end of a run.
package gcsummary

import (
	"bufio"
	"encoding/json"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SampleInterval is how often the background goroutine samples heap metrics, unless
// GCSUMMARY_SAMPLE_MS=N asks for every N ms (record_limit_goal.sh samples every 1 ms).
const SampleInterval = 5 * time.Millisecond

var sampleNames = []string{
	"/memory/classes/heap/objects:bytes", // == MemStats.HeapAlloc
	"/memory/classes/heap/unused:bytes",  // HeapInuse - HeapAlloc
	"/memory/classes/heap/free:bytes",    // HeapIdle - HeapReleased
	"/memory/classes/total:bytes",        // == MemStats.Sys
	"/memory/classes/heap/released:bytes",
}

// Recorder tracks peaks from the start of the run. With GCSUMMARY_SAMPLES=FILE in the
// environment it also writes every sample to FILE (tab-separated: t_ns, heap objects,
// unused, free, released, total bytes), for the recordings that need the heap over time.
type Recorder struct {
	name    string
	start   time.Time
	samples []metrics.Sample
	stop    chan struct{}
	done    chan struct{}
	dump    *bufio.Writer
	dumpF   *os.File
	traceF  *os.File

	mu              sync.Mutex
	nSamples        int
	peakHeapAlloc   uint64
	peakHeapInuse   uint64
	peakHeapSysLive uint64 // HeapSys - HeapReleased
	peakMapped      uint64 // Sys - HeapReleased (what GOMEMLIMIT roughly accounts)
}

// Start begins sampling. Call first thing in main.
func Start(name string) *Recorder {
	r := &Recorder{name: name, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	r.samples = make([]metrics.Sample, len(sampleNames))
	for i, n := range sampleNames {
		r.samples[i].Name = n
	}
	if path := os.Getenv("GCSUMMARY_SAMPLES"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		r.dumpF = f
		r.dump = bufio.NewWriter(f)
		r.dump.WriteString("t_ns\theap_objects_bytes\theap_unused_bytes\theap_free_bytes\theap_released_bytes\ttotal_bytes\n")
	}
	// GCSUMMARY_TRACE=FILE: also write a runtime/trace of the run (record_sweep.sh reads its
	// sweep events). Off in the recordings: tracing slows the program.
	if path := os.Getenv("GCSUMMARY_TRACE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		if err := trace.Start(f); err != nil {
			panic(err)
		}
		r.traceF = f
	}
	r.sample()
	go func() {
		interval := SampleInterval
		if ms, err := strconv.Atoi(os.Getenv("GCSUMMARY_SAMPLE_MS")); err == nil && ms > 0 {
			interval = time.Duration(ms) * time.Millisecond
		}
		t := time.NewTicker(interval)
		defer t.Stop()
		defer close(r.done)
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				r.sample()
			}
		}
	}()
	return r
}

func (r *Recorder) sample() {
	r.mu.Lock()
	defer r.mu.Unlock()
	metrics.Read(r.samples)
	objects := r.samples[0].Value.Uint64()
	unused := r.samples[1].Value.Uint64()
	free := r.samples[2].Value.Uint64()
	total := r.samples[3].Value.Uint64()
	released := r.samples[4].Value.Uint64()
	r.nSamples++
	if r.dump != nil {
		r.dump.WriteString(strconv.FormatInt(int64(time.Since(r.start)), 10) + "\t" + strconv.FormatUint(objects, 10) + "\t" +
			strconv.FormatUint(unused, 10) + "\t" + strconv.FormatUint(free, 10) + "\t" + strconv.FormatUint(released, 10) + "\t" +
			strconv.FormatUint(total, 10) + "\n")
	}
	if objects > r.peakHeapAlloc {
		r.peakHeapAlloc = objects
	}
	if v := objects + unused; v > r.peakHeapInuse {
		r.peakHeapInuse = v
	}
	if v := objects + unused + free; v > r.peakHeapSysLive {
		r.peakHeapSysLive = v
	}
	if v := total - released; v > r.peakMapped {
		r.peakMapped = v
	}
}

// Summary is the one-line JSON printed at the end of each run.
type Summary struct {
	Program                  string           `json:"program"`
	GOGCEnv                  string           `json:"gogc_env"`
	GOMEMLIMITEnv            string           `json:"gomemlimit_env"`
	MemoryLimitBytes         int64            `json:"memory_limit_bytes"`
	GOMAXPROCS               int              `json:"gomaxprocs"`
	NumGC                    uint32           `json:"num_gc"`
	NumForcedGC              uint32           `json:"num_forced_gc"`
	PauseTotalNs             uint64           `json:"pause_total_ns"`
	GCCPUFraction            float64          `json:"gc_cpu_fraction"`
	PeakHeapAllocBytes       uint64           `json:"peak_heap_alloc_bytes"`
	PeakHeapInuseBytes       uint64           `json:"peak_heap_inuse_bytes"`
	PeakHeapSysMinusRelBytes uint64           `json:"peak_heap_sys_minus_released_bytes"`
	PeakSysMinusRelBytes     uint64           `json:"peak_sys_minus_released_bytes"`
	PeakRSSBytes             uint64           `json:"peak_rss_bytes"`
	Samples                  int              `json:"samples"`
	WallNs                   int64            `json:"wall_ns"`
	TotalAllocBytes          uint64           `json:"total_alloc_bytes"`
	Mallocs                  uint64           `json:"mallocs"`
	AllocBytesPerSec         float64          `json:"alloc_bytes_per_sec"`
	FinalHeapAllocBytes      uint64           `json:"final_heap_alloc_bytes"`
	NextGCBytes              uint64           `json:"next_gc_bytes"`
	ReleasedBytes            *uint64          `json:"released_bytes,omitempty"` // counted builds only
	ReleasedCalls            *uint64          `json:"released_calls,omitempty"`
	Work                     map[string]int64 `json:"work,omitempty"`
}

// Finish stops sampling and prints the JSON summary line to stdout.
// work holds program-specific counters (iterations etc.).
func (r *Recorder) Finish(work map[string]int64) {
	wall := time.Since(r.start)
	close(r.stop)
	if r.traceF != nil {
		trace.Stop()
		r.traceF.Close()
	}
	<-r.done
	r.sample()
	if path := os.Getenv("GCSUMMARY_CLASSES"); path != "" {
		writeClasses(path)
	}
	if r.dump != nil {
		r.dump.Flush()
		r.dumpF.Close()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// Account the exact MemStats values too (they are consistent with the metrics).
	var releasedBytes, releasedCalls *uint64
	if b, c, counted := released(); counted {
		releasedBytes, releasedCalls = &b, &c
	}
	r.mu.Lock()
	if ms.HeapAlloc > r.peakHeapAlloc {
		r.peakHeapAlloc = ms.HeapAlloc
	}
	if ms.HeapInuse > r.peakHeapInuse {
		r.peakHeapInuse = ms.HeapInuse
	}
	if v := ms.HeapSys - ms.HeapReleased; v > r.peakHeapSysLive {
		r.peakHeapSysLive = v
	}
	s := Summary{
		Program:                  r.name,
		GOGCEnv:                  os.Getenv("GOGC"),
		GOMEMLIMITEnv:            os.Getenv("GOMEMLIMIT"),
		MemoryLimitBytes:         debug.SetMemoryLimit(-1), // negative: query only
		GOMAXPROCS:               runtime.GOMAXPROCS(0),
		NumGC:                    ms.NumGC,
		NumForcedGC:              ms.NumForcedGC,
		PauseTotalNs:             ms.PauseTotalNs,
		GCCPUFraction:            ms.GCCPUFraction,
		PeakHeapAllocBytes:       r.peakHeapAlloc,
		PeakHeapInuseBytes:       r.peakHeapInuse,
		PeakHeapSysMinusRelBytes: r.peakHeapSysLive,
		PeakSysMinusRelBytes:     r.peakMapped,
		PeakRSSBytes:             vmHWM(),
		Samples:                  r.nSamples,
		WallNs:                   wall.Nanoseconds(),
		TotalAllocBytes:          ms.TotalAlloc,
		Mallocs:                  ms.Mallocs,
		AllocBytesPerSec:         float64(ms.TotalAlloc) / wall.Seconds(),
		FinalHeapAllocBytes:      ms.HeapAlloc,
		NextGCBytes:              ms.NextGC,
		ReleasedBytes:            releasedBytes,
		ReleasedCalls:            releasedCalls,
		Work:                     work,
	}
	r.mu.Unlock()
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	os.Stdout.Write(append(b, '\n'))
}

// writeClasses writes every /memory/classes/* metric at the end of the run to path, one
// "name<TAB>bytes" line each (GCSUMMARY_CLASSES=FILE; record_metadata.sh). Metadata is never
// returned to the OS, so its end value is its peak.
func writeClasses(path string) {
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	var b strings.Builder
	for _, s := range samples {
		b.WriteString(s.Name + "\t" + strconv.FormatUint(s.Value.Uint64(), 10) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		panic(err)
	}
}

// vmHWM returns the peak resident set size from /proc/self/status (0 if unknown).
func vmHWM() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "VmHWM:") {
			fields := strings.Fields(line)
			if len(fields) >= 2 {
				kb, err := strconv.ParseUint(fields[1], 10, 64)
				if err == nil {
					return kb * 1024
				}
			}
		}
	}
	return 0
}

// XorShift is a tiny deterministic PRNG (cheaper than math/rand, no allocation).
type XorShift uint64

func (x *XorShift) Next() uint64 {
	v := uint64(*x)
	v ^= v << 13
	v ^= v >> 7
	v ^= v << 17
	*x = XorShift(v)
	return v
}

// Intn returns a value in [0, n).
func (x *XorShift) Intn(n int) int { return int(x.Next() % uint64(n)) }
