"""The benchmarks can compare: every peer they import is in the ``bench`` extra, one command runs
them all, and benchmarks/README.md keeps a table of the latest figures with the machine."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


def _imports(path: pathlib.Path) -> set[str]:
    """The top-level names of every module a script imports, at any depth, or by name."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def _requirement_names(extra: str, extras: dict[str, list[str]], seen: set[str]) -> set[str]:
    names: set[str] = set()
    for requirement in extras[extra]:
        name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()
        if name == "edmscore":
            for inner in re.findall(r"\[([^\]]+)\]", requirement)[0].split(","):
                if inner not in seen:
                    seen.add(inner)
                    names |= _requirement_names(inner.strip(), extras, seen)
        else:
            names.add(name.replace("_", "-"))
    return names


def test_every_peer_a_benchmark_imports_is_in_the_bench_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    allowed = {
        re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0].lower().replace("_", "-")
        for r in project["dependencies"]
    }
    allowed |= _requirement_names("bench", extras, {"bench"})
    distributions = importlib.metadata.packages_distributions()
    local = {p.stem for p in BENCH.glob("*.py")} | {"edmscore", "benchmarks"}
    for script in sorted(BENCH.glob("*.py")):
        for module in _imports(script) - local - set(sys.stdlib_module_names):
            names = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
            assert names & allowed, f"{script.name} imports {module}, which no extra brings"


def test_one_command_runs_them_all() -> None:
    spec = importlib.util.spec_from_file_location("run_all", BENCH / "run_all.py")
    assert spec is not None and spec.loader is not None
    run_all = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_all)
    every = run_all.benchmarks([], [])
    assert every == sorted(BENCH.glob("bench_*.py"))
    assert run_all.benchmarks(["stamp"], []) == [BENCH / "bench_stamp.py"]
    text = run_all.summary([("bench_x.py", "ok", 1.0, "ratio ours / peer 2.0x\nnoise")], "here")
    assert "ratio ours / peer 2.0x" in text and "noise" not in text and "here" in text


def test_the_readme_has_the_latest_figures_and_names_every_benchmark() -> None:
    page = (BENCH / "README.md").read_text(encoding="utf-8")
    assert "python benchmarks/run_all.py" in page
    assert "pip install '.[bench]'" in page
    start = page.index("<!-- latest figures")
    table = page[start : page.index("<!-- end of latest figures -->")]
    assert "Run on " in table and "cores" in table, "no machine with the figures"
    for script in sorted(BENCH.glob("bench_*.py")):
        assert f"`{script.name}`" in page, f"{script.name} is not described"
