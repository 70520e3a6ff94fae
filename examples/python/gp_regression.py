# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Fast GP regression on 2^10 lattice points (QMCPy's fast GP): fit the kernel's scale, weights and
# nugget by maximum likelihood in O(n log n) per evaluation, then predict at new points with
# variances; the prediction error is checked against the function itself and the predicted spread.
import numpy as np
import qmcsim

f = lambda x: np.exp(np.sin(2 * np.pi * x[:, 0]) + np.cos(2 * np.pi * x[:, 1]) / 2)  # smooth and periodic
gram = qmcsim.FastGram(qmcsim.Lattice(2, seed=7), 2**10)  # design: the first 2^10 points of a shifted lattice
gp = qmcsim.FastGaussianProcess(gram, f(gram.points), weights=1.0, smoothness=2)
fit = gp.fit()
print(fit, gp.scale, gp.weights, gp.nugget)
z = np.random.default_rng(0).random((1000, 2))
mean, variance = gp.posterior(z)
error = np.abs(mean - f(z))
print(f"max error {error.max():.2e}, RMS predicted sd {np.sqrt(variance.mean()):.2e}")
assert fit["converged"] and error.max() < 1e-3 and np.mean(error <= 4 * np.sqrt(variance)) > 0.95
