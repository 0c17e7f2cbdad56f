"""Sections of task 26 (unstable gradients), from ``DIR/gradients/results.json``.

(a) the bound on sigma' (SymPy steps and the dense-grid check), (b) the
interval length, its maximum and "how likely?" measured in trained networks,
(c) the log-normal moments of Q against exact i.i.d. moments and Monte Carlo,
and the measured vanishing (and exploding) gradients in deep networks.
"""

import math
import statistics
import sys

from deltanet.i18n import t
from deltanet.report.document import Answer, Num, Para, Steps, plain_text
from deltanet.report.sources import SchemaError, figure, get, part_sections

SUBDIR = "gradients"
GROUP = "group_26"         # the text that heads the part
SCHEMA = "deltanet.gradients/1"
KEY = "gradients"
KEYS = ("part_26", "exp_gradients")     # the texts of the part and its experiment

#: "Likely?" is answered "no" when fewer than this fraction of the measured
#: factors |w sigma'(z)| in trained networks reach 1.
UNLIKELY_FRACTION = 1e-3


def _quantity_table(ctx, rows):
    """Two columns: quantity | value; rows are ``(label text key or runs, cell)``."""
    return ctx.table(["quantity", "value"],
                     [[ctx.rich(label) if isinstance(label, str) else label, cell]
                      for label, cell in rows])


def _stored(values, path, name, kind, digits):
    """``values[name]`` shown as ``kind``, keyed ``gradients/path/name`` for tests."""
    return Num(values[name], kind, digits, key=f"{KEY}/{path}/{name}")


# ------------------------------------------------------------------- (a) --

A_ROWS = (("a_row_points", "n_points", "int", 0), ("a_row_zmax", "z_max", "g", 6),
          ("a_row_min", "min", "g", 6), ("a_row_max", "max", "g", 6),
          ("a_row_argmax", "argmax_z", "g", 6))


def _part_a(ctx, section, data):
    a = get(data, "a", where="a")
    d, n = get(a, "derivation", where="a"), get(a, "numeric", where="a")
    limits = d["sigma_limits"]
    prime_limits = d["sigma_prime_limits"]
    section.add(Steps([
        ctx.rich("a_step_derivative", derivative=d["derivative"]),
        ctx.rich("a_step_identity", ok=ctx.yes_no(d["identity_holds"])),
        ctx.rich("a_step_range", lo=limits[0], hi=limits[1], ok=ctx.yes_no(d["sigma_increasing"])),
        ctx.rich("a_step_stationary", p=d["p_stationary"], second=d["second_derivative"],
                 maximum=d["maximum"], check=d["maximum_sympy_maximum"], z=d["argmax_z"]),
        ctx.rich("a_step_positive", ok=ctx.yes_no(d["positive_on_open_interval"]),
                 lo=prime_limits[0], hi=prime_limits[1]),
        ctx.rich("a_step_conclusion", maximum=d["maximum"]),
    ]))
    section.add(_quantity_table(ctx, [
        *((row, _stored(n, "a/numeric", *column)) for row, *column in A_ROWS),
        ("a_row_quarter", [("text", ctx.yes_no(n["max_equals_quarter"]))]),
        ("a_row_accurate", _stored(n, "a/numeric", "max_abs_diff_accurate_form", "sci", 2)),
        ("a_row_warnings", _stored(n, "a/numeric", "floating_point_warnings", "int", 0)),
    ]))
    section.add(figure(ctx, SUBDIR, "a_sigmoid_bound", "fig_a"))
    holds = bool(n["bound_holds"]) and bool(d["identity_holds"])
    section.add(Answer([
        ctx.rich("a_answer_yes" if holds else "a_answer_no", maximum=d["maximum"], z=d["argmax_z"]),
        ctx.rich("a_answer_numeric", n=Num(n["n_points"], "int", 0), zmax=Num(n["z_max"], "g", 6),
                 mn=Num(n["min"], "g", 6), mx=Num(n["max"], "g", 6),
                 arg=Num(n["argmax_z"], "g", 6), warnings=Num(n["floating_point_warnings"], "int", 0)),
    ]))


# ------------------------------------------------------------------- (b) --

