"""The Python module against the CLI: same numbers, same errors. Run by ctest with Debian's
/usr/bin/python3 and PYTHONPATH=build/python; GOGCSIM_SOURCE_DIR and GOGCSIM_BINARY point
at the sources and the CLI."""
import json
import os
import subprocess
import tempfile
import unittest

import gogcsim

SRC = os.environ["GOGCSIM_SOURCE_DIR"]
CLI = os.environ["GOGCSIM_BINARY"]
STEADY = os.path.join(SRC, "scenarios", "steady-web.yaml")


class ModuleTest(unittest.TestCase):
    def test_outputs_are_the_clis_byte_for_byte(self):
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([CLI, "run", STEADY, "--set", "runtime.gogc=200", "--out", d, "-q"], check=True)
            r = gogcsim.run(STEADY, set={"runtime.gogc": 200})
            for name in ("cycles.csv", "timeseries.csv", "pauses.csv", "summary.json", "gctrace.txt", "mmu.csv"):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    self.assertEqual(r.files[name], f.read(), name)

    def test_dataframes_have_one_row_per_cycle_and_pause(self):
        r = gogcsim.run(STEADY)
        n = r.summary["gc_cycles"]
        self.assertGreater(n, 10)
        self.assertEqual(len(r.cycles), n)
        stw = r.pauses[r.pauses.kind != "assist"]
        # Sweep termination + mark termination per finished cycle, and perhaps the sweep
        # termination of a cycle the end of the run cut short.
        self.assertIn(len(stw), (2 * n, 2 * n + 1))
        self.assertTrue((r.timeseries.heap_live_max >= r.timeseries.heap_live).all())
        # The mean goal in the summary is the mean of the per-cycle goals.
        self.assertAlmostEqual(r.cycles.heap_goal.mean() / r.summary["mean_heap_goal_bytes"], 1, places=6)

    def test_compare_gives_the_clis_table(self):
        # The same grid through the CLI (compare.csv) and through Python: the same numbers.
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([CLI, "compare", STEADY, "--gogc", "50,100", "--gomemlimit", "off,700MiB",
                            "--jobs", "2", "--out", d], check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(d, "compare.csv"), encoding="utf-8") as f:
                cli = f.read().splitlines()
        df = gogcsim.compare(STEADY, gogc=[50, 100], gomemlimit=["off", "700MiB"], jobs=2)
        self.assertEqual(len(df), len(cli) - 1)
        for (_, row), line in zip(df.iterrows(), cli[1:]):
            fields = line.split(",")
            self.assertEqual((row.gogc, row.gomemlimit, row.gc_cycles), (fields[0], fields[1], int(fields[3])))
            self.assertAlmostEqual(row.peak_rss_mib, float(fields[8]), places=1)
        # Higher GOGC, fewer cycles, more memory (steady-web, no limit).
        free = df[df.gomemlimit == "off"].set_index("gogc")
        self.assertGreater(free.gc_cycles["50"], free.gc_cycles["100"])
        self.assertLess(free.peak_rss_mib["50"], free.peak_rss_mib["100"])
        with self.assertRaises(gogcsim.ScenarioError):
            gogcsim.compare(STEADY, gogc=[-5])

    def test_yaml_text_and_dict_give_the_file_results(self):
        with open(STEADY, encoding="utf-8") as f:
            text = f.read()
        from_file = gogcsim.run(STEADY).summary
        from_text = gogcsim.run(text, name="steady-web").summary
        self.assertEqual(from_text["gc_cycles"], from_file["gc_cycles"])
        self.assertEqual(from_text["peak_rss_bytes"], from_file["peak_rss_bytes"])
        # A small dict scenario: GOGC=100 with a 100 MiB retained heap and default workload.
        d = {
            "name": "dict",
            "seed": 1,
            "runtime": {"gogc": 100, "gomaxprocs": 2},
            "workload": {
                "kind": "synthetic",
                "phases": [{"duration": "5s", "alloc_rate": "100MiB/s", "retained": {"to": "100MiB", "over": "1s"}}],
            },
        }
        cycles = gogcsim.run(d).cycles
        prev, last = cycles.iloc[-2], cycles.iloc[-1]
        # Once the 100 MiB is retained, marked = 100 MiB + the short-lived objects alive at mark,
        # and GOGC=100 sets a cycle's goal to twice what the previous cycle marked (plus stacks
        # and globals, well under 1 %).
        self.assertTrue(100 * 2**20 <= prev.heap_marked < 130 * 2**20, prev.heap_marked)
        self.assertAlmostEqual(last.heap_goal / (2 * prev.heap_marked), 1, delta=0.01)

    def test_graph_workload_at_the_object_level(self):
        # An LRU cache of 10,000 entries of 64 B + 1 KiB values, its 10,000-field index and the
        # 16 B head/tail object: every mark once built starts from exactly 10,000 x 1,088 +
        # 80,016 B reachable (plus at most the one miss in flight), as tests/304 checks in C++.
        d = {
            "name": "lru",
            "seed": 1,
            "fidelity": "object",
            "runtime": {"gogc": 100, "gomaxprocs": 4},
            "workload": {
                "kind": "graph",
                "mutator_cpus": 2,
                "duration": "1s",
                "structures": [{"lru": {"capacity": 10000, "entry_size": "64B", "value_size": "1KiB",
                                        "get_per_s": 200000, "hit_ratio": 0.5}}],
            },
        }
        r = gogcsim.run(d)
        built = r.cycles[r.cycles.start_ns > 10_000_000]
        self.assertGreater(len(built), 3)
        cache = 10000 * 1088 + 80016
        self.assertTrue((built.live_bytes_at_start >= cache).all())
        self.assertTrue((built.live_bytes_at_start <= cache + 1088).all())
        with self.assertRaises(gogcsim.ScenarioError) as e:
            d["workload"]["structures"] = [{"lru": {"capacity": 10}, "list": {"nodes": 5}}]
            gogcsim.run(d)
        self.assertIn("needs exactly one of list, tree, map, lru, requests (has 2)", str(e.exception))

    def test_bad_input_raises_the_clis_message(self):
        with self.assertRaises(gogcsim.ScenarioError) as e:
            gogcsim.run(STEADY, set={"runtime.gogc": -3})
        cli = subprocess.run([CLI, "run", STEADY, "--set", "runtime.gogc=-3"], capture_output=True, text=True)
        self.assertEqual(cli.returncode, 2)
        self.assertIn(str(e.exception), cli.stderr)
        with self.assertRaises(gogcsim.ScenarioError) as e:
            gogcsim.run({"name": "x", "runtime": {"gogc": 100, "bogus": 1}})
        self.assertIn("runtime.bogus: unknown key", str(e.exception))
        with self.assertRaises(TypeError):
            gogcsim.run({"name": "x", "runtime": {"gogc": object()}})
        self.assertTrue(issubclass(gogcsim.ScenarioError, ValueError))

    def test_explain_and_calibrate_read_a_real_gctrace(self):
        trace = os.path.join(SRC, "tests", "validation", "recordings", "steady-noscan", "gogc100_limnone_rep1.gctrace")
        with open(trace, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("gc 1 ", gogcsim.explain(text))
        df = gogcsim.parse_gctrace(text)
        # The recording's runtime/metrics summary counted the same cycles the trace shows.
        with open(trace.replace(".gctrace", ".summary.json"), encoding="utf-8") as f:
            self.assertEqual(len(df), json.load(f)["num_gc"])
        # First line: "gc 1 @0.001s 8%: ... 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P"
        first = df.iloc[0]
        self.assertEqual((first.cycle, first.heap_start_mb, first.heap_peak_mb, first.heap_marked_mb, first.goal_mb,
                          first.procs), (1, 3, 4, 3, 4, 2))
        fit = gogcsim.calibrate(text)
        self.assertGreaterEqual(fit["cycles"], 3)
        self.assertGreater(gogcsim.run(fit["yaml"], name="fitted").summary["gc_cycles"], 0)
        # Its live heap is built on main before the workers start: the first marks idle a P, and
        # the fitted start-up (as the CLI prints it: the first 17 ms) runs on one CPU of two.
        self.assertEqual((fit["mutator_cpus"], fit["start_up_cpus"]), (2, 1))
        self.assertAlmostEqual(fit["start_up_s"] * 1e3, 17, delta=0.5)

    def test_explain_infers_gogc_or_takes_off_like_the_cli(self):
        # A GOGC=off run under a 320MiB limit: without gogc both infer off from its goals.
        trace = os.path.join(SRC, "tests", "validation", "recordings", "grow-release", "gogcoff_lim320MiB_rep1.gctrace")
        with open(trace, encoding="utf-8") as f:
            text = f.read()
        for args, kwargs in (([], {}), (["--gogc", "off"], {"gogc": "off"}), (["--gogc", "200"], {"gogc": 200})):
            cli = subprocess.run([CLI, "explain", trace] + args, capture_output=True, text=True, check=True).stdout
            self.assertEqual(gogcsim.explain(text, **kwargs), cli, args)
        self.assertTrue(gogcsim.explain(text).startswith("# GOGC inferred from the goals: off"))
        for bad in (-5, "200", 1.5, True):
            with self.assertRaises(ValueError):
                gogcsim.explain(text, gogc=bad)
            with self.assertRaises(ValueError):
                gogcsim.calibrate(text, gogc=bad)
        cli = subprocess.run([CLI, "calibrate", trace, "--gogc", "off", "--gomemlimit", "320MiB"], capture_output=True,
                             text=True, check=True).stdout
        fit = gogcsim.calibrate(text, name=os.path.splitext(os.path.basename(trace))[0], gogc="off", memory_limit=320 << 20)
        self.assertIn("gogc: off", fit["yaml"])
        self.assertIn("gogc: off", cli)

    def test_calibrate_takes_the_mean_object_size_like_the_cli(self):
        # large-objects' GOGC=100 run: MemStats TotalAlloc / Mallocs = 280,200 B; the fitted
        # sizes a lognormal of that mean, median 280,200 x e^(-0.005) = 278,802.5 -> 278,802 B, as the CLI writes.
        trace = os.path.join(SRC, "tests", "validation", "recordings", "large-objects", "gogc100_limnone_rep2.gctrace")
        with open(trace, encoding="utf-8") as f:
            text = f.read()
        name = os.path.splitext(os.path.basename(trace))[0]
        fit = gogcsim.calibrate(text, name=name, mean_object_bytes=280200)
        self.assertIn("sizes: {lognormal: {median: 278802B, sigma: 0.1}}", fit["yaml"])
        self.assertIn("sizes: {lognormal: {median: 64B, sigma: 0.1}}", gogcsim.calibrate(text, name=name)["yaml"])
        self.assertEqual(fit["scan_fraction"], 1.0)  # gctrace alone
        cli = subprocess.run([CLI, "calibrate", trace, "--mean-object-size", "280200B"], capture_output=True, text=True,
                             check=True).stdout
        self.assertIn("median: 278802B", cli)
        for bad in (-1, float("nan"), 2.0 ** 41):
            with self.assertRaises(ValueError):
                gogcsim.calibrate(text, mean_object_bytes=bad)


if __name__ == "__main__":
    unittest.main(verbosity=2)
