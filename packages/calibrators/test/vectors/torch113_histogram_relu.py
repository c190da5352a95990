"""Prints the known answers of HistogramObserver.test.ts's "torch 1.13" cases: ReLU-like batches (bells clipped
at 0, about half zeros) through Debian's torch 1.13 HistogramObserver, as it is and with its histogram
taken over the float range [min_val, max_val]. Not run by the tests; rerun by hand:

    cd packages/calibrators/test/vectors && /usr/bin/python3 torch113_histogram_relu.py
"""
import torch
from torch.ao.quantization.observer import HistogramObserver

_src = open("torch_observers.py").read()
_ns = {}
exec(_src[: _src.index("U = lambda")], _ns)  # make_batch, without the cases
make_batch = _ns["make_batch"]


def relu_bell(seed, n, std):
    return torch.relu(make_batch({"seed": seed, "shape": [n], "dist": "bell", "mean": 0.0, "std": std}))


print("torch", torch.__version__)
x = relu_bell(60, 10000, 1.0)
o = HistogramObserver()
o(x)
print("one batch: min_val", float(o.min_val), "max_val", float(o.max_val), "histogram sum", float(o.histogram.sum()))
print("one batch, as is: scale", repr(float(o.calculate_qparams()[0])))
o.histogram.copy_(torch.histc(x, o.bins, min=float(o.min_val), max=float(o.max_val)))
print("one batch, histc over [min_val, max_val]: scale", repr(float(o.calculate_qparams()[0])))

o = HistogramObserver()
for i, std in enumerate([1.0, 1.5, 2.0, 3.0]):
    o(relu_bell(61 + i, 2500, std))
print("four batches, as is: min_val", float(o.min_val), "max_val", repr(float(o.max_val)), "histogram sum", float(o.histogram.sum()))
print("four batches, as is: scale", repr(float(o.calculate_qparams()[0])))
