# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Geometric Brownian motion dX = 0.05 X dt + 0.4 X dW solved by Milstein's method with adaptive steps
# along 10^4 paths of a virtual Brownian tree, checked path by path against the exact solution
# X_1 = exp(0.05 - 0.4^2/2 + 0.4 W_1) on the same tree, and the price of a call on X_1 against
# Black-Scholes.
import numpy as np
import qmcsim
from scipy.stats import norm

mu, sigma, paths = 0.05, 0.4, 10_000
tree = qmcsim.VirtualBrownianTree(0.0, 1.0, seed=1, levy_area="none")
gbm = qmcsim.GeometricBrownianMotion(mu, sigma)  # Itô form
solution = qmcsim.solve_sde(gbm, [1.0], [0.5, 1.0], solver="milstein", rtol=1e-3, atol=1e-3, tree=tree, paths=paths)
X = solution.states[:, -1, 0]  # states: (paths, save times, 1)
W, _, _ = tree.increments(np.array([[0.0, 1.0]]), paths=paths)  # the same paths' W_1
exact = np.exp(mu - sigma**2 / 2 + sigma * W[:, 0, 0])
price = np.exp(-mu) * np.maximum(X - 1.0, 0).mean()  # strike 1, rate mu
d1 = (mu + sigma**2 / 2) / sigma
black_scholes = norm.cdf(d1) - np.exp(-mu) * norm.cdf(d1 - sigma)
print(f"max |X - exact| = {np.abs(X - exact).max():.1e}, {solution.accepted.mean():.0f} steps per path; "
      f"call {price:.4f} vs Black-Scholes {black_scholes:.4f}")
assert solution.completed.all() and np.abs(X - exact).max() < 5e-3
assert abs(price - black_scholes) < 4 * np.exp(-mu) * np.maximum(X - 1.0, 0).std() / np.sqrt(paths)
