# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
import numpy as np
import qmcsim
from scipy.special import hyp1f1
from scipy.stats import norm

points = qmcsim.DigitalNet(8, replications=16, seed=7)  # Sobol', LMS + digital shift, 16 randomizations
keister = lambda x: np.pi**4 * np.cos(np.sqrt((norm.ppf(x) ** 2).sum(axis=1) / 2))  # f on an (n, 8) array
result = qmcsim.rqmc_cubature(keister, points, abs_tol=1e-3)  # n doubles until the interval is narrow
print(result)  # estimate, half-width, points per randomization
tree = qmcsim.VirtualBrownianTree(0.0, 1.0, dimension=2, seed=3, levy_area="space-time")
W, H, K = tree.increments(np.array([[0.0, 0.5], [0.5, 1.0]]), paths=1000)  # (paths, intervals, dimension)
exact = np.pi**4 * hyp1f1(4, 0.5, -0.25)  # Keister's closed form
assert result.met_tolerance and abs(result.estimate - exact) <= result.half_width and W.shape == (1000, 2, 2)
