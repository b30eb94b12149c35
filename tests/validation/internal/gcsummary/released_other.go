//go:build !gogcsim_released

package gcsummary

// released: the stock runtime does not count what it releases (see released_counted.go), and
// the summary leaves the fields out.
func released() (bytes, calls uint64, counted bool) { return 0, 0, false }
