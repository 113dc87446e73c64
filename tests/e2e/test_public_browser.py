"""Public engagement in a real headless Chromium against the real `python -m bot`: a visitor
leaves a comment on a topic, a proposal tip and a rating through the pages (plain forms, no
script: the CSP allows none); staff approve the comment and the tip by chat over the OneBot
simulator; then the comment shows on the topic page and in `议题 1`, the tip on the tips page
and in `线索`, the rating beside the member's evaluation. At phone width no public page
overflows sideways."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bot.core.clock import local_date, utcnow
from bot.devtools.onebot_sim import OneBotSimulator
from tests.e2e.conftest import SUPERUSER
from tests.e2e.test_board_browser import (
    CHROMEDRIVER,
    CHROMIUM,
    PHONE,
    mention,
    navigate,
    say,
    words,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.devtools.botprocess import BotProcess

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="needs Debian's chromium and chromium-driver",
)
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the dev extra)")

MEMBER_GROUP, STAFF_GROUP = 559001, 559002
STAFF, PROPOSER = 30001, 20001
COMMENT = "建议在每个乡镇设一个普惠托育点"
TIP_MATTER = "城关一小周边上下学交通拥堵"
TOPIC = "#议题 关于发展县域普惠托育服务"


@pytest.fixture
async def sim(fast_bot_process: BotProcess) -> AsyncIterator[OneBotSimulator]:
    simulator = OneBotSimulator(
        fast_bot_process.ws_url, self_id=74_002, access_token="e2e-token", heartbeat_interval=None
    )
    simulator.add_group(MEMBER_GROUP, "县政协全体委员")
    simulator.add_group(STAFF_GROUP, "县政协机关")
    simulator.add_member(MEMBER_GROUP, PROPOSER, nickname="张三", card="农业界-张三")
    simulator.add_member(STAFF_GROUP, STAFF, nickname="王秘书", card="王秘书")
    simulator.add_friend(PROPOSER, "张三")
    await simulator.connect(timeout=20)
    yield simulator
    await simulator.close()


async def set_up(sim: OneBotSimulator) -> None:
    await say(sim, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")
    await say(sim, STAFF_GROUP, SUPERUSER, "本群 设为 机关群")
    await say(sim, STAFF_GROUP, SUPERUSER, [words("管理员 添加 "), mention(STAFF)])
    body = "\n我县停车位缺口大。\n建议：一是建设立体停车场；二是错时共享停车。"
    assert (
        "第1号"
        in (await say(sim, MEMBER_GROUP, PROPOSER, "#提案 关于缓解停车难的建议" + body)).text
    )
    assert (await say(sim, STAFF_GROUP, STAFF, "立案 1")).text.startswith("已立案")
    assert "第1号" in (await say(sim, MEMBER_GROUP, PROPOSER, TOPIC)).text


def fill(driver: Any, form: str, values: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.ID, form)
    for name, value in values.items():
        element.find_element(By.NAME, name).send_keys(value)
    navigate(driver, element.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def leave(base: str, year: int) -> list[str]:
    """Comment, tip, rating through the pages; the thanks each page showed after."""
    from selenium.webdriver.common.by import By

    driver = chrome()
    notices: list[str] = []
    try:
        driver.set_page_load_timeout(30)
        driver.get(base + "/topics")
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "ol.items a.title"))
        fill(driver, "comment-form", {"body": COMMENT, "name": "王女士"})
        notices.append(driver.find_element(By.CSS_SELECTOR, "p.notice").text)
        driver.get(base + "/tips")
        tip = {"matter": TIP_MATTER, "place": "城关镇", "suggestion": "错峰放学，增设临时停车位"}
        fill(driver, "tip-form", tip)
        notices.append(driver.find_element(By.CSS_SELECTOR, "p.notice").text)
        driver.get(f"{base}/proposals/{year}/1")
        form = driver.find_element(By.ID, "rating-form")
        form.find_element(By.CSS_SELECTOR, "input[value='满意']").click()
        navigate(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        notices.append(driver.find_element(By.CSS_SELECTOR, "p.notice").text)
        notices.append(driver.find_element(By.ID, "public-rating").text)
    finally:
        driver.quit()
    return notices


def read(base: str, year: int) -> dict[str, str]:
    from selenium.webdriver.common.by import By

    driver = chrome()
    try:
        driver.get(f"{base}/topics/{year}/1")
        comments = driver.find_element(By.ID, "comments").text
        driver.get(base + "/tips")
        tips = driver.find_element(By.ID, "tips").text
        driver.get(f"{base}/proposals/{year}/1")
        rating = driver.find_element(By.ID, "public-rating").text
        member = driver.find_element(By.ID, "member-evaluation").text
    finally:
        driver.quit()
    return {"comments": comments, "tips": tips, "rating": rating, "member": member}


def widths(base: str, year: int) -> dict[str, tuple[int, int]]:
    """Each public page's (scrollWidth, innerWidth) at phone width: nothing overflows sideways."""
    driver = chrome()
    sizes: dict[str, tuple[int, int]] = {}
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True},
        )
        for path in ("/plan", "/topics", f"/topics/{year}/1", "/tips", "/news"):
            driver.get(base + path)
            sizes[path] = tuple(  # type: ignore[assignment]
                driver.execute_script(
                    "return [document.scrollingElement.scrollWidth, window.innerWidth]"
                )
            )
    finally:
        driver.quit()
    return sizes


def chrome() -> Any:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))


async def test_comment_tip_and_rating_through_the_pages(
    sim: OneBotSimulator, fast_bot_process: BotProcess
) -> None:
    await set_up(sim)
    year = local_date(utcnow()).year
    base = fast_bot_process.http_url
    before = await asyncio.to_thread(read, base, year)
    assert COMMENT not in before["comments"]
    notices = await asyncio.to_thread(leave, base, year)
    assert "审核通过后" in notices[0]
    assert "提案选题参考" in notices[1]
    assert "感谢您的评价" in notices[2]
    assert "满意 1" in notices[3]
    pending = await asyncio.to_thread(read, base, year)
    assert COMMENT not in pending["comments"]  # not before review
    assert TIP_MATTER not in pending["tips"]

    listing = await say(sim, STAFF_GROUP, STAFF, "评论")
    assert "待审核：留言1条，提案线索1条。" in listing.text
    approved = await say(sim, STAFF_GROUP, STAFF, "评论 通过 1 L1")
    assert "第1号评论：已通过。" in approved.text
    assert "线索L1：已通过" in approved.text

    shown = await asyncio.to_thread(read, base, year)
    assert COMMENT in shown["comments"]
    assert "王女士" in shown["comments"]
    assert TIP_MATTER in shown["tips"]
    assert "满意 1" in shown["rating"]
    assert shown["member"] == "尚未评价"
    topic = await say(sim, MEMBER_GROUP, PROPOSER, "议题 1")
    assert COMMENT in topic.text
    tips = await say(sim, None, PROPOSER, "线索")
    assert TIP_MATTER in tips.text
    for path, (scroll_width, inner_width) in (await asyncio.to_thread(widths, base, year)).items():
        assert scroll_width <= inner_width == PHONE[0], path