TRAINED_COLUMNS = (("n_pairs", "int", 0), ("n_at_least_one", "int", 0), ("fraction", "sig", 2),
                   ("max_gain", "sig", 3), ("max_abs_w", "sig", 3))


def _part_b(ctx, section, data):
    b = get(data, "b", where="b")
    m = get(b, "maximum", where="b")
    prob = get(b, "probability", where="b")
    digits = m["agreeing_significant_digits"]
    section.add(Para(ctx.rich("b_formula")))
    rows = [
        ("b_row_L", _stored(m, "b/maximum", "L_star", "sig", 7)),
        ("b_row_w", _stored(m, "b/maximum", "w_star", "sig", 7)),
        ("b_row_digits", ctx.rich("b_digits", w=int(digits["w"]), L=int(digits["L"]),
                                  methods=", ".join(m["methods"]))),
        (ctx.rich("b_row_roots", n=len(b["root_check"])),
         _stored(b, "b", "root_check_max_rel_error", "sci", 2)),
        ("b_row_centre", _stored(b, "b", "root_check_max_centre_error", "sci", 2)),
        ("b_row_interval", [("text", ctx.yes_no(b["root_check_all_intervals"]))]),
        (ctx.rich("b_row_below4", ws="; ".join(plain_text(Num(x["w"], "g", 6).runs(ctx.lang))
                                               for x in b["below_4"])),
         [("text", ctx.yes_no(all(x["empty"] for x in b["below_4"])))]),
        ("b_row_p_best", _stored(prob, "b/probability", "uniform_best_bias", "sig", 4)),
        ("b_row_p_random", _stored(prob, "b/probability", "uniform_random_bias", "sig", 4)),
    ]
    rows += [(ctx.rich("b_row_p_k", k=int(k)), Num(p, "sig", 3, key=f"{KEY}/b/probability/k{k}"))
             for k, p in prob["uniform_best_bias_k_layers"].items() if k != "1"]
    section.add(_quantity_table(ctx, rows))
    section.add(figure(ctx, SUBDIR, "b_interval_length", "fig_b"))

    trained = get(b, "trained", where="b")
    threshold = trained.get("learned_threshold", 0.0)
    header = ["b_net", "b_trained_on", "b_acc", "b_triples", "b_hits", "b_fraction",
              "b_max_gain", "b_max_w"]
    table_rows, left_out = [], []
    for net in trained["networks"]:
        sizes = str(list(net["sizes"]))
        accuracy = Num(net["validation_accuracy"], "percent", 1)
        if net["validation_accuracy"] < threshold:
            left_out.append(plain_text(ctx.rich("b_left_out_net", sizes=sizes, acc=accuracy),
                                       ctx.lang))
        trained_on = ctx.rich("b_trained_on_value", n=Num(net["n_train"], "int", 0),
                              epochs=t("n_epochs", ctx.lang, n=int(net["epochs"])))
        table_rows.append([[("text", sizes)], trained_on, accuracy]
                          + [Num(net[k], kind, d) for k, kind, d in TRAINED_COLUMNS])
    if trained["n_pairs"]:
        table_rows.append([ctx.rich("b_all"), [("text", "")], [("text", "")]]
                          + [_stored(trained, "b/trained", *column) for column in TRAINED_COLUMNS])
    section.add(ctx.table(header, table_rows, "b_trained_caption",
                          n=int(trained["networks"][0]["n_inputs"])))
    thr = Num(threshold, "percent", 0)
    section.add(Para(ctx.rich("b_learned", thr=thr, nets="; ".join(left_out)) if left_out
                     else ctx.rich("b_learned_all", thr=thr)))

    k_last = list(prob["uniform_best_bias_k_layers"])[-1]
    sentences = [
        ctx.rich("b_answer_max", L=Num(m["L_star"], "sig", 6), w=Num(m["w_star"], "sig", 6)),
        ctx.rich("b_answer_uniform", best=Num(prob["uniform_best_bias"], "sig", 3),
                 rand=Num(prob["uniform_random_bias"], "sig", 3), k=int(k_last),
                 pk=Num(prob["uniform_best_bias_k_layers"][k_last], "sig", 2)),
    ]
    if not trained["n_pairs"]:
        sentences += [ctx.rich("b_none"), ctx.rich("b_answer_theory", L=Num(m["L_star"], "sig", 3))]
    else:
        sentences.append(ctx.rich("b_answer_trained", hits=Num(trained["n_at_least_one"], "int", 0),
                                  n=Num(trained["n_pairs"], "int", 0),
                                  frac=Num(trained["fraction"], "sig", 2),
                                  gain=Num(trained["max_gain"], "sig", 3),
                                  w=Num(trained["max_abs_w"], "sig", 3)))
        if (trained["max_abs_w"] or 4) < 4:      # then no input gives a factor >= 1
            sentences.append(ctx.rich("b_answer_below4", w=Num(trained["max_abs_w"], "sig", 3)))
        sentences.append(ctx.rich("b_answer_no" if trained["fraction"] < UNLIKELY_FRACTION
                                  else "b_answer_some", L=Num(m["L_star"], "sig", 3)))
    section.add(Answer(sentences))


