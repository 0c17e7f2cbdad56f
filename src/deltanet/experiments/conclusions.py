"""Task 25's conclusions as data: claims derived from the stored series, each with a checker.

A :class:`Claim` is one statement: an ``id`` (template and checker), the
``part`` ("25a"...), the ``subject`` (``"overfitting"``, ``"regularization"``
or ``"cost-comparison/<cost>"``), its numbers and the epochs it rests on. CLI,
``summary.json`` and report (both languages) render these claims; nothing
else phrases a conclusion. :func:`check_claim` re-derives a claim from the
series independently. Every criterion is a named constant stated in the
sentence that uses it; where the data cannot support a statement, a claim
says so instead. With several seeds the claims are about the mean series.

>>> s = {"test_accuracy": [80, 85, 84, 84], "training_accuracy": [85, 95, 99, 100],
...      "training_cost": [1.0, 0.5, 0.3, 0.2], "evaluation_cost": [0.9, 0.8, 0.85, 0.9]}
>>> [c.id for c in overfitting_claims("25b", "overfitting", s, start=2)][:3]
['peak', 'ends_below', 'peak_before']
>>> all(check_claim(c, {"overfitting": s}) for c in overfitting_claims("25b", "overfitting", s, 2))
True
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass

__all__ = ["Claim", "check_claim", "derive_claims", "overfitting_claims",
           "cost_comparison_claims", "comparison_claims", "series_of", "mean_series", "group_runs",
           "aggregate", "summarize_task25", "summarize_sweep", "SUMMARY_SCHEMA",
           "SWEEP_SCHEMA", "TOLERANCE", "LEVEL_WINDOW", "LEVEL_SLOPE", "OVERFIT_COST_DROP",
           "JUMP", "PLATEAU_RANGE", "PLATEAU_EPOCHS", "REACH"]

SUMMARY_SCHEMA = "deltanet.task25.summary/4"     # /4: overfits_l2, cmp_level, cmp_test_cost
SWEEP_SCHEMA = "deltanet.task25.sweep/1"

TOLERANCE = 0.5          # points below the peak that count as "near the peak"
LEVEL_WINDOW = 20        # epochs of the moving least-squares window ...
LEVEL_SLOPE = 0.01       # ... whose |slope| (points per epoch) must stay below this
OVERFIT_COST_DROP = 0.01  # relative fall of the training cost after levelling off
JUMP = 2.0               # points gained in one epoch ...
PLATEAU_RANGE = 1.5      # ... after at least PLATEAU_EPOCHS epochs within this range
PLATEAU_EPOCHS = 3
REACH = 90.0             # test accuracy (%) whose first epoch 25a reports

# how a value is shown: (kind, digits) of deltanet.report.document.Num
KINDS = {"pct": ("pct", 2), "pts": ("fixed", 2), "diff": ("g", 3), "signed": ("g", 3),
         "crit": ("g", 3), "epoch": ("int", 0),
         "cost": ("sig", 4), "rel": ("percent", 1), "slope": ("g", 2), "norm": ("sig", 3)}


@dataclass(frozen=True)
class Claim:
    """One statement about stored series; ``values``: ``{name: (kind, value)}``.

    ``kind`` is a key of :data:`KINDS`, ``"label"`` (a cost function's name,
    translated), ``"phrase"`` (the catalogue's ``phrase_<value>``) or ``"text"``
    (shown as is). The sentence is the catalogue's
    ``claim_<id>``; a ``(singular, plural)`` template is chosen by ``n``.
    """

    id: str
    part: str
    subject: str
    values: dict
    epochs: tuple = ()

    def runs(self, lang="en"):
        """The sentence as rich-text runs (numbers stay numbers, for the report)."""
        from deltanet.i18n import catalogue, template
        from deltanet.report.document import Num, rich
        texts = catalogue(lang)
        words = {"label": lambda v: texts.get(f"cost_with_{v}", v),
                 "phrase": lambda v: texts[f"phrase_{v}"], "text": str}
        fill = {name: words[kind](value) if kind in words
                else Num(value, *KINDS[kind], signed=kind == "signed")
                for name, (kind, value) in self.values.items()}
        n = self.values.get("n", (0, None))[1]
        return rich(template(f"claim_{self.id}", lang, n), lang, **fill)

    def text(self, lang="en"):
        """The sentence as plain text (for the CLI and ``summary.json``)."""
        from deltanet.report.document import plain_text
        return plain_text(self.runs(lang), lang).replace("\u00a0", " ")

    def value(self, name):
        return self.values[name][1]

    def to_dict(self):
        return {"id": self.id, "part": self.part, "subject": self.subject,
                "values": {k: list(v) for k, v in self.values.items()},
                "epochs": list(self.epochs)}

    @classmethod
    def from_dict(cls, d):
        return cls(d["id"], d["part"], d["subject"],
                   {k: tuple(v) for k, v in d["values"].items()}, tuple(d["epochs"]))


# ------------------------------------------------------------------ series --

def series_of(record):
    """Per-epoch series of a stored run (accuracies in percent, by
    :func:`deltanet.plots.history.history_series`); with the output layer's
    ||nabla_b^L|| per epoch when the run monitored gradients."""
    from deltanet.plots.history import history_series
    h = record["history"]
    s = history_series(h)
    out = {"test_accuracy": s["evaluation_accuracy"], "training_accuracy": s["training_accuracy"],
           "training_cost": s["training_cost"], "evaluation_cost": s["evaluation_cost"]}
    if h.get("gradient_norms"):
        out["output_gradient_norm"] = [norms[-1] for norms in h["gradient_norms"]]
    return out


def mean_series(records):
    """The epoch-wise mean of the runs' series over the epochs all of them completed."""
    all_series = [series_of(r) for r in records]
    return {key: [statistics.fmean(epoch) for epoch in zip(*(s[key] for s in all_series))]
            for key in all_series[0] if all(s.get(key) for s in all_series)}


def group_runs(records):
    """``{label: runs}`` of the runs with a finished epoch, each list sorted by seed."""
    groups = {}
    for record in sorted(records, key=lambda r: r["seed"]):
        if record["history"]["epochs_completed"] > 0:
            groups.setdefault(record["label"], []).append(record)
    return groups


def _config(runs):
    """The runs' config without the seed."""
    return {k: v for k, v in runs[0]["config"].items() if k != "seed"}


# ------------------------------------------------------------- derivation --

def _peak(x):
    best = max(x)
    return best, x.index(best) + 1


def _first_at_least(x, threshold):
    return next((i for i, v in enumerate(x, 1) if v >= threshold), None)


def _tail_start(ok):
    """Smallest epoch from which every flag of ``ok`` holds (None if the last does not)."""
    failed = max((i for i, flag in enumerate(ok, 1) if not flag), default=0)
    return failed + 1 if failed < len(ok) else None


def _gap(s):
    """Training minus test accuracy at the end (points)."""
    return s["training_accuracy"][-1] - s["test_accuracy"][-1]


def _spread(x):
    return max(x) - min(x)


def _slope(window):
    """Least-squares slope of ``window`` against 0, 1, 2, ..."""
    n = len(window)
    mean_x, mean_y = (n - 1) / 2, sum(window) / n
    return (sum((i - mean_x) * (y - mean_y) for i, y in enumerate(window))
            / sum((i - mean_x) ** 2 for i in range(n)))


def _level_epoch(x):
    """First epoch from which every window of LEVEL_WINDOW epochs has a flat slope
    (None also for fewer than 2 LEVEL_WINDOW epochs)."""
    if len(x) < 2 * LEVEL_WINDOW:
        return None
    return _tail_start([abs(_slope(x[i:i + LEVEL_WINDOW])) <= LEVEL_SLOPE
                        for i in range(len(x) - LEVEL_WINDOW + 1)])


def _shown(kind, value, lang="en"):
    from deltanet.report.document import Num, plain_text
    return plain_text([("num", Num(value, *KINDS[kind]))], lang)


def overfitting_claims(part, subject, s, start, lmbda=0.0):
    """Claims about one overfitting-style run (25b, 25c): peak, where the test
    accuracy stays near it, gains after ``start``, levelling off, overfitting
    (with ``lmbda`` > 0 the training cost includes the weight term, so a fall
    is not called a better fit), training accuracy and test cost."""
    x, train, cost = s["test_accuracy"], s["training_accuracy"], s["training_cost"]
    n, out = len(x), []
    best, p = _peak(x)

    def claim(id, epochs, **values):
        out.append(Claim(id, part, subject, values, tuple(epochs)))

    claim("peak", (p, n), peak=("pct", best), epoch=("epoch", p), n=("epoch", n),
          final=("pct", x[-1]))
    near = _tail_start([v >= best - TOLERANCE for v in x])
    if near is None:
        claim("ends_below", (p, n), tol=("crit", TOLERANCE), final=("pct", x[-1]),
              drop=("diff", best - x[-1]))
    else:
        claim("stays_within", (near,), tol=("crit", TOLERANCE), epoch=("epoch", near),
              low=("pct", min(x[near - 1:])))
    if start < p:
        claim("rises_after", (start, p), start=("epoch", start), at_start=("pct", x[start - 1]),
              peak=("pct", best), epoch=("epoch", p), rise=("diff", best - x[start - 1]))
    elif start < n:
        claim("peak_before", (p, start), start=("epoch", start), epoch=("epoch", p),
              high=("pct", max(x[start - 1:])))
    window = dict(window=("epoch", LEVEL_WINDOW), limit=("slope", LEVEL_SLOPE))
    level = _level_epoch(x)
    if n < 2 * LEVEL_WINDOW:
        claim("level_unknown", (n,), n=("epoch", n), window=window["window"])
    elif level is None:
        claim("not_level", (n - LEVEL_WINDOW + 1, n), slope=("slope", _slope(x[-LEVEL_WINDOW:])),
              **window)
    else:
        claim("levels_off" if level > 1 else "level_throughout",   # no window before epoch 1
              (level,), epoch=("epoch", level), **window)
        a, b = cost[level - 1], cost[-1]
        values = dict(epoch=("epoch", level), cost_at=("cost", a), cost_end=("cost", b),
                      limit=("rel", OVERFIT_COST_DROP))
        if level < n and a > 0 and a - b >= OVERFIT_COST_DROP * a:
            claim("overfits_l2" if lmbda else "overfits", (level, n),
                  **({"lmbda": ("slope", lmbda)} if lmbda else {}),
                  rel=("rel", 1 - b / a), acc_at=("pct", x[level - 1]),
                  gain=("pts", max(x[level - 1:]) - x[level - 1]), **values)
        else:
            claim("no_overfit", (level, n), **values)
    full = _first_at_least(train, 100.0)
    if full:
        claim("train_full", (full, n), epoch=("epoch", full), gap=("pts", _gap(s)))
    else:
        claim("train_not_full", (n,), best=("pct", max(train)), gap=("pts", _gap(s)))
    ecost = s.get("evaluation_cost")
    if ecost and len(ecost) == n:
        low, m = min(ecost), ecost.index(min(ecost)) + 1
        kind = _test_cost_id(ecost, m)
        late = dict(n=("epoch", n), window=("epoch", LEVEL_WINDOW)) if kind == "test_cost_late" \
            else {}
        claim(kind, (m, n), epoch=("epoch", m), low=("cost", low), final=("cost", ecost[-1]),
              **late)
    return out


def _test_cost_id(ecost, m):
    """``test_cost_flat`` if the end shows as the minimum (epoch ``m``), ``test_cost_late``
    if it lies in the last LEVEL_WINDOW epochs (too few to call a rise), else ``_rises``."""
    n = len(ecost)
    if m == n or _shown("cost", ecost[-1]) == _shown("cost", min(ecost)):
        return "test_cost_flat"
    return "test_cost_late" if n - m < LEVEL_WINDOW else "test_cost_rises"


def _jump(x):
    """``(plateau start, jump epoch)`` of the largest jump after a plateau, or None."""
    found, largest = None, 0.0
    for e in range(PLATEAU_EPOCHS + 1, len(x) + 1):
        rise = x[e - 1] - x[e - 2]
        if rise < JUMP or rise <= largest:
            continue
        s = e - 1           # widen the plateau x[s - 1:e - 1] while it stays in range
        while s > 1 and _spread(x[s - 2:e - 1]) <= PLATEAU_RANGE:
            s -= 1
        if e - s >= PLATEAU_EPOCHS:
            found, largest = (s, e), rise
    return found


def cost_comparison_claims(curves, part="25a", name="cost-comparison"):
    """Claims of 25a from ``{cost label: series}``: the early lead, the first
    epoch at REACH %, final values, plateaus with jumps, which ends higher."""
    out = []

    def claim(id, labels, epochs=(), **values):
        out.append(Claim(id, part, f"{name}/{'+'.join(labels)}", values, tuple(epochs)))

    labels = list(curves)
    if len(labels) >= 2:
        a, b = sorted(labels[:2], key=lambda k: -curves[k]["test_accuracy"][0])
        xa, xb = curves[a]["test_accuracy"][0], curves[b]["test_accuracy"][0]
        if _shown("pct", xa) != _shown("pct", xb):      # xa > xb, and it shows
            claim("early", (a, b), (1,), fast=("label", a), slow=("label", b),
                  acc_fast=("pct", xa), acc_slow=("pct", xb))
        else:
            claim("early_tie", (a, b), (1,), acc=("pct", xa))
    for label in labels:
        s = curves[label]
        x, n, cost = s["test_accuracy"], len(s["test_accuracy"]), ("label", label)
        first = _first_at_least(x, REACH)
        if first:
            claim("reach", (label,), (first,), cost=cost, level=("crit", REACH),
                  epoch=("epoch", first))
        else:
            claim("not_reach", (label,), (n,), cost=cost, level=("crit", REACH), n=("epoch", n))
        best, p = _peak(x)
        claim("final", (label,), (p, n), cost=cost, final=("pct", x[-1]), peak=("pct", best),
              epoch=("epoch", p), train=("pct", s["training_accuracy"][-1]))
        criteria = dict(jump=("crit", JUMP), range=("crit", PLATEAU_RANGE),
                        k=("epoch", PLATEAU_EPOCHS))
        jump = _jump(x)
        if jump is None:
            claim("no_jump", (label,), cost=cost, **criteria)
            continue
        start, e = jump
        plateau = x[start - 1:e - 1]
        claim("jump", (label,), (start, e), cost=cost, start=("epoch", start),
              end=("epoch", e - 1), lo=("pct", min(plateau)), hi=("pct", max(plateau)),
              epoch=("epoch", e), after=("pct", x[e - 1]), rise=("diff", x[e - 1] - x[e - 2]),
              **criteria)
        g = s.get("output_gradient_norm")
        if not (g and len(g) == n):
            claim("jump_unmeasured", (label,), cost=cost)
            continue
        # the saturation reading (the factor sigma'(z^L) in delta^L) is the quadratic
        # cost's; with another cost the measurement is stated without it
        before = statistics.fmean(g[start - 1:e - 2])
        reading = "jump_gradient" if g[e - 2] > before else "jump_gradient_flat"
        claim(reading if label == "quadratic" else "jump_gradient_other", (label,),
              (start, e - 1), cost=cost, before=("norm", before), at=("norm", g[e - 2]),
              epoch=("epoch", e - 1), start=("epoch", start), end=("epoch", e - 2))
    if len(labels) >= 2:
        finals = {k: curves[k]["test_accuracy"][-1] for k in labels[:2]}
        hi, lo = sorted(finals, key=lambda k: -finals[k])
        if finals[hi] > finals[lo]:
            claim("higher_final", (hi, lo), best=("label", hi),
                  lead=("diff", finals[hi] - finals[lo]))
    return out


def _differences(a, b, allowed):
    """Config keys (and seeds) in which two subjects differ, besides ``allowed``."""
    return sorted(k for k in set(a) | set(b) if k not in allowed and a.get(k) != b.get(k))


def comparison_claims(data, configs, base="overfitting", other="regularization", part="25c"):
    """25c vs 25b, only when their configs (and seeds) differ in ``lmbda`` alone."""
    subject = f"{other}+{base}"
    if base not in data:
        return [Claim("cmp_missing", part, subject, {}, ())]
    differ = _differences(configs[base], configs[other], {"lmbda", "experiment"})
    if differ:
        return [Claim("cmp_refused", part, subject, {"keys": ("text", ", ".join(differ))}, ())]
    b, c = data[base], data[other]
    gap_b, gap_c = _gap(b), _gap(c)
    lmbda = ("slope", configs[other]["lmbda"])
    out = []
    levels = [_level_epoch(s["test_accuracy"]) for s in (b, c)]
    if all(levels):     # the course: where the test accuracy levels off, its peak
        out.append(Claim("cmp_level", part, subject, {
            "lmbda": lmbda, "without": ("epoch", levels[0]), "with": ("epoch", levels[1]),
            "peak_without": ("pct", max(b["test_accuracy"])),
            "peak_with": ("pct", max(c["test_accuracy"]))}, tuple(levels)))
    if all(len(s.get("evaluation_cost") or ()) == len(s["test_accuracy"]) for s in (b, c)):
        values = {"lmbda": lmbda}     # ... and whether the test cost rises after its minimum
        for key, s in (("without", b), ("with", c)):
            ecost = s["evaluation_cost"]
            m = ecost.index(min(ecost)) + 1
            values.update({f"min_{key}": ("epoch", m), f"n_{key}": ("epoch", len(ecost)),
                           f"trend_{key}": ("phrase", _test_cost_id(ecost, m))})
        out.append(Claim("cmp_test_cost", part, subject, values, ()))
    return out + [
        Claim("cmp_final", part, subject, {
            "lmbda": lmbda, "with": ("pct", c["test_accuracy"][-1]),
            "without": ("pct", b["test_accuracy"][-1]),
            "diff": ("signed", c["test_accuracy"][-1] - b["test_accuracy"][-1])}, ()),
        Claim("cmp_gap_" + ("same" if _shown("pts", gap_c) == _shown("pts", gap_b)
                            else "shrinks" if gap_c < gap_b else "grows"), part, subject,
              {"with": ("pts", gap_c), "without": ("pts", gap_b)}, ()),
        Claim("cmp_cost", part, subject, {"with": ("cost", c["training_cost"][-1]),
                                          "without": ("cost", b["training_cost"][-1])}, ()),
    ]


def derive_claims(results):
    """``(claims, data, configs)`` from ``{experiment: [run records]}``; ``data``:
    ``{subject: mean series}``, ``configs``: ``{subject: config, with the list of seeds}``."""
    from deltanet.experiments.definitions import plot_from_epoch
    data, configs, claims = {}, {}, []
    for name, records in results.items():
        for label, runs in group_runs(records).items():
            subject = name if label == name else f"{name}/{label}"
            data[subject] = mean_series(runs)
            configs[subject] = dict(_config(runs), seeds=[r["seed"] for r in runs])
    curves = {k.split("/", 1)[1]: v for k, v in data.items() if k.startswith("cost-comparison/")}
    if curves:
        claims += cost_comparison_claims(curves)
    for name, part in (("overfitting", "25b"), ("regularization", "25c")):
        if name in data:
            start = plot_from_epoch(name, configs[name]["epochs"])
            claims += overfitting_claims(part, name, data[name], start,
                                         configs[name].get("lmbda", 0.0))
    if "regularization" in data:
        claims += comparison_claims(data, configs)
    return claims, data, configs


# ---------------------------------------------------------------- checkers --
#
# Each checker re-derives its claim from the series by the definition stated
# in the claim's sentence, not by the searches above. ``v``: the claim's values.

def _slope_np(window):
    import numpy as np
    return float(np.polyfit(np.arange(len(window)), np.asarray(window, float), 1)[0])


def _first(x, value, epoch):
    """``epoch`` is the first epoch at which ``x`` is ``value``."""
    return x[epoch - 1] == value not in x[:epoch - 1]


def _first_reaching(x, level, epoch):
    return x[epoch - 1] >= level and all(a < level for a in x[:epoch - 1])


def _check_overfitting(c, v, s, lmbda=0.0):
    x, train, cost = s["test_accuracy"], s["training_accuracy"], s["training_cost"]
    n, top = len(x), max(x)
    if c.id == "peak":
        return v["peak"] == top and _first(x, top, v["epoch"]) and v["n"] == n \
            and v["final"] == x[-1]
    if c.id == "stays_within":
        e = v["epoch"]
        return all(val >= top - v["tol"] for val in x[e - 1:]) \
            and (e == 1 or x[e - 2] < top - v["tol"]) and v["low"] == min(x[e - 1:])
    if c.id == "ends_below":
        return top - x[-1] > v["tol"] and v["drop"] == top - x[-1]
    if c.id == "rises_after":
        s0, e = v["start"], v["epoch"]
        return e > s0 and x[e - 1] == top and v["at_start"] == x[s0 - 1] \
            and v["rise"] == top - x[s0 - 1] > 0
    if c.id == "peak_before":
        return x.index(top) + 1 == v["epoch"] <= v["start"] and v["high"] == max(x[v["start"] - 1:])
    if c.id == "level_unknown":
        return n < 2 * v["window"] and v["n"] == n
    tol = 1e-9
    if c.id == "not_level":
        return n >= 2 * v["window"] and abs(_slope_np(x[-v["window"]:])) > v["limit"] - tol
    if c.id in ("levels_off", "level_throughout"):
        e, w = v["epoch"], v["window"]
        slopes = [abs(_slope_np(x[i:i + w])) for i in range(e - 1, n - w + 1)]
        return n >= 2 * w and all(sl <= v["limit"] + tol for sl in slopes) and (
            c.id == "level_throughout" if e == 1
            else c.id == "levels_off" and abs(_slope_np(x[e - 2:e - 2 + w])) > v["limit"] - tol)
    if c.id in ("overfits", "overfits_l2", "no_overfit"):
        e = v["epoch"]
        ok = v["cost_at"] == cost[e - 1] and v["cost_end"] == cost[-1]
        falls = e < n and cost[e - 1] > 0 and cost[e - 1] - cost[-1] >= v["limit"] * cost[e - 1]
        if c.id == "no_overfit":
            return ok and not falls
        return ok and falls and (c.id == "overfits_l2") == (lmbda > 0) == ("lmbda" in v) \
            and v.get("lmbda", 0.0) == lmbda \
            and math.isclose(v["rel"], 1 - cost[-1] / cost[e - 1], rel_tol=1e-9, abs_tol=1e-12) \
            and v["acc_at"] == x[e - 1] and v["gain"] == max(x[e - 1:]) - x[e - 1]
    gap = train[-1] - x[-1]
    if c.id == "train_full":
        return _first_reaching(train, 100, v["epoch"]) and v["gap"] == gap
    if c.id == "train_not_full":
        return all(a < 100 for a in train) and v["best"] == max(train) and v["gap"] == gap
    if c.id in ("test_cost_rises", "test_cost_flat", "test_cost_late"):
        ec, m = s["evaluation_cost"], v["epoch"]
        return _first(ec, min(ec), m) and v["low"] == min(ec) and v["final"] == ec[-1] \
            and c.id == _test_cost_id(ec, m) and v.get("n", n) == n \
            and v.get("window", LEVEL_WINDOW) == LEVEL_WINDOW
    raise KeyError(c.id)


def _check_25a(c, v, data):
    name, labels = c.subject.split("/", 1)
    curves = {k: data[f"{name}/{k}"] for k in labels.split("+")}
    if c.id in ("early", "early_tie"):
        first = {k: s["test_accuracy"][0] for k, s in curves.items()}
        shown = {_shown("pct", a) for a in first.values()}       # equal as printed: a tie
        if c.id == "early_tie":
            return len(shown) == 1 and v["acc"] in first.values()
        return first[v["fast"]] > first[v["slow"]] and len(shown) == 2 and (
            v["acc_fast"], v["acc_slow"]) == (first[v["fast"]], first[v["slow"]])
    if c.id == "higher_final":
        finals = sorted((s["test_accuracy"][-1], k) for k, s in curves.items())
        return finals[-1][1] == v["best"] and v["lead"] == finals[-1][0] - finals[0][0] > 0
    s = curves[labels]
    x = s["test_accuracy"]
    if c.id == "reach":
        return _first_reaching(x, v["level"], v["epoch"])
    if c.id == "not_reach":
        return all(a < v["level"] for a in x) and v["n"] == len(x)
    if c.id == "final":
        return v["final"] == x[-1] and v["peak"] == max(x) and _first(x, max(x), v["epoch"]) \
            and v["train"] == s["training_accuracy"][-1]
    if c.id == "no_jump":     # no jump >= J after k epochs within the range
        k = v["k"]
        return not any(x[e - 1] - x[e - 2] >= v["jump"] and e - 1 >= k
                       and _spread(x[e - 1 - k:e - 1]) <= v["range"] for e in range(2, len(x) + 1))
    if c.id == "jump":
        st, e = v["start"], v["epoch"]
        plateau = x[st - 1:e - 1]
        return (e - st >= PLATEAU_EPOCHS and _spread(plateau) <= v["range"]
                and (st <= 1 or _spread(x[st - 2:e - 1]) > v["range"])
                and (v["lo"], v["hi"]) == (min(plateau), max(plateau))
                and v["rise"] == x[e - 1] - x[e - 2] >= v["jump"] and v["after"] == x[e - 1]
                and v["end"] == e - 1)
    if c.id.startswith("jump_gradient"):
        g = s["output_gradient_norm"]
        before = sum(g[v["start"] - 1:v["end"]]) / (v["end"] - v["start"] + 1)
        reading = c.id == "jump_gradient_other" if labels != "quadratic" else \
            (v["at"] > v["before"]) == (c.id == "jump_gradient")
        return math.isclose(v["before"], before, rel_tol=1e-9) and v["at"] == g[v["epoch"] - 1] \
            and reading
    if c.id == "jump_unmeasured":
        return "output_gradient_norm" not in s
    raise KeyError(c.id)


def _check_comparison(c, v, data, configs):
    if c.id == "cmp_missing":
        return "overfitting" not in data
    differ = _differences(configs.get("overfitting", {}), configs.get("regularization", {}),
                          {"lmbda", "experiment"})
    if c.id == "cmp_refused":
        return v["keys"] == ", ".join(differ) != ""
    if differ:
        return False
    b, r = data["overfitting"], data["regularization"]
    if c.id == "cmp_final":
        return (v["with"], v["without"]) == (r["test_accuracy"][-1], b["test_accuracy"][-1]) \
            and v["diff"] == v["with"] - v["without"]
    if c.id.startswith("cmp_gap_"):
        gaps = [_gap(r), _gap(b)]
        sign = {"cmp_gap_shrinks": -1, "cmp_gap_same": 0, "cmp_gap_grows": 1}[c.id]
        differ = _shown("pts", gaps[0]) != _shown("pts", gaps[1])       # as printed
        return [v["with"], v["without"]] == gaps and differ * ((gaps[0] > gaps[1]) - (
            gaps[0] < gaps[1])) == sign
    if c.id == "cmp_cost":
        return (v["with"], v["without"]) == (r["training_cost"][-1], b["training_cost"][-1])
    pairs = (("with", r), ("without", b))
    if c.id == "cmp_level":         # each epoch is a levels_off claim of its run
        return v["lmbda"] == configs["regularization"]["lmbda"] and all(
            _check_overfitting(Claim("levels_off" if v[k] > 1 else "level_throughout", "", "", {}),
                               {"epoch": v[k], "window": LEVEL_WINDOW, "limit": LEVEL_SLOPE}, s)
            and v[f"peak_{k}"] == max(s["test_accuracy"]) for k, s in pairs)
    if c.id == "cmp_test_cost":
        return v["lmbda"] == configs["regularization"]["lmbda"] and all(
            _first(ec, min(ec), v[f"min_{k}"]) and v[f"n_{k}"] == len(ec) == len(s["test_accuracy"])
            and v[f"trend_{k}"] == _test_cost_id(ec, v[f"min_{k}"])
            for k, s in pairs for ec in [s["evaluation_cost"]])
    raise KeyError(c.id)


def check_claim(claim, data, configs=None):
    """True if ``claim`` holds for ``data`` (``{subject: series}``), re-derived."""
    v = {k: value for k, (_, value) in claim.values.items()}
    if claim.id.startswith("cmp_"):
        return bool(_check_comparison(claim, v, data, configs or {}))
    if claim.part == "25a":
        return bool(_check_25a(claim, v, data))
    lmbda = (configs or {}).get(claim.subject, {}).get("lmbda", 0.0)
    return bool(_check_overfitting(claim, v, data[claim.subject], lmbda))


# --------------------------------------------------------------- the tables --

def aggregate(per_seed):
    """Combine per-seed dicts with equal keys: numbers become ``{"mean", "std"
    (population, 0 for one seed), "min", "max", "n", "values", "missing"}``
    (None values are left out and counted in ``missing``); anything else
    ``{"values", "most_common", "count"}``."""
    out = {}
    for key in per_seed[0] if per_seed else ():
        values = [d.get(key) for d in per_seed]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           for v in present):
            out[key] = {"mean": statistics.fmean(present),
                        "std": statistics.pstdev(present) if len(present) > 1 else 0.0,
                        "min": min(present), "max": max(present), "n": len(present),
                        "values": values, "missing": len(values) - len(present)}
        else:
            common = (Counter(present).most_common(1) or [(None, 0)])[0]
            out[key] = {"values": values, "most_common": common[0], "count": common[1]}
    return out


