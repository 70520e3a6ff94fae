#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Makes (once) and updates the Python environment of the tests and peer benchmarks: a venv under
# $QMCSIM_CACHE_DIR/venv with python/requirements-peers.txt (numpy, scipy, QMCPy, torch CPU, torchsde,
# JAX + diffrax, diffusers, nanobind, pytest), reinstalled when that file changes. Prints the venv's
# python. A failed install is an error with pip's reason: a missing peer is never skipped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages python3 python3-venv python3-dev
venv="$QMCSIM_CACHE_DIR/venv"
requirements="$QMCSIM_ROOT/python/requirements-peers.txt"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
  log "making the Python environment $venv (peers: QMCPy, scipy, torch, torchsde, JAX, diffrax, diffusers)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip >&2
  "$venv/bin/pip" install -q -r "$requirements" >&2 || { log "installing $requirements failed (see pip's message above)"; exit 1; }
  cp "$requirements" "$stamp"
fi
echo "$venv/bin/python"
