"""Task 26 end to end: compute every number, store ``DIR/gradients/results.json``, plot.

:func:`run_gradients` writes one JSON file (atomically) before any figure is drawn;
:func:`format_summary` turns the stored numbers into the printed answers and
:func:`deltanet.plots.gradients.plot_gradients` redraws the figures. Per part one key: ``a``
(the sigma' bound), ``b`` (interval length, root-finding check, "how likely?"), ``c``
(moments of Q, Monte Carlo), ``vanishing`` (per-layer ||nabla_b^l|| in deep nets) and
``exploding``; the full schema is in ``docs/task26.md``.
"""

import math
import platform
import time
from contextlib import contextmanager
from functools import partial
from itertools import product
from pathlib import Path

import numpy as np

from deltanet import __version__
from deltanet import stability as st
from deltanet.activations import sigmoid, sigmoid_prime
from deltanet.network import Network
from deltanet.serialization import atomic_write_json, command, jsonable, read_json
from deltanet.experiments.definitions import DEFAULT_OUT, check_seeds
from deltanet.experiments.execution import SidePart, drawing_figures, side_computing
from deltanet.experiments.store import check_output_dir
from deltanet.i18n import check_lang
from deltanet.train import sgd

__all__ = ["run_gradients", "draw_figures", "format_summary", "make_config", "load_results",
           "side_part", "DEFAULT_SEEDS", "SCHEMA", "LEARNED_ACCURACY"]

SCHEMA = "deltanet.gradients/1"
LEARNED_ACCURACY = 0.5
"""26(b) counts |w sigma'(z)| >= 1 only in networks with at least this validation
accuracy (chance is 0.1): a network that did not learn says nothing about trained ones."""
DEFAULT_SEEDS = (0, 1, 2)
SUBDIR = "gradients"


# ------------------------------------------------------------------ config --

def make_config(quick=False):
    """Sizes of every part; ``quick`` is a tiny version (seconds) for tests."""
    return {
        "quick": bool(quick),
        "dtype": "float64",
        "a": {"z_max": 1e3, "n_points": 20_001 if quick else 2_000_001},
        "b": {"root_check_w": [4.001, 4.5, 5.0, 6.894151, 10.0, 30.0, 100.0, 1000.0],
              "root_check_b": [-3.0, 0.0, 2.5], "root_check_signs": [1, -1],
              "curve_w_max": 1000.0, "k_layers": [1, 2, 3, 5, 10]},
        "vanishing": {"hidden_layers": [1, 2, 3, 4, 5], "hidden_width": 30,
                      "cost": "cross-entropy", "init": "default",
                      "n_train": 100 if quick else 1000, "epochs": 2 if quick else 10,
                      "mini_batch_size": 10, "eta": 0.1,
                      "gradient_samples": 100 if quick else 1000,
                      "n_validation": 100 if quick else 1000},
        "trained_small": {"sizes": [784, 30, 10], "n_train": 300 if quick else 5000,
                          "epochs": 1 if quick else 3, "mini_batch_size": 10, "eta": 0.5},
        "likelihood": {"n_inputs": 100 if quick else 1000},
        "c": {"k_max": 30, "n_paths": 2000 if quick else 100_000, "hist_k": [1, 5, 30],
              "hist_bins": 60, "network_inputs": 50 if quick else 500,
              "table_k": [1, 2, 3, 5, 10, 20, 30]},
        "exploding": {"w": 100.0, "hidden_layers": 5, "hidden_width": 30,
                      "gradient_samples": 100 if quick else 1000,
                      "train_epochs": 1 if quick else 3, "train_eta": 0.1,
                      "n_train": 100 if quick else 1000, "chain_layers": 5, "chain_x": 0.5},
    }


# ------------------------------------------------------------------- parts --

def part_a(cfg):
    """The bound 0 <= sigma' <= 1/4: SymPy steps, dense grid, curve for the figure."""
    z = np.linspace(-10, 10, 401)
    return {
        "derivation": st.sigmoid_prime_bound_derivation(),
        "numeric": st.check_sigmoid_prime_bound(cfg["z_max"], cfg["n_points"]),
        "curve": {"z": z, "sigma": sigmoid(z), "sigma_prime": sigmoid_prime(z)},
    }


