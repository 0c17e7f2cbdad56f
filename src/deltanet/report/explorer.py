"""An interactive explorer of task-25 runs: one self-contained HTML section.

Sliders for lmbda, eta, training-set size and seed (and a selector of the
setup) switch two inline SVG panels, accuracy and cost per epoch, and the
facts and claims (:mod:`deltanet.experiments.conclusions`) of the selected run.
Everything is computed here and stored in a JSON block; the constant inline
:data:`SCRIPT` (allowed by a page's Content-Security-Policy via
:func:`script_hash`) only swaps in the matching run's markup. Without
JavaScript the first run is shown statically.
"""

import base64
import hashlib
import html
import json
import math
from pathlib import Path

from deltanet.i18n import Texts, catalogue, fill, localize, t
from deltanet.plots.history import history_series

__all__ = ["explorer_section", "explorer_page", "stored_records", "sweep_records", "facts",
           "SCRIPT", "script_hash", "ANCHOR"]

ANCHOR = "explorer"         # the section's id in the report (its table of contents links it)

CONTROLS = ("lmbda", "eta", "train_size", "seed", "setup")

W, H, LEFT, RIGHT, TOP, BOTTOM = 400, 250, 52, 12, 26, 38     # panel geometry (px)
COLORS = {"training": "#1f77b4", "evaluation": "#e6550d"}


def facts(series):
    """Peak and final test accuracy (percent), its epoch (from 1), final training
    accuracy and final gap (points), from :func:`history_series` output; a key
    is None where its series is empty."""
    test, train = series["evaluation_accuracy"], series["training_accuracy"]
    peak = max(range(len(test)), key=test.__getitem__) if test else None
    return {"peak_test_accuracy": test[peak] if test else None,
            "peak_test_epoch": peak + 1 if test else None,
            "final_test_accuracy": test[-1] if test else None,
            "final_training_accuracy": train[-1] if train else None,
            "final_gap": train[-1] - test[-1] if test and train else None}


def _ticks(lo, hi, n=5):
    step = 10 ** math.floor(math.log10((hi - lo) / n))
    step *= next(m for m in (1, 2, 5, 10) if (hi - lo) / (step * m) <= n)
    return [k * step for k in range(math.ceil(lo / step), math.floor(hi / step) + 1)]


def _panel(lines, epochs, y_range, log, title, text, lang):
    """One SVG panel: ``lines`` = [(kind, values)], x = epochs 1..epochs."""
    lo, hi = y_range
    width, height = W - LEFT - RIGHT, H - TOP - BOTTOM
    x = lambda e: LEFT + (e - 1) / max(epochs - 1, 1) * width
    y = lambda v: TOP + (1 - ((math.log10(max(v, 1e-300)) if log else v) - lo) / (hi - lo)) * height
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" '
             f'height="{H}" data-x="1 {epochs}" data-y="{lo} {hi}" data-log="{int(log)}" '
             f'data-box="{LEFT} {TOP} {width} {height}" role="img" aria-label="{title}">',
             f'<text x="{W / 2}" y="16" text-anchor="middle" font-weight="bold">{title}</text>',
             f'<rect x="{LEFT}" y="{TOP}" width="{width}" height="{height}" fill="none" '
             'stroke="#999"/>']
    for e in (int(e) for e in _ticks(1, max(epochs, 2)) if e == int(e)):   # whole epochs
        parts.append(f'<text x="{x(e):.1f}" y="{H - BOTTOM + 14}" text-anchor="middle">'
                     f'{localize(f"{e:,}", lang)}</text>')
    parts.append(f'<text x="{LEFT + width / 2}" y="{H - 6}" text-anchor="middle">'
                 f'{text["epoch"]}</text>')
    for t in (range(lo, hi + 1) if log else _ticks(lo, hi)):
        v = 10.0 ** t if log else t
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + width}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     f'stroke="#ddd"/><text x="{LEFT - 4}" y="{y(v) + 4:.1f}" '
                     f'text-anchor="end">{localize(f"{v:g}", lang)}</text>')
    for kind, values in (line for line in lines if line[1]):
        d = "L".join(f"{x(e):.1f},{y(v):.1f}" for e, v in enumerate(values, start=1))
        parts.append(f'<path class="dx-{kind}" d="M{d}" fill="none" stroke="{COLORS[kind]}" '
                     'stroke-width="1.5"/>')
    return "".join(parts) + "</svg>"


