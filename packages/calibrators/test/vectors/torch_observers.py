"""Writes torch-observers.json: PyTorch's observer outputs for inputs that the TypeScript tests rebuild
bit for bit (test/_data.ts has the same generator). Not run by the tests; rerun by hand when cases change:

    python3 packages/calibrators/test/vectors/torch_observers.py   # needs torch (checked with 2.13.0+cpu)

The generator uses only integer arithmetic and IEEE double +, -, *, / followed by one float32 rounding,
so Python and JavaScript produce the same float32 values.
"""
import json
import os
import warnings

import numpy as np
import torch
from torch.ao.quantization import observer as obs

warnings.filterwarnings("ignore")

SQRT3 = 1.7320508075688772


def make_batch(spec):
    n = 1
    for d in spec["shape"]:
        n *= d
    s = spec["seed"] & 0xFFFFFFFF

    def u():
        nonlocal s
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        return s / 4294967296.0

    out = np.empty(n, dtype=np.float32)
    kind = spec["dist"]
    for i in range(n):
        if kind == "uniform":
            v = spec["low"] + (spec["high"] - spec["low"]) * u()
        elif kind == "bell":
            v = spec["mean"] + spec["std"] * (((u() + u()) + (u() + u())) - 2.0) * SQRT3
        elif kind == "constant":
            v = spec["value"]
        else:
            raise ValueError(kind)
        out[i] = np.float32(v)
    for i, v in spec.get("outliers", []):
        out[i] = np.float32(v)
    return torch.from_numpy(out).reshape(spec["shape"])


DTYPES = {"quint8": torch.quint8, "qint8": torch.qint8}
QSCHEMES = {
    "per_tensor_affine": torch.per_tensor_affine,
    "per_tensor_symmetric": torch.per_tensor_symmetric,
    "per_channel_affine": torch.per_channel_affine,
    "per_channel_symmetric": torch.per_channel_symmetric,
}


def build(name, o):
    kw = {}
    if "dtype" in o:
        kw["dtype"] = DTYPES[o["dtype"]]
    if "qscheme" in o:
        kw["qscheme"] = QSCHEMES[o["qscheme"]]
    if "reduceRange" in o:
        kw["reduce_range"] = o["reduceRange"]
    if "quantMin" in o:
        kw["quant_min"] = o["quantMin"]
        kw["quant_max"] = o["quantMax"]
    if "eps" in o:
        kw["eps"] = o["eps"]
    if "averagingConstant" in o:
        kw["averaging_constant"] = o["averagingConstant"]
    if "chAxis" in o:
        kw["ch_axis"] = o["chAxis"]
    if "bins" in o:
        kw["bins"] = o["bins"]
    return getattr(obs, name)(**kw)


def f32list(t):
    return [float(v) for v in t.reshape(-1).tolist()]


U = lambda seed, shape, low, high, **k: {"seed": seed, "shape": shape, "dist": "uniform", "low": low, "high": high, **k}
B = lambda seed, shape, mean, std, **k: {"seed": seed, "shape": shape, "dist": "bell", "mean": mean, "std": std, **k}
C = lambda shape, value: {"seed": 0, "shape": shape, "dist": "constant", "value": value}

cases = []


def case(observer, options, batches, full_histogram=False):
    cases.append({"observer": observer, "options": options, "batches": batches, "fullHistogram": full_histogram})


# MinMaxObserver: schemes, dtypes, reduce_range, custom ranges, eps, constant and tiny ranges, one-sided ranges.
deck = U(7, [1000], -50.0, 150.0, outliers=[[500, 1000.0]])
for opts in [
    {},
    {"dtype": "qint8"},
    {"qscheme": "per_tensor_symmetric", "dtype": "qint8"},
    {"qscheme": "per_tensor_symmetric", "dtype": "quint8"},
    {"reduceRange": True},
    {"dtype": "qint8", "reduceRange": True},
    {"quantMin": 0, "quantMax": 15},
    {"dtype": "qint8", "quantMin": -8, "quantMax": 7},
    {"dtype": "qint8", "qscheme": "per_tensor_symmetric", "quantMin": -127, "quantMax": 127},
    {"qscheme": "per_tensor_symmetric", "quantMin": 0, "quantMax": 15},
    {"eps": 0.001},
]:
    case("MinMaxObserver", opts, [deck, B(11, [300], 3.0, 40.0)])
