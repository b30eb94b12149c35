# Sourced by record_pacertrace.sh and record_scavenger.sh: Go 1.19 (GO=..., default Debian's
# /usr/lib/go-1.19/bin/go), a Go environment no caller's settings leak into, and $TMP, a
# temporary directory removed on exit (named after $TMP_NAME).
GO="${GO:-/usr/lib/go-1.19/bin/go}"
[ -x "$GO" ] || { echo "missing $GO (apt-get install golang-1.19-go, or set GO=)" >&2; exit 1; }
case "$("$GO" version)" in *"go1.19."*) ;; *) echo "expected Go 1.19.x" >&2; exit 1 ;; esac
unset GOGC GOMEMLIMIT GODEBUG GOEXPERIMENT || true
export GOFLAGS= GO111MODULE=on CGO_ENABLED=0
TMP="$(mktemp -d "${TMPDIR:-/tmp}/gogcsim-${TMP_NAME:-record}.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
