"""A differentiable stand-in for what `scnn compile` + the SC simulator do to a model (docs/TRAINING.md).

The stand-in runs a torch model the way a compiled SC plan of stream length L runs it (docs/SEMANTICS.md
§9.3, §9.5), in expectation plus noise, so that a model fine-tuned through it already expects SC:

* inputs: pixel x in [0, 1] becomes the threshold T(x) = round(x·M) / M of a width-n generator (M = 2^n);
* weights: every linear stage scales output channel c by s_c = max(max_i |w_ci|·v_in, |b_c|) (one s for the
  whole final stage) and rounds w·v_in/s_c to the threshold grid 1/M (straight-through gradient);
* sums: the APC's count over L cycles has mean L·z/s_c; its noise is modelled as the sum of independent
  Bernoulli streams, variance L·Σ_i p_i(1 − p_i) with p_i = x_i·|w_i|/s_c (times `noise_scale`², since
  Sobol streams are less noisy than Bernoulli ones; see docs/TRAINING.md for how it was measured);
* hidden neurons (delta-sigma): the output count over L cycles is round((L − 1)/L · count · s_c/a), clipped
  to [0, L − 1] (one cycle of latency; a = the calibrated range of the activation, min(clip, percentile));
  the next stage reads the stream n/L whose all-ones value is a;
* the final stage's logits are its counts, back in logit units (count · s / L).

Rounding uses straight-through gradients; the noise is added with a detached standard deviation. The stand-in
understands sequential models made of AvgPool2d (folded into the next Linear, as the compiler folds it),
Flatten, Linear, Conv2d (no BatchNorm), ReLU, Hardtanh(min ≥ 0), MaxPool2d and identity modules (Dropout,
train.py's ActNoise). Anything else raises ValueError naming the module.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def ste_round(x):
    """round(x) forward, identity gradient."""
    return x + (torch.round(x) - x).detach()


def layers_of(model):
    """The ordered modules of a sequential model (nn.Sequential, or a module with a Sequential `.net`)."""
    seq = model.net if hasattr(model, "net") else model
    if not isinstance(seq, nn.Sequential):
        raise ValueError("sc_aware: the model must be an nn.Sequential or have an nn.Sequential attribute 'net'")
    return list(seq)


def _is_identity(m):
    return isinstance(m, (nn.Identity, nn.Dropout)) or type(m).__name__ == "ActNoise"


def _activation_hi(m):
    """Upper clip of an activation module (inf for ReLU), or None if `m` is not one the stand-in maps."""
    if isinstance(m, nn.ReLU):
        return math.inf
    if isinstance(m, nn.Hardtanh) and m.min_val >= 0:
        return float(m.max_val)
    return None


class Stage:
    """One SC stage: a linear layer with its activation (None on the final stage), or a pooling / reshape."""

    def __init__(self, kind, module=None, pool=None, hi=None, final=False):
        self.kind, self.module, self.pool, self.hi, self.final = kind, module, pool, hi, final
        self.range = 1.0  # a: calibrated range of the activation (hidden stages)


def build_stages(model):
    """Groups a model's modules into SC stages the way the compiler fuses them."""
    mods = [m for m in layers_of(model) if not _is_identity(m)]
    stages, pending_pool = [], None
    i = 0
    while i < len(mods):
        m = mods[i]
        if isinstance(m, nn.AvgPool2d):
            k = m.kernel_size if isinstance(m.kernel_size, int) else m.kernel_size[0]
            s = m.stride if isinstance(m.stride, int) else m.stride[0]
            if k != s or m.padding not in (0, (0, 0)):
                raise ValueError("sc_aware: only AvgPool2d with stride = kernel and no padding is supported")
            pending_pool = k  # folded into the next Linear, as the compiler folds it
        elif isinstance(m, nn.Flatten):
            if pending_pool is None:  # after an AvgPool, the Linear's stage flattens the unpooled input
                stages.append(Stage("flatten"))
        elif isinstance(m, nn.MaxPool2d):
            stages.append(Stage("maxpool", m))
        elif isinstance(m, (nn.Linear, nn.Conv2d)):
            if pending_pool is not None and not isinstance(m, nn.Linear):
                raise ValueError("sc_aware: an AvgPool2d must feed a Linear (through Flatten)")
            hi = _activation_hi(mods[i + 1]) if i + 1 < len(mods) else None
            st = Stage("linear", m, pool=pending_pool, hi=hi)
            pending_pool = None
            stages.append(st)
            if hi is not None:
                i += 1
        else:
            raise ValueError(f"sc_aware: module {type(m).__name__} is not supported by the SC stand-in")
        i += 1
    lin = [s for s in stages if s.kind == "linear"]
    if not lin:
        raise ValueError("sc_aware: the model has no Linear or Conv2d layer")
    lin[-1].final, lin[-1].hi = True, None  # trailing activations are dropped by the compiler
    for s in lin[:-1]:
        if s.hi is None:
            raise ValueError("sc_aware: every hidden Linear/Conv2d must be followed by ReLU or Hardtanh(0, hi)")
    return stages


