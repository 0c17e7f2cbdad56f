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
runs the figures and the summary are made from (the latest ``sheet``/``run``).

``summary.json`` (``deltanet.task25.summary/1``)::

    lang, units, decreasing_threshold,
    experiments:
      cost-comparison: task "25a", title, plot_from_epoch, incomplete_runs,
        per_variant: {quadratic|cross-entropy: {config, seeds, runs, statuses,
          <stat> for epochs, test_accuracy_after_epoch_1, epochs_to_90_percent,
          epochs_to_95_percent, final_test_accuracy, peak_test_accuracy,
          peak_test_epoch, training_accuracy_after_epoch_1,
          final_training_accuracy, final_gap}},
        comparison: {faster_early, after_epoch_1_lead, first_to_90_percent,
          higher_final, final_lead, higher_peak, peak_lead,
          faster_early_seeds_agreeing, paired_seeds}
      overfitting: task "25b", ..., config, seeds, runs, statuses, <stat> for
        peak_test_accuracy, peak_test_epoch, plateau_epoch (first epoch within
        plateau_tolerance points of the peak), epochs_after_plateau,
        training_cost_at_plateau, training_cost_drop_after_plateau_relative,
        training_cost_at_peak, training_cost_drop_after_peak(_relative),
        final_test_accuracy, final_training_accuracy, final_gap, gap_at_peak,
        first_epoch_training_100_percent, window_from_epoch,
        window_test_accuracy_mean/min/max, window_training_cost_relative_change,
        evaluation_cost_min, evaluation_cost_min_epoch, final_evaluation_cost,
        evaluation_cost_rise_after_min, final_training_cost,
        last_quarter_epochs, last_quarter_relative_change, last_quarter_slope,
        still_decreasing
      regularization: task "25c", the same keys as overfitting, plus
        versus_overfitting: {key: {without, with, difference}} for
        peak_test_accuracy, peak_test_epoch, final_test_accuracy, final_gap,
        final_training_accuracy, final_training_cost,
        last_quarter_relative_change, still_decreasing (no difference), and
        same_setup_except_lmbda
    conclusions: {"25a": [sentences], "25b": [...], "25c": [...]}
    figures: {"25a": ["figures/25a_accuracy"], "25b": [...], "25c": [...]}
      (stems relative to task25/; each has .png and .svg)
    runs: {experiment: [run ids]}, environment: {deltanet, run_versions, cpu_count}

A ``<stat>`` is ``{mean, std (population), min, max, n, values (per seed, in
seed order), missing}``; with one seed ``mean`` is the value. Booleans and
names aggregate to ``{values, most_common, count}``. Accuracies are in percent,
gaps in percentage points, epochs count from 1, costs are the mean cost per
sample including the L2 term.

``sweeps/<experiment>-<hash>.json`` (``deltanet.task25.sweep/1``): experiment,
grid, seeds, overrides, points [{params, label, runs, seeds, statuses,
final_test_accuracy, peak_test_accuracy, peak_test_epoch (stats)}], figure.
"""

from deltanet.experiments.definitions import (DEFAULT_SEED, EXPERIMENTS, RunConfig,
                                              expand)

__all__ = ["EXPERIMENTS", "RunConfig", "expand", "DEFAULT_SEED"]
