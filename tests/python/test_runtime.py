# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Kokkos' lifetime from Python: started on first use, importing twice, threads calling at once, a
forked child, and the exit of an interpreter that still holds qmcsim objects."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import qmcsim


def test_started_on_first_use_and_initialize_after_is_an_error():
    qmcsim.DigitalNet(2).gen(4)
    assert qmcsim.is_initialized()
    with pytest.raises(ValueError, match="already running"):
        qmcsim.initialize(num_threads=1)
    import importlib
    assert importlib.reload(qmcsim) is qmcsim  # importing again does nothing harmful


def test_threads_call_at_once():
    net = qmcsim.DigitalNet(8, replications=4)
    expected = net.gen(4096)
    results = [None] * 8

    def work(k):
        results[k] = net.gen(4096)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, expected)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_fork_fails_clearly_in_the_child_and_works_before_first_use():
    # GNU OpenMP's threads do not survive fork: a child of a parent that ran qmcsim gets a clear
    # RuntimeError (not a hang); a child forked before the parent's first use computes normally.
    script = (
        "import os, qmcsim, numpy as np\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os._exit(0 if qmcsim.Lattice(3).gen(8).shape == (8, 3) else 3)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "assert os.waitstatus_to_exitcode(status) == 0, 'fresh child'\n"
        "a = qmcsim.Lattice(3).gen(8)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    try:\n"
        "        qmcsim.Lattice(3).gen(8)\n"
        "        os._exit(4)\n"
        "    except RuntimeError as e:\n"
        "        os._exit(0 if 'spawn' in str(e) else 5)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "assert os.waitstatus_to_exitcode(status) == 0, os.waitstatus_to_exitcode(status)\n"
        "assert np.array_equal(qmcsim.Lattice(3).gen(8), a)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_exit_with_live_objects_and_with_none():
    for script in ("import qmcsim\nnet = qmcsim.DigitalNet(2)\nx = net.gen(4)\n",
                   "import qmcsim\nqmcsim.initialize(num_threads=1)\nqmcsim.Lattice(2).gen(4)\n",
                   "import qmcsim\n"):
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "Kokkos" not in result.stderr, result.stderr
