"""The progress board in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
driven by selenium), served by the real `python -m bot` process, with records made over the
OneBot simulator: load the board and read the figures, apply a filter, open a proposal, see a
title holding <script> as text, and check at phone width (390x844) that no page overflows
sideways (document.scrollingElement.scrollWidth <= innerWidth), with a screenshot."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bot.core.clock import local_date, utcnow
from bot.core.db import Database
from bot.core.stats import StatsService
from bot.core.workflow.common import load_calendar
from bot.devtools.onebot_sim import OneBotSimulator, SentMessage
from bot.settings import DEFAULT_DATA_DIR
from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.devtools.botprocess import BotProcess

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the dev extra)")

MEMBER_GROUP, STAFF_GROUP = 558001, 558002
STAFF, PROPOSER, CONTACT = 30001, 20001, 40001
SCRIPT_TITLE = "<script>alert(1)</script>关于校园周边交通安全的建议"
PRIVATE_TITLE = "关于某单位干部作风问题的反映"
TIMEOUT = 15
PHONE = (390, 844)


@pytest.fixture
async def sim(fast_bot_process: BotProcess) -> AsyncIterator[OneBotSimulator]:
    simulator = OneBotSimulator(
        fast_bot_process.ws_url, self_id=74_001, access_token="e2e-token", heartbeat_interval=None
    )
    simulator.add_group(MEMBER_GROUP, "县政协全体委员")
    simulator.add_group(STAFF_GROUP, "县政协机关")
    simulator.add_member(MEMBER_GROUP, PROPOSER, nickname="张三", card="农业界-张三")
    simulator.add_member(STAFF_GROUP, STAFF, nickname="王秘书", card="王秘书")
    simulator.add_member(STAFF_GROUP, CONTACT, nickname="小刘", card="教育局小刘")
    simulator.add_friend(PROPOSER, "张三")
    simulator.add_friend(CONTACT, "小刘")
    await simulator.connect(timeout=20)
    yield simulator
    await simulator.close()


async def say(sim: OneBotSimulator, where: int | None, user: int, message: Any) -> SentMessage:
    """Post in a group (or privately when `where` is None); the bot's reply quoting it."""
    if where is None:
        message_id = await sim.post_private_message(user, message)
    else:
        message_id = await sim.post_group_message(where, user, message)
    return await sim.wait_for_sent(lambda m: m.reply_id == message_id, timeout=TIMEOUT)


def mention(user: int) -> dict[str, Any]:
    return {"type": "at", "data": {"qq": str(user)}}


def words(value: str) -> dict[str, Any]:
    return {"type": "text", "data": {"text": value}}


async def make_records(sim: OneBotSimulator) -> None:
    """Three proposals: 1 filed, assigned and answered (A); 2 filed, its title holding
    <script>; 3 submitted privately and filed (never on the board)."""
    await say(sim, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")
    await say(sim, STAFF_GROUP, SUPERUSER, "本群 设为 机关群")
    await say(sim, STAFF_GROUP, SUPERUSER, [words("管理员 添加 "), mention(STAFF)])
    await say(sim, STAFF_GROUP, STAFF, [words("单位 添加 县教育局 "), mention(CONTACT)])
    body = "\n我县农村生活污水处理设施覆盖率低。\n建议：一是统筹规划；二是加大投入。"
    first = await say(
        sim, MEMBER_GROUP, PROPOSER, "#提案 关于加快推进农村生活污水治理的建议" + body
    )
    assert "第1号" in first.text
    second = await say(sim, MEMBER_GROUP, PROPOSER, "#提案 " + SCRIPT_TITLE + body)
    assert "第2号" in second.text
    third = await say(sim, None, PROPOSER, "#提案 " + PRIVATE_TITLE + body)
    assert "第3号" in third.text
    assert (await say(sim, STAFF_GROUP, STAFF, "立案 1 2 3")).text.startswith("立案：3件，完成3件")
    assigned = await say(sim, STAFF_GROUP, STAFF, "交办 1 主办 县教育局")
    assert assigned.text.startswith("已交办提案第1号")
    answered = await say(sim, None, CONTACT, "答复 1 A 已建成3座污水处理站")
    assert answered.text.startswith("已记录提案第1号的答复：A类")


@dataclass
class Seen:
    """What the browser read."""

    figures: dict[str, str] = field(default_factory=dict)
    listed: list[str] = field(default_factory=list)
    filtered: list[str] = field(default_factory=list)
    detail: dict[str, str] = field(default_factory=dict)
    script_title: str = ""
    alert: bool = False
    overflow: dict[str, tuple[int, int]] = field(default_factory=dict)
    pages_text: str = ""
    screenshot: Path | None = None


def browse(base: str, shot: Path) -> Seen:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    seen = Seen()
    try:
        driver.set_page_load_timeout(30)
        driver.get(base + "/")
        for element in driver.find_elements(By.CSS_SELECTOR, "[data-figure]"):
            seen.figures[element.get_attribute("data-figure") or ""] = element.text.strip()
        seen.pages_text += driver.find_element(By.TAG_NAME, "body").text
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "a.button"))  # this year's list
        seen.listed = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "a.item-title")]
        seen.pages_text += driver.find_element(By.TAG_NAME, "body").text
        Select(driver.find_element(By.NAME, "unit")).select_by_visible_text("县教育局")
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button"))
        seen.filtered = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "a.item-title")]
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "a.item-title"))
        seen.detail = {
            "title": driver.find_element(By.ID, "title").text,
            "status": driver.find_element(By.ID, "status").text,
            "percent": driver.find_element(By.ID, "percent").text,
            "stages": " ".join(
                e.text for e in driver.find_elements(By.CSS_SELECTOR, ".stage.done")
            ),
        }
        seen.pages_text += driver.find_element(By.TAG_NAME, "body").text
        year = driver.current_url.split("/")[-2]
        driver.get(f"{base}/proposals/{year}/2")
        seen.script_title = driver.find_element(By.ID, "title").text
        try:
            driver.switch_to.alert  # noqa: B018 - raises when no script ran
            seen.alert = True
        except NoAlertPresentException:
            seen.alert = False
        seen.overflow, seen.screenshot = at_phone_width(driver, base, shot)
    finally:
        driver.quit()
    return seen


