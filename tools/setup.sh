#!/usr/bin/env bash
# Installs the Debian 12 packages gogcsim needs to build, test and run its notebooks.
# Idempotent: packages already present are skipped without touching apt's lists.
# Run as root (or with sudo); CI and the README's two commands call it first.
set -euo pipefail

packages=(
  cmake g++ make
  libboost-program-options-dev libboost-graph-dev
  libeigen3-dev libyaml-cpp-dev doctest-dev libbenchmark-dev
)
# Optional groups, asked for by flag so the basic build stays small.
for arg in "$@"; do
  case "$arg" in
    --go)        packages+=(golang-1.19-go golang-1.19-src) ;;   # recording real-runtime data
    --browser)   packages+=(chromium) ;;                           # the report.html test (506) loads pages headless
    --notebooks) packages+=(pybind11-dev python3-dev python3-matplotlib python3-pandas jupyter-nbconvert python3-nbformat python3-ipykernel) ;;
    *) echo "setup.sh: unknown option '$arg' (known: --browser --go --notebooks)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup.sh: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