def part_b_math(cfg):
    """L(|w|), its maximum, the closed-form derivation and the root-finding check."""
    maximum = st.interval_length_maximum()
    w_star, L_star = maximum["w_star"], maximum["L_star"]
    w = np.concatenate([[4.0], 4 + np.geomspace(1e-6, 1, 100),
                        np.geomspace(5, cfg["curve_w_max"], 300)[1:]])
    checks = []
    for abs_w, sign, b in product(cfg["root_check_w"], cfg["root_check_signs"],
                                  cfg["root_check_b"]):
        w_ = sign * abs_w
        found, L = st.find_gain_interval(w_, b), st.interval_length(w_)
        checks.append({"w": w_, "b": b, "lo": found.lo, "hi": found.hi, "length": found.length,
                       "L_formula": L, "rel_error": abs(found.length - L) / L,
                       "centre": 0.5 * (found.lo + found.hi), "expected_centre": -b / w_,
                       "is_interval": found.is_interval})
    below = {w_: st.find_gain_interval(w_, 0.3) for w_ in (0.5, 2.0, 3.9, 3.999)}
    b_star = -0.5 * w_star                    # centre -b/w = 1/2: the whole interval in (0, 1)
    lo, hi = st.gain_interval(w_star, b_star)
    a = np.linspace(lo - 0.6, hi + 0.6, 401)
    return {
        "formula": st.SHEET_FORMULA,
        "maximum": maximum,
        "derivation": st.interval_derivation(),
        "curve": {"w": w, "L": st.interval_length(w)},
        "root_check": checks,
        "root_check_max_rel_error": max(c["rel_error"] for c in checks),
        "root_check_max_centre_error": max(abs(c["centre"] - c["expected_centre"])
                                           for c in checks),
        "root_check_all_intervals": all(c["is_interval"] for c in checks),
        "below_4": [{"w": w_, "length": f.length, "peak_gain": f.peak_gain, "empty": f.lo is None}
                    for w_, f in below.items()],
        "gain_curve": {"w": w_star, "b": b_star, "lo": lo, "hi": hi, "a": a,
                       "gain": w_star * sigmoid_prime(w_star * a + b_star)},
        "probability": {
            "uniform_best_bias": st.uniform_hit_probability(w_star, b_star),
            "uniform_random_bias": st.uniform_hit_probability_random_bias(w_star, 1.0),
            "uniform_best_bias_k_layers": {str(k): L_star ** k for k in cfg["k_layers"]},
        },
    }


def _pooled(parts):
    """The counts of :func:`deltanet.stability.gain_fractions` summed and its maxima over
    ``parts`` (the layers of a network, or networks)."""
    n_pairs = sum(p["n_pairs"] for p in parts)
    hits = sum(p["n_at_least_one"] for p in parts)
    return {"n_pairs": n_pairs, "n_at_least_one": hits,
            "fraction": hits / n_pairs if n_pairs else None,
            "max_gain": max((p["max_gain"] for p in parts), default=None),
            "max_abs_w": max((p["max_abs_w"] for p in parts), default=None)}


def _trained_gain_fractions(name, net, X, accuracy, epochs, n_train):
    layers = st.gain_fractions(net.weights, net.biases, X)
    return {"name": name, "sizes": list(net.sizes), "epochs": epochs, "n_train": n_train,
            "validation_accuracy": accuracy, "n_inputs": len(X), "layers": layers,
            **_pooled(layers)}


def _sgd(net, train, epochs, mini_batch_size, eta, validation, seed, **monitor):
    """Train, monitoring the validation accuracy (and ``monitor_gradient_norms``):
    the per-epoch numbers stored, ``norms`` starting at initialization."""
    history = sgd(net, train, epochs, mini_batch_size, eta, evaluation_data=validation,
                  monitor_evaluation_accuracy=True, seed=seed, **monitor)
    return {"norms": [history.initial_gradient_norms] + history.gradient_norms,
            "validation_accuracy": [a / history.n_evaluation
                                    for a in history.evaluation_accuracy]}