def _setup(record, lang):
    """``25b, cross-entropy cost, 400 epochs`` in ``lang``."""
    from deltanet.experiments.definitions import EXPERIMENTS
    c, experiment = record["config"], record["experiment"]
    cost = catalogue(lang).get(f"cost_{c['cost']}", c["cost"])
    task = EXPERIMENTS[experiment].task if experiment in EXPERIMENTS else experiment
    return t("explorer_setup", lang, task=task, cost=cost, n=c["epochs"])


def _value(record, name, lang):
    return _setup(record, lang) if name == "setup" else record["config"][name]


def _claims_html(record, text, lang):
    """The claims of :mod:`deltanet.experiments.conclusions` for this run alone
    (comparisons with other runs left out: they need the sheet's pair)."""
    from deltanet.experiments.conclusions import derive_claims
    claims, _, _ = derive_claims({record["experiment"]: [record]})
    items = "".join(f"<li>{html.escape(c.text(lang))}</li>" for c in claims
                    if not c.id.startswith("cmp_"))
    return f"<p>{html.escape(text['claims'])}:</p><ul>{items}</ul>" if items else ""


def _facts_html(record, series, text, lang):
    f = facts(series)
    items = []
    for key, value, epoch in (("peak", "peak_test_accuracy", "peak_test_epoch"),
                              ("final", "final_test_accuracy", None), ("gap", "final_gap", None)):
        if f[value] is not None:
            shown = text[key + "_value"].format(v=f[value], e=f[epoch] if epoch else "")
            items.append(f"<dt>{html.escape(text[key + '_name'])}: <b>{html.escape(shown)}</b>"
                         f"</dt><dd>{html.escape(text[key + '_definition'])}</dd>")
    status = catalogue(lang).get("dx_status_" + record["status"], record["status"])
    status = text["epochs"].format(done=record["history"]["epochs_completed"], status=status,
                                   planned=t("n_epochs", lang, n=record["config"]["epochs"]))
    return (f"<dl>{''.join(items)}</dl><p>{html.escape(status)}</p>"
            + _claims_html(record, text, lang))


def _views(records, text, lang):
    """Per run: the two panels (one SVG string) and the facts, on shared y axes."""
    series = [history_series(r["history"]) for r in records]
    values = lambda metric: [v for s in series for kind in COLORS for v in s[f"{kind}_{metric}"]]
    accuracies = values("accuracy") or [0.0]
    costs = [math.log10(v) for v in values("cost") if v > 0] or [0.0]
    axes = {"accuracy": ((min(90, math.floor(min(accuracies) / 10) * 10), 100), False),
            "cost": ((math.floor(min(costs)),
                      max(math.ceil(max(costs)), math.floor(min(costs)) + 1)), True)}
    views = []
    for record, s in zip(records, series):
        svg = "".join(_panel([(kind, s[f"{kind}_{metric}"]) for kind in COLORS],
                             record["config"]["epochs"], *axes[metric], text[metric], text, lang)
                      for metric in axes)
        views.append((svg, _facts_html(record, s, text, lang)))
    return views


