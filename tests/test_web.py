"""`drafter serve`: the web application, through Flask's test client and in a real headless
chromium (Debian's chromium + chromium-driver, driven by selenium; nothing downloads a browser).

Screenshots of every step go to $DRAFTER_SCREENSHOTS when set (else to the test's tmp folder).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

flask = pytest.importorskip("flask")
pytest.importorskip("waitress")

from click.testing import CliRunner  # noqa: E402

from drafter.cli import cli  # noqa: E402
from drafter.web import create_app  # noqa: E402

POLICY = """GENERAL ORDER 2025-14. IMMIGRATION DETAINERS.
I. PURPOSE. This order sets the policy of the Sheriff's Office on civil immigration detainers.
II. POLICY.
A. Members shall not detain any person in the County Jail solely on the basis of an immigration detainer,
except a person who has been convicted of a felony within the past ten years or who is listed in a gang database.
B. Upon request, the Jail Administrator may notify ICE of the release date of any inmate.
C. Deputies should not inquire about immigration status.
III. Nothing in this order shall be construed to prohibit any employee from sharing any information
with federal authorities or cooperating in any manner permitted by federal law.
IV. This order does not create any rights enforceable by any person.
"""


@pytest.fixture(scope="module")
def app(library):  # noqa: ANN001, ANN201
    application = create_app(library=library)
    application.testing = True
    return application


def _csrf(client, path: str = "/place") -> str:  # noqa: ANN001
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def _interview(client, state: str = "Illinois", preset: str = "strongest") -> str:  # noqa: ANN001
    csrf = _csrf(client)
    assert client.post("/place", data={"csrf": csrf, "name": "Springfield", "kind": "city",
                                       "state": state}).status_code == 302
    client.post("/government", data={"csrf": csrf, "governing_body": "", "police":
                                     "Springfield Police Department", "sheriff": "", "runs_jail": "no"})
    client.post("/protections", data={"csrf": csrf, "preset": preset, "commentary": "none"})
    return csrf


# ---------------------------------------------------------------- without a browser


def test_interview_suggests_a_state_and_builds(app) -> None:  # noqa: ANN001
    client = app.test_client()
    csrf = _csrf(client)
    page = client.post("/place", data={"csrf": csrf, "name": "Springfield", "kind": "city",
                                       "state": "Calfornia"}).get_data(as_text=True)
    assert 'name="state_pick" value="CA"' in page and "California" in page
    _interview(client)
    review = client.get("/review").get_data(as_text=True)
    assert "Scorecard" in review and 'href="/download/draft.docx"' in review
    docx = client.get("/download/draft.docx")
    assert docx.headers["Content-Disposition"] == 'attachment; filename="springfield-il.docx"'


def test_web_draft_is_byte_identical_to_the_api(app, library, tmp_path: Path) -> None:  # noqa: ANN001
    """The web form's .docx is the Python API's from the saved answers file (and that is the
    CLI's: tests/test_core.py), with the same library."""
    import drafter

    client = app.test_client()
    _interview(client)
    web = {fmt: client.get(f"/download/draft.{fmt}").data for fmt in ("docx", "md")}
    answers = tmp_path / "springfield-il.yaml"
    answers.write_bytes(client.get("/download/answers.yaml").data)
    draft = drafter.build(drafter.read_answers(answers), library=library)
    assert draft.render("docx") == web["docx"] and draft.render("md") == web["md"]


def test_the_review_asks_for_an_office_the_draft_only_suggests(app, library) -> None:  # noqa: ANN001
    """The complaints section names an inspector general by default, which a town may not have: the
    review page asks for the real body, and the draft and saved answers then name it."""
    import drafter

    client = app.test_client()
    csrf = _interview(client)
    review = client.get("/review").get_data(as_text=True)
    assert "Offices to confirm" in review
    assert 'name="office-structure.independent-complaints.complaint_body"' in review
    assert "Office to confirm:" in client.get("/download/draft.md").get_data(as_text=True)
    client.post("/offices", data={"csrf": csrf, "office-structure.independent-complaints.complaint_body":
                                  " Police Review Board ", "office-policing.nothing.x": "ignored"})
    draft = client.get("/download/draft.md").get_data(as_text=True)
    assert "The Police Review Board shall receive" in draft
    assert "Office to confirm:" not in draft
    assert "Offices to confirm" not in client.get("/review").get_data(as_text=True)
    # a preset without the complaints section still builds, and its saved answers leave the name out
    client.post("/protections", data={"csrf": csrf, "preset": "preemption-safe", "commentary": "none"})
    assert client.get("/download/draft.docx").status_code == 200
    saved = client.get("/download/answers.yaml").get_data(as_text=True)
    assert "Police Review Board" not in saved
    drafter.build(drafter.parse_answers(saved), library=library)
    # back to the strongest set: the name comes back with the section
    client.post("/protections", data={"csrf": csrf, "preset": "strongest", "commentary": "none"})
    assert "Police Review Board" in client.get("/download/answers.yaml").get_data(as_text=True)


def test_sessions_do_not_see_each_other(app) -> None:  # noqa: ANN001
    alice, bob = app.test_client(), app.test_client()
    _interview(alice)
    assert bob.get("/review").status_code == 302  # bob has no answers: back to the first step
    assert bob.get("/download/answers.yaml").data.count(b"Springfield") == 0
    assert alice.get("/download/answers.yaml").data.count(b"Springfield") >= 1


def test_posts_need_the_session_csrf_token(app) -> None:  # noqa: ANN001
    client = app.test_client()
    client.get("/")
    assert client.post("/place", data={"csrf": "forged", "name": "X", "kind": "city",
                                       "state": "IL"}).status_code == 400


def test_uploaded_answers_cannot_name_server_paths(app) -> None:  # noqa: ANN001
    client = app.test_client()
    csrf = _csrf(client, "/resume")
    text = "jurisdiction: {name: X, kind: city, state: IL}\nlibrary: /etc\n"
    page = client.post("/resume", data={"csrf": csrf, "answers": (io.BytesIO(text.encode()), "a.yaml")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "line 2" in page and "cannot be used here" in page
    bad = "jurisdiction: {name: X, kind: city, state: ZZ}\n"
    page = client.post("/resume", data={"csrf": csrf, "answers": (io.BytesIO(bad.encode()), "a.yaml")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "line 1" in page and "not a US state code" in page


def test_uploads_are_size_limited(app) -> None:  # noqa: ANN001
    client = app.test_client()
    csrf = _csrf(client, "/analyze")
    big = io.BytesIO(b"x" * 3_000_000)
    response = client.post("/analyze", data={"csrf": csrf, "policy": (big, "p.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 413


def test_a_token_is_required_when_set(library) -> None:  # noqa: ANN001
    app = create_app(library=library, token="s3cret", host="0.0.0.0", port=9)
    client = app.test_client()
    assert client.get("/").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    assert client.get("/?token=s3cret").status_code == 200
    assert client.get("/").status_code == 200  # the cookie carries it from then on


def test_loopback_answers_only_requests_for_this_machine(library) -> None:  # noqa: ANN001
    app = create_app(library=library, port=8765)
    client = app.test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 403


def test_serve_with_host_prints_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}
    monkeypatch.setattr("drafter.web.serve", lambda **kw: seen.update(kw))
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--no-open"])
    assert result.exit_code == 0, result.output
    assert seen["token"] and f"?token={seen['token']}" in result.output
    result = CliRunner().invoke(cli, ["serve", "--no-open"])
    assert seen["token"] is None and "http://127.0.0.1:8765/" in result.output


def test_catalogs_have_the_same_keys() -> None:
    import json

    folder = Path(__file__).resolve().parents[1] / "drafter" / "web" / "locales"
    en = json.loads((folder / "en.json").read_text(encoding="utf-8"))
    es = json.loads((folder / "es.json").read_text(encoding="utf-8"))
    assert set(en) == set(es) and all(es.values())
    templates = "".join(p.read_text() for p in (folder.parent / "templates").glob("*.html"))
    used = set(re.findall(r"\bt\.([a-z_]+)\b", templates)) - {"get"}
    assert used <= set(en), used - set(en)


# ---------------------------------------------------------------- in a browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
browser = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromium-driver not installed")


@pytest.fixture(scope="module")
def server(library):  # noqa: ANN001, ANN201
    from waitress import create_server

    app = create_app(library=library, port=None)
    app.testing = True  # any Host (the test picks the port after binding)
    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DRAFTER_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def driver(tmp_path: Path):  # noqa: ANN201
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1400",
                "--lang=en-US"):
        options.add_argument(arg)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    chrome = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    chrome.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow",
                                                           "downloadPath": str(downloads)})
    chrome.downloads = downloads
    yield chrome
    chrome.quit()


def _axe(chrome) -> list[dict]:  # noqa: ANN001
    """axe-core's WCAG A/AA violations on the page (axe.min.js ships in axe-selenium-python)."""
    import axe_selenium_python

    script = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    chrome.execute_script(script.read_text(encoding="utf-8"))
    result = chrome.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))));")
    return result


