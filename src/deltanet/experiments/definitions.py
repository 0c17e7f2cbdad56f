"""Task 25's experiments as data: the ``EXPERIMENTS`` registry and run configs.

An *experiment* (``cost-comparison`` = 25a, ``overfitting`` = 25b,
``regularization`` = 25c) has the sheet's defaults and one or more *variants*
(25a: quadratic cost with eta 3.0, cross-entropy with eta 0.5). :func:`expand`
applies overrides (any of :data:`PARAMETERS`, validated here once) and seeds
and gives one :class:`RunConfig` per run, identified by a hash of its fields.
Training data: the first ``train_size`` images of ``load_mnist().train``;
evaluation: the 10,000 test images.

>>> [c.label for c in expand("cost-comparison")]
['quadratic', 'cross-entropy']
>>> expand("overfitting", {"epochs": 50}, seeds=[1, 2])[1].seed
2
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import MISSING, asdict, dataclass, field, replace

from deltanet import Names
from deltanet.limits import MAX_SEED, check_choice, check_int, parse_seeds

__all__ = ["EXPERIMENTS", "Experiment", "RunConfig", "PARAMETERS", "DEFAULT_SEED", "DEFAULT_OUT",
           "MNIST_TRAIN_SIZE", "expand", "get_experiment", "check_overrides", "parse_value",
           "parse_grid", "parse_seeds", "grid_points", "point_label"]

DEFAULT_SEED = 1            # of every run unless --seed/--seeds says otherwise
DEFAULT_OUT = "deltanet-out"    # the output folder unless --out says otherwise
MNIST_TRAIN_SIZE = 50_000   # images in the course's training split
SYMBOLS = {"eta": "η", "lmbda": "λ"}   # as the report and the explorer name them


# --------------------------------------------------------------- run config --

@dataclass(frozen=True)
class RunConfig:
    """Everything that determines one training run (and nothing else).

    Two runs with equal fields give identical numbers (same seed, same
    single-threaded BLAS), so the results store keys them by :meth:`run_id`.
    """

    experiment: str
    cost: str
    eta: float
    lmbda: float
    epochs: int
    mini_batch_size: int
    train_size: int
    init: str
    seed: int
    dtype: str
    as_original: bool = False
    sizes: tuple = (784, 30, 10)
    data: str = "mnist"              # training: first train_size of load_mnist().train
    evaluation: str = "test"         # evaluation data: load_mnist().test (10,000)
    monitor_gradient_norms: bool = False    # per epoch ||nabla_b^l|| on 1,000 training images
    label: str = field(default="", compare=False)   # display only, not hashed

    def to_dict(self):
        """The hashed fields as plain JSON types (``label`` excluded)."""
        d = asdict(self)
        d.pop("label")
        if not self.monitor_gradient_norms:     # absent when off: older run ids stay valid
            d.pop("monitor_gradient_norms")
        d["sizes"] = list(self.sizes)
        return d

    def run_id(self):
        """Stable 16-hex-digit id: SHA-256 of the canonical JSON of :meth:`to_dict`."""
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, d):
        """Rebuild a config from :meth:`to_dict` output (validated)."""
        fields = {k: d[k] for k in cls.__dataclass_fields__ if k in d and k != "label"}
        missing = sorted(k for k, f in cls.__dataclass_fields__.items()
                         if f.default is MISSING and k not in d)
        if missing:
            raise ValueError(f"run config lacks {missing}")
        fields["sizes"] = tuple(fields.get("sizes", cls.sizes))
        config = cls(**fields)
        if config.experiment not in EXPERIMENTS:
            raise ValueError(f"run config names an unknown experiment {config.experiment!r}")
        check_overrides({k: v for k, v in config.to_dict().items() if k in PARAMETERS})
        return replace(config, label=EXPERIMENTS[config.experiment].label_of(config))


# --------------------------------------------------------------- parameters --

def _check_number(name, positive):
    def check(value):
        from deltanet.network import check_number   # here: the CLI's --help loads no NumPy
        return check_number(name, value, positive)
    return check


def _check_sizes(name, value):
    try:
        sizes = tuple(int(s) for s in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a list of layer widths like 784,30,10; "
                         f"got {value!r}") from None
    if len(sizes) < 2 or min(sizes) < 1 or sizes[0] != 784 or sizes[-1] != 10:
        raise ValueError(f"{name} must start with 784 (MNIST pixels), end with 10 (digits) "
                         f"and have positive widths, e.g. 784,30,10; got {value!r}")
    return sizes


#: Overridable run parameters: name -> (validator, parser of a command-line string).
PARAMETERS = {
    "cost": (lambda v: check_choice("cost", v, Names("costs", "COSTS")), str),
    "eta": (_check_number("eta", positive=True), float),
    "lmbda": (_check_number("lmbda", positive=False), float),
    "epochs": (lambda v: check_int("epochs", v, 1), int),
    "mini_batch_size": (lambda v: check_int("mini_batch_size", v, 1), int),
    "train_size": (lambda v: check_int(
        "train_size", v, 1, MNIST_TRAIN_SIZE,
        f" (the MNIST training split has {MNIST_TRAIN_SIZE:,} images)"), int),
    "init": (lambda v: check_choice("init", v, Names("network", "INITIALIZERS")), str),
    "dtype": (lambda v: check_choice("dtype", v, Names("network", "DTYPES")), str),
    "sizes": (lambda v: _check_sizes("sizes", v), lambda s: s.split(",")),
}


def _parameter(key, what="parameter"):
    """``key`` with ``-`` as ``_``, if it names one of :data:`PARAMETERS`."""
    name = key.replace("-", "_")
    if name not in PARAMETERS:
        raise ValueError(f"unknown {what} {key!r}; allowed: {', '.join(PARAMETERS)}")
    return name


def check_overrides(overrides):
    """Validate ``{parameter: value}``; return a new dict of checked values
    (``ValueError`` naming the key, the value and what is allowed)."""
    checked = {}
    for key, value in (overrides or {}).items():
        name = _parameter(key)
        checked[name] = PARAMETERS[name][0](value)
    return checked


def parse_value(key, text):
    """Parse the command-line string ``text`` for parameter ``key`` and check it."""
    name = _parameter(key)
    validator, parser = PARAMETERS[name]
    try:
        value = parser(text.strip())
    except ValueError:
        kind = "an integer" if parser is int else "a number"
        raise ValueError(f"{name}: cannot parse {text!r} as {kind}") from None
    return validator(value)


def parse_grid(items):
    """Parse ``["eta=0.1,0.5,1", "lmbda=0,0.1"]`` into ``{"eta": [...], ...}``.

    ``sizes`` values are separated by ``;`` or ``/`` (``sizes=784,30,10;784,100,10``)
    because ``,`` separates the widths.
    """
    grid = {}
    for item in items:
        key, sep, values = item.partition("=")
        if not sep or not values.strip():
            raise ValueError(f"grid entry {item!r} must look like KEY=V1,V2,... "
                             f"(e.g. eta=0.1,0.5,1); allowed keys: {', '.join(PARAMETERS)}")
        key = _parameter(key.strip(), "grid key")
        if key in grid:
            raise ValueError(f"grid key {key!r} given twice")
        parts = re.split(r"[;/]", values) if key == "sizes" else values.split(",")
        parsed = [parse_value(key, part) for part in parts]
        if len(set(map(str, parsed))) != len(parsed):
            raise ValueError(f"grid key {key!r} repeats a value: {values!r}")
        grid[key] = parsed
    return grid


def grid_points(grid):
    """All combinations of a grid, as a list of ``{key: value}`` (first key slowest)."""
    return [dict(zip(grid, values)) for values in itertools.product(*grid.values())]


def point_label(params, lang="en"):
    """A grid point as the sweep's table and figure name it: ``η = 0,1, λ = 0`` in German."""
    from deltanet.i18n import localize
    return ", ".join(f"{SYMBOLS.get(k, k)} = "
                     + (localize(f"{v:g}", lang) if isinstance(v, float) else str(v))
                     for k, v in params.items()) or "-"