def _control(name, label, values, at):
    """A slider over the indices of ``values`` (a selector for the setup)."""
    off = " disabled" if len(values) == 1 else ""
    if name == "setup":
        options = "".join(f'<option value="{i}"{" selected" if i == at else ""}>'
                          f"{html.escape(v)}</option>" for i, v in enumerate(values))
        field = f'<select name="{name}"{off}>{options}</select>'
    else:
        field = (f'<input type="range" name="{name}" min="0" max="{len(values) - 1}" step="1" '
                 f'value="{at}"{off}><output>{html.escape(values[at])}</output>')
    return f"<label>{html.escape(label)} {field}</label>"


def explorer_section(records, *, lang="en", anchor=None):
    """The explorer as an HTML ``<section>`` (inline data, SVG and :data:`SCRIPT`).

    ``records``: stored task-25 run records (duplicates by ``id`` are dropped;
    runs without a finished epoch are skipped). The first run is shown first.
    Runs that agree in all the controls' values (they differ only in, say,
    ``sizes`` or ``init``) cannot be told apart: the controls reach the first.
    ``anchor``: the section's ``id`` (the report's :data:`ANCHOR`; none by default,
    as a notebook may show several explorers).
    """
    text = Texts("dx_", lang)
    unique = {}
    for r in records:
        if r["history"]["epochs_completed"] > 0:
            unique.setdefault(r.get("id") or id(r), r)
    records = list(unique.values())
    if not records:
        raise ValueError("the explorer needs at least one run with a finished epoch")
    values = {name: sorted({_value(r, name, lang) for r in records}) for name in CONTROLS}
    runs = []
    for r, (svg, facts_html) in zip(records, _views(records, text, lang)):
        c = r["config"]
        title = fill("λ = {lmbda:g}, η = {eta:g}, {n:,} {images}, {seed_word} {seed} "
                     "({setup})", lang, lmbda=c["lmbda"], eta=c["eta"], n=c["train_size"],
                     images=text["train_size"], seed_word=text["seed"], seed=c["seed"],
                     setup=_setup(r, lang))
        runs.append({"at": [values[n].index(_value(r, n, lang)) for n in CONTROLS],
                     "svg": svg, "facts": facts_html, "title": title})
    shown = [[v if isinstance(v, str) else localize(f"{v:,}" if name == "train_size"
                                                     else f"{v:g}", lang)
              for v in values[name]] for name in CONTROLS]
    controls = "".join(_control(name, text[name], labels, at)
                       for name, labels, at in zip(CONTROLS, shown, runs[0]["at"]))
    data = json.dumps({"controls": shown, "runs": runs}, ensure_ascii=False,
                      separators=(",", ":")).replace("<", "\\u003c")   # nothing ends the block
    legend = "".join(f'<span style="color:{COLORS[k]}">&#9473; {text[t]}</span> '
                     for k, t in (("training", "training"), ("evaluation", "test")))
    anchor = f' id="{html.escape(anchor)}"' if anchor else ""
    return (f'<section class="deltanet-explorer"{anchor}><style>{STYLE}</style>'
            f'<h3>{html.escape(text["title"])}</h3>'
            f'<form class="dx-controls" hidden>{controls}</form>'
            f'<noscript><p class="dx-note">{html.escape(text["noscript"])}</p></noscript>'
            f'<p class="dx-title">{html.escape(runs[0]["title"])}</p>'
            f'<div class="dx-figure">{runs[0]["svg"]}</div><p class="dx-legend">{legend}</p>'
            f'<div class="dx-facts">{runs[0]["facts"]}</div>'
            f'<script type="application/json" class="dx-data">{data}</script>'
            f"<script>{SCRIPT}</script></section>")


STYLE = """.deltanet-explorer .dx-controls{display:flex;flex-wrap:wrap;gap:.4em 1.4em}
.deltanet-explorer .dx-figure svg{max-width:100%;height:auto;font:11px sans-serif}
.deltanet-explorer dt{margin-top:.3em}.deltanet-explorer dd{color:#555;font-size:90%}"""

