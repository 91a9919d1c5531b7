"""Fuzzing: schemathesis generates requests from the service's own OpenAPI schema; none may cause a 500."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from aktivsammen.submit.app import create_app
from tests.submit.conftest import CONTENT, make_settings


def _app():
    folder = Path(tempfile.mkdtemp(prefix="aktivsammen-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    # The worker is off, so submissions stop in the (temporary) queue; the forge would point at
    # the empty temporary folder, never at this project's own repository.
    return create_app(make_settings(folder, folder, content_dir=CONTENT))


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    case.call_and_validate(checks=[not_a_server_error])
