# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Tests of bench/peers/peer_table.py on a synthetic bench_peers.py output whose table is known, and
on a file that is not one.

    python3 test_peer_table.py SCRIPT
"""

import json
import subprocess
import sys
import tempfile
import unittest

SCRIPT = sys.argv[1]

RUN = {"context": {"date": "2026-12-04 12:00:00", "num_cpus": 2, "threads": 1, "quick": False,
                   "command": "bench_peers.py --out x.json --threads 1", "peers": {"scipy": "1.14.1", "torch": "2.13.0"}},
       "benchmarks": [{"name": "Sobol_LmsDs_vs_scipy/20/32", "real_time": 50.0, "peer_ms": 125.0, "time_ratio": 0.4},
                      {"name": "Brownian_Steps_vs_torchsde/4096/64", "real_time": 1000.0, "peer_ms": 50.0,
                       "time_ratio": 20.0}]}


class PeerTable(unittest.TestCase):
    def run_script(self, content):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(content, f)
            f.flush()
            return subprocess.run([sys.executable, SCRIPT, f.name], capture_output=True, text=True)

    def test_rows_are_the_peer_time_over_ours(self):
        result = self.run_script(RUN)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "Run of 2026-12-04 12:00:00 on 2 CPUs, 1 thread(s) per side: "
                                   "`bench_peers.py --out x.json --threads 1`; scipy 1.14.1, torch 2.13.0.")
        self.assertIn("| Sobol_LmsDs_vs_scipy/20/32 | 50.000 | 125.000 | 2.50x |", lines)
        # slower rows stay in the table, marked
        self.assertIn("| Brownian_Steps_vs_torchsde/4096/64 | 1000.000 | 50.000 | 0.05x (20.0x *slower*) |", lines)

    def test_a_file_without_the_run_context_is_refused(self):
        result = self.run_script({"context": {"date": "x"}, "benchmarks": []})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("has no context num_cpus, threads, command, peers", result.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
