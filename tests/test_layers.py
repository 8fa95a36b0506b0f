"""The package's shape: every module names its layer, imports point down or sideways only, no import
cycle, every module imports alone in a fresh interpreter, and the README's layer table is current."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import layers  # noqa: E402

MODULES = layers.modules()
LAYER = {m: layers.layer_of(p) for m, p in MODULES.items()}
EDGES = layers.imports(MODULES)


def test_every_module_names_its_layer():
    assert {m: l for m, l in LAYER.items() if l not in layers.LAYERS} == {}


def test_no_import_points_up():
    assert layers.upward(EDGES, LAYER) == []


def test_no_import_cycle():
    assert layers.cycles(EDGES) == []


def test_the_checks_catch_a_cycle_and_an_upward_import():
    edges = [("a", "b", True), ("b", "a", False), ("c", "a", True)]
    assert layers.cycles(edges) == [["a", "b"]]
    assert layers.upward(edges, {"a": "theory", "b": "theory", "c": "model"}) == [("c", "a")]


def test_imports_are_read_from_the_source(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""Top.\n\nLayer: interface.\n"""\nfrom . import a\n')
    (pkg / "a.py").write_text('"""A.\n\nLayer: model.\n"""\ndef f():\n    from .sub import b\n')
    (pkg / "sub" / "__init__.py").write_text('"""Sub."""\n')
    (pkg / "sub" / "b.py").write_text('"""B.\n\nLayer: engine.\n"""\nfrom .. import a\nfrom ..sub import c\n')
    mods = layers.modules(pkg)
    assert layers.imports(mods) == [("pkg", "pkg.a", True), ("pkg.a", "pkg.sub.b", False),
                                    ("pkg.sub.b", "pkg.a", True), ("pkg.sub.b", "pkg.sub", True)]
    assert layers.layer_of(mods["pkg.sub"]) is None


def _import_alone(module: str) -> tuple[str, str]:
    run = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    return module, run.stderr.strip().splitlines()[-1] if run.returncode else ""


@pytest.mark.slow
def test_every_module_imports_alone():
    """Each module in a fresh interpreter: an import order that only works after another import fails."""
    with ThreadPoolExecutor(2) as pool:
        failed = {m: err for m, err in pool.map(_import_alone, [m for m in MODULES if m != "lpsched.__main__"])
                  if err}
    assert failed == {}


def test_readme_layer_table_is_current():
    text = (BENCH.parent / "README.md").read_text()
    block = text.split(layers.BEGIN, 1)[1].split(layers.END, 1)[0].strip()
    assert block == layers.readme_table(MODULES, LAYER), "run: python benchmarks/layers.py --update-readme README.md"
