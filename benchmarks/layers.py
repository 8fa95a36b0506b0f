"""The package's layers, read from each module's docstring (``Layer: <name>``), and its import graph.

Every module of ``lpsched`` says in its docstring which layer it belongs to; imports may only point to
the same layer or one below (``tests/test_layers.py`` fails on an upward import, on an import cycle and
on a module that does not import alone).  This script prints the lines of code per layer, the share of
the package in ``lpsched/exact``, the import arrows, and writes the README's layer table.

    python benchmarks/layers.py                         # lines per layer, imports, cycles
    python benchmarks/layers.py --update-readme README.md
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lpsched"

#: bottom to top; an import may point to its own layer or to one below
LAYERS = {
    "model": "the instance, schedules and their validator, the memory forecast, predictions, inputs",
    "engine": "the event loop (reference and fast clocks) and its compiled kernels",
    "policies": "the policy registry and the built-in policies; `simulate`",
    "solvers": "PuLP / CBC / HiGHS / OR-Tools, loaded on first use",
    "algorithms": "exact optimum (`solve`, bounds, reductions), Sorted-F (selectors, `sorted_f`), the A_min ratio",
    "theory": "claims and verdicts, studies, adversary, sweeps, proof helpers",
    "interface": "the CLI, the demo, plots and the package's front (`import lpsched`)",
}
LAYER_RE = re.compile(r"^Layer: ([a-z]+)\b", re.M)
BEGIN, END = "<!-- layers:begin -->", "<!-- layers:end -->"


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Module name -> file, for every module of the package."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def layer_of(path: Path) -> str | None:
    """The layer a module's docstring names (``None`` if it names none)."""
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    m = LAYER_RE.search(doc)
    return m.group(1) if m else None


def imports(mods: dict[str, Path]) -> list[tuple[str, str, bool]]:
    """Every import of one package module by another: ``(importer, imported, at_module_level)``.

    ``from pkg import name`` counts as an import of ``pkg.name`` when that is a module, else of ``pkg``;
    imports inside functions count too (they run, only later)."""
    out = set()
    for name, path in mods.items():
        tree = ast.parse(path.read_text())
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        top = {id(n) for stmt in tree.body for n in ast.walk(stmt)
               if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in mods else prefix for a in node.names]
            for t in targets:
                if t in mods and t != name:
                    out.add((name, t, id(node) in top))
    return sorted(out)


def cycles(edges) -> list[list[str]]:
    """The import cycles (strongly connected components of more than one module)."""
    import networkx as nx

    g = nx.DiGraph((a, b) for a, b, _ in edges)
    return [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]


def upward(edges, layers: dict[str, str | None]) -> list[tuple[str, str]]:
    """Imports that point to a higher layer."""
    order = list(LAYERS)
    return [(a, b) for a, b, _ in edges
            if layers.get(a) in order and layers.get(b) in order and order.index(layers[b]) > order.index(layers[a])]


def line_counts(mods: dict[str, Path], layers: dict[str, str | None]) -> dict[str, int]:
    """Lines per layer (every line of every file, docstrings included)."""
    out = dict.fromkeys(LAYERS, 0)
    for name, path in mods.items():
        out[layers[name]] = out.get(layers[name], 0) + len(path.read_text().splitlines())
    return out


def readme_table(mods, layers) -> str:
    """The README's layer table: layer, what it holds, its modules, lines."""
    lines = line_counts(mods, layers)
    rows = ["| layer (bottom to top) | what | modules | lines |", "|---|---|---|---|"]
    for layer, what in LAYERS.items():
        names = [m for m in mods if layers[m] == layer]
        shown = []
        for m in names:           # a package's modules are listed once, as `pkg.*`
            parent = m.rpartition(".")[0]
            if parent in names and parent != "lpsched":
                continue
            shown.append(f"`{m}.*`" if any(x.startswith(m + ".") for x in names) and m != "lpsched" else f"`{m}`")
        rows.append(f"| {layer} | {what} | {', '.join(shown)} | {lines[layer]:,} |")
    return "\n".join(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-readme", type=Path, help="rewrite the table between the layer markers")
    args = parser.parse_args(argv)
    mods = modules()
    layers = {m: layer_of(p) for m, p in mods.items()}
    edges = imports(mods)
    total = sum(len(p.read_text().splitlines()) for p in mods.values())
    lines = line_counts(mods, layers)
    print(f"{len(mods)} modules, {total:,} lines, {len(edges)} import arrows "
          f"({sum(1 for e in edges if e[2])} at module level)")
    for layer in LAYERS:
        print(f"  {layer:11s} {lines[layer]:6,} lines  {lines[layer] / total:6.1%}")
    exact = sum(len(p.read_text().splitlines()) for m, p in mods.items() if m.startswith("lpsched.exact"))
    print(f"lpsched/exact: {exact:,} lines, {exact / total:.1%} of the package")
    missing = [m for m, l in layers.items() if l not in LAYERS]
    print("modules without a layer:", missing or "none")
    print("upward imports:", upward(edges, layers) or "none")
    print("import cycles:", cycles(edges) or "none")
    if args.update_readme:
        from lpsched.verify import update_readme

        changed = update_readme(args.update_readme, readme_table(mods, layers), BEGIN, END)
        print(f"{args.update_readme}: {'updated' if changed else 'unchanged'}")


if __name__ == "__main__":
    main()