# ------------------------------------------------------------------- (c) --

MODELS = ("normal", "network", "lognormal")

#: (header text, field of the comparison table, number format) per column over k
C_COLUMNS = (("c_mean_formula", "mean_formula", "sci", 3), ("c_mean_exact", "mean_exact", "sci", 3),
             ("c_mean_mc", "mean_mc", "sci", 3),
             ("c_err_mean", "mean_rel_err_formula_vs_exact", "sig", 3),
             ("c_se", "mean_mc_rel_se", "sig", 2),
             ("c_err_var", "var_rel_err_formula_vs_exact", "sig", 3),
             ("c_err_median", "median_rel_err_formula_vs_mc", "sig", 3))


def _part_c(ctx, section, data):
    c = get(data, "c", where="c")
    section.add(Para(ctx.rich("c_formula")))
    models = get(c, "models", where="c")
    header = ["c_model", "c_mu", "c_s2", "c_m1", "c_logerr", "c_skew"]
    rows = []
    for name in [n for n in MODELS if n in models] + [n for n in models if n not in MODELS]:
        model = models[name]
        skew = model.get("skewness_log_q")
        rows.append([ctx.rich(f"c_model_{name}") if f"c_model_{name}" in ctx.text
                     else [("text", name)]]
                    + [_stored(model, f"c/{name}", field, "sig", digits) for field, digits
                       in (("mu_hat", 4), ("s2_hat", 4), ("m1", 4),
                           ("log_error_per_factor_mean", 3))]
                    + [Num(skew, "sig", 3) if skew is not None else [("text", "–")]])
    section.add(ctx.table(header, rows, "c_models_caption", n=Num(c["n_paths"], "int", 0)))
    table_k = [k for k in c["table_k"] if k <= len(c["k"])]
    for name in [n for n in ("normal", "network") if n in models]:
        t = models[name]["table"]
        body = [[Num(k, "int", 0)] + [Num(t[field][k - 1], kind, digits,
                                          key=f"{KEY}/c/{name}/k{k}/{field}")
                                      for _, field, kind, digits in C_COLUMNS]
                for k in table_k]
        section.add(ctx.table(["c_k"] + [column[0] for column in C_COLUMNS], body,
                              "c_table_caption", model=ctx.rich(f"c_model_{name}")))
    section.add(figure(ctx, SUBDIR, "c_moments", "fig_c_moments"))
    section.add(figure(ctx, SUBDIR, "c_relative_error", "fig_c_error"))
    section.add(figure(ctx, SUBDIR, "c_log_Q", "fig_c_logq"))

    sentences = [ctx.rich("c_answer_formula")]
    k_max = int(c["k"][-1])
    if "lognormal" in models:
        t = models["lognormal"]["table"]
        within = [k for k, se, err in zip(t["k"], t["mean_mc_rel_se"],
                                          t["mean_rel_err_formula_vs_mc"])
                  if abs(err) <= 3 * se]
        sentences.append(ctx.rich("c_answer_control",
                                  err=Num(t["mean_rel_err_formula_vs_exact"][-1], "sci", 2),
                                  k=k_max, within=len(within), total=len(t["k"])))
        weak = [k for k, se in zip(t["k"], t["mean_mc_rel_se"]) if se > 1 / 3]
        if weak:
            sentences.append(ctx.rich("c_answer_weak_mc", k=int(weak[0]),
                                      paths=Num(c["n_paths"], "int", 0)))
    if "normal" in models:
        model = models["normal"]
        t = model["table"]
        sentences.append(ctx.rich("c_answer_normal",
                                  skew=Num(model.get("skewness_log_q") or 0.0, "sig", 3),
                                  d=Num(model["log_error_per_factor_mean"], "sig", 3),
                                  rel=Num(t["mean_rel_err_formula_vs_exact"][-1], "sig", 3), k=k_max,
                                  med=Num(max(map(abs, t["median_rel_err_formula_vs_mc"])),
                                          "percent", 1)))
        sentences.append(ctx.rich("c_answer_typical", mu=Num(model["mu_hat"], "sig", 3),
                                  k=k_max, decay=Num(t["median_formula"][-1], "sci", 2)))
    if "network" in models:
        model = models["network"]
        sentences.append(ctx.rich("c_answer_network",
                                  d=Num(model["log_error_per_factor_mean"], "sig", 3),
                                  rel=Num(model["table"]["mean_rel_err_formula_vs_exact"][-1], "sig", 3),
                                  k=k_max))
    section.add(Answer(sentences))


