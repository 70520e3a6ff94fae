# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Tests of scripts/bench_compare.py on synthetic Google Benchmark JSON whose verdicts are known, and
on the stored baselines (which must parse and carry gated ratio-to-limit metrics).

    python3 test_bench_compare.py SCRIPT BASELINE_DIR
"""

import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT, BASELINES = sys.argv[1], sys.argv[2]


def entry(name, real_time=10.0, **counters):
    return {"name": name, "run_name": name, "run_type": "iteration", "real_time": real_time,
            "time_unit": "ms", **counters}


class BenchCompare(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.work.cleanup()

    def write(self, relative, benchmarks):
        path = os.path.join(self.work.name, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"context": {"host_name": "test"}, "benchmarks": benchmarks}, handle)
        return path

    def run_script(self, *arguments):
        done = subprocess.run([sys.executable, SCRIPT, *arguments], capture_output=True, text=True, check=False)
        return done.returncode, done.stdout + done.stderr

    def verdict(self, old, new, *extra):
        baseline = self.write("old/bench_x.json", old)
        current = self.write("new/bench_x.json", new)
        return self.run_script(baseline, current, *extra)

    def test_unchanged_ratios_pass(self):
        code, out = self.verdict([entry("BM_A", time_ratio=1.5)], [entry("BM_A", time_ratio=1.5)])
        self.assertEqual(code, 0, out)
        self.assertIn("no ratio-to-limit metric got worse", out)

    def test_time_ratio_beyond_threshold_fails_and_within_passes(self):
        code, out = self.verdict([entry("BM_A", time_ratio=1.0)], [entry("BM_A", time_ratio=1.5)])
        self.assertEqual(code, 1, out)
        self.assertIn("bench_x/BM_A time_ratio: 1 -> 1.5", out)
        code, out = self.verdict([entry("BM_A", time_ratio=1.0)], [entry("BM_A", time_ratio=1.2)])
        self.assertEqual(code, 0, out)
        code, out = self.verdict([entry("BM_A", time_ratio=1.0)], [entry("BM_A", time_ratio=1.2)], "--threshold", "0.1")
        self.assertEqual(code, 1, out)

    def test_efficiency_is_higher_better(self):
        code, out = self.verdict([entry("BM_S", efficiency=0.9)], [entry("BM_S", efficiency=0.6)])
        self.assertEqual(code, 1, out)
        code, out = self.verdict([entry("BM_S", efficiency=0.9)], [entry("BM_S", efficiency=0.8)])
        self.assertEqual(code, 0, out)
        code, out = self.verdict([entry("BM_S", efficiency=0.6)], [entry("BM_S", efficiency=0.95)])
        self.assertEqual(code, 0, out)

    def test_a_noisy_baseline_allows_its_own_spread(self):
        noisy = [entry("BM_A", time_ratio=r) for r in (1.0, 1.2, 1.8)]  # median 1.2, spread 80 %
        code, out = self.verdict(noisy, [entry("BM_A", time_ratio=2.0)])
        self.assertEqual(code, 0, out)
        self.assertIn("80%", out)
        code, out = self.verdict(noisy, [entry("BM_A", time_ratio=2.3)])
        self.assertEqual(code, 1, out)

    def test_absolute_times_are_reported_but_not_gated(self):
        code, out = self.verdict([entry("BM_A", 10.0, time_ratio=1.0)], [entry("BM_A", 40.0, time_ratio=1.0)])
        self.assertEqual(code, 0, out)
        self.assertIn("4.000", out)

    def test_repetitions_reduce_to_their_median(self):
        runs = [entry("BM_A", time_ratio=r) for r in (1.0, 5.0, 1.1)]
        code, out = self.verdict([entry("BM_A", time_ratio=1.0)], runs)
        self.assertEqual(code, 0, out)
        median_only = [dict(entry("BM_A", time_ratio=1.6), name="BM_A_median", run_type="aggregate",
                            aggregate_name="median"),
                       dict(entry("BM_A", time_ratio=0.1), name="BM_A_stddev", run_type="aggregate",
                            aggregate_name="stddev")]
        code, out = self.verdict([entry("BM_A", time_ratio=1.0)], median_only)
        self.assertEqual(code, 1, out)

    def test_binaries_keep_equal_benchmark_names_apart(self):
        self.write("old/bench_x.json", [entry("BM_Write", time_ratio=1.0)])
        self.write("old/bench_y.json", [entry("BM_Write", time_ratio=2.0)])
        baseline = os.path.join(self.work.name, "baseline.json")
        code, out = self.run_script("--write-baseline", os.path.join(self.work.name, "old"), baseline)
        self.assertEqual(code, 0, out)
        self.write("new/bench_x.json", [entry("BM_Write", time_ratio=1.0)])
        self.write("new/bench_y.json", [entry("BM_Write", time_ratio=2.0)])
        code, out = self.run_script(baseline, os.path.join(self.work.name, "new"))
        self.assertEqual(code, 0, out)
        self.write("new/bench_x.json", [entry("BM_Write", time_ratio=2.0)])  # x regressed to y's value
        code, out = self.run_script(baseline, os.path.join(self.work.name, "new"))
        self.assertEqual(code, 1, out)
        self.assertIn("bench_x/BM_Write time_ratio", out)
        self.assertNotIn("bench_y/BM_Write time_ratio:", out)

    def test_missing_new_and_failed_benchmarks(self):
        code, out = self.verdict([entry("BM_A", time_ratio=1.0), entry("BM_B", time_ratio=1.0)],
                                 [entry("BM_A", time_ratio=1.0), entry("BM_C", time_ratio=9.0)])
        self.assertEqual(code, 0, out)
        self.assertIn("missing in current", out)
        self.assertIn("new", out)
        failed = dict(entry("BM_A"), error_occurred=True, error_message="out of memory")
        code, out = self.verdict([entry("BM_A", time_ratio=1.0)], [failed])
        self.assertEqual(code, 1, out)
        self.assertIn("out of memory", out)

    def test_completeness_counts_families_run_at_other_sizes(self):
        old = [entry("BM_A/20/32", time_ratio=1.0), entry("BM_B/20", time_ratio=1.0)]
        code, out = self.verdict(old, [entry("BM_A/16/32", time_ratio=1.0), entry("BM_B/16", time_ratio=1.0)],
                                 "--completeness-only")
        self.assertEqual(code, 0, out)
        self.assertIn("ran at other sizes", out)
        code, out = self.verdict(old, [entry("BM_A/16/32", time_ratio=1.0)], "--completeness-only")
        self.assertEqual(code, 1, out)
        self.assertIn("bench_x/BM_B/20 did not run", out)

    def test_malformed_input_is_named(self):
        bad = os.path.join(self.work.name, "bad.json")
        with open(bad, "w", encoding="utf-8") as handle:
            handle.write("{not json")
        good = self.write("good/bench_x.json", [entry("BM_A")])
        code, out = self.run_script(bad, good)
        self.assertEqual(code, 2, out)
        self.assertIn("bad.json: cannot read benchmark JSON", out)
        code, out = self.run_script(os.path.join(self.work.name, "nowhere"), good)
        self.assertEqual(code, 2, out)
        code, out = self.run_script(good, good, "--threshold", "nan")
        self.assertEqual(code, 2, out)

    def test_stored_baselines_parse_and_carry_gated_ratios(self):
        baselines = sorted(glob.glob(os.path.join(BASELINES, "baseline-*.json")))
        self.assertTrue(baselines, f"no baseline-*.json in {BASELINES}")
        for baseline in baselines:
            code, out = self.run_script(baseline, baseline)
            self.assertEqual(code, 0, out)
            gated = [line for line in out.splitlines() if " time_ratio " in line or " efficiency " in line]
            self.assertGreaterEqual(len(gated), 5, out)
            self.assertTrue(all(line.rstrip().endswith("ok") for line in gated), out)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
