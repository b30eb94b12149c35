# Sourced by the single-purpose recorders (record_*.sh but record.sh): moves to
# tests/validation/, reads `--reps N` (default 3) and `--help` (the caller's header, lines
# 2..HELP_LINES), picks the Go toolchain: GO, else Debian's Go 1.19, else `go` on PATH, and
# makes a scratch directory TMP, removed when the recorder exits.
cd "$(dirname "${BASH_SOURCE[0]}")"
REPS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) REPS="$2"; shift ;;
    -h|--help) sed -n "2,${HELP_LINES:-13}p" "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
GO="${GO:-/usr/lib/go-1.19/bin/go}"
[[ -x "$GO" ]] || GO="$(command -v go)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# header WHAT [AFTER]: a recording's first line: "# WHAT, <Go version>, <date>[, AFTER], by
# tests/validation/<recorder>".
header() {
  echo "# $1, $("$GO" version | cut -d' ' -f3), $(date -u +%Y-%m-%d)${2:+, $2}, by tests/validation/$(basename "$0")"
}
# publish FILE: the recorder wrote FILE.tmp in full; only then does it replace FILE (a failed
# or interrupted recording leaves the committed one alone), and the table is shown.
publish() {
  mv "$1.tmp" "$1"
  cat "$1"
}