# ------------------------------------------------------------ measured --

SLOWDOWN = ("initial_per_layer", "final_per_layer", "initial_first_to_last", "final_first_to_last")
EXPLODING = ("tuned", "untuned_biases", "input_dependent", "default")


def _norms(values, key):
    return [Num(v, "sci", 2, key=f"{key}/{i}") for i, v in enumerate(values)]


def _part_measured(ctx, section, data):
    v = get(data, "vanishing", where="vanishing")
    cfg = v["config"]
    section.add(Para(ctx.rich("v_setup", width=int(cfg["hidden_width"]),
                              depths=", ".join(str(d["hidden_layers"]) for d in v["depths"]),
                              n=Num(cfg["n_train"], "int", 0), epochs=int(cfg["epochs"]),
                              eta=Num(cfg["eta"], "g", 4), m=int(cfg["mini_batch_size"]),
                              samples=Num(cfg["gradient_samples"], "int", 0),
                              seeds=", ".join(str(s) for s in v["seeds"]))))
    deepest = max(len(d["sizes"]) - 1 for d in v["depths"])
    header = ["v_net", "v_when"] + [ctx.rich("v_layer", l=l) for l in range(1, deepest)] + \
        ["v_output"]
    rows = []
    for d in v["depths"]:
        h = int(d["hidden_layers"])
        mean = d["mean_norms"]
        sizes = str(list(d["sizes"]))
        for label, epoch_row, tag in ((ctx.rich("v_init"), mean[0], "init"),
                                      (ctx.rich("v_after", epochs=len(mean) - 1), mean[-1], "final")):
            cells = _norms(epoch_row[:h], f"{KEY}/vanishing/h{h}/{tag}")
            cells += [[("text", "")]] * (deepest - 1 - h)
            cells.append(Num(epoch_row[h], "sci", 2, key=f"{KEY}/vanishing/h{h}/{tag}/{h}"))
            rows.append([[("text", sizes)], label] + cells)
    section.add(ctx.table(header, rows, "v_caption"))

    with_slow = [d for d in v["depths"] if d.get("slowdown")]
    if with_slow:
        slow_rows = [[Num(int(d["hidden_layers"]), "int", 0)]
                     + [_stored(d["slowdown"], f"vanishing/h{int(d['hidden_layers'])}", name,
                                "sig", 3) for name in SLOWDOWN] for d in with_slow]
        section.add(ctx.table(["v_hidden", "v_per_layer_init", "v_per_layer_final",
                               "v_first_last_init", "v_first_last_final"], slow_rows,
                              "v_slow_caption"))
    section.add(figure(ctx, SUBDIR, "vanishing", "fig_vanishing"))

    e = get(data, "exploding", where="exploding")
    configs = e["configs"]
    n_layers = len(e["sizes"]) - 1
    header = ["e_config"] + [ctx.rich("v_layer", l=l) for l in range(1, n_layers)] + \
        ["v_output", "e_growth"]
    rows = []
    for name in [n for n in EXPLODING if n in configs]:
        entry = configs[name]
        if len(entry["mean"]) != n_layers:
            raise SchemaError(f"exploding/configs/{name}/mean has {len(entry['mean'])} "
                              f"values for {n_layers} layers")
        typical = _geometric_mean(entry["growth_toward_input"])
        rows.append([ctx.rich(f"e_{name}")] + _norms(entry["mean"], f"{KEY}/exploding/{name}")
                    + [Num(typical, "sig", 3, key=f"{KEY}/exploding/{name}/growth")
                       if typical is not None else [("text", "–")]])
    section.add(ctx.table(header, rows, "e_caption", w=Num(e["w"], "g", 4),
                          f=Num(e["factor_per_connection"], "g", 4)))
    section.add(figure(ctx, SUBDIR, "exploding", "fig_exploding"))

    sentences = []
    if with_slow:
        d = max(with_slow, key=lambda d: d["hidden_layers"])
        s = d["slowdown"]
        ratio = s["initial_first_to_last"]
        sentences.append(ctx.rich("v_answer", h=int(d["hidden_layers"]),
                                  ratio=Num(ratio, "sig", 3), per=Num(s["initial_per_layer"], "sig", 3),
                                  final=Num(s["final_first_to_last"], "sig", 3),
                                  epochs=len(d["mean_norms"]) - 1))
        if ratio >= 10:
            sentences.append(ctx.rich("v_answer_orders", orders=Num(math.log10(ratio), "sig", 2)))
        else:
            sentences.append(ctx.rich("v_answer_slower" if ratio > 1 else "v_answer_not"))
    tuned = configs.get("tuned")
    if tuned:
        sentences.append(ctx.rich("e_answer", w=Num(e["w"], "g", 4),
                                  f=Num(e["factor_per_connection"], "g", 4),
                                  g=Num(_geometric_mean(tuned["growth_toward_input"]) or 0.0,
                                        "sig", 3),
                                  p=Num(e["predicted_growth_per_layer"], "sig", 3),
                                  chain=Num(_geometric_mean(e["chain"]["growth_toward_input"]) or 0.0,
                                            "sig", 3)))
    untuned = configs.get("untuned_biases")
    if untuned:
        sentences.append(ctx.rich("e_answer_untuned", first=Num(untuned["mean"][0], "sci", 2)))
    section.add(Answer(sentences))


