# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Shared fixtures of the Python tests: the qmcsim driver (the C++ result the bindings are checked
against), found through QMCSIM_CLI or on PATH."""

import os
import shutil
import subprocess

import numpy as np
import pytest


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("QMCSIM_CLI") or shutil.which("qmcsim")
    if not path:
        pytest.fail("the qmcsim driver is needed as the C++ oracle: set QMCSIM_CLI to build/test/bin/qmcsim")

    def run(*args):
        out = subprocess.run([path, *map(str, args)], capture_output=True, text=True, check=True).stdout
        return out

    def points(*args):
        rows = [line.split(",") for line in run("points", *args).strip().split("\n")]
        return np.array(rows, dtype=np.float64)

    run.points = points
    return run