def _step(chrome, shots: Path, name: str) -> None:  # noqa: ANN001
    chrome.save_screenshot(str(shots / f"{name}.png"))
    violations = _axe(chrome)
    assert violations == [], f"{name}: {violations}"


def _wait_file(folder: Path, suffix: str, timeout: float = 30) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}")


def _see(chrome, text: str, timeout: float = 20) -> str:  # noqa: ANN001
    """The page source once ``text`` is on the page (a click's navigation may still be going)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        source = chrome.page_source
        if text in source:
            return source
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared on {chrome.current_url}")


def _go(chrome, how: str, what: str, timeout: float = 20) -> None:  # noqa: ANN001
    """Click what loads another page, and wait until that page has replaced this one (an
    element found before it has would be stale, and one looked for too early not there)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    page = chrome.find_element("tag name", "html")
    chrome.find_element(how, what).click()

    def replaced(_chrome) -> bool:  # noqa: ANN001
        # chromedriver reports an element of an unloaded page either as stale or, when asked at the
        # moment of the swap, as "Node with given id does not belong to the document": both mean gone
        try:
            page.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(chrome, timeout).until(replaced)
    WebDriverWait(chrome, timeout).until(
        lambda c: c.execute_script("return document.readyState") == "complete")


def _fill(chrome, field_id: str, text: str) -> None:  # noqa: ANN001
    box = chrome.find_element("id", field_id)
    box.clear()
    box.send_keys(text)


