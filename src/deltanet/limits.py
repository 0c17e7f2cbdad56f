"""Checks that need no NumPy: bounds on size-like inputs (epochs, mini-batch size,
widths, seeds), checked before anything is allocated (a typo is a ``ValueError``
naming the option, not a ``MemoryError`` or minutes of swapping), and choices.
"""

import numbers
import os

MAX_EPOCHS = 1_000_000
MAX_SEED = 2**32 - 1            # NumPy's legacy seeding (network2) takes 32 bits
MAX_SEEDS = 10_000              # runs one command may expand to
MAX_FILE_BYTES = 1 << 30        # a network or data file read whole into memory


def check_memory(what, nbytes):
    """``ValueError`` if ``what`` needs more than half of this machine's physical
    memory (of 8 GiB if the platform does not say)."""
    try:
        budget = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (AttributeError, ValueError, OSError):
        budget = 4 << 30
    if nbytes > budget:
        raise ValueError(f"{what} would need about {nbytes / 2**30:.1f} GiB of memory, more "
                         f"than half of this machine's {2 * budget / 2**30:.1f} GiB; choose "
                         "smaller values")


def check_path(option, path):
    """``ValueError`` before any work if a name in ``path`` is longer than file systems take."""
    if max(len(os.fsencode(p.name)) for p in (path, *path.parents)) > 255:
        raise ValueError(f"{option} {path}: a name is longer than the 255 bytes file systems "
                         "take; choose a shorter name")
    return path


class ParameterError(ValueError, TypeError):
    """An argument of the wrong type: a ``ValueError`` like every refused argument
    of deltanet, and a ``TypeError`` like network2's (``range(2.5)``,
    ``np.random.randn(4.0, 1)``, ``"0.5" / 10``) and Python's."""


def is_integer(value):
    """True for a Python or NumPy integer, False for a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(option, value, low, high=None, hint=""):
    """``value`` as an int in ``low..high`` (no upper bound if ``high`` is None), else the
    error naming ``option`` and ending in ``hint`` (:class:`ParameterError` if it is no
    integer at all)."""
    allowed = f"an integer >= {low}" if high is None else f"an integer between {low} and {high:,}"
    message = f"{option} must be {allowed}; got {value!r}{hint}"
    if not is_integer(value):
        raise ParameterError(message)
    if value < low or (high is not None and value > high):
        raise ValueError(message)
    return int(value)


def check_choice(name, value, allowed):
    """``value`` if it is one of ``allowed`` (e.g. a registry's keys), else the error."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def check_training(sizes, mini_batch_size, epochs, itemsize=4):
    """Upper bounds and memory (parameters three times, activations of a mini-batch
    and a monitoring chunk) of a run before its network is built."""
    for name, value, high in (("--epochs", epochs, MAX_EPOCHS),
                              ("--mini-batch-size", mini_batch_size, 1 << 40)):
        if value > high:
            raise ValueError(f"{name} must be at most {high:,}; got {value}")
    params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    rows = mini_batch_size + 1000           # a batch and a monitoring chunk
    check_memory(f"--sizes {','.join(map(str, sizes))} with mini-batches of "
                 f"{mini_batch_size}", itemsize * (3 * params + 3 * rows * sum(sizes)))


def parse_seeds(text, option="--seeds"):
    """``"1..5"``, ``"1,2,3"`` or both as a list of distinct seeds (0..MAX_SEED, at most
    MAX_SEEDS, checked before ranges are expanded)."""
    seeds, total = [], 0
    for part in str(text).split(","):
        low, sep, high = part.strip().partition("..")
        try:
            low, high = int(low), int(high if sep else low)
        except ValueError:
            raise ValueError(f"{option}: cannot parse {text!r}; write e.g. 1..5 or 1,2,3") \
                from None
        for value in (low, high):
            check_int(option, value, 0, MAX_SEED)
        if high < low:
            raise ValueError(f"{option}: the range {part.strip()!r} is empty; write LOW..HIGH")
        total += high - low + 1
        if total > MAX_SEEDS:
            raise ValueError(f"{option} {text}: more than {MAX_SEEDS:,} seeds")
        seeds.extend(range(low, high + 1))
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"{option} {text}: repeats a seed")
    return seeds


def read_file(path):
    """The bytes of ``path``; ``ValueError`` if it is larger than ``MAX_FILE_BYTES``."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(f"{path}: {size:,} bytes is more than the {MAX_FILE_BYTES:,} "
                         "this reader accepts")
    return path.read_bytes()
