# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Models written in the peers' own frameworks, as their users would write them: the oracles of
test_peers.py and the peer side of bench/peers/bench_peers.py share them."""

import numpy as np


def torch_mixture_eps(mixture):
    """The noise prediction of qmcsim's GaussianMixture written in torch, as a user of diffusers would:
    x0(x_bar) = sum_k softmax_k(log w_k - sum log V_k / 2 - |x_bar - m_k|^2_V / 2) (m_k + v_k / V_k (x_bar - m_k)),
    V_k = v_k + sigma_bar^2, on x_bar = x / alpha; eps = (x - alpha x0) / sqrt(1 - alpha^2)."""
    import torch
    w, m, v = (torch.from_numpy(np.asarray(a, dtype=np.float64)) for a in (mixture.weights, mixture.means, mixture.variances))
    log_w = torch.log(w)

    def eps(x, sigma_bar, alpha, t=None):
        x = torch.as_tensor(x)
        V = v + sigma_bar**2
        u = x[:, None, :] / alpha - m
        r = torch.softmax(log_w - 0.5 * torch.log(V).sum(-1) - 0.5 * (u * u / V).sum(-1), dim=1)
        x0 = (r[:, :, None] * (m + v / V * u)).sum(1)
        return (x - alpha * x0) / (1 - alpha**2) ** 0.5
    return eps