def _unpooled_weight(lin, pool, in_hw):
    """Weights of `lin` (after AvgPool(pool) + Flatten) spread over the unpooled input grid, divided by pool²."""
    c, h, w = in_hw
    ho, wo = h // pool, w // pool
    ys = torch.arange(h) // pool
    xs = torch.arange(w) // pool
    idx = (torch.arange(c).view(c, 1, 1) * ho * wo + ys.view(1, h, 1) * wo + xs.view(1, 1, w)).reshape(-1)
    return lin.weight[:, idx] / float(pool * pool)


class ScStandIn:
    """The SC stand-in of `model` for stream length L and generator width n."""

    def __init__(self, model, length, width=8, noise_scale=1.0, percentile=98.0):
        self.model, self.length, self.width = model, int(length), int(width)
        self.noise_scale, self.percentile = float(noise_scale), float(percentile)
        self.M = float(2 ** self.width)
        self.stages = build_stages(model)

    # ---------------------------------------------------------------- calibration

    @torch.no_grad()
    def calibrate(self, x):
        """Activation ranges a as the compiler computes them: the percentile of the non-zero |outputs| of each
        hidden activation over the images `x` (the float model), capped at the activation's clip."""
        h = x
        for st in self.stages:
            if st.kind == "flatten":
                h = torch.flatten(h, 1)
            elif st.kind == "maxpool":
                h = st.module(h)
            else:
                if st.pool:
                    h = torch.flatten(F.avg_pool2d(h, st.pool), 1)
                h = st.module(h)
                if st.final:
                    break
                h = torch.clamp(h, min=0.0, max=st.hi)
                v = h.abs().flatten()
                v = v[v > 0].sort().values
                r = float(v[min(len(v) - 1, int(math.floor((len(v) - 1) * self.percentile / 100.0)))]) if len(v) else 1.0
                st.range = min(st.hi, r) if r > 0 else 1.0
        return [st.range for st in self.stages if st.kind == "linear" and not st.final]

    # ---------------------------------------------------------------- forward

    def _linear_counts(self, st, xin, v_in, noisy):
        """Expected APC count over L cycles (and its noisy version) of one linear stage, and the scale s."""
        m, L, M = st.module, float(self.length), self.M
        if st.pool:
            w = _unpooled_weight(m, st.pool, xin_shape(st))
        else:
            w = m.weight
        b = m.bias if m.bias is not None else torch.zeros(w.shape[0])
        wv = w * v_in
        dims = tuple(range(1, w.dim()))
        s = torch.maximum(wv.abs().amax(dim=dims), b.abs()).detach().clamp_min(1e-30)
        if st.final:
            s = s.max().expand_as(s)
        shape = (-1,) + (1,) * (w.dim() - 1)
        wt = ste_round(wv / s.view(shape) * M) / M  # thresholds / M, in [-1, 1]
        bt = ste_round(b / s * M) / M
        if isinstance(m, nn.Conv2d):
            def lin(inp, wgt, bias=None):
                return F.conv2d(inp, wgt, bias, m.stride, m.padding)
            bshape = (1, -1, 1, 1)
        else:
            def lin(inp, wgt, bias=None):
                return F.linear(inp, wgt, bias)
            bshape = (1, -1)
        mean = L * lin(xin, wt, bt)
        if not noisy or self.noise_scale <= 0:
            return mean, s
        with torch.no_grad():
            var = lin(xin, wt.abs()) - lin(xin * xin, wt * wt) + (bt.abs() * (1 - bt.abs())).view(bshape)
            std = self.noise_scale * torch.sqrt(L * var.clamp_min(0))
        return mean + std * torch.randn_like(mean), s

    def forward(self, x, noisy=True):
        """Logits (in float units) of the SC stand-in. x: [N, 1, H, W] pixels in [0, 1]."""
        L, M = float(self.length), self.M
        h = ste_round(x * M) / M  # pixel thresholds
        v_in = 1.0  # real value of an all-ones input stream
        for st in self.stages:
            if st.kind == "flatten":
                h = torch.flatten(h, 1)
                continue
            if st.kind == "maxpool":
                h = st.module(h)  # running max of counts: the max of the streams' values
                continue
            if st.pool:
                st.in_shape = tuple(h.shape[1:])
                h = torch.flatten(h, 1)
            count, s = self._linear_counts(st, h, v_in, noisy)
            sv = s.view((1, -1) + (1,) * (count.dim() - 2))
            if st.final:
                return ste_round(count) * sv / L
            a = st.range
            n = ste_round((L - 1) / L * count * sv / a)
            n = torch.minimum(torch.clamp(n, min=0.0), torch.tensor(L - 1))
            h, v_in = n / L, a
        raise ValueError("sc_aware: the model has no final linear stage")


def xin_shape(st):
    if len(getattr(st, "in_shape", ())) != 3:
        raise ValueError("sc_aware: an AvgPool2d must see a C x H x W image")
    return st.in_shape