SCRIPT = """
document.querySelectorAll("section.deltanet-explorer:not([data-ready])").forEach(function (section) {
  section.setAttribute("data-ready", "1");
  var data = JSON.parse(section.querySelector("script.dx-data").textContent);
  var form = section.querySelector("form.dx-controls");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("[name]"));
  var at = data.runs[0].at.slice();
  function show(index) {
    var run = data.runs[index];
    at = run.at.slice();
    inputs.forEach(function (input, c) {
      input.value = String(at[c]);
      var out = input.parentNode.querySelector("output");
      if (out) out.textContent = data.controls[c][at[c]];
    });
    section.querySelector(".dx-title").textContent = run.title;
    section.querySelector(".dx-figure").innerHTML = run.svg;
    section.querySelector(".dx-facts").innerHTML = run.facts;
    section.setAttribute("data-run", String(index));
  }
  // the run with the new value that keeps most of the other controls (earlier ones first)
  function pick(changed, value) {
    var best = 0, bestScore = -1;
    data.runs.forEach(function (run, i) {
      if (run.at[changed] !== value) return;
      var score = 0;
      run.at.forEach(function (v, c) { if (v === at[c]) score += 1 << (run.at.length - c); });
      if (score > bestScore) { best = i; bestScore = score; }
    });
    return best;
  }
  inputs.forEach(function (input, c) {
    input.addEventListener("input", function () { show(pick(c, Number(input.value))); });
  });
  form.hidden = false;
  show(0);
});
"""


def script_hash():
    """The CSP source that allows :data:`SCRIPT`: ``'sha256-...'``."""
    digest = hashlib.sha256(SCRIPT.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def stored_records(out_dir):
    """The runs worth exploring: those of the results index of ``out_dir`` (the
    sheet's set or a run set), then those of :func:`sweep_records` (``ValueError``
    for a file that cannot be read)."""
    from deltanet.experiments import store
    tdir = store.task_dir(out_dir)
    indexed = store.load_results(tdir) if (tdir / "results.json").is_file() else {}
    return [r for rs in indexed.values() for r in rs] + sweep_records(out_dir)


def sweep_records(out_dir, unreadable=None):
    """The runs of every sweep stored in ``out_dir`` or in its sweep sets
    ``out_dir/runs/sweep-*`` (``deltanet sweep``, ``sheet --explore``). A file that
    cannot be read raises ``ValueError``; with ``unreadable`` (a dict), that sweep or
    run file is left out instead and named there: ``{path: the problem and the command
    that computes it again}``."""
    from deltanet.experiments import store
    records = []

    def leave_out(path, exc, again):
        if unreadable is None:
            raise exc
        problem = (exc if isinstance(exc, (OSError, ValueError))
                   else f"{path} is damaged or was edited ({type(exc).__name__}: {exc})")
        unreadable.setdefault(str(path), store.delete_then(problem, again))
    for folder in map(store.task_dir, [out_dir, *sorted(Path(out_dir).glob("runs/sweep-*"))]):
        for sweep in sorted((folder / "sweeps").glob("*.json")):
            try:
                data = store.read_json(sweep)
                runs = [folder / "runs" / f"{i}.json" for p in data["points"] for i in p["runs"]]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                leave_out(sweep, exc, "run the sweep again")
                continue
            again = (f"'{data['command']}' computes it again"
                     if isinstance(data.get("command"), str) else "run the sweep again")
            for path in runs:
                try:
                    records.append(store.load_run(path))
                except (OSError, ValueError) as exc:
                    leave_out(path, exc, again)
    return records


def explorer_page(records, *, lang="en", title="deltanet: task 25 explorer"):
    """A whole HTML page with :func:`explorer_section`; its Content-Security-Policy
    allows the explorer's script and inline styles, nothing else (no network)."""
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src {script_hash()}"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            f"<title>{html.escape(title)}</title></head><body style='font-family:sans-serif'>"
            f"{explorer_section(records, lang=lang)}</body></html>\n")

