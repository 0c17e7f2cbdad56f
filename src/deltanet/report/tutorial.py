"""Sections of the tutorial task (complex-valued backprop), from ``DIR/complex/results.json``.

Parts (a)-(d) are derivations: each section states the result in the sheet's
notation and backs it with the stored gradient check (finite differences on
the real and imaginary parts of every weight and bias) and with the stored
*controls*, deliberately wrong variants that the same check must reject. A
last section shows the complex network in use (the fitting task and MNIST).
"""

import sys

from deltanet.report.document import Answer, Num, Para
from deltanet.report.sources import figure, get, load_json, part_sections, series

SUBDIR = "complex"
SCHEMA = "deltanet.complex/1"
CHECK = "complex/gradient_check"            # data-key prefix of the gradient check
GROUP = "group_tut"        # the text that heads the part
KEYS = ("part_tut", "exp_complex")     # the texts of the part and its experiment


PARAMS = ("weights_re", "weights_im", "biases_re", "biases_im")     # one error each


def _sizes(sizes):
    return str([int(s) for s in sizes])


def _check(data):
    """The gradient check, its tolerance and the errors of the deliberately wrong variants."""
    check = get(data, "gradient_check")
    controls = get(data, "gradient_check", "controls")
    return check, check["tolerance"], {c["name"]: c["max_error"] for c in controls}


def _worst(check, *params):
    """The largest error of ``params`` over every layer of every checked architecture."""
    return max(row[p] for arch in check["architectures"] for row in arch["layers"]
               for p in params)


def _check_table(ctx, data, rows, wrong):
    """label | error | below tolerance? for ``rows`` ``(label runs, error, key)``, then
    for the wrong variants ``wrong`` ``(text key, name of the control)``."""
    _, tolerance, controls = _check(data)
    rows += [(ctx.rich(key), controls[name], f"{CHECK}/controls/{name}") for key, name in wrong]
    below = ctx.rich("tut_below", tol=Num(tolerance, "sci", 1))
    return ctx.table(["tut_check", "tut_error", below],
                     [[label, Num(error, "sig", 2, key=key),
                       [("text", ctx.yes_no(error < tolerance))]] for label, error, key in rows])


def _bp1(ctx, section, data):
    check, tol, controls = _check(data)
    worst, wrong = check["max_error"], controls["bp1_without_conjugate"]
    section.add(Para(ctx.rich("tut_a_result")))
    section.add(_check_table(ctx, data, [(ctx.rich("tut_row_backprop"), worst,
                                          f"{CHECK}/max_error")],
                             [("tut_row_bp1_noconj", "bp1_without_conjugate")]))
    archs = ", ".join(_sizes(a["sizes"]) for a in check["architectures"])
    section.add(Answer([
        ctx.rich("tut_a_answer"),
        ctx.rich("tut_check_answer", err=Num(worst, "sig", 2),
                 tol=Num(tol, "sci", 1), n=len(check["architectures"]), archs=archs),
        ctx.rich("tut_control_answer", err=Num(wrong, "sig", 2),
                 factor=Num(wrong / tol, "sci", 1)),
    ]))


def _bp2(ctx, section, data):
    check, tol, controls = _check(data)
    section.add(Para(ctx.rich("tut_b_result")))
    rows = [(ctx.rich("tut_row_hidden", arch=_sizes(arch["sizes"]), layer=int(row["layer"])),
             max(row[p] for p in PARAMS), f"{CHECK}/{_sizes(arch['sizes'])}/{row['layer']}")
            for arch in check["architectures"] for row in arch["layers"]
            if row["layer"] < len(arch["sizes"])]       # hidden layers: delta^l from BP2
    sentences = [ctx.rich("tut_b_answer")]
    if rows:
        sentences.append(ctx.rich("tut_b_check", err=Num(max(r[1] for r in rows), "sig", 2),
                                  tol=Num(tol, "sci", 1)))
    sentences.append(ctx.rich("tut_b_control",
                              err=Num(controls["bp2_conjugate_transpose"], "sig", 2)))
    section.add(_check_table(ctx, data, rows, [("tut_row_bp2_conj", "bp2_conjugate_transpose")]))
    section.add(Answer(sentences))