def part_vanishing(cfg, seeds, splits, bar):
    """Deep nets [784, 30 x h, 10]: ||nabla_b^l|| from the core's SGD monitor."""
    train = splits.train[:cfg["n_train"]]
    validation = splits.validation[:cfg["n_validation"]]
    depths, nets = [], {}
    for h in cfg["hidden_layers"]:
        sizes = [784] + [cfg["hidden_width"]] * h + [10]
        per_seed = []
        for seed in seeds:
            bar.set_description(f"gradients: vanishing, {h} hidden, seed {seed}")
            net = Network(sizes, cost=cfg["cost"], init=cfg["init"], seed=seed, dtype="float64")
            per_seed.append({"seed": seed, **_sgd(
                net, train, cfg["epochs"], cfg["mini_batch_size"], cfg["eta"], validation, seed,
                monitor_gradient_norms=True, gradient_samples=cfg["gradient_samples"])})
            nets[(h, seed)] = net
            bar.update(1)
        norms = np.array([s["norms"] for s in per_seed])        # (seeds, epochs + 1, layers)
        hidden = norms[:, :, :h]
        depth = {"hidden_layers": h, "sizes": sizes, "per_seed": per_seed,
                 "mean_norms": norms.mean(axis=0), "min_norms": norms.min(axis=0),
                 "max_norms": norms.max(axis=0)}
        if h >= 2:
            # ratio last/first hidden layer and the per-layer factor, per seed and epoch
            first_to_last = hidden[:, :, -1] / hidden[:, :, 0]                # (seeds, epochs+1)
            per_layer = first_to_last ** (1.0 / (h - 1))
            consecutive = hidden[:, :, 1:] / hidden[:, :, :-1]               # (seeds, ep, h-1)
            depth["slowdown"] = {
                "initial_first_to_last": float(np.exp(np.log(first_to_last[:, 0]).mean())),
                "final_first_to_last": float(np.exp(np.log(first_to_last[:, -1]).mean())),
                "initial_per_layer": float(np.exp(np.log(per_layer[:, 0]).mean())),
                "final_per_layer": float(np.exp(np.log(per_layer[:, -1]).mean())),
                "all_epochs_per_layer": float(np.exp(np.log(per_layer).mean())),
                "initial_consecutive": np.exp(np.log(consecutive[:, 0]).mean(axis=0)),
                "final_consecutive": np.exp(np.log(consecutive[:, -1]).mean(axis=0)),
                "averaging": "geometric mean over seeds",
            }
        depths.append(depth)
    return {"config": cfg, "seeds": seeds, "depths": depths}, nets


def part_b_data(cfg_small, cfg_likelihood, seeds, splits, vanishing_nets, vanishing_cfg):
    """Fractions of (input, neuron, connection) with |w sigma'(z)| >= 1 in trained nets."""
    seed = seeds[0]
    X = splits.validation.features(np.float64, rows=slice(0, cfg_likelihood["n_inputs"]))
    validation = splits.validation[:cfg_likelihood["n_inputs"]]
    net = Network(cfg_small["sizes"], seed=seed, dtype="float64")
    accuracy = _sgd(net, splits.train[:cfg_small["n_train"]], cfg_small["epochs"],
                    cfg_small["mini_batch_size"], cfg_small["eta"], validation,
                    seed)["validation_accuracy"][-1]
    networks = [_trained_gain_fractions("small", net, X, accuracy, cfg_small["epochs"],
                                        cfg_small["n_train"])]
    for h in vanishing_cfg["hidden_layers"]:
        deep = vanishing_nets[(h, seed)]
        _, correct = deep.evaluate(validation)
        networks.append(_trained_gain_fractions(
            f"deep-{h}", deep, X, correct / len(validation), vanishing_cfg["epochs"],
            vanishing_cfg["n_train"]))
    return {"seed": seed, **learned_evidence(networks)}