@browser
@pytest.mark.browser
def test_browser_interview_in_english(server: str, driver, shots: Path, library) -> None:  # noqa: ANN001
    from docx import Document

    driver.get(server + "/?lang=en")
    _step(driver, shots, "en-1-start")
    _go(driver, "link text", "Start")
    _fill(driver, "name", "Springfield, Illinois")
    _fill(driver, "state", "Ilinois")
    time.sleep(1)  # the state's law is fetched as the person types
    _go(driver, "css selector", "form button[type=submit]:not([name])")
    _see(driver, "Did you mean")
    _step(driver, shots, "en-2-place-suggestion")
    _go(driver, "css selector", "button[name=state_pick][value=IL]")
    _see(driver, "What state law allows in Illinois")
    _step(driver, shots, "en-3-government")
    _go(driver, "css selector", "form button[type=submit]")
    driver.find_element("css selector", "details summary").click()  # the alternatives
    _step(driver, shots, "en-4-protections")
    driver.find_element("css selector", "input[name=commentary][value=none]").click()
    _go(driver, "css selector", "form button[type=submit]")
    _see(driver, "Your draft is ready")
    _step(driver, shots, "en-5-review")
    driver.find_element("link text", "The draft (Word)").click()
    docx = _wait_file(driver.downloads, ".docx")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Springfield" in text and "Illinois" not in docx.name
    # the same answers through the Python API give the same bytes
    driver.find_element("link text", "Save my answers (.yaml)").click()
    answers = _wait_file(driver.downloads, ".yaml")
    import drafter

    assert drafter.build(drafter.read_answers(answers), library=library).render("docx") == docx.read_bytes()
    # on a phone: nothing wider than the screen
    driver.set_window_size(390, 844)
    driver.refresh()
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    driver.save_screenshot(str(shots / "en-6-review-phone.png"))


