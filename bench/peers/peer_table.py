#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The Markdown table of one bench_peers.py run (docs/performance.md): every row's times and the
peer's time over qmcsim's (> 1: qmcsim faster), with the run's date, threads, command and the peers'
versions, so that the figures in the docs are those of one run, never copied by hand.

    peer_table.py FILE.json
"""

import json
import sys


def speedup_text(speedup):
    return f"{speedup:.2f}x" if speedup >= 1 else f"{speedup:.2f}x ({1 / speedup:.1f}x *slower*)"


def table(run):
    context = run["context"]
    versions = ", ".join(f"{name} {version}" for name, version in context["peers"].items())
    lines = [f"Run of {context['date']} on {context['num_cpus']} CPUs, {context['threads']} thread(s) per side"
             f"{' (quick sizes)' if context.get('quick') else ''}: `{context['command']}`; {versions}.", "",
             "| work | qmcsim (ms) | peer (ms) | peer / qmcsim |", "|---|---|---|---|"]
    for row in run["benchmarks"]:
        lines.append(f"| {row['name']} | {row['real_time']:.3f} | {row['peer_ms']:.3f} | "
                     f"{speedup_text(1 / row['time_ratio'])} |")
    return "\n".join(lines)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: peer_table.py FILE.json (a bench_peers.py output)")
    with open(sys.argv[1]) as f:
        run = json.load(f)
    missing = [key for key in ("date", "num_cpus", "threads", "command", "peers") if key not in run.get("context", {})]
    if missing:
        sys.exit(f"peer_table.py: {sys.argv[1]} has no context {', '.join(missing)}: not a bench_peers.py output of "
                 "this version")
    print(table(run))


if __name__ == "__main__":
    main()
