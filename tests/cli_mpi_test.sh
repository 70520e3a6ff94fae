#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# `mpirun -n 2 qmcsim cubature ... --mpi` prints what one process prints (all but the timing and the
# rank count), for RQMC on nets, lattices and iid points and Bayesian cubature on lattices and nets.
# $1: the qmcsim driver; the rest: the command that starts 2 ranks (e.g. mpirun -n 2 --oversubscribe).
set -u
qmcsim=$1; shift
launch=("$@")
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
comparable() { grep -v -e '^seconds' -e '^ranks'; }

for method in rqmc-net rqmc-lattice mc bayes-lattice bayes-net; do
  args=(cubature --integrand genz-oscillatory --dim 6 --method "$method" --abs-tol 1e-5 --max-log2-n 16)
  single=$("$qmcsim" "${args[@]}") || { fail "exit $? from qmcsim ${args[*]}"; continue; }
  distributed=$("${launch[@]}" "$qmcsim" "${args[@]}" --mpi) || { fail "exit $? from ${launch[*]} ... --mpi ($method)"; continue; }
  echo "$distributed" | grep -q '^ranks      2$' || fail "$method: no 'ranks 2' line in [$distributed]"
  [ "$(echo "$single" | comparable)" = "$(echo "$distributed" | comparable)" ] ||
    fail "$method: 2 ranks printed [$distributed], one process [$single]"
done

# a usage error stops every rank with a non-zero exit status and the message
got=$("${launch[@]}" "$qmcsim" cubature --integrand keister --dim 0 --mpi 2>&1 >/dev/null); status=$?
[ $status -ne 0 ] || fail "usage error under mpirun: exit status 0"
echo "$got" | grep -q -- "--dim 0 is outside \[1, " || fail "usage error under mpirun: [$got]"

[ $failures -eq 0 ] && echo "all MPI driver checks passed"
exit $((failures > 0))
