#!/usr/bin/env bash
# Records tests/real/allocfreetrace/recording.txt from Go 1.19 (Debian golang-1.19-go:
# tools/setup.sh --go). allocfreetrace prints a stack trace after every event; only the
# event lines are kept (the importer skips everything else anyway).
set -euo pipefail
cd "$(dirname "$0")"
GO=/usr/lib/go-1.19/bin/go
export GOFLAGS=-mod=mod GOCACHE="${TMPDIR:-/tmp}/gogcsim-go-cache" GO111MODULE=off
$GO build -o /tmp/allocfreetrace-prog main.go
{
  echo "# GODEBUG=allocfreetrace=1 of tests/real/allocfreetrace/main.go, $($GO version), GOMAXPROCS=1"
  GOMAXPROCS=1 GODEBUG=allocfreetrace=1 /tmp/allocfreetrace-prog 2>&1 | grep -E '^(tracealloc|tracefree|tracegc|nodes )'
} > recording.txt
wc -l recording.txt