def navigate(driver: Any, element: Any) -> None:
    """Click a link or button and wait until the next page has replaced this one: reading
    right after `click()` can still find the old page's elements, gone a moment later."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait = WebDriverWait(driver, 30)
    wait.until(expected_conditions.staleness_of(page))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def at_phone_width(driver: Any, base: str, shot: Path) -> tuple[dict[str, tuple[int, int]], Path]:
    """Each page's (scrollWidth, innerWidth) at 390x844, and a screenshot of the list."""
    width, height = PHONE
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )
    sizes: dict[str, tuple[int, int]] = {}
    detail = driver.current_url.removeprefix(base)
    for path in ("/", "/proposals", detail, "/proposals/1999/1"):
        driver.get(base + path)
        sizes[path] = tuple(  # type: ignore[assignment]
            driver.execute_script(
                "return [document.scrollingElement.scrollWidth, window.innerWidth]"
            )
        )
        if path == "/proposals":
            driver.save_screenshot(str(shot))
    return sizes, shot


async def test_board_in_a_real_browser(
    sim: OneBotSimulator, fast_bot_process: BotProcess, tmp_path: Path
) -> None:
    await make_records(sim)
    seen = await asyncio.to_thread(browse, fast_bot_process.http_url, tmp_path / "phone.png")

    # the figures as 统计 computes them (the same function), and as counted by hand
    year = local_date(utcnow()).year
    db = Database(fast_bot_process.database_url)
    try:
        stats = await StatsService(db, load_calendar(DEFAULT_DATA_DIR)).proposals(year)
    finally:
        await db.dispose()
    assert (stats.received, stats.accepted, stats.assigned, stats.answered) == (3, 3, 1, 1)
    assert seen.figures["收到"] == "3"
    assert seen.figures["立案"] == "3"  # the private one is counted, not shown
    assert seen.figures["交办"] == "1"
    assert seen.figures["办复率"] == stats.answer_rate.percent() == "100.0%"
    assert seen.figures["A类"] == "1"

    assert seen.listed == ["关于加快推进农村生活污水治理的建议", SCRIPT_TITLE]
    assert seen.filtered == ["关于加快推进农村生活污水治理的建议"]  # 县教育局's only
    assert seen.detail["title"] == "关于加快推进农村生活污水治理的建议"
    assert (seen.detail["status"], seen.detail["percent"]) == ("已答复", "60%")
    assert all(stage in seen.detail["stages"] for stage in ("立案", "交办", "答复"))

    assert seen.script_title == SCRIPT_TITLE  # shown as text
    assert not seen.alert  # and never run
    assert PRIVATE_TITLE not in seen.pages_text
    assert str(PROPOSER) not in seen.pages_text

    for path, (scroll_width, inner_width) in seen.overflow.items():
        assert scroll_width <= inner_width == PHONE[0], path
    assert seen.screenshot is not None
    png = seen.screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == PHONE[0]  # the image is the phone's width
