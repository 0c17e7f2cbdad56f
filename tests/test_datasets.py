"""Tests for deltanet.datasets: bundled MNIST, IDX reader, course pickle."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import shutil
import struct
import time

import numpy as np
import pytest

from deltanet.datasets import (
    FASHION_MNIST_DIR,
    MNIST_DIR,
    DataIntegrityError,
    Dataset,
    Splits,
    load_course_pickle,
    load_idx_dir,
    load_mnist,
    read_idx,
)
from deltanet.datasets import idx as idx_module
from deltanet.datasets import mnist as mnist_module

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
FIRST_TEST_LABELS = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


# --------------------------------------------------------------------------- helpers

def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    """Encode `array` as an IDX file (big-endian header and data)."""
    dtype = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=dtype).tobytes()


def write_idx_dir(directory, n_train=12, n_test=5, rows=3, cols=2, gz=True):
    """Write four tiny IDX files; return (train images, train labels, test images, test labels)."""
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, rows, cols), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, rows, cols), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    directory.mkdir(parents=True, exist_ok=True)
    for stem, array in arrays.items():
        data = idx_bytes(array)
        if gz:
            (directory / f"{stem}.gz").write_bytes(gzip.compress(data))
        else:
            (directory / stem).write_bytes(data)
    return list(arrays.values())


class Py2StylePickler(pickle._Pickler):
    """Protocol-2 pickler that writes bytes as Python 2 ``str`` (BINSTRING),
    like the course's file, instead of ``_codecs.encode(..., 'latin1')``."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_bytes_as_str(self, obj):
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_bytes_as_str


def py2_style_dumps(obj) -> bytes:
    buffer = io.BytesIO()
    Py2StylePickler(buffer, protocol=2).dump(obj)
    # Python 2's numpy is numpy.core; GLOBAL opcodes are text, so renaming is safe.
    return buffer.getvalue().replace(b"numpy._core.multiarray", b"numpy.core.multiarray")


def course_splits(rng, sizes=(20, 7, 9), d=784):
    return tuple(
        (
            (rng.integers(0, 256, (n, d)) / 256).astype(np.float32),
            rng.integers(0, 10, n).astype(np.int64),
        )
        for n in sizes
    )


@pytest.fixture(scope="module")
def mnist() -> Splits:
    return load_mnist()


# --------------------------------------------------------------------------- load_mnist

def test_mnist_shapes_and_dtypes(mnist):
    train, validation, test = mnist
    assert isinstance(mnist, Splits)
    for dataset, n in ((train, 50_000), (validation, 10_000), (test, 10_000)):
        assert dataset.images.shape == (n, 784)
        assert dataset.images.dtype == np.uint8
        assert dataset.labels.shape == (n,)
        assert dataset.labels.dtype == np.int64
        assert dataset.scale == 1 / 256
        assert len(dataset) == n
        assert dataset.n_features == 784
    assert [d.name for d in mnist] == ["mnist-train", "mnist-validation", "mnist-test"]


