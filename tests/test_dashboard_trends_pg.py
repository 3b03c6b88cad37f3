"""The register trend's audit replay on PostgreSQL (its JSON is read by the database)."""

from __future__ import annotations

import pytest

from riskdesk.service.register import RegisterService
from tests.test_dashboard_trends import (  # the same history and checks, on the server
    history,  # noqa: F401 (a fixture)
    test_each_quarter_from_its_best_record,  # noqa: F401
    test_quarters_before_the_register_are_left_out,  # noqa: F401
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def service(pg_service: RegisterService) -> RegisterService:
    return pg_service