def learned_evidence(networks, threshold=LEARNED_ACCURACY):
    """26(b)'s counts over the networks that learned (validation accuracy >=
    ``threshold``); the others are kept in ``networks`` and named in ``excluded``."""
    learned = [n for n in networks if n["validation_accuracy"] >= threshold]
    pooled = _pooled(learned)
    n_pairs, hits = pooled["n_pairs"], pooled["n_at_least_one"]
    return {"networks": networks, "learned_threshold": threshold,
            "excluded": [n["name"] for n in networks if n not in learned], **pooled,
            "rule_of_three_bound": 3.0 / n_pairs if n_pairs and hits == 0 else None}


def _model_result(description, cfg, draw_log_q, rng, m1, m2, mu_exact, s2_exact,
                  log_q_sample=None):
    """(c) for one model of ``q``: the Monte Carlo of ``Q`` against the formulas."""
    sim = st.simulate_products(draw_log_q, cfg["k_max"], cfg["n_paths"], rng,
                               hist_k=cfg["hist_k"], hist_bins=cfg["hist_bins"])
    table = st.compare_product_moments(sim, m1, m2)
    out = {"description": description, "mu_exact": mu_exact, "s2_exact": s2_exact,
           "mu_hat": sim["mu_hat"], "s2_hat": sim["s2_hat"], "m1": m1, "m2": m2,
           "log_error_per_factor_mean": (sim["mu_hat"] + sim["s2_hat"] / 2) - math.log(m1),
           "log_error_per_factor_second_moment": (2 * sim["mu_hat"] + 2 * sim["s2_hat"])
           - math.log(m2),
           "table": table, "hist": sim["hist"],
           "mean_log_Q_mc": sim["mean_log"], "var_log_Q_mc": sim["var_log"]}
    if log_q_sample is not None:
        x = log_q_sample - log_q_sample.mean()
        sd = x.std()
        out["skewness_log_q"] = float(np.mean(x ** 3) / sd ** 3)
        out["excess_kurtosis_log_q"] = float(np.mean(x ** 4) / sd ** 4 - 3)
    return out


def _c_rngs(seeds):
    return [np.random.default_rng(s) for s in np.random.SeedSequence([seeds[0], 26]).spawn(6)]


def part_c_models(cfg, seeds, bar):
    """(c) without data: w, z ~ N(0, 1) and an exactly log-normal q (the control)."""
    rngs = _c_rngs(seeds)
    bar.set_description("gradients: Monte Carlo, w, z ~ N(0, 1)")
    exact = st.normal_model_moments()
    normal = _model_result(
        "q = |w sigma'(z)|, w ~ N(0, 1), z ~ N(0, 1) independent", cfg,
        st.draw_log_q_normal_model, rngs[0], exact["m1"], exact["m2"], exact["mu"], exact["s2"],
        st.draw_log_q_normal_model(rngs[1], 1_000_000 if cfg["n_paths"] > 10_000 else 20_000))
    normal["exact_parts"] = exact
    bar.set_description("gradients: Monte Carlo, exactly log-normal q")
    mu0, s20 = exact["mu"], exact["s2"]
    lognormal = _model_result(
        "ln q ~ N(mu, s^2) with mu, s^2 of the N(0, 1) model (control: formula exact)", cfg,
        partial(st.draw_log_q_lognormal, mu=mu0, s2=s20), rngs[3], math.exp(mu0 + s20 / 2),
        math.exp(2 * mu0 + 2 * s20), mu0, s20)
    return {"normal": normal, "lognormal": lognormal}


