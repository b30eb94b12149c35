// Package pages makes the memory programs' objects really resident.
package pages

// Touch writes one byte per 4 KiB (and the last byte) so every page of the object is
// really written, as a real program would (fresh OS pages are otherwise never faulted in:
// the allocator skips zeroing memory it knows is already zero).
func Touch(b []byte) {
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	b[len(b)-1] = 1
}
