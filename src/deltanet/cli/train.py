"""``deltanet train``: train one network on MNIST (or another data set)."""

import argparse
import os
import sys
import time
from pathlib import Path

from deltanet import Names, __version__, limits


def int_list(text):
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers like 784,30,10; got {text!r}") from None


def register(subparsers):
    p = subparsers.add_parser(
        "train", help="train one network and print per-epoch metrics",
        description="Train a sigmoid network by mini-batch SGD on the bundled MNIST "
                    "(first 50,000 training images; evaluated on the 10,000 test "
                    "images) and print cost and accuracy after every epoch.")
    p.add_argument("--sizes", type=int_list, default=[784, 30, 10],
                   help="layer widths, input first")
    # (a metavar keeps argparse from reading the registries while the parser is built)
    p.add_argument("--cost", choices=Names("costs", "COSTS"), default="cross-entropy",
                   metavar="NAME", help="%(choices)s")
    p.add_argument("--eta", type=float, default=0.5, help="learning rate")
    p.add_argument("--epochs", type=int, default=30, help="passes over the training data")
    p.add_argument("--mini-batch-size", type=int, default=10,
                   help="samples per gradient step")
    p.add_argument("--lmbda", type=float, default=0.0, help="L2 regularization parameter")
    p.add_argument("--init", choices=Names("network", "INITIALIZERS"), default="default",
                   metavar="NAME",
                   help="%(choices)s; default: weights N(0, 1/n_in); large: weights N(0, 1)")
    p.add_argument("--seed", type=int, default=1, help="seed for initialization and shuffling")
    p.add_argument("--train-size", type=int, default=None,
                   help="use only the first N training images (default: all 50,000)")
    p.add_argument("--dtype", choices=Names("network", "DTYPES"), default="float32",
                   metavar="NAME",
                   help="%(choices)s; float32 is fast; float64 for exact comparisons")
    p.add_argument("--data", default="mnist",
                   help="'mnist' (bundled), 'fashion-mnist' (Debian's dataset-fashion-mnist), "
                        "a directory of IDX files, or the course's mnist.pkl.gz")
    p.add_argument("--evaluate-on", choices=["test", "validation"], default="test",
                   help="data set for the evaluation cost and accuracy")
    p.add_argument("--no-training-monitor", action="store_true",
                   help="skip training cost/accuracy after each epoch (faster)")
    p.add_argument("--save", metavar="NET.json", help="write the trained network (network2 layout)")
    p.add_argument("--json", metavar="METRICS.json",
                   help="write config and per-epoch metrics (updated after every epoch)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no per-epoch lines")
    p.set_defaults(func=run)


def check_output_file(option, path):
    """Fail before training, not after, if an output file cannot be written."""
    if path is None:
        return
    path = limits.check_path(option, Path(path))
    if path.exists() and not path.is_file():
        raise ValueError(f"{option} {path}: is not a regular file; give a file name")
    if path.parent.exists() and not path.parent.is_dir():
        raise NotADirectoryError(f"{option} {path}: {path.parent} is a file, not a directory")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{option} {path}: directory {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise PermissionError(f"{option} {path}: directory {path.parent} is not writable")


def run(args):
    import numpy as np

    from deltanet.datasets import load_dataset
    from deltanet.i18n import t
    from deltanet.network import Network
    from deltanet.serialization import atomic_write_json, command
    from deltanet.train import TrainingDiverged, TrainingInterrupted
    check_output_file("--save", args.save)
    check_output_file("--json", args.json)
    if args.save and args.json and Path(args.save).resolve() == Path(args.json).resolve():
        raise ValueError(f"--save and --json name the same file {args.save}; give two names")
    limits.check_int("--seed", args.seed, 0, limits.MAX_SEED)
    limits.check_int("--epochs", args.epochs, 1, limits.MAX_EPOCHS)
    limits.check_training(args.sizes, args.mini_batch_size, args.epochs,
                          np.dtype(args.dtype).itemsize)
    splits = load_dataset(args.data)
    train = splits.train
    if args.train_size is not None:
        if not 1 <= args.train_size <= len(train):
            raise ValueError(f"--train-size must be between 1 and {len(train)}; "
                             f"got {args.train_size}")
        train = train[:args.train_size]
    evaluation = getattr(splits, args.evaluate_on)
    net = Network(args.sizes, cost=args.cost, init=args.init, seed=args.seed, dtype=args.dtype)
    config = {key: value for key, value in vars(args).items() if key != "func"}
    record = {"deltanet_version": __version__, "numpy_version": np.__version__,
              "command": command(*sys.argv[1:]), "config": config, "history": None}

    def write_metrics(epoch, history, net):
        if args.json:
            record["history"] = history.to_dict()
            atomic_write_json(args.json, record)

    monitor_training = not args.no_training_monitor
    started = time.perf_counter()
    status = 0
    try:
        history = net.SGD(train, args.epochs, args.mini_batch_size, args.eta, lmbda=args.lmbda,
                          evaluation_data=evaluation, monitor_evaluation_cost=True,
                          monitor_evaluation_accuracy=True,
                          monitor_training_cost=monitor_training,
                          monitor_training_accuracy=monitor_training,
                          progress=not args.quiet, verbose=not args.quiet,
                          callbacks=[write_metrics])
    except TrainingInterrupted as exc:
        history, status = exc.history, 130
        saved = f"; {args.save} holds the network after them" if args.save else ""
        print(f"interrupted: kept {t('n_epochs', 'en', n=history.epochs_completed)}{saved}",
              file=sys.stderr)
    except TrainingDiverged as exc:
        history, status = exc.history, 1
        print(f"deltanet train: error: {exc}", file=sys.stderr)
    write_metrics(None, history, net)
    if args.save and status != 1:
        net.save(args.save)
    if history.evaluation_accuracy:
        best = max(history.evaluation_accuracy)
        print(f"{t('n_epochs', 'en', n=history.epochs_completed)} in "
              f"{time.perf_counter() - started:.1f} s; "
              f"final {args.evaluate_on} accuracy {history.evaluation_accuracy[-1]} / "
              f"{history.n_evaluation}, best {best} (epoch "
              f"{history.evaluation_accuracy.index(best) + 1})")
    return status
