"""tools.device: trax imports and trains with TensorFlow stood in for, as on the lent GPU machines."""
import subprocess
import sys
import textwrap

import pytest

from tools.device import run_trax, tfstub

ROOT = run_trax.ROOT

SCRIPT = textwrap.dedent("""
    import sys, types
    from tools.device import run_trax
    trax = run_trax.prepare()
    import tensorflow as tf
    assert type(tf).__name__ == "_StubModule", type(tf)
    import numpy as np
    from trax import layers as tl
    from trax.supervised import training

    def batches():
        rng = np.random.default_rng(0)
        while True:
            x = rng.normal(size=(8, 3)).astype(np.float32)
            yield x, (x.sum(axis=1) > 0).astype(np.int32), np.ones(8, np.float32)

    model = tl.Serial(tl.Dense(2))
    task = training.TrainTask(batches(), tl.WeightedCategoryCrossEntropy(), trax.optimizers.Adam(0.05))
    evaluation = training.EvalTask(batches(), [tl.WeightedCategoryCrossEntropy(), tl.WeightedCategoryAccuracy()])
    loop = training.Loop(model, task, eval_tasks=[evaluation], output_dir=sys.argv[1], eval_at=lambda s: s == 40,
                         checkpoint_at=lambda s: s == 40)
    loop.run(40)
    print("accuracy", float(loop.history.get("eval", "metrics/WeightedCategoryAccuracy")[-1][1]))
""")


def test_trax_trains_and_checkpoints_without_tensorflow(tmp_path):
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "loop")], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    accuracy = float(run.stdout.split("accuracy")[-1])
    assert accuracy > 0.8  # a linear rule, learned through the stand-ins' file system
    assert (tmp_path / "loop" / "model.pkl.gz").exists()


def test_stand_ins_behave_as_documented():
    stub = tfstub._StubModule("tensorflow")
    assert isinstance(stub.TensorShape, type) and stub.TensorShape is stub.TensorShape

    class Sub(stub.Module):  # subclassing a stood-in class works
        pass

    def f():
        return 1
    assert stub.function(f) is f  # used as a decorator, it returns the function
    assert not stub.random.set_seed(0)  # a call returns a falsy stand-in
    tfstub._install_io(stub)
    assert stub.io.gfile.GFile is open


def test_install_leaves_real_packages_alone(monkeypatch):
    monkeypatch.setitem(sys.modules, "gym", object())
    assert tfstub.install() is False


def test_run_trax_without_a_module_prints_usage(capsys):
    assert run_trax.main([]) == 2
    assert "run_trax.py" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["w3_pretrain.sh"])
def test_device_script_is_valid_bash(name):
    assert subprocess.run(["bash", "-n", str(ROOT / "tools" / "device" / name)]).returncode == 0
