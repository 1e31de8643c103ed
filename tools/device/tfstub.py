"""Stand-ins for TensorFlow, tensorflow_datasets, tensorflow_text, gym and t5, so that trax 1.4.1 imports and
trains on a machine that has JAX but not these (the lent GPU machines: TensorFlow's wheel is far over what
can be carried there).

trax imports them at module level, but its JAX path (layers, models, ``training.Loop`` on Python generators,
checkpoints) uses only ``tf.io.gfile``, which is given here on the local file system. Every other name is a
stand-in: CamelCase names are empty classes (so ``isinstance`` and subclassing work), others are callables
that return stand-ins and, called with one function, return it (so decorators work). Nothing real is
computed by them; code that needs TensorFlow proper (trax.data's TFDS inputs, TensorBoard summaries) does
not work under them.

    from tools.device import tfstub
    tfstub.install()        # before anything imports trax
"""
import importlib.abc
import importlib.machinery
import sys
import types

STUBBED = ("tensorflow", "tensorflow_datasets", "tensorflow_text", "gym", "t5")


_TYPES = {}


def _attribute(owner, attr):
    """A class for CamelCase names (isinstance and subclassing work), else a stub object."""
    name = owner + "." + attr
    if attr[:1].isupper():
        return _TYPES.setdefault(name, type(attr, (), {"__module__": owner}))
    return _Stub(name)


class _Stub:
    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return _attribute(self._name, attr)

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]  # used as a decorator
        return _Stub(self._name + "()")

    def __getitem__(self, key):
        return _Stub(self._name + "[]")

    def __mro_entries__(self, bases):
        return (object,)

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False

    def __repr__(self):
        return f"<stub {self._name}>"


class _StubModule(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return _attribute(self.__name__, attr)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        _install_io(module)


def install():
    """Put the stand-ins first on the import path; returns False if a stubbed package was already imported
    (the real one then stays)."""
    if any(name.split(".")[0] in STUBBED for name in sys.modules):
        return False
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    return True


def _gfile():
    """tf.io.gfile on the local file system: the part of TensorFlow that trax's checkpoints use."""
    import glob as _glob
    import os
    import shutil

    def rename(src, dst, overwrite=False):
        if os.path.exists(dst) and not overwrite:
            raise FileExistsError(dst)
        os.replace(src, dst)

    return types.SimpleNamespace(
        GFile=open, exists=os.path.exists, makedirs=lambda p: os.makedirs(p, exist_ok=True),
        rename=rename, remove=os.remove, glob=_glob.glob, listdir=os.listdir, isdir=os.path.isdir,
        rmtree=shutil.rmtree, copy=lambda a, b, overwrite=False: shutil.copy(a, b))


_io = types.SimpleNamespace(gfile=None)


def _install_io(module):
    if module.__name__ == "tensorflow":
        if _io.gfile is None:
            _io.gfile = _gfile()
        module.io = _io