def part_c(cfg, seeds, splits, vanishing_nets, vanishing_cfg, models):
    """Log-normal formula vs exact i.i.d. moments vs Monte Carlo, three models of q
    (``models``: the two of :func:`part_c_models`)."""
    # the best-trained of the deep nets (>= 2 hidden layers): its q are "real";
    # the deepest nets are still near chance after the short training
    validation = splits.validation[:vanishing_cfg["n_validation"]]
    accuracy = {h: vanishing_nets[(h, seeds[0])].evaluate(validation)[1] / len(validation)
                for h in vanishing_cfg["hidden_layers"] if h >= 2}
    h = max(accuracy, key=lambda key: (accuracy[key], key))
    net = vanishing_nets[(h, seeds[0])]
    X = splits.validation.features(np.float64, rows=slice(0, cfg["network_inputs"]))
    layers = list(range(2, len(net.weights) + 1))
    log_pop = st.gain_population(net.weights, net.biases, X, layers)
    m1, m2 = float(np.mean(np.exp(log_pop))), float(np.mean(np.exp(2 * log_pop)))
    network = _model_result(
        f"q = |W^l[k, j] sigma'(z^l_j(x))| resampled i.i.d. from the trained "
        f"{net.sizes} network ({accuracy[h]:.0%} validation accuracy, seed {seeds[0]}), "
        f"layers {layers[0]}..{layers[-1]}, {len(X)} validation images", cfg,
        partial(st.draw_log_q_population, log_q=log_pop), _c_rngs(seeds)[2], m1, m2,
        float(log_pop.mean()), float(log_pop.var()), log_pop)
    network.update({"sizes": list(net.sizes), "layers": layers,
                    "validation_accuracy": accuracy[h], "population_size": int(log_pop.size)})
    return {"formulas": {"mean": "E[Q] = exp(k mu + k s^2 / 2)",
                         "var": "Var[Q] = (exp(k s^2) - 1) exp(2 k mu + k s^2)",
                         "exact_iid": "E[Q] = m1^k, Var[Q] = m2^k - m1^(2k), m1 = E[q], "
                                      "m2 = E[q^2]"},
            "k": list(range(1, cfg["k_max"] + 1)), "n_paths": cfg["n_paths"],
            "table_k": cfg["table_k"],
            "models": {"normal": models["normal"], "network": network,
                       "lognormal": models["lognormal"]}}


def part_exploding(cfg, seeds, splits, bar):
    """Large weights with biases tuned to the peak of sigma': gradients grow backward."""
    sizes = [784] + [cfg["hidden_width"]] * cfg["hidden_layers"] + [10]
    X = splits.train.features(np.float64, rows=slice(0, cfg["gradient_samples"]))
    Y = splits.train[:cfg["gradient_samples"]].one_hot(np.float64)
    w = cfg["w"]
    configs = {name: [] for name in ("tuned", "untuned_biases", "input_dependent", "default")}
    for seed in seeds:
        bar.set_description(f"gradients: exploding, seed {seed}")
        net = Network(sizes, seed=seed, dtype="float64")
        default = net.get_params()
        tuned = st.exploding_parameters(sizes, w, rng=seed)
        params = {"tuned": tuned,
                  "untuned_biases": st.exploding_parameters(sizes, w, rng=seed, tune_biases=False),
                  "input_dependent": ([default[0][0], *tuned[0][1:]],
                                      [default[1][0], *tuned[1][1:]]),
                  "default": default}
        for name, (weights, biases) in params.items():
            net.set_params(weights, biases)
            configs[name].append(st.layer_gradient_norms(net, X, Y))
        if seed == seeds[0]:
            gains = {name: st.gain_fractions(*params[name], X)
                     for name in ("tuned", "input_dependent")}
    summary = {}
    for name, rows in configs.items():
        arr = np.array(rows)                                    # (seeds, layers)
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = arr[:, :-1] / arr[:, 1:]                   # ||nb^l|| / ||nb^{l+1}||
        finite = np.where(np.isfinite(growth) & (growth > 0), growth, np.nan)
        summary[name] = {"per_seed": arr, "mean": arr.mean(axis=0),
                         "growth_toward_input": [
                             float(np.exp(np.nanmean(np.log(col)))) if np.isfinite(col).any()
                             else None for col in finite.T],
                         "n_zero": int(np.sum(arr == 0))}
    # the chain of single neurons (book, chapter 5)
    c_sizes, c_w, c_b = st.exploding_chain(cfg["chain_layers"], w, cfg["chain_x"])
    chain = Network(c_sizes, seed=0, dtype="float64")
    chain.set_params(c_w, c_b)
    chain_norms = st.layer_gradient_norms(chain, np.array([[cfg["chain_x"]]]), np.array([[0.0]]))
    # what training does with it
    bar.set_description("gradients: exploding, training")
    net = Network(sizes, seed=seeds[0], dtype="float64")
    net.set_params(*st.exploding_parameters(sizes, w, rng=seeds[0]))
    training = _sgd(net, splits.train[:cfg["n_train"]], cfg["train_epochs"], 10, cfg["train_eta"],
                    splits.validation[:cfg["gradient_samples"]], seeds[0],
                    monitor_gradient_norms=True, gradient_samples=cfg["gradient_samples"])
    return {
        "w": w, "sizes": sizes, "seeds": seeds, "n_samples": len(X),
        "predicted_growth_per_layer": (abs(w) / 4) * math.sqrt(cfg["hidden_width"]),
        "factor_per_connection": abs(w) / 4,
        "description": {
            "tuned": "W^1 = 0, b^1 = 0 (a^1 = 1/2); W^l = +-w random signs, "
                     "b^l_j = -(1/2) sum_k W^l_kj so z^l = 0 and |w sigma'(z)| = w/4",
            "untuned_biases": "same weights, b^l = 0: z^l = (w/2) * (sum of 30 random "
                              "signs) in layer 2, |z| >= w for most neurons, sigma' ~ 0; the "
                              "~14 % of neurons whose signs balance exactly sit at z = 0",
            "input_dependent": "tuned weights and biases, but W^1, b^1 from the default "
                               "initializer: a^1 depends on the image",
            "default": "default initializer (weights N(0, 1/n_in), biases N(0, 1))",
        },
        "configs": summary,
        "gain_fractions": gains,
        "chain": {"sizes": c_sizes, "w": w, "biases": [float(b[0]) for b in c_b],
                  "x": cfg["chain_x"], "y": 0.0, "norms": chain_norms,
                  "growth_toward_input": [a / b for a, b in zip(chain_norms, chain_norms[1:])],
                  "expected_growth": abs(w) / 4},
        "training": {"epochs": cfg["train_epochs"], "eta": cfg["train_eta"],
                     "n_train": cfg["n_train"], "seed": seeds[0], **training},
    }


