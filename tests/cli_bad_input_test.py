#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Bad input to every command of the qmcsim driver, as a hostile or careless user would give it.

Each case runs `qmcsim ARGS` and checks what every bad input must give: the expected exit status
(2 for a usage error, 1 for a failure of the work such as an unwritable output), no signal, and
exactly one line on stderr, of bounded length, without control characters, containing the expected
text (which names the option). Further checks: no shell command runs through an output name, no
output is lost silently (a full device, a missing directory, a file-size limit), and a failed
write never leaves a file behind that looks complete.

usage: cli_bad_input_test.py QMCSIM
"""

import os
import resource
import subprocess
import sys
import tempfile

QMCSIM = os.path.abspath(sys.argv[1])
failures = []
WORK = tempfile.mkdtemp(prefix="qmcsim-bad-input-")


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    return path


TIMES = write("times.txt", "0\n0.5\n1\n")
VALUES = write("values.txt", "1\n2\n3\n4\n")
HUGE_VALUES = write("huge.txt", "1.7e308\n1.7e308\n1.7e308\n1.7e308\n")
BINARY = write("binary.txt", bytes(range(256)) * 4)
LONG_LINE = write("long.txt", "9" * 20000 + "x\n")
UNSORTED = write("unsorted.txt", "0\n0.5\n0.4\n")
EMPTY = write("empty.txt", "")
NAN_TIMES = write("nan.txt", "0\nnan\n1\n")


def run(args, limit_file_size=None, cwd=WORK):
    def limits():
        if limit_file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run([QMCSIM] + args, capture_output=True, cwd=cwd, timeout=600, preexec_fn=limits)


def check(args, status, expected, **options):
    result = run(args, **options)
    what = "qmcsim " + " ".join(args)
    message = result.stderr.decode("utf-8", "replace")
    lines = message.splitlines()
    if result.returncode < 0:
        failures.append(f"{what}: killed by signal {-result.returncode}")
        return
    if result.returncode != status:
        failures.append(f"{what}: exit {result.returncode}, expected {status} [{message.strip()}]")
        return
    if len(lines) != 1:
        failures.append(f"{what}: {len(lines)} lines on stderr, expected 1 [{message.strip()[:300]}]")
        return
    line = lines[0]
    if len(line) > 500:
        failures.append(f"{what}: message of {len(line)} characters")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in line):
        failures.append(f"{what}: message contains control characters: {line!r}")
    if expected not in line:
        failures.append(f"{what}: message [{line}] lacks [{expected}]")


U = 2  # usage error
R = 1  # runtime failure

cases = [
    # integers that wrap around, or do not fit the type they are used as
    (["points", "--kind", "net", "--n", "4", "--dim", "2", "--alpha", "4294967298"], U, "--alpha 4294967298 is outside [1, 5]"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "4294967298"], U, "--dim 4294967298 is outside"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "-1"], U, "--dim -1 is outside"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "99999999999999999999999"], U, "--dim 99999999999999999999999 is outside"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2.5"], U, "--dim needs an integer"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "nan"], U, "--dim needs an integer"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", ""], U, "--dim needs an integer"),
    (["points", "--kind", "sobol", "--n", "0", "--dim", "2"], U, "--n 0 is outside"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2", "--replications", "0"], U, "--replications 0 is outside"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2", "--seed", "-3"], U, "--seed -3 is outside"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "30000"], U, "dimension = 30000 is outside [1, 21201]"),
    (["points", "--kind", "halton", "--n", "4", "--dim", "2", "--dtype", "uint64"], U, "--dtype uint64 (the 64-bit words"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2", "--format", "hdf5"], U, "format 'hdf5'"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--smoothness", "4294967298"], U, "--smoothness 4294967298 is outside [1, 4]"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--max-log2-n", "4294967296"], U, "--max-log2-n 4294967296 is outside"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--method", "mc", "--max-log2-n", "64"], U, "--max-log2-n 64 is outside"),
    (["brownian", "--dim", "4294967297", "--times", TIMES], U, "--dim 4294967297 is outside"),
    (["diffusion", "--order", "1e10"], U, "--order 1e10 is outside"),
    (["diffusion", "--sampler", "plms", "--order", "2.5"], U, "--order of plms must be an integer"),
    (["diffusion", "--steps", "1000"], U, "--steps 1000 is outside [1, 249]"),
    (["diffusion", "--steps", "1e9"], U, "--steps needs an integer"),
    (["diffusion", "--samples", "0"], U, "--samples 0 is outside"),
    (["diffusion", "--samples", "1e12"], U, "--samples needs an integer"),
    (["diffusion", "--guidance", "inf"], U, "--guidance needs a finite number"),
    (["diffusion", "--beta", "nan", "--sampler", "ghvb"], U, "--beta needs a finite number"),
    (["demo", "--max-log2-n", "30"], U, "--max-log2-n 30 is outside [1, 20]"),
    (["demo", "--replications", "1"], U, "--replications 1 is outside"),
    (["demo", "--min-log2-n", "15", "--max-log2-n", "12"], U, "--min-log2-n 15 exceeds --max-log2-n 12"),
    # options that contradict the command, kind, method or integrand
    (["points", "--kind", "iid", "--n", "4", "--dim", "2", "--randomize", "nus"], U, "'--randomize' does not apply to points --kind iid"),
    (["points", "--kind", "iid", "--n", "4", "--dim", "2", "--order", "gray"], U, "'--order' does not apply to points --kind iid"),
    (["points", "--kind", "halton", "--n", "4", "--dim", "2", "--alpha", "2"], U, "'--alpha' does not apply to points --kind halton"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2", "--generating-vector", TIMES], U, "'--generating-vector' does not apply"),
    (["points", "--kind", "sobol", "--n", "8", "--dim", "2", "--randomize", "shift"], U, "randomization 'shift' is not available"),
    (["points", "--kind", "lattice", "--n", "8", "--dim", "2", "--order", "linear", "--start", "4"], U, "--start does not apply"),
    (["points", "--kind", "lattice", "--n", "8", "--dim", "2", "--generating-vector", "random:1"], U, "M must be an integer in [2, 62], got '1'"),
    (["points", "--kind", "lattice", "--n", "8", "--dim", "2", "--generating-vector", "random:"], U, "M must be an integer in [2, 62], got ''"),
    (["points", "--kind", "lattice", "--n", "8", "--dim", "2", "--generating-vector", "random:2.5"], U, "M must be an integer in [2, 62], got '2.5'"),
    (["points", "--kind", "lattice", "--n", "9", "--dim", "2", "--generating-vector", "random:3"], U, "exceeds the 8 points"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--genz-a", "2"], U, "'--genz-a' does not apply to cubature --integrand keister"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--min-log2-n", "12", "--max-log2-n", "10"], U, "--min-log2-n 12 exceeds --max-log2-n 10"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--method", "bayes-net", "--periodization", "baker"], U, "'--periodization' does not apply"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--method", "rqmc-net", "--smoothness", "2"], U, "'--smoothness' does not apply"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--method", "bayes-net", "--replications", "4"], U, "'--replications' does not apply"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--abs-tol", "0"], U, "--abs-tol and --rel-tol are both 0"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--confidence", "1"], U, "--confidence 1 is outside (0"),
    (["cubature", "--integrand", "genz-gaussian", "--dim", "2", "--genz-u", "1"], U, "--genz-u 1 is outside"),
    (["cubature", "--integrand", "asian-option", "--dim", "4", "--path-construction", "euler"], U, "--path-construction"),
    (["cubature", "--integrand", "asian-option", "--dim", "1025"], U, "--dim 1025 is outside [1, 1024] for the Asian options"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--path-construction", "pca"], U, "'--path-construction' does not apply"),
    (["cubature", "--integrand", "asian-option", "--dim", "4", "--method", "guaranteed-net", "--control-variate", "keister"], U, "--control-variate"),
    (["cubature", "--integrand", "asian-option", "--dim", "4", "--method", "rqmc-net", "--control-variate", "geometric-asian-option"], U, "'--control-variate' does not apply"),
    (["cubature", "--integrand", "asian-option", "--dim", "4", "--method", "rqmc-net", "--strikes", "90,x"], U, "--strikes needs comma-separated"),
    (["cubature", "--integrand", "asian-option", "--dim", "4", "--method", "rqmc-net", "--strikes", "90,-1"], U, "--strikes -1 is outside"),
    (["cubature", "--integrand", "asian-option", "--dim", "4", "--method", "rqmc-net", "--strikes", "90,"], U, "--strikes needs"),
    (["cubature", "--integrand", "asian-option", "--dim", "4", "--method", "guaranteed-net", "--strikes", "90"], U, "'--strikes' does not apply"),
    (["cubature", "--integrand", "keister", "--dim", "4", "--method", "rqmc-net", "--strikes", "90"], U, "'--strikes' does not apply"),
    (["cubature", "--integrand", "asian-option", "--dim", "4", "--method", "rqmc-net", "--strikes", "90", "--mpi"], U, "'--mpi' does not apply"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--method", "rqmc-lattice", "--max-log2-n", "21"], U, "--max-log2-n 21 exceeds"),
    (["sde", "--experiment", "cir", "--gamma", "3"], U, "'--gamma' does not apply to sde --experiment cir"),
    (["sde", "--experiment", "langevin", "--sigma", "3"], U, "'--sigma' does not apply to sde --experiment langevin"),
    (["sde", "--experiment", "cir", "--paths", "0"], U, "--paths 0 is outside"),
    (["sde", "--experiment", "langevin", "--quick", "--paths", "0"], U, "--paths 0 is outside"),
    (["sde", "--experiment", "langevin", "--time", "0"], U, "--time 0 is outside (0, 1000000]"),
    (["sde", "--experiment", "cir", "--sigma", "-1"], U, "--sigma -1 is outside"),
    (["diffusion", "--sampler", "ddim", "--beta", "0.5"], U, "--beta applies to plms-hb"),
    (["diffusion", "--sampler", "dpmpp-2m", "--order", "3"], U, "--order applies to plms"),
    (["diffusion", "--sampler", "unipc", "--order", "2.5"], U, "--order of unipc must be an integer"),
    (["diffusion", "--quick"], U, "'--quick' does not apply to diffusion --sampler ghvb"),
    (["diffusion", "--experiment", "order", "--samples", "64"], U, "'--samples' does not apply to diffusion --experiment order"),
    (["brownian", "--dim", "1", "--times", TIMES, "--t0", "0.2"], U, "--t0 0.2 must not exceed the first time 0"),
    (["brownian", "--dim", "1", "--times", TIMES, "--t1", "0.9"], U, "--t1 0.9 must not be below the last time 1"),
    (["brownian", "--dim", "1", "--times", TIMES, "--tolerance", "1e-300"], U, "--tolerance 1e-300 is below the finest cell"),
    (["brownian", "--dim", "1", "--times", TIMES, "--paths", "0"], U, "--paths 0 is outside"),
    (["transform", "--kind", "fwht", "--input", VALUES, "--dim", "3"], U, "unknown option '--dim'"),
    # duplicated, unknown, missing
    (["points", "--kind", "sobol", "--kind", "halton", "--n", "4", "--dim", "2"], U, "option '--kind' given twice"),
    (["sde", "--experiment", "cir", "--quick", "--quick"], U, "option '--quick' given twice"),
    (["points", "--kind", "sobol", "--n", "4"], U, "option '--dim' is required"),
    (["points", "--kind", "sobol", "--n", "4", "--dim"], U, "option '--dim' needs a value"),
    (["points", "--kind", "faure", "--n", "4", "--dim", "2"], U, "--kind 'faure' is unknown"),
    (["points", "stray"], U, "unexpected argument 'stray'"),
    (["integrate"], U, "unknown command 'integrate'"),
    (["points", "--kind", "sobol\x1b[31m", "--n", "4", "--dim", "2"], U, "--kind 'sobol\\x1b[31m' is unknown"),
    (["points", "--kind", "x" * 20000, "--n", "4", "--dim", "2"], U, "--kind 'xxxxxxxx"),
    # huge requests are refused before allocating, with the option, the bytes and the limit
    (["points", "--kind", "iid", "--n", "4", "--dim", "1000000000", "--replications", "1000000000"], U, "needs"),
    (["points", "--kind", "lattice", "--n", "4", "--dim", "1000", "--replications", "1000000000"], U, "--replications 1000000000 x --dim 1000 needs"),
    (["cubature", "--integrand", "keister", "--dim", "2", "--method", "bayes-net", "--max-log2-n", "30"], U, "--max-log2-n 30 with --dim 2 needs"),
    (["diffusion", "--samples", "4294967296", "--dim", "1048576"], U, "--samples 4294967296 x --dim 1048576 needs"),
    (["sde", "--experiment", "langevin", "--paths", "16777216", "--time", "1000000"], U, "--paths 16777216 x --time 1000000 needs"),
    (["points", "--kind", "lattice", "--n", "5000000000", "--dim", "2"], U, "exceeds the 1048576 points"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2", "--start", "18446744073709551615"], U, "exceeds the 4294967296 points"),
    # non-finite results are failures, not answers
    (["transform", "--kind", "fwht", "--input", HUGE_VALUES], R, "fwht of"),
    (["cbc", "--n", "64", "--dim", "600", "--weights", "constant:1"], U, "the weights are too heavy"),
    (["cbc", "--n", "64", "--dim", "6", "--weights", "constant:1e300"], U, "the weights are too heavy"),
    (["cbc", "--n", "1024", "--dim", "1000", "--weights", "constant:1"], U, "the weights are too heavy"),
    (["cbc", "--n", "1000", "--dim", "3"], U, "--n 1000 must be a power of two"),
    (["cbc", "--n", "1024", "--min-n", "2048", "--dim", "3"], U, "--min-n 2048 must not exceed --n 1024"),
    (["cbc", "--n", "1024", "--dim", "3", "--weights", "power"], U, "weights 'power' must read"),
    (["cbc", "--n", "1024", "--dim", "3", "--weights", "power:nan"], U, "is not a finite number"),
    # input files: missing, empty, binary, very long lines, NaN, unsorted
    (["transform", "--kind", "fwht", "--input", "/nonexistent/values.txt"], U, "cannot open input file"),
    (["transform", "--kind", "fwht", "--input", EMPTY], U, "no values"),
    (["transform", "--kind", "fwht", "--input", BINARY], U, "is not a finite number"),
    (["transform", "--kind", "fwht", "--input", LONG_LINE], U, "is not a finite number"),
    (["brownian", "--dim", "1", "--times", NAN_TIMES], U, "'nan' is not a finite number"),
    (["brownian", "--dim", "1", "--times", UNSORTED], U, "does not exceed the previous time"),
    (["brownian", "--dim", "1", "--times", BINARY], U, "is not a finite number"),
    (["points", "--kind", "lattice", "--n", "4", "--dim", "2", "--generating-vector", BINARY], U, "lattice file"),
    (["points", "--kind", "net", "--n", "4", "--dim", "2", "--generating-matrices", BINARY], U, "dnet file"),
    (["points", "--kind", "net", "--n", "4", "--dim", "2", "--generating-matrices", "/nonexistent"], U, "cannot open"),
    # lost output: full device, missing directory, a directory, a file-size limit
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2", "--output", "/dev/full"], R, "writing /dev/full: No space left on device"),
    (["transform", "--kind", "fwht", "--input", VALUES, "--output", "/dev/full"], R, "writing /dev/full"),
    (["cbc", "--n", "64", "--dim", "2", "--output", "/dev/full"], R, "writing /dev/full"),
    (["brownian", "--dim", "1", "--times", TIMES, "--output", "/dev/full"], R, "writing /dev/full"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2", "--output", "/nonexistent/dir/points.csv"], R, "cannot create /nonexistent/dir/points.csv"),
    (["points", "--kind", "sobol", "--n", "4", "--dim", "2", "--output", "/tmp"], R, "cannot write /tmp: Is a directory"),
    (["diffusion", "--experiment", "stability", "--output-prefix", "/nonexistent/dir/x"], R, "cannot create /nonexistent/dir/x.png"),
    (["sde", "--experiment", "cir", "--quick", "--paths", "10", "--output-prefix", "/nonexistent/dir/x"], R, "cannot create /nonexistent/dir/x.png"),
    (["demo", "--max-log2-n", "10", "--output-prefix", "/nonexistent/dir/x"], R, "cannot create /nonexistent/dir/x.csv"),
]

for args, status, expected in cases:
    check(args, status, expected)

# standard output on a full device: `qmcsim points ... > /dev/full`
with open("/dev/full", "w") as full:
    result = subprocess.run([QMCSIM, "points", "--kind", "sobol", "--n", "4", "--dim", "2"], stdout=full,
                            stderr=subprocess.PIPE, timeout=60)
    if result.returncode != 1 or b"writing standard output" not in result.stderr:
        failures.append(f"points > /dev/full: exit {result.returncode}, [{result.stderr.decode().strip()}]")

# a write that fails midway (file-size limit) leaves no file behind
target = os.path.join(WORK, "truncated.csv")
check(["points", "--kind", "sobol", "--n", "100000", "--dim", "4", "--output", target], R, "File too large", limit_file_size=65536)
if os.path.exists(target) or any(name.startswith("truncated.csv.tmp") for name in os.listdir(WORK)):
    failures.append("a failed write left truncated.csv (or its temporary) behind")

# a complete write replaces the file atomically and leaves no temporary
check_ok = run(["points", "--kind", "sobol", "--n", "1000", "--dim", "4", "--replications", "3", "--output", target])
if check_ok.returncode != 0 or sum(1 for _ in open(target)) != 3000:
    failures.append(f"points --output: exit {check_ok.returncode}, or not 3000 lines")
if any(".tmp-" in name for name in os.listdir(WORK)):
    failures.append("a temporary output file was left behind")

# no shell runs through an output name (gnuplot is run without a shell and never sees the path)
for prefix in ["x$(touch INJECTED)", "|touch INJECTED", "x`touch INJECTED`", "x'; system 'touch INJECTED"]:
    result = run(["diffusion", "--experiment", "stability", "--output-prefix", prefix])
    if result.returncode != 0:
        failures.append(f"stability with prefix {prefix!r}: exit {result.returncode} [{result.stderr.decode().strip()}]")
    if os.path.exists(os.path.join(WORK, "INJECTED")):
        failures.append(f"output prefix {prefix!r} ran a shell command")
        os.remove(os.path.join(WORK, "INJECTED"))
    if not (os.path.exists(os.path.join(WORK, prefix + ".png")) or os.path.exists(os.path.join(WORK, prefix + ".png.gnuplot"))):
        failures.append(f"stability with prefix {prefix!r} wrote neither the PNG nor its script")

# help and version
for args in (["--help"], ["-h"], ["help"], ["points", "--help"], ["cubature", "-h"], ["--version"]):
    result = run(args)
    if result.returncode != 0 or not result.stdout.startswith(b"qmcsim" if args == ["--version"] else b"usage: qmcsim"):
        failures.append(f"qmcsim {' '.join(args)}: exit {result.returncode}, stdout [{result.stdout[:60]!r}]")
if b"--min-log2-n" not in run(["--help"]).stdout:
    failures.append("qmcsim --help: the demo line omits --min-log2-n")

for failure in failures:
    print("FAIL:", failure)
print(f"{len(cases)} bad-input cases and the output checks: {len(failures)} failures")
sys.exit(1 if failures else 0)
