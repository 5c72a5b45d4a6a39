"""Catalog fixtures: the real SILL files and a helper to write small hand-made ones."""

import json
from pathlib import Path

import pytest

from inventory.core.paths import shared_data_dir


@pytest.fixture
def sill_dir() -> Path:
    return shared_data_dir() / "sill"


@pytest.fixture
def write_json(tmp_path):
    def write(name: str, data) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write
