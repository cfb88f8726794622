"""The three workflows end to end in a real browser (Debian's chromium driven by Playwright).

A live server runs in a thread on a free port, with the background indexer on, as in production.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from datetime import date

import pytest
from sqlmodel import Session, select
from werkzeug.serving import make_server

from registry import create_app, schema
from registry.accounts.service import create_user
from registry.models import Agency, AgencyName, Authority, Licence, RedFlag
from registry.search.matching import licence_key, name_key

if os.environ.get("REGISTRY_REQUIRE_BROWSER"):  # CI: a missing Playwright is a failure
    from playwright import sync_api as playwright
else:
    playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("REGISTRY_REQUIRE_BROWSER"):
    raise RuntimeError("REGISTRY_REQUIRE_BROWSER is set but chromium is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
PASSWORD = "correct horse battery"
WAIT = 30  # seconds: what "never" means for an event awaited (timings are measured in bench/)


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "INSTANCE_PATH": folder,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "INDEX_DIR": str(folder / "index"),
            "INDEXER_THREAD": True,
            "INDEXER_INTERVAL": 0.5,
        }
    )
    engine = app.extensions["registry.engine"]
    schema.upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        mx = Authority(name="Secretaría de Prueba", country="MX")
        session.add(mx)
        session.flush()
        for email in ("reg1@gov.example", "reg2@gov.example"):
            create_user(
                session, email=email, role="regulator", password=PASSWORD, authority_id=mx.id
            )
        create_user(
            session,
            email="ngo@ngo.example",
            role="ngo",
            password=PASSWORD,
            organisation="Casa del Migrante",
        )
        agency = Agency(
            name="Agencia Sierra Madre", name_key=name_key("Agencia Sierra Madre"), country="MX"
        )
        agency.names = [AgencyName(name="Sierra Empleos", type="trade")]
        agency.licences = [
            Licence(
                number="MX-77",
                number_key=licence_key("MX-77"),
                country="MX",
                authority=mx,
                status="active",
                valid_until=date(2099, 1, 1),
            )
        ]
        session.add(agency)
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app, "agency_id": agency.id}
    server.shutdown()
    if "registry.indexer" in app.extensions:
        app.extensions["registry.indexer"].stop()
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def page_for(browser, live):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live["url"]
    return page


def log_in(page, email):
    page.goto(page.base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_regulator_suspends_and_the_public_search_says_so(browser, live):
    """The background indexer catches the search up by itself (how fast: bench/)."""
    regulator = page_for(browser, live)
    log_in(regulator, "reg1@gov.example")
    regulator.goto(f"{regulator.base}/manage/agencies/{live['agency_id']}")
    regulator.select_option("select[name=sanction-type]", "suspension")
    regulator.fill("input[name=sanction-decision_ref]", "SUSP-2026-1")
    regulator.fill("input[name=sanction-starts_on]", date.today().isoformat())
    regulator.fill("textarea[name=sanction-summary]", "Preventive suspension: fee complaints")
    regulator.click("form[action$='/sanctions'] button[type=submit]")
    regulator.wait_for_load_state()
    assert "Sanction recorded and in force." in regulator.content()
    done = time.monotonic()

    public = page_for(browser, live)
    while True:
        public.goto(f"{public.base}/search?q=Sierra+Empleos")
        if public.locator(".hit .verdict-suspended").count():
            break
        assert time.monotonic() - done < WAIT, "the search never showed the suspension"
        time.sleep(0.1)
    public.click(".hit a.name")
    assert "Suspended" in public.inner_text(".verdict-box")
    assert "SUSP-2026-1" in public.inner_text(".verdict-box")


def test_ngo_files_a_red_flag_with_evidence_and_sees_it_substantiated(browser, live, tmp_path):
    evidence = tmp_path / "payment-receipt.png"
    evidence.write_bytes(PNG)
    ngo = page_for(browser, live)
    log_in(ngo, "ngo@ngo.example")
    ngo.goto(f"{ngo.base}/report?agency={live['agency_id']}")
    ngo.select_option("select[name=category]", "recruitment_fee")
    ngo.fill("textarea[name=description]", "They charged 800 dollars for a 'medical exam'.")
    ngo.set_input_files("input[name=evidence]", str(evidence))
    ngo.click("main button[type=submit]")
    ngo.wait_for_url(re.compile(r".*/ngo/reports$"))
    assert "Received" in ngo.inner_text("table")

    with Session(live["app"].extensions["registry.engine"]) as session:
        flag_id = session.exec(
            select(RedFlag.id).where(RedFlag.submitted_by_id.is_not(None))
        ).first()
    regulator = page_for(browser, live)
    log_in(regulator, "reg2@gov.example")
    regulator.goto(f"{regulator.base}/manage/red-flags/{flag_id}")
    assert "payment-receipt.png" in regulator.content()
    for state in ("under_review", "substantiated"):
        regulator.select_option("select[name=state]", state)
        regulator.fill("textarea[name=public_summary]", "Charged a disguised recruitment fee")
        regulator.click("main form button[type=submit]")
        regulator.wait_for_load_state()

    ngo.reload()
    assert "Substantiated" in ngo.inner_text("table")
    assert "Charged a disguised recruitment fee" in ngo.inner_text("table")


def test_anonymous_report_returns_a_receipt_code(browser, live):
    visitor = page_for(browser, live)
    visitor.goto(f"{visitor.base}/search?q=Visas+Garantizadas+Express")
    visitor.click("text=Report this recruiter")
    assert visitor.input_value("input[name=name]") == "Visas Garantizadas Express"
    assert visitor.input_value("select[name=country]") == ""  # nobody is filed by default
    visitor.select_option("select[name=category]", "guaranteed_visa")
    visitor.fill("textarea[name=description]", "Promised a Canadian visa for 2,000 dollars.")
    visitor.click("main button[type=submit]")
    assert "Choose the country where it happened." in visitor.content()
    assert visitor.input_value("textarea[name=description]").startswith("Promised a Canadian")
    visitor.select_option("select[name=country]", "MX")
    visitor.click("main button[type=submit]")
    code = visitor.inner_text(".receipt strong")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    visitor.click("text=Follow a report")
    visitor.fill("input[name=code]", code)
    visitor.click("main form button[type=submit]")
    assert "Received" in visitor.content()


def test_pages_keep_to_their_policy_and_cannot_be_framed(browser, live):
    """Under the strict Content-Security-Policy the pages still get their stylesheet and report
    no violation; and another site cannot show a staff page in a frame (clickjacking)."""
    page = page_for(browser, live)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in (
        "/",
        "/search?q=Sierra+Madre",
        f"/agencies/{live['agency_id']}",
        "/report",
        "/login",
        "/help",
        "/nowhere",
    ):
        page.goto(page.base + path)
        rules = page.evaluate(
            "Array.from(document.styleSheets).reduce((n, sheet) => n + sheet.cssRules.length, 0)"
        )
        assert rules > 0, path
    assert violations == []
    framer = page.context.new_page()
    framer.set_content(f'<iframe src="{live["url"]}/login" width="400" height="400"></iframe>')
    framer.wait_for_timeout(1500)
    framed = [frame for frame in framer.frames if frame is not framer.main_frame]
    assert framed and all(frame.query_selector("input[name=password]") is None for frame in framed)


def test_staff_pages_fit_a_phone_without_sideways_scrolling(browser, live):
    regulator = page_for(browser, live)
    regulator.set_viewport_size({"width": 412, "height": 900})
    log_in(regulator, "reg1@gov.example")
    assert regulator.url.endswith("/manage/")  # a regulator lands on its dashboard
    for path in (
        "/manage/",
        "/manage/red-flags",
        f"/manage/agencies/{live['agency_id']}",
        "/report",
    ):
        regulator.goto(regulator.base + path)
        width = regulator.evaluate("document.documentElement.scrollWidth")
        assert width <= 412, (path, width)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_search_placeholder_is_not_cut_on_a_360_px_phone(browser, live, lang):
    context = browser.new_context(
        locale=lang,
        viewport={"width": 360, "height": 740},
        extra_http_headers={"Accept-Language": lang},
    )
    page = context.new_page()
    page.goto(live["url"] + "/")
    room, needed = page.evaluate("""() => {
        const input = document.querySelector("#q"), style = getComputedStyle(input);
        const ctx = document.createElement("canvas").getContext("2d");
        ctx.font = style.font;
        return [input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                ctx.measureText(input.placeholder).width];
    }""")
    assert needed <= room, (lang, needed, room)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    header = page.inner_text("header")
    assert ("Denunciar a un reclutador" if lang == "es" else "Report a recruiter") in header
    assert ("Seguir una denuncia" if lang == "es" else "Follow a report") in header
    context.close()