def run_numbers(s):
    """The numbers of one run that the tables show (accuracies in %, epochs from 1)."""
    x, train, cost = s["test_accuracy"], s["training_accuracy"], s["training_cost"]
    best, p = _peak(x)
    quarter = max(1, len(cost) // 4)
    before = cost[-quarter - 1] if len(cost) > quarter else cost[0]
    out = {"epochs": len(x), "test_accuracy_after_epoch_1": x[0],
           "epochs_to_90_percent": _first_at_least(x, REACH), "peak_test_accuracy": best,
           "peak_test_epoch": p, "final_test_accuracy": x[-1],
           "final_training_accuracy": train[-1], "final_gap": _gap(s),
           "final_training_cost": cost[-1],
           "first_epoch_training_100_percent": _first_at_least(train, 100.0),
           "last_quarter_epochs": quarter,
           "last_quarter_relative_change": (cost[-1] - before) / before if before else 0.0}
    ecost = s["evaluation_cost"]
    if ecost:
        low = min(ecost)
        out.update(evaluation_cost_min=low, evaluation_cost_min_epoch=ecost.index(low) + 1,
                   final_evaluation_cost=ecost[-1])
    return out


def summarize_task25(results, *, lang="en"):
    """The ``summary.json`` structure from ``{experiment: [run records]}``: per
    experiment and variant the table numbers per seed (aggregated), and the
    claims (as data and as sentences in ``lang``)."""
    from deltanet.experiments.definitions import EXPERIMENTS, plot_from_epoch
    experiments = {}
    for name, records in results.items():
        groups = group_runs(records)
        if not groups or name not in EXPERIMENTS:
            continue
        variants = {label: {"config": _config(runs),
                            "seeds": [r["seed"] for r in runs], "runs": [r["id"] for r in runs],
                            "statuses": [r["status"] for r in runs],
                            **aggregate([run_numbers(series_of(r)) for r in runs])}
                    for label, runs in groups.items()}
        epochs = max(r["config"]["epochs"] for r in records)
        experiments[name] = {"task": EXPERIMENTS[name].task,
                             "plot_from_epoch": plot_from_epoch(name, epochs),
                             "incomplete_runs": sorted(r["id"] for r in records
                                                       if r["status"] != "complete"),
                             "variants": variants}
    claims, _, _ = derive_claims(results)
    conclusions = {}
    for c in claims:
        conclusions.setdefault(c.part, []).append(c.text(lang))
    return {"schema": SUMMARY_SCHEMA, "lang": lang, "units": {
        "accuracy": "percent of the data set", "cost": "mean cost per sample incl. L2 term",
        "epoch": "1-based", "gap": "percentage points (training - test)"},
        "criteria": {"tolerance": TOLERANCE, "level_window": LEVEL_WINDOW,
                     "level_slope": LEVEL_SLOPE, "overfit_cost_drop": OVERFIT_COST_DROP,
                     "jump": JUMP, "plateau_range": PLATEAU_RANGE,
                     "plateau_epochs": PLATEAU_EPOCHS, "reach": REACH},
        "experiments": experiments, "claims": [c.to_dict() for c in claims],
        "conclusions": conclusions}


def summarize_sweep(experiment, grid, seeds, points):
    """A sweep's record: per ``(params, label, [run records])`` the final and
    peak test accuracy and the peak epoch, aggregated over the seeds."""
    keys = ("final_test_accuracy", "peak_test_accuracy", "peak_test_epoch")
    out = []
    for params, label, records in points:
        per_seed = [{k: run_numbers(series_of(r))[k] for k in keys}
                    for r in records if r["history"]["epochs_completed"] > 0]
        stats = aggregate(per_seed) if per_seed else {k: {"mean": None, "n": 0, "values": []}
                                                      for k in keys}
        out.append({"params": params, "label": label, "runs": [r["id"] for r in records],
                    "seeds": [r["seed"] for r in records],
                    "statuses": [r["status"] for r in records], **stats})
    return {"schema": SWEEP_SCHEMA, "experiment": experiment, "grid": grid,
            "seeds": list(seeds), "points": out}
