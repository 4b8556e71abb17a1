"""docker-compose is not run here, so its contract with the code is checked by reading it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import yaml

from workflows.search_attributes import SEARCH_ATTRIBUTE_TYPES

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict[str, Any]:
    return cast(dict[str, Any], yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


def test_compose_creates_every_search_attribute_the_workflow_upserts():
    setup = yaml.safe_dump(compose()["services"]["temporal-setup"])
    for name, kind in SEARCH_ATTRIBUTE_TYPES.items():
        assert f"{name}={kind}" in setup


def test_compose_runs_the_production_shaped_stack():
    services = compose()["services"]
    for name in ("postgres", "redis", "temporal", "temporal-ui", "api", "worker", "bots"):
        assert name in services, name
    assert "worker.py" in " ".join(map(str, services["worker"]["command"]))


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert (
        readme.split("```sh", 1)[1]
        .split("```", 1)[0]
        .strip()
        .splitlines()[1]
        .startswith("make test")
    )
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("exec make test")
