# Sourced by tests/real/{pacer,limiter}/record.sh: runs one of Go 1.19's own runtime tests in
# an instrumented scratch copy of GOROOT (the installed tree is never touched).
#
#   run_instrumented_runtime_test NAME TEST TEST_FILE INSTRUMENTER FILE...
#     NAME          scratch folder: ${TMPDIR:-/tmp}/gogcsim-go119-NAME
#     TEST          the test to run, e.g. TestGcPacer (must PASS)
#     TEST_FILE     the runtime test file the INSTRUMENTER (a python script) edits
#     FILE...       extra _test.go files dropped into the copy's src/runtime
# Sets VER (go version) and WORK; the test's output is in $WORK/test.out.
run_instrumented_runtime_test() {
  local name="$1" test="$2" test_file="$3" instrumenter="$4"
  shift 4
  local src_goroot="${SRC_GOROOT:-/usr/lib/go-1.19}"
  WORK="${TMPDIR:-/tmp}/gogcsim-go119-$name"
  local gr="$WORK/goroot"

  [ -x "$src_goroot/bin/go" ] || { echo "missing $src_goroot/bin/go (apt-get install golang-1.19-go golang-1.19-src)" >&2; exit 1; }
  [ -f "$src_goroot/src/runtime/$test_file" ] || { echo "missing Go sources (apt-get install golang-1.19-src)" >&2; exit 1; }
  VER="$("$src_goroot/bin/go" version)"
  case "$VER" in
    *"go1.19."*) ;;
    *) echo "expected Go 1.19.x, got: $VER" >&2; exit 1 ;;
  esac

  rm -rf "$WORK"
  mkdir -p "$WORK"
  echo "copying $src_goroot -> $gr" >&2
  cp -rL "$src_goroot" "$gr"
  chmod -R u+w "$gr"
  cp "$@" "$gr/src/runtime/"
  python3 "$instrumenter" "$gr/src/runtime/$test_file" >&2

  export GOROOT="$gr" GOFLAGS= GO111MODULE= GOPATH="$WORK/gopath"
  unset GOEXPERIMENT GOARCH GOOS GODEBUG GOGC GOMEMLIMIT || true
  echo "running: $("$gr/bin/go" version): go test runtime -run '$test\$' -v -count=1" >&2
  local rc
  set +e
  "$gr/bin/go" test runtime -run "$test\$" -v -count=1 >"$WORK/test.out" 2>&1
  rc=$?
  set -e
  grep -E '^(--- |ok|FAIL|PASS)' "$WORK/test.out" | grep -v '^    ' | tail -n 3 >&2 || true
  if [ $rc -ne 0 ] || ! grep -q "^--- PASS: $test " "$WORK/test.out"; then
    echo "go test FAILED (rc=$rc); see $WORK/test.out" >&2
    exit 1
  fi
}
