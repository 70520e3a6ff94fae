# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""A scipy.stats.qmc.QMCEngine backed by a qmcsim point set, so that scipy code (qmc.discrepancy,
qmc.scale, samplers that take an engine) runs on qmcsim points."""

import numpy as np


def _base():
    try:
        from scipy.stats import qmc
    except ImportError as error:  # scipy is optional
        raise ImportError("qmcsim.QMCEngine needs scipy (pip install scipy)") from error
    return qmc.QMCEngine


class _Lazy(type):
    """Makes QMCEngine a subclass of scipy's QMCEngine at first use, so that importing qmcsim does not import scipy."""

    _cls = None

    def __call__(cls, *args, **kwargs):
        if _Lazy._cls is None:
            base = _base()

            class _Engine(base):
                def __init__(self, points):
                    if points.replications != 1:
                        raise ValueError(f"QMCEngine: points must have one replication, it has {points.replications}")
                    self._points = points
                    super().__init__(d=points.dimension)

                def _random(self, n=1, *, workers=1):
                    start = self.num_generated
                    x = self._points.gen(n, start=start)
                    return np.asarray(x).reshape(n, self.d)

                def reset(self):
                    super().reset()
                    return self

                def fast_forward(self, n):
                    self.num_generated += n
                    return self

            _Engine.__name__ = _Engine.__qualname__ = "QMCEngine"
            _Lazy._cls = _Engine
        return _Lazy._cls(*args, **kwargs)


class QMCEngine(metaclass=_Lazy):
    """QMCEngine(points): scipy.stats.qmc's engine interface over a qmcsim Lattice, DigitalNet, Halton or
    IID with one replication: random(n) gives the next n points, reset() starts over, fast_forward(n)
    skips n."""