def _bp34(ctx, section, data):
    check = get(data, "gradient_check")
    tol = check["tolerance"]
    section.add(Para(ctx.rich("tut_c_result")))
    header = ["tut_arch", "tut_layer", "tut_w_re", "tut_w_im", "tut_b_re", "tut_b_im"]
    rows = [[[("text", _sizes(arch["sizes"]))], Num(row["layer"], "int", 0)]
            + [Num(row[p], "sig", 2, key=f"{CHECK}/{_sizes(arch['sizes'])}/{row['layer']}/{p}")
               for p in PARAMS] for arch in check["architectures"] for row in arch["layers"]]
    section.add(ctx.table(header, rows, "tut_c_caption", h=Num(check["h"], "sci", 1)))
    section.add(figure(ctx, SUBDIR, "complex-gradient-check", "fig_complex_check"))
    section.add(Answer([ctx.rich("tut_c_answer"),
                        ctx.rich("tut_c_check", tol=Num(tol, "sci", 1),
                                 bmax=Num(_worst(check, "biases_re", "biases_im"), "sig", 2),
                                 wmax=Num(_worst(check, "weights_re", "weights_im"), "sig", 2),
                                 ok=ctx.yes_no(check["passed"]))]))


def _part_d(ctx, section, data):
    check, _, controls = _check(data)
    section.add(Para(ctx.rich("tut_d_result")))
    re_max = _worst(check, "weights_re", "biases_re")
    im_max = _worst(check, "weights_im", "biases_im")
    section.add(_check_table(ctx, data, [(ctx.rich("tut_row_re"), re_max, f"{CHECK}/max_re"),
                                         (ctx.rich("tut_row_im"), im_max, f"{CHECK}/max_im")],
                             [("tut_row_d_no2", "d_without_factor_2"),
                              ("tut_row_d_noconj", "d_without_conjugate")]))
    section.add(Answer([
        ctx.rich("tut_d_answer"),
        ctx.rich("tut_d_check", re=Num(re_max, "sig", 2), im=Num(im_max, "sig", 2),
                 no2=Num(controls["d_without_factor_2"], "sig", 2),
                 noconj=Num(controls["d_without_conjugate"], "sig", 2)),
    ]))


def _nets_table(ctx, where, nets, columns):
    """One row per net ``(key, net, values)``: model, layers, parameters, eta, then the
    ``values`` under ``columns`` ``(text key, name, kind, digits)``, keyed for tests."""
    return ctx.table(["tut_model", "tut_sizes", "tut_params", "tut_eta", *(c[0] for c in columns)],
                     [[ctx.rich(f"tut_{key}"), [("text", _sizes(net["sizes"]))],
                       Num(net["n_real_parameters"], "int", 0), Num(net["eta"], "g", 4)]
                      + [Num(value, kind, digits, key=f"complex/{where}/{key}/{name}")
                         for value, (_, name, kind, digits) in zip(values, columns)]
                      for key, net, values in nets])


