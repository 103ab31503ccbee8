"""A reference host for remote e-signature verification: a small ASGI app (Starlette).

An official or a citizen uploads a document, its detached signature and, for an employee's
signature, the machine-readable power of attorney (МЧД) with its signature; the page shows the
verdict (the protocol in HTML) and links the printable PDF protocol. Needs the ``web`` extra
(``pip install '.[web]'``). Serve it with any ASGI server::

    uvicorn examples.remote_verification:app

Run as a script, it builds the app on a test PKI (a stand-in for the accredited CAs) and the
real МЧД of tests/corpus/mchd, and posts one check through httpx.
"""

from __future__ import annotations

import asyncio
import secrets
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import pendulum
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from edmscore.errors import EdmsError
from edmscore.pdf import VerificationProtocol, protocol_html, protocol_pdf
from edmscore.signatures import SubjectFields, TrustAnchors
from edmscore.signatures.mchd import (
    PoaAction,
    PoaRegistry,
    RegistryAnswer,
    RegistryState,
    StaticPoaRegistry,
    verify_with_poa,
)

MAX_UPLOAD = 20 * 1024 * 1024
FORM = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>Проверка электронной подписи</title></head><body>
<h1>Проверка электронной подписи</h1>
<form method="post" action="/verify" enctype="multipart/form-data">
<p><label>Документ <input type="file" name="document" required></label></p>
<p><label>Подпись (.sig, .p7s) <input type="file" name="signature" required></label></p>
<p><label>Машиночитаемая доверенность (XML) <input type="file" name="poa"></label></p>
<p><label>Подпись доверенности <input type="file" name="poa_signature"></label></p>
<p><button type="submit">Проверить</button></p>
</form></body></html>"""


def create_app(
    trust_anchors: TrustAnchors,
    *,
    registry: PoaRegistry | None = None,
    action: PoaAction | None = None,
    system: str = "Региональный сервис проверки ЭП",
    keep: int = 100,
) -> Starlette:
    """The app: ``GET /`` the form, ``POST /verify`` the verdict page and
    ``GET /protocol/{key}.pdf`` the printable protocol (the last ``keep`` are kept in memory)."""
    protocols: OrderedDict[str, VerificationProtocol] = OrderedDict()

    async def form(request: Request) -> Response:
        return HTMLResponse(FORM)

    async def check(request: Request) -> Response:
        async with request.form(max_files=4, max_fields=4) as data:
            try:
                files = {
                    name: await _read(data.get(name))
                    for name in ("document", "signature", "poa", "poa_signature")
                }
            except _TooLarge:
                return _error(f"Файл больше {MAX_UPLOAD // (1024 * 1024)} МБ.", 413)
            upload = data.get("document")
            name = upload.filename if isinstance(upload, UploadFile) and upload.filename else ""
        document, signature = files["document"], files["signature"]
        if not document or not signature:
            return _error("Нужны документ и его подпись.", 400)
        try:
            result = verify_with_poa(
                document,
                signature,
                poa=files["poa"] or None,
                poa_signature=files["poa_signature"] or None,
                trust_anchors=trust_anchors,
                registry=registry,
                action=action,
            )
            protocol = VerificationProtocol.of(name or "документ", document, result, system=system)
        except EdmsError as exc:
            return _error(exc.message("ru"), 400)
        key = secrets.token_urlsafe(12)
        protocols[key] = protocol
        while len(protocols) > keep:
            protocols.popitem(last=False)
        page = protocol_html(protocol).replace(
            "</h1>", f'</h1><p><a id="pdf" href="/protocol/{key}.pdf">Протокол в PDF</a></p>', 1
        )
        return HTMLResponse(page)

    async def pdf(request: Request) -> Response:
        protocol = protocols.get(request.path_params["key"])
        if protocol is None:
            return _error("Протокол не найден.", 404)
        return Response(
            protocol_pdf(protocol),
            media_type="application/pdf",
            headers={"Content-Disposition": 'inline; filename="protocol.pdf"'},
        )

    return Starlette(
        routes=[
            Route("/", form),
            Route("/verify", check, methods=["POST"]),
            Route("/protocol/{key}.pdf", pdf),
        ]
    )


class _TooLarge(Exception):
    """An uploaded file over MAX_UPLOAD."""


async def _read(item: object) -> bytes:
    if not isinstance(item, UploadFile):
        return b""
    data = await item.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise _TooLarge
    return data


def _error(text: str, status: int) -> HTMLResponse:
    from html import escape

    return HTMLResponse(
        f'<!DOCTYPE html><html lang="ru"><meta charset="utf-8"><p id="error">{escape(text)}</p>',
        status_code=status,
    )


CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "mchd"
POA_NAME = "ON_EMCHD_20241203_c61a40df-d38f-4800-9ba4-61a2df016993"


def demo() -> tuple[Starlette, dict[str, tuple[str, bytes]]]:
    """The app on a test PKI, and the files of one check: a document the representative the real
    МЧД names signed, the МЧД, and its signature by the principal's head (both by the test PKI)."""
    from edmscore.testing.pki import TestPki

    # Signed on 10.12.2024, while the real МЧД (03.12.2024 to 03.12.2025) was in force.
    when = pendulum.datetime(2024, 12, 10, 9)
    pki = TestPki.create("rsa", not_before=pendulum.datetime(2024, 1, 1))
    head, representative = (
        pki.issue(
            SubjectFields(surname=s, given_name=g, snils=n, inn=i),
            not_before=pendulum.datetime(2024, 1, 1),
            not_after=pendulum.now("UTC").add(years=1),
        )
        for s, g, n, i in _persons()
    )
    poa = (CORPUS / f"{POA_NAME}.xml").read_bytes()
    document = "Товарная накладная № 17".encode()
    signature = pki.sign(document, representative, signing_time=when)
    app = create_app(
        TrustAnchors.load([pki.root.certificate]),
        registry=StaticPoaRegistry(
            {POA_NAME[18:]: RegistryAnswer(RegistryState.ACTIVE, source="demo")}
        ),
        action=PoaAction("Подписание товарной накладной", keywords=["товарные накладные"]),
    )
    files = {
        "document": ("Накладная 17.txt", document),
        "signature": ("Накладная 17.txt.sig", signature),
        "poa": (f"{POA_NAME}.xml", poa),
        "poa_signature": (f"{POA_NAME}.sig", pki.sign(poa, head, signing_time=when)),
    }
    return app, files


def _persons() -> Iterable[tuple[str, str, str, str]]:
    yield "ТРАНДИН", "СЕРГЕЙ ИВАНОВИЧ", "04185549465", "590411006514"
    yield "АЛФИМОВА", "АННА СЕРГЕЕВНА", "06196363983", "510103032621"


async def _main() -> None:
    import httpx

    app, files = demo()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://verify.local") as client:
        assert (await client.get("/")).status_code == 200
        page = await client.post("/verify", files=files)
        assert page.status_code == 200, page.text
        start = page.text.index('id="verdict">') + len('id="verdict">')
        print("verdict:", page.text[start : page.text.index("<", start)])
        link = page.text.split('id="pdf" href="', 1)[1].split('"', 1)[0]
        pdf = await client.get(link)
        print("protocol:", pdf.headers["content-type"], len(pdf.content), "bytes")


def main() -> None:
    asyncio.run(_main())


if __name__ == "__main__":
    main()
