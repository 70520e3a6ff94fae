#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Checks of the qmcsim driver ($1): exact CSV output for known points, exit code 2 with a message
# naming the problem for unknown or contradictory options.
set -u
qmcsim=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

expect_output() {  # expected-text command...
  local expected=$1; shift
  local got
  got=$("$@" 2>&1) || { fail "exit $? from: $*"; return; }
  [ "$got" = "$expected" ] || fail "$*: expected [$expected] got [$got]"
}

expect_usage_error() {  # pattern command...
  local pattern=$1; shift
  local got status
  got=$("$@" 2>&1 >/dev/null); status=$?
  [ $status -eq 2 ] || fail "$*: exit $status, expected 2"
  echo "$got" | grep -q -- "$pattern" || fail "$*: message [$got] lacks [$pattern]"
}

# scipy.stats.qmc.Sobol(d=2, scramble=False) in Gray-code order
expect_output $'0,0\n0.5,0.5\n0.75,0.25\n0.25,0.75' "$qmcsim" points --kind sobol --n 4 --dim 2 --randomize none --order gray
expect_output $'0.25,0.75\n0.75,0.25' "$qmcsim" points --kind sobol --n 2 --dim 2 --randomize none --start 2
expect_output $'0,0\n0.5,0.33333333333333331\n0.25,0.66666666666666663' "$qmcsim" points --kind halton --n 3 --dim 2 --randomize none
lines=$("$qmcsim" points --kind lattice --n 8 --dim 3 --replications 4 --seed 5 | wc -l)
[ "$lines" -eq 32 ] || fail "4 replications of 8 points should be 32 lines, got $lines"
first=$("$qmcsim" points --kind sobol --n 8 --dim 3 --randomize nus --seed 9 | head -n 1)
again=$("$qmcsim" points --kind sobol --n 8 --dim 3 --randomize nus --seed 9 | head -n 1)
[ "$first" = "$again" ] || fail "the same seed must give the same points"

expect_usage_error "unknown option '--size'" "$qmcsim" points --kind sobol --size 4 --dim 2
expect_usage_error "kind 'faure' is unknown" "$qmcsim" points --kind faure --n 4 --dim 2
expect_usage_error "option .--alpha. does not apply to points --kind halton" "$qmcsim" points --kind halton --n 4 --dim 2 --alpha 2
expect_usage_error "start does not apply" "$qmcsim" points --kind lattice --n 8 --dim 2 --order linear --start 4
expect_usage_error "order linear applies to lattices" "$qmcsim" points --kind sobol --n 8 --dim 2 --order linear
expect_usage_error "randomization 'shift' is not available" "$qmcsim" points --kind sobol --n 8 --dim 2 --randomize shift
expect_usage_error "dimension = 30000 is outside \[1, 21201\]" "$qmcsim" points --kind sobol --n 8 --dim 30000
expect_usage_error "--n needs an integer in \[1, 18446744073709551615\], got .eight." "$qmcsim" points --kind sobol --n eight --dim 2
expect_usage_error "is required" "$qmcsim" points --kind sobol --dim 2
expect_usage_error "unknown command 'integrate'" "$qmcsim" integrate
expect_usage_error "--n 1000 must be a power of two" "$qmcsim" cbc --n 1000 --dim 3
expect_usage_error "cannot open" "$qmcsim" points --kind lattice --n 4 --dim 2 --generating-vector /nonexistent/file.txt

# cbc writes an LDData lattice file the points command reads back
vector=$(mktemp)
"$qmcsim" cbc --n 1024 --min-n 64 --dim 4 --weights power:2 --output "$vector" 2>/dev/null || fail "cbc failed"
head -n 1 "$vector" | grep -q "^# lattice" || fail "cbc output is not an LDData lattice file"
"$qmcsim" points --kind lattice --n 4 --dim 4 --randomize none --generating-vector "$vector" >/dev/null || fail "reading the cbc vector"
rm -f "$vector"

