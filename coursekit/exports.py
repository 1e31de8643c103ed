"""Lazy public names for a package's ``__init__``: ``from w1_nmt import greedy_decode`` imports the module that
defines the name on first use, so importing the package itself stays cheap (trax is not loaded)."""
import importlib

__all__ = ["lazy_exports"]


def lazy_exports(package, namespace, exports):
    """The ``__all__``, ``__getattr__`` and ``__dir__`` of a package whose names load on first use.

    Args:
        package: str, the package's ``__package__`` (e.g. "w1_nmt"; its ``__init__`` may also be imported as
            "w1_nmt.__init__", whose names must still load from "w1_nmt").
        namespace: dict, the package's ``globals()``; a loaded name is cached there.
        exports: dict {module name within the package: list of the public names it defines}.

    Returns:
        (sorted list of the names, ``__getattr__``, ``__dir__``) to assign in the package's ``__init__``.
    """
    where = {name: module for module, names in exports.items() for name in names}
    names = sorted(where)

    def __getattr__(name):  # noqa: N807 (the module attribute hook)
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        namespace[name] = value
        return value

    def __dir__():  # noqa: N807
        return sorted(set(namespace) | set(names))

    return names, __getattr__, __dir__