@browser
@pytest.mark.browser
def test_browser_interview_in_spanish(server: str, driver, shots: Path) -> None:  # noqa: ANN001
    from docx import Document

    driver.get(server + "/?lang=en")
    _go(driver, "link text", "Español")
    assert driver.find_element("tag name", "html").get_attribute("lang") == "es"
    _step(driver, shots, "es-1-inicio")
    _go(driver, "link text", "Empezar")
    _fill(driver, "name", "Condado de Fresno")
    driver.find_element("css selector", "#kind option[value=county]").click()
    _fill(driver, "state", "california")
    _go(driver, "css selector", "form button[type=submit]:not([name])")
    _see(driver, "Lo que permite la ley estatal en California")
    # "Condado de Fresno" typed in Spanish is the county of Fresno, not "Condado de Fresno County"
    assert driver.find_element("id", "sheriff").get_attribute("value") == "Fresno County Sheriff's Office"
    _step(driver, shots, "es-2-gobierno")
    _go(driver, "css selector", "form button[type=submit]")
    _step(driver, shots, "es-3-protecciones")
    _go(driver, "css selector", "form button[type=submit]")
    _see(driver, "Su borrador está listo")
    _step(driver, shots, "es-4-borrador")
    driver.find_element("link text", "Hoja informativa en español (Word)").click()
    sheet = _wait_file(driver.downloads, ".docx")
    text = "\n".join(p.text for p in Document(str(sheet)).paragraphs)
    assert "Fresno" in text and ("Condado" in text or "condado" in text) and "Cómo participar" in text


@browser
@pytest.mark.browser
def test_browser_resume_from_saved_answers(server: str, driver, shots: Path, tmp_path: Path) -> None:  # noqa: ANN001
    saved = tmp_path / "oakland-ca.yaml"
    saved.write_text("jurisdiction:\n  name: Oakland\n  kind: city\n  state: CA\npreset: strong\n"
                     "output:\n  commentary: none\n", encoding="utf-8")
    driver.get(server + "/?lang=en")
    _go(driver, "link text", "Open the answers file")
    driver.find_element("id", "answers").send_keys(str(saved))
    _step(driver, shots, "resume-1-upload")
    _go(driver, "css selector", "form button[type=submit]")
    _see(driver, "Your draft is ready")
    _step(driver, shots, "resume-2-review")
    _go(driver, "link text", "3. Protections")
    assert driver.find_element("css selector", "input[name=preset][value=strong]").is_selected()


@browser
@pytest.mark.browser
def test_browser_analyze_a_pasted_policy(server: str, driver, shots: Path) -> None:  # noqa: ANN001
    driver.get(server + "/analyze?lang=en")
    _fill(driver, "policy_text", POLICY)
    _step(driver, shots, "analyze-1-paste")
    _go(driver, "css selector", "form[action='/analyze'] button[type=submit]")
    page = _see(driver, "Loopholes that weaken it")
    assert "Loopholes that weaken it" in page and "gang" in page.lower()
    _step(driver, shots, "analyze-2-results")
    _go(driver, "xpath", "//button[contains(., 'Start a draft that closes')]")
    assert driver.find_element("id", "name").get_attribute("value") == ""