def _in_use(ctx, section, data):
    task, mnist = get(data, "task"), get(data, "mnist")
    c, r = task["complex"], task["real"]
    section.add(Para(ctx.rich("tut_e_task", target=task["target"],
                              n_train=int(task["n_train"]), n_test=int(task["n_test"]),
                              epochs=int(task["epochs"]))))
    section.add(_nets_table(ctx, "task", [
        (key, net, [net["final_test_cost"], net["final_rms_error"]])
        for key, net in (("complex", c), ("real", r))],
        [("tut_test_cost", "final_test_cost", "sci", 3), ("tut_rms", "final_rms_error", "sig", 3)]))
    section.add(figure(ctx, SUBDIR, "complex-task", "fig_complex_task"))

    mc, mr, ins = mnist["complex"], mnist["real"], mnist["instability"]
    acc_c, acc_r = series(mc, "accuracy"), series(mr, "accuracy")
    section.add(Para(ctx.rich("tut_e_mnist", n_train=int(mnist["n_train"]),
                              n_test=int(mnist["n_test"]), epochs=int(mnist["epochs"]))))
    section.add(_nets_table(ctx, "mnist", [
        (key, net, [acc[-1] if acc else None, max(acc) if acc else None])
        for key, net, acc in (("complex", mc, acc_c), ("real", mr, acc_r))],
        [("tut_final_acc", "final_accuracy", "percent", 2),
         ("tut_best_acc", "best_accuracy", "percent", 2)]))
    section.add(figure(ctx, SUBDIR, "complex-mnist", "fig_complex_mnist"))

    distances = [d for epoch in mc["pole_distance"] for d in epoch if d is not None]
    min_pole = min(distances) if distances else None
    near = sum(mc["near_pole_steps"])
    ratio = task["cost_ratio"]
    sentences = [ctx.rich("tut_e_task_answer", c=Num(c["final_test_cost"], "sci", 3),
                          r=Num(r["final_test_cost"], "sci", 3),
                          ratio=Num(ratio if ratio > 1 else 1 / ratio, "sig", 3,
                                    key="complex/task/cost_ratio" if ratio > 1 else ""),
                          n=int(c["n_real_parameters"]),
                          lower_higher=ctx.text["tut_lower" if ratio > 1 else "tut_higher"])]
    if acc_c and acc_r:
        sentences.append(ctx.rich("tut_e_mnist_answer", c=Num(acc_c[-1], "percent", 2),
                                  r=Num(acc_r[-1], "percent", 2), epochs=len(acc_c),
                                  verdict=ctx.text["tut_ahead" if acc_c[-1] > acc_r[-1]
                                                else "tut_behind"]))
    if min_pole is not None:
        sentences.append(ctx.rich("tut_e_poles", d=Num(min_pole, "sig", 3),
                                  thr=Num(mc["pole_threshold"], "g", 3), near=near,
                                  steps=int(mc["steps_per_epoch"]) * len(mc["near_pole_steps"])))
    if mc.get("stopped"):
        sentences.append(ctx.rich("tut_e_stopped", why=mc.get("message") or mc["stopped"]))
    growth = ins.get("max_imag_weight") or []
    if len(growth) >= 2:
        sentences.append(ctx.rich("tut_e_instability", eps=Num(ins["perturbation"], "sci", 1),
                                  start=Num(growth[0], "sig", 2), end=Num(growth[-1], "sig", 2),
                                  epochs=len(growth) - 1))
    section.add(Answer(sentences))


PARTS = [
    ("tut-a", "T (a)", "tTa", "qTa", _bp1),
    ("tut-b", "T (b)", "tTb", "qTb", _bp2),
    ("tut-c", "T (c)", "tTc", "qTc", _bp34),
    ("tut-d", "T (d)", "tTd", "qTd", _part_d),
    ("tut-use", "T +", "tTe", "qTe", _in_use),
]


def build(ctx, loaded=None):
    """The tutorial's sections from ``loaded`` (default: ``DIR/complex/results.json``)."""
    from deltanet.plots.complex import FIGURES, plot_complex
    loaded = loaded or load_json(ctx.out_dir / SUBDIR / "results.json")
    if loaded.ok and loaded.data.get("complete") is False:
        ctx.notes.append(ctx.warning("tut_partial"))
    return part_sections(ctx, loaded, sys.modules[__name__], FIGURES, plot_complex)


def describe(ctx, data):
    cfg = data["config"]
    task, mnist = cfg["task"], cfg["mnist"]
    config = ctx.rich(
        "cfg_complex",
        archs=", ".join(_sizes(a) for a in cfg["gradient_check"]["architectures"]),
        task=f"{_sizes(task['complex_sizes'])} / {_sizes(task['real_sizes'])}",
        task_epochs=int(task["epochs"]),
        mnist=f"{_sizes(mnist['complex_sizes'])} / {_sizes(mnist['real_sizes'])}",
        mnist_n=int(mnist["n_train"]), mnist_epochs=int(mnist["epochs"]))
    seed = cfg.get("seed")
    return config, "–" if seed is None else str(seed), data.get("timings", {}).get("total")
