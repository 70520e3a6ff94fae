# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# A geometric-average Asian call priced against Brownian motion: the payoff is a function of the path
# W(t_1..t_16); measure=BrownianMotion(16) hands it paths built by PCA from the points, and the
# guaranteed cubature stops when its error bound meets 1e-3. The closed form checks the price.
import math

import numpy as np
import qmcsim
from scipy.stats import norm

d, rate, volatility = 16, 0.05, 0.2
t = np.arange(1, d + 1) / d


def payoff(w):  # w: (n, d) Brownian paths at t
    log_mean = np.log(100) + ((rate - volatility**2 / 2) * t + volatility * w).mean(axis=1)
    return math.exp(-rate) * np.maximum(np.exp(log_mean) - 100, 0)


points = qmcsim.DigitalNet(d, seed=7)
result = qmcsim.guaranteed_cubature(payoff, points, abs_tol=1e-3, measure=qmcsim.BrownianMotion(d))
m = math.log(100) + (rate - volatility**2 / 2) * t.mean()  # log of the geometric mean is N(m, v)
v = volatility**2 * np.minimum.outer(t, t).sum() / d**2
d1 = (m - math.log(100) + v) / math.sqrt(v)
exact = math.exp(-rate) * (math.exp(m + v / 2) * norm.cdf(d1) - 100 * norm.cdf(d1 - math.sqrt(v)))
print(result, exact)
assert result.met_tolerance and abs(result.estimate - exact) <= 1e-3