def test_mnist_label_counts_and_first_labels(mnist):
    train, validation, test = mnist
    official_train = np.concatenate([train.labels, validation.labels])
    assert np.bincount(official_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(test.labels, minlength=10).tolist() == TEST_COUNTS
    assert train.labels[:10].tolist() == FIRST_TRAIN_LABELS
    assert test.labels[:10].tolist() == FIRST_TEST_LABELS


def test_mnist_max_feature_is_255_over_256(mnist):
    assert mnist.train.features().max() == np.float32(0.99609375)
    assert mnist.test.features(np.float64).max() == 0.99609375
    assert mnist.train.images.min() == 0


def test_mnist_arrays_are_read_only(mnist):
    for dataset in mnist:
        assert not dataset.images.flags.writeable
        assert not dataset.labels.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            dataset.images[0, 0] = 1
        with pytest.raises(ValueError, match="read-only"):
            dataset.labels[0] = 1


def test_mnist_is_cached(mnist):
    assert load_mnist() is mnist
    assert load_mnist().train is mnist.train


def test_mnist_train_and_validation_are_views_of_one_array(mnist):
    train, validation, _ = mnist
    assert train.images.base is not None
    assert train.images.base is validation.images.base
    assert train.labels.base is validation.labels.base
    start = train.images.__array_interface__["data"][0]
    assert validation.images.__array_interface__["data"][0] == start + 50_000 * 784
    assert not train.images.flags.owndata and not validation.images.flags.owndata


def test_mnist_first_load_under_one_second():
    start = time.perf_counter()
    splits = mnist_module._load_mnist_from(MNIST_DIR)  # uncached, verifies sums
    elapsed = time.perf_counter() - start
    assert len(splits.train) == 50_000
    assert elapsed < 1.0, f"first MNIST load took {elapsed:.2f} s"


def test_mnist_dir_is_the_vendored_folder():
    names = sorted(p.name for p in MNIST_DIR.iterdir())
    assert "SHA256SUMS" in names and "README.md" in names
    assert "train-images-idx3-ubyte.gz" in names


# --------------------------------------------------------------------------- integrity

@pytest.fixture
def mnist_copy(tmp_path):
    directory = tmp_path / "mnist"
    shutil.copytree(MNIST_DIR, directory)
    return directory


def test_integrity_corrupt_byte(mnist_copy):
    path = mnist_copy / "t10k-labels-idx1-ubyte.gz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(DataIntegrityError, match="t10k-labels-idx1-ubyte.gz") as info:
        mnist_module._load_mnist_from(mnist_copy)
    assert "reinstall" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_integrity_truncated_file(mnist_copy):
    path = mnist_copy / "train-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(DataIntegrityError, match="train-labels-idx1-ubyte.gz.*reinstall"):
        mnist_module._load_mnist_from(mnist_copy)


def test_integrity_truncated_gzip_with_matching_checksum(mnist_copy):
    # Even if SHA256SUMS were updated to match, a truncated stream is caught.
    path = mnist_copy / "t10k-labels-idx1-ubyte.gz"
    truncated = path.read_bytes()[:2000]
    path.write_bytes(truncated)
    sums = (mnist_copy / "SHA256SUMS").read_text().splitlines()
    new_line = f"{hashlib.sha256(truncated).hexdigest()}  {path.name}"
    sums = [new_line if line.endswith(path.name) else line for line in sums]
    (mnist_copy / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    with pytest.raises(DataIntegrityError, match="t10k-labels-idx1-ubyte.gz.*gzip"):
        mnist_module._load_mnist_from(mnist_copy)


def test_integrity_missing_file(mnist_copy):
    (mnist_copy / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DataIntegrityError, match="t10k-images-idx3-ubyte.gz"):
        mnist_module._load_mnist_from(mnist_copy)


def test_integrity_intact_copy_loads(mnist_copy, mnist):
    splits = mnist_module._load_mnist_from(mnist_copy)
    assert splits is not mnist
    np.testing.assert_array_equal(splits.validation.images, mnist.validation.images)


# --------------------------------------------------------------------------- Dataset

def test_features_dtypes_and_values(mnist):
    validation = mnist.validation
    f32 = validation.features()
    f64 = validation.features(np.float64)
    assert f32.dtype == np.float32 and f64.dtype == np.float64
    assert f32.shape == f64.shape == (10_000, 784)
    np.testing.assert_array_equal(f64, validation.images / 256)
    np.testing.assert_array_equal(f32, (validation.images / 256).astype(np.float32))
    assert f32.flags.writeable and f32.flags.c_contiguous


def test_features_rows(mnist):
    train = mnist.train
    np.testing.assert_array_equal(train.features(rows=slice(10, 20)), train.features()[10:20])
    index = np.array([5, 0, 49_999])
    expected = train.images[index] / 256
    np.testing.assert_array_equal(train.features(np.float64, rows=index), expected)
    mask = train.labels == 3
    assert train.features(rows=mask).shape == (int(mask.sum()), 784)


def test_features_is_never_cached(mnist):
    first = mnist.test.features(rows=slice(0, 5))
    first[:] = -1
    assert mnist.test.features(rows=slice(0, 5)).min() == 0


def test_features_rejects_integer_dtype(mnist):
    with pytest.raises(ValueError, match="float"):
        mnist.test.features(np.int32)


def test_getitem_slice_is_view_and_index_is_copy(mnist):
    test = mnist.test
    part = test[100:200]
    assert isinstance(part, Dataset) and len(part) == 100
    assert np.shares_memory(part.images, test.images)
    assert np.shares_memory(part.labels, test.labels)
    assert part.scale == test.scale and part.name == test.name
    picked = test[np.array([3, 1, 2])]
    assert not np.shares_memory(picked.images, test.images)
    assert picked.labels.tolist() == test.labels[[3, 1, 2]].tolist()
    with pytest.raises(TypeError, match=r"dataset\[5:5 \+ 1\]"):
        test[5]


def test_one_hot():
    dataset = Dataset(np.zeros((4, 2), np.uint8), np.array([0, 3, 9, 3]))
    encoded = dataset.one_hot()
    assert encoded.shape == (4, 10) and encoded.dtype == np.float64
    np.testing.assert_array_equal(encoded.argmax(axis=1), [0, 3, 9, 3])
    np.testing.assert_array_equal(encoded.sum(axis=1), 1)
    assert dataset.one_hot(np.float32, n_classes=12).shape == (4, 12)
    with pytest.raises(ValueError, match="n_classes"):
        dataset.one_hot(n_classes=5)


def test_dataset_validates_shapes():
    with pytest.raises(ValueError, match="images must be a 2-D"):
        Dataset(np.zeros((3, 2, 2)), np.zeros(3, np.int64))
    with pytest.raises(ValueError, match="3 rows but labels has 2"):
        Dataset(np.zeros((3, 2)), np.zeros(2, np.int64))
    with pytest.raises(ValueError, match="integer dtype"):
        Dataset(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="scale"):
        Dataset(np.zeros((3, 2)), np.zeros(3, np.int64), scale=0)
    converted = Dataset(np.zeros((3, 2)), np.zeros(3, np.uint8), scale=1.0)
    assert converted.labels.dtype == np.int64


# --------------------------------------------------------------------------- read_idx

@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
def test_read_idx_roundtrip(tmp_path, gz):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    data = idx_bytes(array)
    path = tmp_path / ("a.idx.gz" if gz else "a.idx")
    path.write_bytes(gzip.compress(data) if gz else data)
    result = read_idx(path)
    assert result.dtype == np.uint8 and result.shape == (2, 3, 4)
    np.testing.assert_array_equal(result, array)
    assert not result.flags.writeable


@pytest.mark.parametrize(
    "code, dtype",
    [(0x09, np.int8), (0x0B, np.int16), (0x0C, np.int32), (0x0D, np.float32), (0x0E, np.float64)],
)
def test_read_idx_other_dtypes_big_endian(tmp_path, code, dtype):
    array = np.array([[-2, 1, 3], [4, 5, -6]], dtype=dtype)
    path = tmp_path / "x.idx"
    path.write_bytes(idx_bytes(array, code))
    result = read_idx(path)
    assert result.dtype == np.dtype(dtype) and result.dtype.isnative
    np.testing.assert_array_equal(result, array)


def test_read_idx_wrong_magic(tmp_path):
    path = tmp_path / "bad.idx"
    path.write_bytes(b"\x12\x34\x08\x01" + struct.pack(">I", 2) + b"\x01\x02")
    with pytest.raises(ValueError, match=r"bad\.idx.*magic number 0x12340801"):
        read_idx(path)
    path.write_bytes(b"\x00\x00\x07\x01" + struct.pack(">I", 2) + b"\x01\x02")
    with pytest.raises(ValueError, match="dtype code"):
        read_idx(path)


def test_read_idx_truncated_data(tmp_path):
    data = idx_bytes(np.zeros((5, 4), np.uint8))
    path = tmp_path / "short.idx"
    path.write_bytes(data[:-3])
    with pytest.raises(ValueError, match=r"short\.idx: truncated.*\(5, 4\).*20 bytes.*17"):
        read_idx(path)
    path.write_bytes(data + b"\0")
    with pytest.raises(ValueError, match="trailing bytes"):
        read_idx(path)
    path.write_bytes(data[:6])
    with pytest.raises(ValueError, match="truncated header"):
        read_idx(path)
    path.write_bytes(b"\0\0")
    with pytest.raises(ValueError, match="too short"):
        read_idx(path)


def test_read_idx_truncated_gzip(tmp_path):
    path = tmp_path / "cut.idx.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.arange(1000, dtype=np.uint8)))[:-10])
    with pytest.raises(ValueError, match=r"cut\.idx\.gz: corrupt or truncated gzip"):
        read_idx(path)


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.idx"):
        read_idx(tmp_path / "nope.idx")


# --------------------------------------------------------------------------- load_idx_dir

@pytest.mark.parametrize("gz", [True, False], ids=["gz", "raw"])
def test_load_idx_dir(tmp_path, gz):
    train_x, train_y, test_x, test_y = write_idx_dir(tmp_path / "tiny", gz=gz)
    splits = load_idx_dir(tmp_path / "tiny", validation_size=4)
    assert [len(d) for d in splits] == [8, 4, 5]
    assert [d.name for d in splits] == ["tiny-train", "tiny-validation", "tiny-test"]
    np.testing.assert_array_equal(splits.train.images, train_x[:8].reshape(8, 6))
    np.testing.assert_array_equal(splits.validation.labels, train_y[8:])
    np.testing.assert_array_equal(splits.test.images, test_x.reshape(5, 6))
    np.testing.assert_array_equal(splits.test.labels, test_y)
    assert splits.train.labels.dtype == np.int64 and splits.train.scale == 1 / 256
    assert splits.train.images.base is splits.validation.images.base


def test_load_idx_dir_options(tmp_path):
    write_idx_dir(tmp_path / "tiny")
    splits = load_idx_dir(tmp_path / "tiny", validation_size=0, name="toy")
    assert [len(d) for d in splits] == [12, 0, 5]
    assert splits.validation.images.shape == (0, 6)
    assert splits.train.name == "toy-train"
    with pytest.raises(ValueError, match="validation_size=12 must be in 0..11"):
        load_idx_dir(tmp_path / "tiny", validation_size=12)


def test_load_idx_dir_missing_directory(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match="nowhere.*does not exist"):
        load_idx_dir(missing)


def test_load_idx_dir_missing_file(tmp_path):
    write_idx_dir(tmp_path / "tiny")
    (tmp_path / "tiny" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        load_idx_dir(tmp_path / "tiny")


def test_load_idx_dir_mismatched_files(tmp_path):
    write_idx_dir(tmp_path / "tiny")
    labels = tmp_path / "tiny" / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(gzip.compress(idx_bytes(np.zeros(3, np.uint8))))
    with pytest.raises(ValueError, match="5 images but .*t10k-labels.* has 3 labels"):
        load_idx_dir(tmp_path / "tiny")


def test_fashion_missing_directory_says_what_to_install(tmp_path, monkeypatch):
    missing = tmp_path / "fashion-mnist"
    monkeypatch.setattr(idx_module, "FASHION_MNIST_DIR", missing)
    monkeypatch.setattr(idx_module, "_fashion_cache", None)
    with pytest.raises(FileNotFoundError) as info:
        idx_module.load_fashion_mnist()
    message = str(info.value)
    assert str(missing) in message
    assert "install it with: apt-get install dataset-fashion-mnist" in message


def test_fashion_loads_from_its_directory(tmp_path, monkeypatch):
    directory = tmp_path / "fashion-mnist"
    write_idx_dir(directory, n_train=10_005)  # default validation_size is 10,000
    monkeypatch.setattr(idx_module, "FASHION_MNIST_DIR", directory)
    monkeypatch.setattr(idx_module, "_fashion_cache", None)
    splits = idx_module.load_fashion_mnist()
    assert [len(d) for d in splits] == [5, 10_000, 5]
    assert splits.train.name == "fashion-mnist-train"
    assert idx_module.load_fashion_mnist() is splits


def test_fashion_dir_constant():
    assert str(FASHION_MNIST_DIR) == "/usr/share/datasets/fashion-mnist"


# --------------------------------------------------------------------------- course pickle

@pytest.mark.parametrize("style", ["py2", "py3-protocol2", "protocol5"])
def test_load_course_pickle(tmp_path, style):
    rng = np.random.default_rng(1)
    content = course_splits(rng)
    if style == "py2":
        data = py2_style_dumps(content)
    else:
        data = pickle.dumps(content, protocol=2 if style == "py3-protocol2" else 5)
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip.compress(data))
    splits = load_course_pickle(path)
    assert [len(d) for d in splits] == [20, 7, 9]
    for dataset, (images, labels) in zip(splits, content):
        assert dataset.images.dtype == np.float32 and dataset.scale == 1.0
        assert dataset.labels.dtype == np.int64
        np.testing.assert_array_equal(dataset.images, images)
        np.testing.assert_array_equal(dataset.labels, labels)
        np.testing.assert_array_equal(dataset.features(), images)
    assert splits.train.name == "course-train"


def test_course_pickle_plain_file_and_float64(tmp_path):
    rng = np.random.default_rng(2)
    content = [(x.astype(np.float64), y.astype(np.int32)) for x, y in course_splits(rng, d=6)]
    path = tmp_path / "mnist.pkl"
    path.write_bytes(pickle.dumps(content, protocol=2))
    splits = load_course_pickle(path)
    assert splits.test.images.dtype == np.float32
    assert splits.test.labels.dtype == np.int64


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > pwned.txt",))


class _EvalEvil:
    def __reduce__(self):
        return (eval, ("__import__('pathlib').Path('pwned.txt').touch()",))


@pytest.mark.parametrize("payload", [_Evil(), _EvalEvil()], ids=["os.system", "builtins.eval"])
def test_course_pickle_refuses_code(tmp_path, monkeypatch, payload):
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(3)
    (train, validation, test) = course_splits(rng, d=4)
    path = tmp_path / "evil.pkl.gz"
    content = (train, validation, (payload, test[1]))
    path.write_bytes(gzip.compress(pickle.dumps(content, protocol=2)))
    refusal = r"refusing to load \w+\.\w+ from .*evil\.pkl\.gz: only numpy arrays are allowed"
    with pytest.raises(pickle.UnpicklingError, match=refusal):
        load_course_pickle(path)
    with pytest.raises(ValueError, match="only numpy arrays are allowed"):
        load_course_pickle(path)
    assert not (tmp_path / "pwned.txt").exists()


def test_course_pickle_refuses_object_arrays(tmp_path):
    content = [(np.array([[1.0]], dtype=object), np.array([0]))] * 3
    path = tmp_path / "objects.pkl"
    path.write_bytes(pickle.dumps(content, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="object"):
        load_course_pickle(path)


@pytest.mark.parametrize(
    "content, message",
    [
        ({"a": 1}, "expected a tuple \\(training, validation, test\\), got a dict"),
        ((1, 2), "got a tuple of length 2"),
        ((("x",), 2, 3), "training split: expected a pair"),
        (
            ((np.zeros((2, 3), np.float32), np.zeros(3, np.int64)),) * 3,
            "training split: 2 images but 3 labels",
        ),
        (
            ((np.zeros((2, 3), np.float32), np.array([0, -1])),) * 3,
            "labels must be >= 0",
        ),
        (
            ((np.zeros((2, 3), np.float32), np.zeros(2)),) * 3,
            "labels must be a 1-D integer array",
        ),
        (
            ((np.zeros(2, np.float32), np.zeros(2, np.int64)),) * 3,
            "images must be a 2-D float array",
        ),
        (
            (
                (np.zeros((2, 3), np.float32), np.zeros(2, np.int64)),
                (np.zeros((2, 4), np.float32), np.zeros(2, np.int64)),
                (np.zeros((2, 3), np.float32), np.zeros(2, np.int64)),
            ),
            "validation split: images have 4 features but the training images have 3",
        ),
    ],
)
def test_course_pickle_validates_structure(tmp_path, content, message):
    path = tmp_path / "bad.pkl.gz"
    path.write_bytes(gzip.compress(pickle.dumps(content, protocol=2)))
    with pytest.raises(ValueError, match=message):
        load_course_pickle(path)


def test_course_pickle_corrupt_files(tmp_path):
    pickled = pickle.dumps(course_splits(np.random.default_rng(4), d=3), protocol=2)
    path = tmp_path / "cut.pkl.gz"
    path.write_bytes(gzip.compress(pickled)[:-20])
    with pytest.raises(ValueError, match=r"cut\.pkl\.gz: corrupt or truncated gzip"):
        load_course_pickle(path)
    path.write_bytes(gzip.compress(pickled[:-30]))
    with pytest.raises(ValueError, match=r"cut\.pkl\.gz: not a readable pickle"):
        load_course_pickle(path)
    with pytest.raises(FileNotFoundError, match="missing.pkl.gz"):
        load_course_pickle(tmp_path / "missing.pkl.gz")


def test_course_pickle_given_a_directory_says_which_file_to_pass(tmp_path):
    """network2's ``load_data("/tmp")`` gave a bare IsADirectoryError."""
    from deltanet.compat import mnist_loader
    with pytest.raises(IsADirectoryError, match="is a directory; pass the path of the file"):
        mnist_loader.load_data(str(tmp_path))
