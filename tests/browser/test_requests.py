"""No page makes a request that fails: every response a page of every kind causes is read."""

from __future__ import annotations

import pytest

from .conftest import PAGE_KINDS, Site

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", [k for k in PAGE_KINDS if k != "404"])
def test_no_request_of_a_page_fails(page, site: Site, kind: str):
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.goto(site.page(kind), wait_until="networkidle")
    assert failed == []
