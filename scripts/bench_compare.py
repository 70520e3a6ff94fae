#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Compares Google Benchmark results with a stored baseline (qmcsim's performance-regression check).

    bench_compare.py BASELINE CURRENT [--threshold T] [--completeness-only]
    bench_compare.py --write-baseline RESULTS OUT

BASELINE and CURRENT are a baseline file (bench/results/baseline-<label>.json) or a directory of
Google Benchmark JSON files, one per binary (what scripts/bench.sh writes to bench/results/<label>/).
--write-baseline merges such a directory into one baseline file.

Gated metrics are the ratios to a physical limit that the benchmarks measure in the same run
(bench/reference_kernels.hpp, bench_mpi_cubature.cpp): "time_ratio" (kernel time over its limit's
time: a copy kernel, FFTW, a model evaluation; lower is better) and "efficiency" (parallel scaling
efficiency; higher is better). Both sides are medians over their repetitions. A ratio that got worse
by more than the allowed factor is a regression and the exit status is 1; allowed is the threshold
(default 0.30: 1.30x a time ratio, or an efficiency below 1/1.30 of the baseline's) or, when larger,
the baseline's own spread over its repetitions (max / min - 1), so that a kernel whose ratio swings
on a shared machine does not fail by noise alone. Absolute times are printed for information only: on shared machines they move
with the neighbours' load, which the paired ratios cancel. Repeated runs (--benchmark_repetitions)
are reduced to their median. Exit status 2: unreadable or malformed input.

--completeness-only (for the quick runs of CI, whose ratios are too short to be gated): exit status 1
when a benchmark of the baseline did not run or failed; ratios are printed but not gated. A benchmark
counts as run when its family (the name up to the first '/') ran in the same binary, since quick
runs may use smaller arguments (the peer benchmarks do).
"""

import argparse
import json
import os
import statistics
import sys

GATED = {"time_ratio": "lower", "efficiency": "higher"}


class InputError(Exception):
    pass


def load_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: cannot read benchmark JSON ({error})") from error


def runs_of(path):
    """[(binary, entry)] for a Google Benchmark JSON file, a directory of them, or a baseline file."""
    if os.path.isdir(path):
        files = sorted(f for f in os.listdir(path) if f.endswith(".json"))
        if not files:
            raise InputError(f"{path}: no .json files in this directory")
        runs = []
        for name in files:
            runs.extend(runs_of(os.path.join(path, name)))
        return runs
    document = load_json(path)
    if not isinstance(document, dict) or not isinstance(document.get("benchmarks"), list):
        raise InputError(f"{path}: not Google Benchmark JSON (no 'benchmarks' list)")
    default_binary = os.path.basename(path).removesuffix(".json")
    runs = []
    for entry in document["benchmarks"]:
        if not isinstance(entry, dict) or "name" not in entry or "real_time" not in entry:
            raise InputError(f"{path}: a benchmark entry lacks 'name' or 'real_time': {entry!r}")
        runs.append((entry.get("binary", default_binary), entry))
    return runs


def results_of(path):
    """{(binary, benchmark): {metric: value}}: per benchmark the median over its repetitions of the
    real time and of every gated counter (Google Benchmark's median rows when only aggregates were
    reported) with the spread max / min - 1 of the gated counters over the repetitions, or
    {"error": message} for a benchmark that failed."""
    samples, medians, results = {}, {}, {}
    for binary, entry in runs_of(path):
        key = (binary, entry.get("run_name", entry["name"]))
        if entry.get("error_occurred"):
            results[key] = {"error": entry.get("error_message", "error")}
            continue
        metrics = {"real_time": entry["real_time"], "time_unit": entry.get("time_unit", "ns")}
        metrics.update({m: entry[m] for m in GATED if m in entry})
        if entry.get("run_type") != "aggregate":
            samples.setdefault(key, []).append(metrics)
        elif entry.get("aggregate_name") == "median":
            medians[key] = metrics
    for key, runs in samples.items():
        results.setdefault(key, {"time_unit": runs[0]["time_unit"]})
        for metric in ["real_time", *GATED]:
            values = [r[metric] for r in runs if metric in r]
            if values and "error" not in results[key]:
                results[key][metric] = statistics.median(values)
                if metric in GATED and len(values) > 1 and min(values) > 0:
                    results[key][metric + " spread"] = max(values) / min(values) - 1
    for key, metrics in medians.items():
        results.setdefault(key, metrics)
    return results


def worsening(metric, baseline, current):
    """The factor by which a gated metric got worse (> 1: worse)."""
    if GATED[metric] == "lower":
        return current / baseline
    return baseline / current if current > 0 else float("inf")


def compare(baseline_path, current_path, threshold, completeness_only=False):
    baseline, current = results_of(baseline_path), results_of(current_path)
    families = {(binary, name.split("/")[0]) for binary, name in current}
    regressions, rows = [], []
    for key in sorted(baseline.keys() | current.keys()):
        label = "/".join(key)
        if key not in current:
            ran_at_other_size = (key[0], key[1].split("/")[0]) in families
            rows.append((label, "-", "", "", "", "", "ran at other sizes" if ran_at_other_size else "missing in current"))
            if completeness_only and not ran_at_other_size:
                regressions.append(f"{label} did not run")
            continue
        if key not in baseline:
            rows.append((label, "-", "", "", "", "", "new"))
            continue
        old, new = baseline[key], current[key]
        if "error" in new or "error" in old:
            verdict = f"ERROR: {new.get('error', old.get('error'))}"
            rows.append((label, "-", "", "", "", "", verdict))
            if "error" in new:
                regressions.append(f"{label} failed: {new['error']}")
            continue
        rows.append((label, "real_time", f"{old['real_time']:.4g}", f"{new['real_time']:.4g}",
                     f"{new['real_time'] / old['real_time']:.3f}", "", f"({old['time_unit']}, not gated)"))
        for metric in GATED:
            if metric in old and metric in new:
                allowed = max(threshold, old.get(metric + " spread", 0))
                factor = worsening(metric, old[metric], new[metric])
                verdict = "not gated" if completeness_only else ("REGRESSION" if factor > 1 + allowed else "ok")
                rows.append((label, metric, f"{old[metric]:.4g}", f"{new[metric]:.4g}",
                             f"{new[metric] / old[metric]:.3f}", f"{allowed:.0%}", verdict))
                if verdict == "REGRESSION":
                    regressions.append(f"{label} {metric}: {old[metric]:.4g} -> {new[metric]:.4g}")
    header = ("benchmark", "metric", "baseline", "current", "current/baseline", "allowed", "verdict")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    print()
    if regressions:
        print(f"{len(regressions)} failed benchmark(s) or ratio-to-limit regression(s) beyond what is allowed:")
        for line in regressions:
            print(f"  {line}")
        return 1
    print("every benchmark ran" if completeness_only else "no ratio-to-limit metric got worse by more than allowed")
    return 0


def write_baseline(results_dir, out_path):
    if not os.path.isdir(results_dir):
        raise InputError(f"{results_dir}: --write-baseline needs a directory of benchmark JSON files")
    merged = {"context": None, "benchmarks": []}
    for binary, entry in runs_of(results_dir):
        merged["benchmarks"].append({"binary": binary, **entry})
    first = sorted(f for f in os.listdir(results_dir) if f.endswith(".json"))[0]
    merged["context"] = load_json(os.path.join(results_dir, first)).get("context")
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(merged, handle, indent=1)
        handle.write("\n")
    print(f"wrote {len(merged['benchmarks'])} benchmark rows to {out_path}")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", help="baseline file or results directory (with --write-baseline: results directory)")
    parser.add_argument("current", help="results directory or file (with --write-baseline: the baseline file to write)")
    parser.add_argument("--threshold", type=float, default=0.30,
                        help="allowed worsening factor of a gated ratio, as a fraction (default 0.30)")
    parser.add_argument("--write-baseline", action="store_true", help="merge the results directory into a baseline file")
    parser.add_argument("--completeness-only", action="store_true",
                        help="fail only when a baseline benchmark did not run or failed (quick runs)")
    args = parser.parse_args(argv)
    if not args.threshold > 0:
        parser.error(f"--threshold {args.threshold} must be positive")
    try:
        if args.write_baseline:
            return write_baseline(args.baseline, args.current)
        return compare(args.baseline, args.current, args.threshold, args.completeness_only)
    except InputError as error:
        print(f"bench_compare: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
