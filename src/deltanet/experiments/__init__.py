"""Experiments of the exercise sheet: definitions, runners and stored results.

Task 25: :mod:`~deltanet.experiments.definitions` (the ``EXPERIMENTS``
registry: ``cost-comparison`` = 25a, ``overfitting`` = 25b, ``regularization``
= 25c; :func:`expand` makes run configs), :mod:`~deltanet.experiments.runner`
(resume, local pool or Dask), :mod:`~deltanet.experiments.store` (the files),
:mod:`~deltanet.experiments.conclusions` (the answers, from the stored series)
and :mod:`deltanet.plots.task25` (the figures). ``gradients`` and
``complex_task`` hold task 26 and the complex-valued task.

Files under ``OUT/task25/`` (``deltanet sheet`` owns ``OUT/task25``; ``run``
and ``sweep`` write their own set ``OUT/runs/<name>/task25``):

* ``runs/<id>.json`` (``deltanet.task25.run/1``; ``id`` hashes ``config``):
  schema, id, status ("complete" | "partial" | "diverged"), experiment, label
  (legend name), seed, config, versions, environment, timing {started,
  finished, wall_seconds, train_seconds, resumed_from_epoch}, history
  (``History.to_dict()``; accuracies are counts of ``n_evaluation`` /
  ``n_training``), note (optional), checkpoint {params, rng_state} (partial
  runs only), sha256;
* ``results.json`` (``deltanet.task25.results/1``): ``experiments`` -> ``{name:
  {runs: [ids], seeds, overrides, quick, as_original, command}}``, the runs the
  figures and the summary are made from;
* ``summary.json`` (``deltanet.task25.summary/4``): lang, units, criteria,
  experiments {name: {task, plot_from_epoch, incomplete_runs, variants: {label:
  {config, seeds, runs, statuses, <stat> per number of
  :func:`~deltanet.experiments.conclusions.run_numbers`}}}}, claims (as data),
  conclusions {part: [sentences]}, figures {part: [stems]}, environment. A
  ``<stat>`` is ``{mean, std (population), min, max, n, values (per seed),
  missing}``; accuracies in percent, epochs from 1, costs per sample incl. L2;
* ``sweeps/<experiment>-<hash>.json`` (``deltanet.task25.sweep/1``):
  experiment, grid, seeds, overrides, points [{params, label, runs, seeds,
  statuses, final_test_accuracy, peak_test_accuracy, peak_test_epoch}], figure.
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