# LDData's published dnet layout (third header value 2^k) and an ordinary lattice (n not a power of two)
matrices=$(mktemp)
printf '# dnet\n# the first two Sobol matrices, k = 2, r = 2\n2 # base\n2 # dimensions\n4 # supports 2^2 points\n2 # bits\n2 1\n2 3\n' >"$matrices"
expect_output $'0,0\n0.5,0.5\n0.25,0.75\n0.75,0.25' "$qmcsim" points --kind net --generating-matrices "$matrices" --n 4 --dim 2 --randomize none
fibonacci=$(mktemp)
printf '# lattice\n2 # dimensions\n5 # n, not a power of two\n1\n3\n' >"$fibonacci"
# floor((i z mod 5) 2^64 / 5) truncated to 53 bits: i/5 one unit in the last place low at most
expect_output $'0,0\n0.19999999999999996,0.59999999999999998\n0.39999999999999991,0.19999999999999996\n0.59999999999999998,0.79999999999999993\n0.79999999999999993,0.39999999999999991' \
  "$qmcsim" points --kind lattice --generating-vector "$fibonacci" --order linear --n 5 --dim 2 --randomize none
expect_usage_error "needs linear order with linear_size = 5" "$qmcsim" points --kind lattice --generating-vector "$fibonacci" --n 5 --dim 2
rm -f "$matrices" "$fibonacci"

# transforms: FWHT of (1, 2, 3, 4) is (5, -1, -2, 0); IFFTBR undoes FFTBR
values=$(mktemp)
printf "1\n2\n3\n4\n" >"$values"
expect_output $'5\n-1\n-2\n0' "$qmcsim" transform --kind fwht --input "$values"
spectrum=$(mktemp)
"$qmcsim" transform --kind fftbr --input "$values" --output "$spectrum" || fail "fftbr"
expect_output $'1,0\n2,0\n3,0\n4,0' "$qmcsim" transform --kind ifftbr --input "$spectrum"
printf "1\n2\n3\n" >"$values"
expect_usage_error "power of two" "$qmcsim" transform --kind fwht --input "$values"
printf "1\nx\n" >"$values"
expect_usage_error "is not a finite number" "$qmcsim" transform --kind fwht --input "$values"
expect_usage_error "kind 'dct' is unknown" "$qmcsim" transform --kind dct --input "$values"
rm -f "$values" "$spectrum"

# cubature: every method reaches the Keister integral in d = 3 within its reported half-width
exact=2.16830910216548  # pi^{3/2} M(3/2, 1/2, -1/4)
for method in bayes-lattice bayes-net guaranteed-lattice guaranteed-net rqmc-lattice rqmc-net; do
  out=$("$qmcsim" cubature --integrand keister --dim 3 --abs-tol 1e-3 --method "$method" --seed 3) || { fail "cubature $method"; continue; }
  estimate=$(echo "$out" | awk '/^estimate/ {print $2}')
  width=$(echo "$out" | awk '/^half-width/ {print $2}')
  awk -v e="$estimate" -v x="$exact" -v w="$width" 'BEGIN { d = e - x; if (d < 0) d = -d; exit !(d <= w && w <= 1e-3) }' \
    || fail "cubature $method: estimate $estimate, half-width $width, exact $exact"
done
expect_usage_error "integrand 'rosenbrock' is unknown" "$qmcsim" cubature --integrand rosenbrock --dim 2
expect_usage_error "option .--replications. does not apply to cubature --integrand keister --method bayes-net" "$qmcsim" cubature --integrand keister --dim 2 --method bayes-net --replications 4
expect_usage_error "use smoothness 1" "$qmcsim" cubature --integrand keister --dim 2 --method bayes-lattice --periodization baker --smoothness 2