def _geometric_mean(values):
    """Of the positive values (None and 0 left out); None if there are none."""
    values = [v for v in values if v and v > 0]
    return statistics.geometric_mean(values) if values else None


PARTS = [
    ("task-26a", "26 (a)", "t26a", "q26a", _part_a),
    ("task-26b", "26 (b)", "t26b", "q26b", _part_b),
    ("task-26c", "26 (c)", "t26c", "q26c", _part_c),
    ("task-26-measured", "26 +", "t26d", "q26d", _part_measured),
]


def build(ctx, loaded=None):
    """The sections of task 26 from ``loaded`` (default: ``DIR/gradients/results.json``)."""
    from deltanet.experiments.gradients import DEFAULT_SEEDS
    from deltanet.plots.gradients import FIGURES, plot_gradients
    return part_sections(ctx, loaded, sys.modules[__name__], FIGURES, plot_gradients,
                         sheet_seeds=", ".join(str(s) for s in DEFAULT_SEEDS))


def describe(ctx, data):
    cfg = data["config"]
    van, c, e = cfg["vanishing"], cfg["c"], cfg["exploding"]
    config = ctx.rich("cfg_gradients", width=int(van["hidden_width"]),
                      depths=", ".join(str(h) for h in van["hidden_layers"]),
                      n=Num(van["n_train"], "int", 0), epochs=int(van["epochs"]),
                      eta=Num(van["eta"], "g", 4), paths=Num(c["n_paths"], "int", 0),
                      k=int(c["k_max"]), w=Num(e["w"], "g", 4),
                      points=Num(data["a"]["numeric"]["n_points"], "int", 0))
    timing = data.get("timing_seconds") or {}
    return (config, ", ".join(str(s) for s in data["seeds"]),
            sum(v for v in timing.values() if isinstance(v, (int, float))))
