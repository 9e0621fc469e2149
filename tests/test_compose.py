"""docker-compose.yml is valid Compose and runs real entry points of the package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

SCHEMA = Path(
    os.environ.get(
        "TIMELINE_COMPOSE_SCHEMA", ROOT.parent / "shared" / "schemas" / "compose-spec.json"
    )
)
COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def test_valid_against_the_compose_specification() -> None:
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} is absent")
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(compose())


def test_docker_compose_config_accepts_it() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("docker is not installed")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip("the docker compose plugin does not work here")
    run = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr


def test_services_run_real_subcommands() -> None:
    """Every service built from the package runs a `timeline` subcommand that exists."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["timeline"]' in dockerfile
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'timeline = "service.cli:main"' in pyproject
    services = compose()["services"]
    built = {name: s for name, s in services.items() if "build" in s}
    assert set(built) == {"worker", "producer", "client", "api"}
    for name, service in built.items():
        command = service["command"]
        help_run = subprocess.run(
            [sys.executable, "-m", "service.cli", command[0], "--help"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert help_run.returncode == 0, f"{name}: {command} is not a timeline subcommand"
    health = services["worker"]["healthcheck"]["test"]
    assert health[1:3] == ["timeline", "health"]


def test_redis_persists_on_a_volume() -> None:
    redis_service = compose()["services"]["redis"]
    assert "--appendonly" in redis_service["command"]
    assert any(str(v).endswith(":/data") for v in redis_service["volumes"])
    assert Path(COMPOSE).read_text().count("redis://redis:6379/0") == 2


def test_the_api_is_published_on_the_loopback_and_needs_its_token() -> None:
    api = compose()["services"]["api"]
    assert api["command"][:3] == ["serve", "--host", "0.0.0.0"]
    assert api["environment"]["TIMELINE_API_TOKEN"] == "${TIMELINE_API_TOKEN:-}"
    assert all(str(port).startswith("127.0.0.1:") for port in api["ports"])
