"""Experiments of the exercise sheet: definitions, runners and stored results.

Task 25 lives in four modules:

* :mod:`~deltanet.experiments.definitions` -- the ``EXPERIMENTS`` registry
  (``cost-comparison`` = 25a, ``overfitting`` = 25b, ``regularization`` = 25c)
  and :func:`~deltanet.experiments.definitions.expand`, which turns an
  experiment, overrides and seeds into run configs;
* :mod:`~deltanet.experiments.runner` -- the results store, resume, and the
  local process pool / Dask execution (:func:`~deltanet.experiments.runner.run_configs`);
* :mod:`~deltanet.experiments.conclusions` -- the answers, computed from the
  stored series;
* :mod:`deltanet.plots.task25` -- the figures, drawn from stored results.

(``gradients`` and ``complex_task`` hold task 26 and the complex-valued task.)

Files under ``OUT/task25/``
---------------------------
``runs/<id>.json`` (schema ``deltanet.task25.run/1``), one per run; ``id`` is
a hash of ``config``::

    schema, id, status ("complete" | "partial" | "diverged"), experiment, label
    (legend name: the cost for 25a, else the experiment), seed, config {experiment,
    cost, eta, lmbda, epochs, mini_batch_size, train_size, init, seed, dtype,
    as_original, sizes, data, evaluation}, versions {deltanet, numpy, python,
    platform}, environment {cpu_count, blas_threads}, timing {started, finished,
    wall_seconds, train_seconds, resumed_from_epoch}, history (History.to_dict():
    evaluation_cost, evaluation_accuracy, training_cost, training_accuracy
    (accuracies are counts; divide by n_evaluation / n_training), epoch_seconds,
    n_training, n_evaluation, epochs_completed, ...), note (optional),
    checkpoint {params, rng_state} (partial runs only)

``results.json`` (``deltanet.task25.results/1``): ``experiments`` ->
``{name: {runs: [ids], seeds, overrides, quick, as_original, command}}``, the
runs the figures and the summary are made from.

Output sets: ``deltanet sheet --out OUT`` owns ``OUT/task25``; ``deltanet run``
and ``sweep`` write their own set ``OUT/runs/<name>/task25`` (same layout) and
never touch the sheet's (:mod:`deltanet.experiments.sheet`).

``summary.json`` (``deltanet.task25.summary/2``)::

    lang, units, criteria (the thresholds the claims state),
    experiments: {name: {task, plot_from_epoch, incomplete_runs,
      variants: {label: {config, seeds, runs, statuses, <stat> for epochs,
        test_accuracy_after_epoch_1, epochs_to_90_percent, peak_test_accuracy,
        peak_test_epoch, final_test_accuracy, final_training_accuracy, final_gap,
        final_training_cost, first_epoch_training_100_percent, last_quarter_epochs,
        last_quarter_relative_change, evaluation_cost_min(_epoch),
        final_evaluation_cost}}}},
    claims: [{id, part, subject, values: {name: [kind, value]}, epochs}]
      (:class:`~deltanet.experiments.conclusions.Claim`; the CLI and the report
      render these), conclusions: {"25a": [sentences in lang], ...},
    figures: {"25a": ["figures/25a_accuracy"], ...} (stems relative to task25/;
      German files add ".de": 25a_accuracy.de.svg), environment: {deltanet,
      run_versions, cpu_count, blas, machine, processor}

A ``<stat>`` is ``{mean, std (population), min, max, n, values (per seed, in
seed order), missing}``; with one seed ``mean`` is the value. Accuracies are in
percent, gaps in percentage points, epochs count from 1, costs are the mean
cost per sample including the L2 term.

``sweeps/<experiment>-<hash>.json`` (``deltanet.task25.sweep/1``): experiment,
grid, seeds, overrides, points [{params, label, runs, seeds, statuses,
final_test_accuracy, peak_test_accuracy, peak_test_epoch (stats)}], figure.
"""

from deltanet.experiments.definitions import (DEFAULT_SEED, EXPERIMENTS, RunConfig,
                                              expand)

__all__ = ["EXPERIMENTS", "RunConfig", "expand", "DEFAULT_SEED", "run_experiment"]


def __getattr__(name):
    # the notebook's entry point, imported on first use (it pulls in the runner)
    if name == "run_experiment":
        from deltanet.experiments.sheet import run_experiment
        return run_experiment
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
