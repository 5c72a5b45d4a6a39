"""crawlers/ is a plain library: importing every module of it loads no Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import crawlers

ROOT = Path(__file__).resolve().parents[2]


def crawler_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(crawlers.__path__, prefix="crawlers.")
        if info.name != "crawlers.fakeforge.__main__"
    )


def test_every_crawlers_module_imports_without_django():
    modules = crawler_modules()
    assert {"crawlers.github", "crawlers.gitlab", "crawlers.gitea", "crawlers.http"} <= set(modules)
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('django', 'inventory', 'config', 'rest_framework', 'celery'))\n"
        "print(','.join(leaked))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
    )

    assert result.stdout.strip() == ""
