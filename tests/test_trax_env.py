"""The trax import helper: fast, quiet, and the Loop-resume fix."""
import subprocess
import sys
import textwrap

import numpy as np


def _run(code):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=300)


def test_import_is_quiet_and_restores_inspect_stack():
    result = _run("""
        import inspect
        original = inspect.stack
        from coursekit.trax_env import import_trax
        trax = import_trax()
        import trax.layers as tl
        assert inspect.stack is original
        assert import_trax() is trax
        print("ok", tl.Dense.__name__)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok Dense"
    assert result.stderr.strip() == "", f"expected no start-up noise on stderr, got:\n{result.stderr}"


def test_cheap_stack_has_frameinfo_fields():
    from coursekit.trax_env import _cheap_stack

    records = _cheap_stack()
    assert records[0].function == "test_cheap_stack_has_frameinfo_fields"
    assert records[0].filename == __file__
    assert records[0].lineno > 0


def test_matmul_precision_is_highest():
    from coursekit.trax_env import import_trax

    import_trax()
    import jax

    assert str(jax.config.jax_default_matmul_precision) == "highest"


def test_tree_unflatten_fix_handles_arrays_in_tree():
    from coursekit.trax_env import _tree_unflatten

    tree = (np.zeros(2), ((), np.ones(3)), {"a": ()})
    flat = [1, 2]
    new_tree, rest = _tree_unflatten(flat, tree, copy_from_tree=[None, ()])
    assert new_tree[0] == 1 and new_tree[1][0] == () and new_tree[1][1] == 2 and new_tree[2]["a"] == ()
    assert rest == []


def test_training_loop_resumes_from_its_output_dir(tmp_path):
    """trax 1.4.1 + jax 0.10 crash when a Loop restores a checkpoint; with the fix it resumes."""
    from coursekit.trax_env import import_trax

    trax = import_trax()
    from trax import layers as tl
    from trax.supervised import training

    def batches():
        rng = np.random.default_rng(0)
        while True:
            x = rng.normal(size=(4, 3)).astype(np.float32)
            yield x, (x.sum(axis=1, keepdims=True) > 0).astype(np.int32).squeeze(1)

    def loop():
        task = training.TrainTask(batches(), tl.CategoryCrossEntropy(), trax.optimizers.Adam(0.01),
                                  n_steps_per_checkpoint=2)
        return training.Loop(tl.Serial(tl.Dense(2)), [task], output_dir=str(tmp_path))

    first = loop()
    first.run(2)
    resumed = loop()
    assert resumed.step == 2
    resumed.run(2)
    assert resumed.step == 4