case("MinMaxObserver", {}, [U(1, [64], 2.0, 5.0)])
case("MinMaxObserver", {}, [U(2, [64], -5.0, -2.0)])
case("MinMaxObserver", {"dtype": "qint8", "qscheme": "per_tensor_symmetric"}, [U(2, [64], -5.0, -2.0)])
case("MinMaxObserver", {}, [C([10], 0.0)])
case("MinMaxObserver", {}, [C([10], 3.25)])
case("MinMaxObserver", {"dtype": "qint8", "qscheme": "per_tensor_symmetric"}, [C([10], -0.5)])
case("MinMaxObserver", {}, [U(3, [50], -1e-9, 1e-9)])
case("MinMaxObserver", {"dtype": "qint8", "qscheme": "per_tensor_symmetric"}, [U(3, [50], -1e-9, 1e-9)])
case("MinMaxObserver", {"eps": 1e-3}, [U(4, [50], -0.01, 0.02)])
case("MinMaxObserver", {}, [U(5, [31], -0.3, 0.1), U(6, [17], -0.1, 0.7), B(7, [40], 0.0, 0.2)])

# MovingAverageMinMaxObserver: the first batch sets min/max, later ones move them by c.
seq = [U(10 + i, [200], -1.0 - i * 0.37, 2.0 + i * 0.11) for i in range(6)]
for opts in [{}, {"averagingConstant": 0.5}, {"averagingConstant": 0.3, "dtype": "qint8", "qscheme": "per_tensor_symmetric"}, {"averagingConstant": 1.0}]:
    case("MovingAverageMinMaxObserver", opts, seq)
case("MovingAverageMinMaxObserver", {"averagingConstant": 0.1}, [C([8], 2.0), C([8], 2.0)])

# Per-channel, along every axis of a rank-3 tensor, and the moving average.
for ax in [0, 1, 2, -1]:
    for opts in [{}, {"qscheme": "per_channel_symmetric", "dtype": "qint8"}]:
        case("PerChannelMinMaxObserver", {"chAxis": ax, **opts}, [B(20, [4, 3, 5], 0.0, 1.0), U(21, [4, 3, 5], -2.0, 0.5)])
case("PerChannelMinMaxObserver", {"chAxis": 1, "dtype": "qint8", "qscheme": "per_channel_symmetric", "quantMin": -127, "quantMax": 127}, [B(22, [6, 8], 0.0, 0.05)])
case("PerChannelMinMaxObserver", {"chAxis": 0}, [C([3, 4], 0.0)])
for opts in [{"chAxis": 1}, {"chAxis": 0, "averagingConstant": 0.25, "qscheme": "per_channel_symmetric", "dtype": "qint8"}]:
    case("MovingAveragePerChannelMinMaxObserver", opts, [U(30 + i, [3, 7], -1.0 - i, 1.0 + 2 * i) for i in range(4)])

# HistogramObserver: one batch, outliers, several batches whose range grows (the combine), symmetric.
case("HistogramObserver", {}, [B(40, [4000], 0.0, 1.0)], full_histogram=True)
case("HistogramObserver", {}, [B(41, [4000], 0.5, 2.0, outliers=[[7, 40.0], [99, -25.0]])])
case("HistogramObserver", {}, [U(42, [3000], -50.0, 150.0, outliers=[[5, 1000.0]])])
case(
    "HistogramObserver",
    {},
    [B(43, [2000], 0.0, 1.0), B(44, [2000], 0.5, 3.0), U(45, [2000], -1.0, 1.0), B(46, [2000], -2.0, 0.5)],
    full_histogram=True,
)
case("HistogramObserver", {"dtype": "qint8", "qscheme": "per_tensor_symmetric"}, [B(47, [3000], 0.2, 1.0), B(48, [3000], 0.0, 4.0)])
case("HistogramObserver", {"reduceRange": True}, [B(49, [3000], 1.0, 1.0)])
case("HistogramObserver", {"bins": 256}, [B(50, [3000], 0.0, 1.0), U(51, [500], -6.0, 6.0)])
case("HistogramObserver", {}, [C([20], 3.0), U(52, [40], 1.0, 4.0)])
case("HistogramObserver", {}, [U(53, [5000], 0.0, 6.0), U(54, [5000], 0.0, 6.0)])

out = {"torch": torch.__version__, "cases": []}
for c in cases:
    o = build(c["observer"], c["options"])
    for b in c["batches"]:
        o(make_batch(b))
    scale, zp = o.calculate_qparams()
    e = {
        "minVal": f32list(o.min_val),
        "maxVal": f32list(o.max_val),
        "scale": f32list(scale),
        "zeroPoint": [int(v) for v in zp.reshape(-1).tolist()],
    }
    if c["observer"] == "HistogramObserver":
        lo, hi = o._non_linear_param_search()
        e["searchMin"] = float(lo)
        e["searchMax"] = float(hi)
        e["histogramSum"] = float(o.histogram.double().sum())
        if c["fullHistogram"]:
            e["histogram"] = f32list(o.histogram)
    c = {k: v for k, v in c.items() if k != "fullHistogram"}
    out["cases"].append({**c, "expected": e})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "torch-observers.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(len(out["cases"]), "cases")
