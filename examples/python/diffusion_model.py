# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# A diffusion sampler with a model written in torch: the exact noise prediction of Gaussian data
# N(0, v I), eps = sigma_bar (x / alpha) / (v + sigma_bar^2), evaluated by a torch function on the
# sampler's NumPy array (torch.from_numpy shares its memory). 15 GHVB 3.8 steps from x_T.
import numpy as np
import qmcsim
import torch


def model(x, sigma_bar, alpha, t):
    x = torch.from_numpy(x)
    return (sigma_bar * (x / alpha) / (0.25 + sigma_bar**2)).numpy()


sampler = qmcsim.Sampler("ghvb", order=3.8, steps=15, batch=4, dimension=16, prediction="noise")
x0 = sampler.run(model, np.random.default_rng(0).standard_normal((4, 16)))
print(x0.std())  # the data's standard deviation is 0.5
assert 0.3 < x0.std() < 0.7
