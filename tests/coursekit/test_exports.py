"""A package's lazy public names: loaded from their module on first use, then cached; unknown names fail
as a module's do."""
import sys
import types

import pytest

from coursekit.exports import lazy_exports


def test_lazy_exports_load_on_first_use_and_cache(monkeypatch):
    package = types.ModuleType("fakepkg")
    module = types.ModuleType("fakepkg.things")
    module.thing, module.other = object(), object()
    monkeypatch.setitem(sys.modules, "fakepkg", package)
    monkeypatch.setitem(sys.modules, "fakepkg.things", module)
    names, getattr_, dir_ = lazy_exports("fakepkg", vars(package), {"things": ["thing", "other"]})
    package.__getattr__, package.__dir__ = getattr_, dir_
    assert names == ["other", "thing"] and "thing" not in vars(package)
    assert package.thing is module.thing and vars(package)["thing"] is module.thing
    assert {"other", "thing"} <= set(dir_())
    with pytest.raises(AttributeError, match="module 'fakepkg' has no attribute 'nothing'"):
        package.nothing
