"""The reference host of examples/remote_verification.py, through a real HTTP client (httpx) and
its verdict page in a real headless browser (Chromium from the Debian package)."""

from __future__ import annotations

import asyncio
import importlib.util
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "remote_verification", ROOT / "examples" / "remote_verification.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


EXAMPLE = _example()


def _with_client(run: Callable[[httpx.AsyncClient, dict[str, Any]], Awaitable[Any]]) -> Any:
    app, files = EXAMPLE.demo()

    async def go() -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://verify.test") as client:
            return await run(client, files)

    return asyncio.run(go())


def test_upload_gives_the_verdict_page_and_the_pdf() -> None:
    async def run(client: httpx.AsyncClient, files: dict[str, Any]) -> tuple[str, bytes]:
        form = await client.get("/")
        assert form.status_code == 200 and 'name="poa"' in form.text
        page = await client.post("/verify", files=files)
        assert page.status_code == 200, page.text
        link = page.text.split('id="pdf" href="', 1)[1].split('"', 1)[0]
        pdf = await client.get(link)
        assert pdf.headers["content-type"] == "application/pdf"
        return page.text, pdf.content

    page, pdf = _with_client(run)
    assert 'id="verdict">Подпись действительна<' in page
    assert "Доверенность подтверждает полномочия" in page
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "c61a40df-d38f-4800-9ba4-61a2df016993" in text.replace("\n", "")
    assert "Подпись действует от имени организации" in " ".join(text.split())


def test_bad_input_is_a_page_not_a_crash() -> None:
    async def run(client: httpx.AsyncClient, files: dict[str, Any]) -> list[httpx.Response]:
        broken = {**files, "poa": ("ON_EMCHD_x.xml", b"<not xml")}
        no_signature = {"document": files["document"]}
        return [
            await client.post("/verify", files=broken),
            await client.post("/verify", files=no_signature),
            await client.get("/protocol/nothing.pdf"),
        ]

    broken, no_signature, missing = _with_client(run)
    assert broken.status_code == 400
    assert "Машиночитаемая доверенность нарушает формат" in broken.text
    assert no_signature.status_code == 400 and "подпись" in no_signature.text
    assert missing.status_code == 404


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_the_verdict_page_in_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: scripts/check installs the Debian chromium package")
        pytest.skip("Chromium is not installed (Debian package chromium)")

    async def run(client: httpx.AsyncClient, files: dict[str, Any]) -> str:
        return (await client.post("/verify", files=files)).text

    page = tmp_path / "verdict.html"
    page.write_text(_with_client(run), encoding="utf-8")
    shot = tmp_path / "verdict.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=900,700",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with Image.open(shot) as image:
        assert image.size == (900, 700)
        pixels = image.convert("RGB")
        colours: list[tuple[int, tuple[int, int, int]]] = pixels.getcolors(900 * 700) or []  # type: ignore[assignment]
    # The page is drawn: mostly white, dark text, and the verdict in the page's green (#006e28).
    assert len(colours) > 20
    greens = sum(n for n, (r, g, b) in colours if g > 80 and r < 60 and b < 80)
    darks = sum(n for n, (r, g, b) in colours if r < 60 and g < 60 and b < 60)
    assert greens > 50, "the green verdict is not on the screenshot"
    assert darks > 500, "no text on the screenshot"


def test_an_oversized_upload_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EXAMPLE, "MAX_UPLOAD", 16)

    async def run(client: httpx.AsyncClient, files: dict[str, Any]) -> httpx.Response:
        return await client.post("/verify", files=files)

    response = _with_client(run)
    assert response.status_code == 413
    assert 'id="error"' in response.text