# brownian: rows per (path, interval, component); W over [0, 1] is the sum of the pieces (Chen)
times=$(mktemp)
printf "0\n0.25\n# a comment\n1\n" >"$times"
rows=$("$qmcsim" brownian --dim 3 --paths 2 --times "$times" --levy space-time-time --seed 4 | wc -l)
[ "$rows" -eq 12 ] || fail "brownian: 2 paths x 2 intervals x 3 components should be 12 rows, got $rows"
fields=$("$qmcsim" brownian --dim 1 --times "$times" --levy space-time-time | head -n 1 | awk -F, '{print NF}')
[ "$fields" -eq 8 ] || fail "brownian: rows with K should have 8 fields, got $fields"
printf "0\n1\n" >"$values"
whole=$("$qmcsim" brownian --dim 1 --times "$values" --levy none --seed 4 | cut -d, -f6)
parts=$("$qmcsim" brownian --dim 1 --times "$times" --levy none --seed 4 --t1 1 | cut -d, -f6 | awk '{ s += $1 } END { printf "%.17g", s }')
awk -v a="$whole" -v b="$parts" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1e-12) }' || fail "brownian: W(0,1) = $whole but the pieces sum to $parts"
printf "0\n0.5\n0.4\n" >"$times"
expect_usage_error "does not exceed the previous time" "$qmcsim" brownian --dim 1 --times "$times"
expect_usage_error "levy 'full' is unknown" "$qmcsim" brownian --dim 1 --times "$values" --levy full
expect_usage_error "--tolerance -1 must be positive" "$qmcsim" brownian --dim 1 --times "$values" --tolerance -1
rm -f "$times" "$values"
expect_usage_error "experiment 'heston' is unknown" "$qmcsim" sde --experiment heston
expect_usage_error "sampler 'euler' is unknown" "$qmcsim" diffusion --sampler euler
expect_usage_error "beta applies to plms-hb" "$qmcsim" diffusion --sampler ddim --beta 0.5
expect_usage_error "give --order M" "$qmcsim" diffusion --sampler ghvb --order 3.5 --beta 0.5
expect_usage_error "--beta 1.5 is outside (0, 1]" "$qmcsim" diffusion --sampler plms-hb --beta 1.5
expect_usage_error "--order 7 is outside \\[1, 5\\]" "$qmcsim" diffusion --sampler plms --order 7
expect_usage_error "--steps 0 is outside \[1, 249\]" "$qmcsim" diffusion --steps 0
expect_usage_error "experiment 'mixing' is unknown" "$qmcsim" diffusion --experiment mixing
rows=$("$qmcsim" diffusion --sampler dpmpp-hb --beta 0.9 --steps 4 --samples 64 --dim 2 --reference-steps 200 | grep -cE '^ +(4|8|16) ')
[ "$rows" -eq 3 ] || fail "diffusion: the metrics table should have rows for 4, 8 and 16 steps, got $rows"
# UniPC on the ring mixture: its three rows, the error falling from 8 to 32 steps
errors=$("$qmcsim" diffusion --sampler unipc --guidance 0 --steps 8 --samples 256 --dim 4 --reference-steps 2000 |
  awk '/^ +(8|16|32) / {print $2}' | tr '\n' ' ')
echo "$errors" | awk '{exit !(NF == 3 && $3 < $1)}' ||
  fail "diffusion --sampler unipc: expected three rows with the error falling from 8 to 32 steps, got '$errors'"
expect_usage_error "--order 4 is outside \\[1, 3\\]" "$qmcsim" diffusion --sampler unipc --order 4
expect_usage_error "--beta 1.2 is outside (0, 1]" "$qmcsim" diffusion --sampler unipc-bh1 --beta 1.2
expect_usage_error "beta applies to plms-hb, plms-nt, dpmpp-hb, ghvb, unipc and unipc-bh1 only" "$qmcsim" diffusion --sampler dpmpp-2m --beta 0.5

[ $failures -eq 0 ] && echo "all CLI checks passed"
exit $((failures > 0))