def check_seeds(seeds):
    seeds = [check_int("seed", s, 0, MAX_SEED) for s in seeds]
    if not seeds:
        raise ValueError("seeds: give at least one seed")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds: {seeds} repeats a seed")
    return seeds


# -------------------------------------------------------------- experiments --

@dataclass(frozen=True)
class Experiment:
    """A named recipe of task 25 with the sheet's defaults. ``variants``: partial
    configs on top of ``defaults``; ``label_keys``: the fields that tell them
    apart in legends; ``quick``: the overrides of ``--quick``;
    ``plot_from_epoch``: where the sheet's "from epoch 100 on" figures start."""

    name: str
    task: str
    description: str
    defaults: dict
    variants: tuple = ({},)
    label_keys: tuple = ()
    quick: dict = field(default_factory=dict)
    plot_from_epoch: int | None = None
    monitor_gradient_norms: bool = False

    def label_of(self, config):
        return " ".join(str(getattr(config, k)) for k in self.label_keys) or self.name


_BOOK_NET = dict(sizes=(784, 30, 10), mini_batch_size=10, dtype="float32")
_OVERFIT = dict(_BOOK_NET, cost="cross-entropy", eta=0.5, epochs=400, train_size=1_000,
                init="large")

EXPERIMENTS = {e.name: e for e in [
    Experiment(
        name="cost-comparison", task="25a",
        description="25a: [784,30,10] on all 50,000 training images, mini-batch 10, "
                    "30 epochs; quadratic cost (eta 3.0) vs cross-entropy (eta 0.5); "
                    "initializer 'large' (N(0, 1) weights, network2's "
                    "large_weight_initializer, as in the book's cost comparison and in 25b, "
                    "which reruns the same script; --init default switches)",
        defaults=dict(_BOOK_NET, epochs=30, train_size=MNIST_TRAIN_SIZE, lmbda=0.0,
                      init="large"),
        variants=({"cost": "quadratic", "eta": 3.0}, {"cost": "cross-entropy", "eta": 0.5}),
        label_keys=("cost",),
        quick=dict(epochs=3, train_size=5_000),
        monitor_gradient_norms=True),      # backs the quadratic cost's plateau/jump claim
    Experiment(
        name="overfitting", task="25b",
        description="25b: cross-entropy, eta 0.5, mini-batch 10, first 1,000 training "
                    "images, 400 epochs, lmbda 0; initializer 'large' (N(0, 1) weights, "
                    "as in the book's overfitting run; --init default switches)",
        defaults=dict(_OVERFIT, lmbda=0.0),
        quick=dict(epochs=40),
        plot_from_epoch=100),
    Experiment(
        name="regularization", task="25c",
        description="25c: as 25b with L2 regularization lmbda 0.1",
        defaults=dict(_OVERFIT, lmbda=0.1),
        quick=dict(epochs=40),
        plot_from_epoch=100),
]}


