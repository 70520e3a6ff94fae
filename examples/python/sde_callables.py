# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Your own SDE as numpy functions on the whole batch of paths (CallableSde): a noisy damped rotation
# dX = A X dt + B dW in the plane, driven by three Brownian components (B is 2 x 3: general, additive
# noise), solved by SRA1 with constant steps and checked against its exact law: X_T is Gaussian with
# mean e^{AT} x0 and covariance the integral of e^{As} B B^T e^{A^T s} over [0, T].
import numpy as np
import qmcsim
from scipy.integrate import quad_vec
from scipy.linalg import expm

A = np.array([[-0.5, 2.0], [-2.0, -0.5]])
B = np.array([[0.6, 0.2, 0.0], [0.0, 0.3, 0.4]])
x0, T, paths = np.array([1.0, 0.0]), 2.0, 4000
sde = qmcsim.CallableSde(drift=lambda t, y: y @ A.T,  # y: (paths, 2), read-only
                         diffusion=lambda t, y: np.broadcast_to(B, (len(y), 2, 3)),  # (paths, N, M)
                         noise="general", noise_dimension=3, additive=True)
solution = qmcsim.solve_sde(sde, x0, [1.0, T], solver="sra1", dt=0.05, seed=4, paths=paths)
X = solution.states[:, -1, :]  # states: (paths, save times, 2)
mean = expm(A * T) @ x0
covariance = quad_vec(lambda s: expm(A * s) @ B @ B.T @ expm(A * s).T, 0.0, T)[0]
print(f"{solution.accepted[0]} steps; mean {X.mean(axis=0).round(4)} vs exact {mean.round(4)}; "
      f"covariance {np.cov(X.T).round(4).tolist()} vs exact {covariance.round(4).tolist()}")
assert np.all(np.abs(X.mean(axis=0) - mean) < 5 * np.sqrt(np.diag(covariance) / paths) + 0.01)
assert np.all(np.abs(np.cov(X.T) - covariance) < 5 * np.sqrt(2 / paths) * covariance.diagonal().max() + 0.01)