# ------------------------------------------------------------------ runner --

def run_gradients(out_dir=DEFAULT_OUT, lang="en", seeds=DEFAULT_SEEDS, quick=False,
                  progress=True, *, plot=True, call=None):
    """Compute all of task 26 into ``out_dir/gradients/results.json``, then draw the
    figures (``plot``, labels in ``lang``). Every random choice derives from the
    distinct ``seeds`` (networks per seed, Monte Carlo from the first); ``quick``:
    tiny sizes (seconds). ``call(function, *args)`` runs each of the two computing
    stages (SymPy and the Monte Carlo without data; MNIST and the networks),
    default here; the sheet runs each in a process of its own. Returns the
    stored results (as :func:`load_results` reads them back)."""
    lang = check_lang(lang)
    seeds = check_seeds(seeds)
    target = check_output_dir(out_dir, (SUBDIR,)) / SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    cfg = make_config(quick)
    call = call or (lambda function, *args: function(*args))
    done, timing = {}, {}      # finished parts, saved to partial.json on Ctrl-C
    try:
        done, timing, models = call(_stage_math, cfg, seeds, progress, done, timing)
        done, timing = call(_stage_data, cfg, seeds, progress, done, timing, models)
    except KeyboardInterrupt:
        if not done:
            raise KeyboardInterrupt("interrupted before the first part of task 26 finished; "
                                    "nothing saved") from None
        atomic_write_json(target / "partial.json", jsonable(
            {"schema": SCHEMA, "status": "partial", "seeds": seeds, "timing_seconds": timing,
             **done}))
        raise KeyboardInterrupt(
            f"interrupted: the finished parts ({', '.join(done)}) are saved in "
            f"{target / 'partial.json'}; run the same command again for all of task 26 "
            "(it starts from the beginning)") from None
    results = jsonable({
        "schema": SCHEMA,
        "versions": {"deltanet": __version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "config": {**cfg, "lang": lang}, "seeds": seeds, "timing_seconds": timing,
        **{key: done[key] for key in ("a", "b", "c", "vanishing", "exploding")}})
    atomic_write_json(target / "results.json", results)
    (target / "partial.json").unlink(missing_ok=True)
    if plot:
        with drawing_figures(SUBDIR, out_dir):
            return draw_figures(results, out_dir, lang)
    return results


def draw_figures(results, out_dir=DEFAULT_OUT, lang="en"):
    """The last step of :func:`run_gradients`: draw the figures of the computed
    ``results`` and store them again with the figures' names and drawing time."""
    from deltanet.plots.gradients import plot_gradients
    started = time.perf_counter()
    paths = plot_gradients(results, out_dir, lang)
    results["figures"] = sorted(p.name for p in paths)
    results["timing_seconds"]["plot"] = time.perf_counter() - started
    atomic_write_json(Path(out_dir) / SUBDIR / "results.json", results)
    return results


@contextmanager
def _stage(total, progress, timing):
    """A progress bar for one computing stage (see :func:`side_computing`) and
    ``step(key, function, *args)``: a part, timed into ``timing[key]``, then a step of the bar."""
    from deltanet.notebook import progress_bar
    bar = progress_bar(total=total, desc="gradients", unit="step", disable=not progress,
                       leave=False, dynamic_ncols=True)

    def step(key, function, *args, description=None, advance=1):
        if description:
            bar.set_description(f"gradients: {description}")
        started = time.perf_counter()
        result = function(*args)
        timing[key] = timing.get(key, 0.0) + time.perf_counter() - started
        bar.update(advance)
        return result

    with side_computing():
        try:
            yield step, bar
        finally:
            bar.close()


def _stage_math(cfg, seeds, progress, done, timing):
    """(a), (b)'s mathematics and (c)'s models without data; fills ``done`` and ``timing``."""
    with _stage(3, progress, timing) as (step, bar):
        done["a"] = step("a", part_a, cfg["a"], description="(a) SymPy and grid")
        done["b"] = step("b_math", part_b_math, cfg["b"], description="(b) interval length")
        models = step("c", part_c_models, cfg["c"], seeds, bar)
    return done, timing, models


def _stage_data(cfg, seeds, progress, done, timing, models):
    """The measured parts on MNIST: vanishing, (b)'s trained nets, (c)'s network, exploding."""
    from deltanet.datasets import load_mnist
    van = cfg["vanishing"]
    with _stage(1 + len(van["hidden_layers"]) * len(seeds) + 3, progress, timing) as (step, bar):
        splits = step("load_mnist", load_mnist)
        done["vanishing"], nets = step("vanishing", part_vanishing, van, seeds, splits, bar,
                                       advance=0)         # a step per network
        done["b"]["trained"] = step("b_trained", part_b_data, cfg["trained_small"],
                                    cfg["likelihood"], seeds, splits, nets, van,
                                    description="training [784, 30, 10]")
        done["c"] = step("c", part_c, cfg["c"], seeds, splits, nets, van, models,
                         description="Monte Carlo, trained network")
        done["exploding"] = step("exploding", part_exploding, cfg["exploding"], seeds, splits,
                                 bar)
    return done, timing


def load_results(out_dir=DEFAULT_OUT):
    """Read ``DIR/gradients/results.json`` written by :func:`run_gradients`."""
    return read_json(Path(out_dir) / SUBDIR / "results.json", SCHEMA,
                     command("gradients", "--out", out_dir))


# ----------------------------------------------------------------- summary --

def format_summary(results, lang="en", out_dir=None):
    """The printed answers: the report's task 26 sections as text (figures from ``out_dir``)."""
    from deltanet.report.text import part_text
    return part_text("gradients", results, out_dir, lang)


def _current(results, quick):
    """Computed with the sheet's seeds and sizes (the language only labels the figures)."""
    return results["seeds"] == list(DEFAULT_SEEDS) and results["config"] == jsonable(
        dict(make_config(quick), lang=results["config"]["lang"]))


def side_part():
    """Task 26 as the sheet and ``deltanet gradients`` run it (its current functions)."""
    from deltanet.plots.gradients import plot_gradients
    return SidePart(SUBDIR, SCHEMA, run=run_gradients, draw=draw_figures, redraw=plot_gradients,
                    load=load_results, current=_current, summary=format_summary)
