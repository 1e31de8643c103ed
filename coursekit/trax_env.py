"""Import trax fast, quietly and deterministically, with the known trax 1.4.1 fixes applied.

Use it everywhere instead of a bare ``import trax``::

    from coursekit.trax_env import import_trax
    trax = import_trax()

What it does, once per process (later calls return the cached module):

* **Speed.** trax's shape-assertion decorator calls ``inspect.stack()`` about 65 times while trax
  imports; each call walks every frame and scans thousands of TensorFlow modules, only to name the
  caller's file:line in an error message. During the import ``inspect.stack`` is replaced by a cheap frame
  walk that returns the same ``FrameInfo`` fields (no source context); it is restored afterwards.
  ~20 s becomes ~5 s on these machines (``make bench`` measures both).
* **Quiet.** TensorFlow's C++ start-up logs go to file descriptor 2 and gym's notice to ``sys.stderr``
  (in a notebook kernel that is not fd 2: it showed on the student's page), and no environment variable
  silences all of them, so both are redirected during the import and replayed if the import fails. Known harmless warnings raised later are filtered by message.
* **Deterministic.** float32 matmuls run at ``highest`` precision, so reference outputs agree across CPU,
  GPU and TPU within the documented tolerances.
* **Fixes.** ``training.Loop`` crashes when it restores from an existing output_dir
  (``ArrayImpl == tuple`` inside ``tree_unflatten``); a replacement that tests membership by identity is
  installed in ``trax.fastmath`` and ``trax.fastmath.numpy``.
"""
import contextlib
import inspect
import io
import os
import sys
import tempfile
import time
import warnings

_ENV_DEFAULTS = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    # trax would otherwise let TensorFlow grab every GPU's memory next to JAX.
    "TF_FORCE_GPU_ALLOW_GROWTH": "true",
    "XLA_PYTHON_CLIENT_PREALLOCATE": "false",
}

_WARNING_MESSAGES = (
    r".*jax\.tree_.* is deprecated.*",
    r".*jax\.tree_util\.tree_map.*",
    r".*GzipFile was not closed.*",
    r".*Explicitly requested dtype .* requested in .* is not available.*",
    r".*jit.*deprecated.*",
    r".*The `jax\.xla_computation` .*",
    r".*pkg_resources is deprecated.*",
    r".*jax\.process_count has been renamed.*",
    r".*np\.bool8.*",
    r".*In the future `np\.object` will be defined.*",
    r".*Using or importing the ABCs.*",
    r".*distutils Version classes are deprecated.*",
)

_trax = None
#: Seconds the last real import took (None until imported by this module).
import_seconds = None


def quiet_warnings():
    """Filter the known, harmless warnings that trax, jax and TensorFlow raise after the import."""
    for message in _WARNING_MESSAGES:
        warnings.filterwarnings("ignore", message=message)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(trax|tensorflow|gin|jax|gym)")
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"(trax|tensorflow|jax|gym)")


def _cheap_stack(context=1):
    """Same FrameInfo records as ``inspect.stack()`` minus source context, without scanning modules."""
    frame = sys._getframe(1)
    records = []
    while frame is not None:
        records.append(inspect.FrameInfo(frame, frame.f_code.co_filename, frame.f_lineno,
                                         frame.f_code.co_name, None, None))
        frame = frame.f_back
    return records


@contextlib.contextmanager
def _fast_inspect_stack():
    original = inspect.stack
    inspect.stack = _cheap_stack
    try:
        yield
    finally:
        inspect.stack = original


@contextlib.contextmanager
def _silenced_stderr_fd():
    """Send fd 2 to a temporary file and ``sys.stderr`` to a buffer (a notebook kernel's ``sys.stderr`` is
    not fd 2); replay what was written to either if the block raises."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    stream, buffer = sys.stderr, io.StringIO()
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        sys.stderr = buffer
        try:
            yield
        except BaseException:
            sys.stderr = stream
            os.dup2(saved, 2)
            sink.seek(0)
            sys.stderr.write(sink.read().decode("utf-8", "replace") + buffer.getvalue())
            raise
        finally:
            sys.stderr = stream
            os.dup2(saved, 2)
            os.close(saved)


def _tree_unflatten(flat, tree, copy_from_tree=None):
    """trax's ``fastmath.tree_unflatten`` with a membership test that never compares arrays with ``==``.

    The original tests ``tree in copy_from_tree``, which under jax 0.10 compares an array with a tuple
    and raises; here an element matches by identity, or by ``==`` only between containers of one type.
    """
    if copy_from_tree is not None and _contains(copy_from_tree, tree):
        return tree, flat
    if isinstance(tree, (list, tuple)):
        new_tree, rest = [], flat
        for t in tree:
            new_t, rest = _tree_unflatten(rest, t, copy_from_tree=copy_from_tree)
            new_tree.append(new_t)
        new_tree = tuple(new_tree) if isinstance(tree, tuple) else new_tree
        return new_tree, rest
    if isinstance(tree, dict):
        new_tree, rest = {}, flat
        for k in tree:
            new_v, rest = _tree_unflatten(rest, tree[k], copy_from_tree=copy_from_tree)
            new_tree[k] = new_v
        return new_tree, rest
    return flat[0], flat[1:]


def _contains(candidates, tree):
    for candidate in candidates:
        if candidate is tree:
            return True
        if type(candidate) is type(tree) and isinstance(tree, (list, tuple, dict)) and candidate == tree:
            return True
    return False


def _apply_fixes(trax):
    import trax.fastmath
    import trax.fastmath.numpy as fastmath_numpy

    fastmath_numpy.tree_unflatten = _tree_unflatten
    trax.fastmath.tree_unflatten = _tree_unflatten


def configure_jax():
    """Set the jax options every process of the course shares (matmul precision for portable outputs)."""
    import jax

    jax.config.update("jax_default_matmul_precision", "highest")
    return jax


def import_trax(fast=True, quiet=True):
    """Import and return ``trax`` with the course's fixes; cached after the first call.

    Args:
        fast: replace ``inspect.stack`` with a cheap frame walk during the import.
        quiet: silence TensorFlow's start-up logs on fd 2 and filter known warnings.
    """
    global _trax, import_seconds
    if _trax is not None:
        return _trax
    for key, value in _ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if quiet:
        quiet_warnings()
    start = time.perf_counter()
    speed = _fast_inspect_stack() if fast else contextlib.nullcontext()
    silence = _silenced_stderr_fd() if quiet else contextlib.nullcontext()
    with silence, speed, warnings.catch_warnings():
        if quiet:
            warnings.simplefilter("ignore")
        import trax
        import trax.layers  # noqa: F401  (the costly part)
        import trax.supervised  # noqa: F401
        import trax.data  # noqa: F401
    import_seconds = time.perf_counter() - start
    configure_jax()
    _apply_fixes(trax)
    if quiet:
        quiet_warnings()
    _trax = trax
    return trax
