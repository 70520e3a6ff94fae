# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The virtual Brownian tree from Python: the laws of W, H, K over short and long intervals, equality
with the C++ driver, Chen consistency, float trees and bad input."""

import numpy as np
import pytest

import qmcsim


def test_laws_of_w_h_k():
    tree = qmcsim.VirtualBrownianTree(0.0, 4.0, dimension=2, seed=3, levy_area="space-time-time")
    assert tree.levy_area == "space-time-time"
    intervals = np.array([[0.1, 1.3], [1.3, 1.3 + 1e-7], [3.99, 4.0]])
    W, H, K = tree.increments(intervals, paths=1 << 15)
    h = intervals[:, 1] - intervals[:, 0]
    n = W.shape[0] * W.shape[2]
    for values, scale in ((W, h), (H, h / 12), (K, h / 720)):
        ratio = (values ** 2).mean(axis=(0, 2)) / scale
        np.testing.assert_allclose(ratio, 1.0, atol=6.2 * np.sqrt(2 / n))


def test_equals_the_cpp_driver_and_is_chen_consistent(cli, tmp_path):
    times = tmp_path / "times.txt"
    times.write_text("0\n0.25\n0.5\n1\n")
    rows = np.array([r.split(",") for r in cli("brownian", "--dim", 1, "--paths", 3, "--times", times, "--seed", 4).split()], dtype=float)
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, dimension=1, seed=4)
    W, H, K = tree.increments(np.array([[0, 0.25], [0.25, 0.5], [0.5, 1.0]]), paths=3)
    assert K is None
    np.testing.assert_array_equal(W.reshape(-1), rows[:, 5])
    np.testing.assert_array_equal(H.reshape(-1), rows[:, 6])
    whole, _, _ = tree.increments(np.array([[0.0, 1.0]]), paths=3)
    np.testing.assert_allclose(whole[:, 0, 0], W.sum(axis=1)[:, 0], atol=1e-14)


def test_float_trees_and_bad_input():
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, dimension=1, seed=1, levy_area="none", dtype="float32")
    W, H, K = tree.increments(np.array([[0.99, 0.99001]]), paths=1 << 15)
    assert W.dtype == np.float32 and H is None and K is None
    assert abs((W.astype(float) ** 2).mean() / 1e-5 - 1) < 6.2 * np.sqrt(2 / W.size)
    with pytest.raises(ValueError, match="<= s <= t <= t1"):
        tree.increments(np.array([[0.5, 1.5]]))
    with pytest.raises(ValueError, match="levy_area"):
        qmcsim.VirtualBrownianTree(0.0, 1.0, levy_area="full")
    with pytest.raises(ValueError, match="must be below t1"):
        qmcsim.VirtualBrownianTree(1.0, 1.0)
    with pytest.raises(ValueError, match="shape"):
        tree.increments(np.zeros((2, 3)))