def get_experiment(name):
    """The :class:`Experiment` called ``name`` (``ValueError`` listing the names)."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; choose from {', '.join(EXPERIMENTS)} "
                         "(see 'deltanet list')")
    return EXPERIMENTS[name]


def expand(name, overrides=None, seeds=(DEFAULT_SEED,), *, as_original=False, quick=False):
    """The run configs of experiment ``name``, variant-major, seed-minor.

    ``overrides`` replace the defaults in every variant; ``quick`` applies the
    smoke-test sizes first (overrides win); ``as_original`` runs through
    :mod:`deltanet.compat.network2` (float64, Python-random shuffling).
    """
    experiment = get_experiment(name)
    overrides = check_overrides(overrides)
    seeds = check_seeds(list(seeds))
    configs = []
    for variant in experiment.variants:
        values = check_overrides({**experiment.defaults, **variant,
                                  **(experiment.quick if quick else {}), **overrides})
        if as_original:
            values["dtype"] = "float64"
        from deltanet.network import check_decay    # here: the CLI's --help loads no NumPy
        check_decay(values["eta"], values["lmbda"], values["train_size"], values["dtype"])
        for seed in seeds:
            config = RunConfig(experiment=name, seed=seed, as_original=bool(as_original),
                               monitor_gradient_norms=experiment.monitor_gradient_norms,
                               **values)
            configs.append(replace(config, label=experiment.label_of(config)))
    labels = [c.label for c in configs[::len(seeds)]]
    if len(set(labels)) != len(labels):     # summaries and figures group runs by label
        raise ValueError(f"{name}: its runs differ in {', '.join(experiment.label_keys)}; "
                         f"overriding it gives them all {labels[0]!r}, so they could not be "
                         "told apart")
    return configs


def plot_from_epoch(experiment, epochs):
    """First epoch (1-based) of the "from epoch 100 on" figures for ``epochs`` epochs:
    100 for runs of >= 200 epochs, else a quarter of the run (short runs show a tail)."""
    start = get_experiment(experiment).plot_from_epoch or 1
    return start if epochs >= 2 * start else max(1, epochs // 4 + 1)
