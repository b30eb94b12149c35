"""gogcsim from Python: run Go GC scenarios and get pandas DataFrames back.

From a build tree (after `cmake --build build`), one line makes it importable:

    import sys; sys.path.insert(0, "build/python")    # then: import gogcsim

    r = gogcsim.run("scenarios/steady-web.yaml", set={"runtime.gogc": 200})
    r.cycles          # one row per GC cycle (cycles.csv)
    r.timeseries      # heap, goal, trigger, RSS, CPU by class over time (timeseries.csv)
    r.pauses          # stop-the-world pauses and assist episodes (pauses.csv)
    r.summary         # dict (summary.json)

A scenario is a path, YAML text or a dict with the YAML's structure. Bad input raises
gogcsim.ScenarioError (a ValueError) with the CLI's one-line message.
"""

import io
import json

import pandas as pd

from ._native import ScenarioError, version  # noqa: F401  (re-exported)
from . import _native

__all__ = ["run", "compare", "parse_gctrace", "explain", "calibrate", "Result", "ScenarioError", "version"]


def _overrides(set):
    if set is None:
        return []
    if isinstance(set, dict):
        out = []
        for k, v in set.items():
            if isinstance(v, bool):
                v = "true" if v else "false"
            out.append(f"{k}={v}")
        return out
    return list(set)


class Result:
    """One run's outputs, as the CLI writes them, parsed on first use."""

    def __init__(self, files):
        self.files = files  # {file name: text}, exactly the CLI's output files
        self._frames = {}

    def _csv(self, name):
        if name not in self._frames:
            text = self.files.get(name)
            self._frames[name] = None if text is None else pd.read_csv(io.StringIO(text), comment="#")
        return self._frames[name]

    @property
    def cycles(self):
        return self._csv("cycles.csv")

    @property
    def timeseries(self):
        return self._csv("timeseries.csv")

    @property
    def pauses(self):
        return self._csv("pauses.csv")

    @property
    def mmu(self):
        return self._csv("mmu.csv")

    @property
    def fragmentation(self):
        return self._csv("fragmentation.csv")

    @property
    def summary(self):
        return json.loads(self.files["summary.json"])

    @property
    def gctrace(self):
        return self.files["gctrace.txt"]

    @property
    def pacertrace(self):
        return self.files["pacertrace.txt"]

    def write(self, directory):
        """Writes every output file into `directory` (created if missing)."""
        import os

        os.makedirs(directory, exist_ok=True)
        for name, text in self.files.items():
            with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
                f.write(text)


def run(scenario, set=None, name="scenario"):
    """Runs `scenario` (a path, YAML text or dict); `set`: overrides, {"runtime.gogc": 200}
    or ["runtime.gogc=200"], checked like the CLI's --set. `name` names a dict/text scenario
    in error messages."""
    return Result(_native.run(scenario, _overrides(set), name))


def compare(scenario, gogc=None, gomemlimit=None, gomaxprocs=None, set=None, name="scenario", jobs=None):
    """`gogcsim compare` from Python: `scenario` (a path, YAML text or dict; for a gctrace, pass
    calibrate(...)["yaml"]) over the grid GOGC x GOMEMLIMIT (x GOMAXPROCS), run in parallel.
    gogc: [50, 100, "off"]; gomemlimit: ["off", "3GiB", 2**30]; an axis left out keeps the
    scenario's own setting. Returns the table as a DataFrame, one row per setting (the CLI's
    compare.csv: gc_cycles, gc_cpu_pct, pause percentiles, peak heap and RSS, MMU, slowdown, OOM,
    Pareto)."""
    import os

    csv = _native.compare(scenario, list(gogc or []), list(gomemlimit or []), list(gomaxprocs or []),
                          _overrides(set), name, int(jobs or os.cpu_count() or 1))
    df = pd.read_csv(io.StringIO(csv), dtype={"gogc": str, "gomemlimit": str})
    df["oom"] = df["oom"] == "yes"
    df["pareto"] = df["pareto"] == "*"
    return df


def parse_gctrace(gctrace):
    """A GODEBUG=gctrace=1 log (text) as a DataFrame, one row per cycle (sizes in MB as
    printed); lines that are not gctrace are skipped."""
    return pd.DataFrame(_native.parse_gctrace(gctrace))


def explain(gctrace, gogc=None):
    """Annotates a GODEBUG=gctrace=1 log (text): each cycle's goal, its bound, CPU, changes.
    gogc: the run's GOGC, a whole percent or "off"; None infers it from the goals, as the CLI
    does without --gogc."""
    return _native.explain(gctrace, -2 if gogc is None else _gogc_arg(gogc, "explain"))


def calibrate(gctrace, name="calibrated", gogc=100, memory_limit=None, mean_object_bytes=None):
    """Fits a scenario to a gctrace log (text). Returns a dict: `yaml` (a scenario that run()
    accepts) and the fit residuals. gogc: the run's GOGC, a whole percent or "off".
    mean_object_bytes: the program's mean object size (MemStats TotalAlloc / Mallocs); gctrace
    shows none, and they set the runtime's metadata (None: a 64 B stand-in)."""
    return _native.calibrate(gctrace, name, _gogc_arg(gogc, "calibrate"), -1 if memory_limit is None else int(memory_limit),
                             0.0 if mean_object_bytes is None else float(mean_object_bytes))


def _gogc_arg(gogc, what):
    """A GOGC as the native functions take it: a whole percent, or -1 for "off"."""
    if gogc == "off":
        return -1
    if isinstance(gogc, bool) or not isinstance(gogc, int) or gogc < 0:
        raise ValueError(f"{what}: gogc takes a percent or 'off', not {gogc!r}")
    return gogc
