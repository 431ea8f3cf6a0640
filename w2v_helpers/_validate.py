"""Argument checks shared by every public function.

Each check raises ``ValueError`` naming the argument and saying what was
expected and what was given, *before* any computation starts.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"


def as_float_array(
    value: Any, name: str, *, ndim: int | tuple[int, ...] | None = None, allow_empty: bool = False
) -> np.ndarray:
    """Return ``value`` as a float64 array, checking rank and finiteness."""
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name} must be a real number or an array of real numbers, got {_describe(value)}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists
        raise ValueError(f"{name} must be array-like with a regular shape, got {type(value).__name__} ({exc})") from exc
    if arr.dtype == bool:
        raise ValueError(f"{name} must hold real numbers, got booleans (dtype bool)")
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise ValueError(f"{name} must hold real numbers, got complex dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{k}-D" for k in allowed)
            raise ValueError(f"{name} must be {want}, got a {arr.ndim}-D array of shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))
        where = tuple(int(i) for i in bad[0]) if arr.ndim else ()
        raise ValueError(
            f"{name} must be finite, but it holds NaN or inf"
            + (f" (first at index {where if len(where) > 1 else where[0]})" if where else "")
        )
    return arr


def as_index(value: Any, name: str, size: int, size_name: str = "V") -> int:
    """Return ``value`` as a Python int in ``range(size)``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        if isinstance(value, np.ndarray) and value.ndim == 0 and np.issubdtype(value.dtype, np.integer):
            value = int(value)
        else:
            raise ValueError(f"{name} must be an integer word index, got {_describe(value)}")
    value = int(value)
    if not 0 <= value < size:
        raise ValueError(f"{name} must be in range 0..{size - 1} ({size_name} = {size}), got {value}")
    return value


def as_index_array(value: Any, name: str, size: int, *, allow_empty: bool = False, size_name: str = "V") -> np.ndarray:
    """Return ``value`` as a 1-D int64 array of indices in ``range(size)``."""
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name} must be a 1-D sequence of integer word indices, got {_describe(value)}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists
        raise ValueError(
            f"{name} must be a 1-D sequence of integer word indices, got a ragged {type(value).__name__}"
        ) from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of integer word indices, got shape {arr.shape}")
    if arr.size == 0:
        if allow_empty:
            return arr.astype(np.int64)
        raise ValueError(f"{name} must hold at least one index, got an empty sequence")
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integer word indices, got dtype {arr.dtype}")
    arr = arr.astype(np.int64, copy=False)
    bad = (arr < 0) | (arr >= size)
    if np.any(bad):
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must hold indices in range 0..{size - 1} ({size_name} = {size}), "
            f"got {int(arr[first])} at position {first}"
        )
    return arr


def check_vector_matrix(
    center_vec: np.ndarray, outside_vectors: np.ndarray, vec_name: str = "center_vec", mat_name: str = "outside_vectors"
) -> None:
    """Check that ``center_vec`` (d,) matches the rows of ``outside_vectors`` (V, d)."""
    if center_vec.shape[0] != outside_vectors.shape[1]:
        raise ValueError(
            f"{vec_name} has dimension d = {center_vec.shape[0]} but {mat_name} has rows of "
            f"dimension {outside_vectors.shape[1]} (shape {outside_vectors.shape}); "
            f"expected {vec_name} of shape ({outside_vectors.shape[1]},)"
        )


def as_positive_int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} must be a positive integer, got {_describe(value)}")
    if int(value) < 1:
        raise ValueError(f"{name} must be a positive integer, got {int(value)}")
    return int(value)


def as_generator(rng: Any, name: str = "rng") -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy.random.Generator (e.g. numpy.random.default_rng(0)), got {type(rng).__name__}"
        )
    return rng


def as_callable(value: Any, name: str, what: str) -> Any:
    if not callable(value):
        raise ValueError(f"{name} must be a function {what}, got {_describe(value)}")
    return value


def check_loss_and_gradient_output(out, center_shape, outside_shape):
    """The ``(loss, grad_center_vec, grad_outside_vectors)`` a ``loss_and_gradient`` function returned,
    as float arrays, or a ValueError saying what it returned instead."""
    if not isinstance(out, tuple) or len(out) != 3:
        raise ValueError(
            "loss_and_gradient must return a triple (loss, grad_center_vec, grad_outside_vectors), got "
            + (f"a tuple of length {len(out)}" if isinstance(out, tuple) else type(out).__name__)
        )
    loss, g_center, g_outside = out
    g_center = np.asarray(g_center, dtype=np.float64)
    g_outside = np.asarray(g_outside, dtype=np.float64)
    if g_center.shape != center_shape or g_outside.shape != outside_shape:
        raise ValueError(
            f"loss_and_gradient must return gradients of shapes {center_shape} and {outside_shape}, "
            f"got {g_center.shape} and {g_outside.shape}"
        )
    return loss, g_center, g_outside
