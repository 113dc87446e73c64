"""The board's read model on the hand-made fixture (tests/board_data.py): which proposals and
which steps the public sees, and the figures, counted by hand."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.core.board import ListFilters
from bot.core.board.listing import PAGE_SIZE
from tests.board_data import (
    ACCEPTED,
    ANSWERED,
    ASSIGNED,
    ASSISTING_OPINION,
    CONCLUDED,
    EVALUATION_OPINION,
    EXPECTED_STATUS,
    INTERNAL_NOTE,
    PRIVATE_TITLE,
    PUBLIC_NUMBERS,
    PUBLIC_PROGRESS,
    RECEIVED,
    SCRIPT_TITLE,
    YEAR,
    BoardData,
)
from tests.utils import local_morning
from tests.workflow_utils import EDU, FIN, PROPOSER

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_fixture_is_what_the_table_says(services: Services, data: BoardData) -> None:
    assert {n: r.status for n, r in data.records.items()} == EXPECTED_STATUS


async def test_list_shows_only_filed_public_proposals(services: Services, data: BoardData) -> None:
    page, _ = await services.board.proposals(ListFilters(year=YEAR))
    assert [r.number for r in page.rows] == PUBLIC_NUMBERS
    assert page.total == len(PUBLIC_NUMBERS)
    assert PRIVATE_TITLE not in {r.title for r in page.rows}


async def test_rows_carry_units_answer_and_progress(services: Services, data: BoardData) -> None:
    page, _ = await services.board.proposals(ListFilters(year=YEAR))
    rows = {r.number: r for r in page.rows}
    assert (rows[1].status_label, rows[1].answer_category, rows[1].percent) == ("已办结", "A", 100)
    # re-handled: the second round's answer (A), not the first (B)
    assert (rows[2].status_label, rows[2].answer_category, rows[2].percent) == ("已评价", "A", 80)
    assert rows[4].units == [FIN, EDU]  # the lead first
    assert (rows[4].percent, rows[9].percent, rows[9].units) == (40, 20, [])
    assert rows[3].status_label == "已并案"


async def test_filters(services: Services, data: BoardData) -> None:
    board = services.board

    async def numbers(**kw: object) -> list[int]:
        page, _ = await board.proposals(ListFilters(**{"year": YEAR, **kw}))  # type: ignore[arg-type]
        return [r.number for r in page.rows]

    assert await numbers(status="concluded") == [1]
    assert await numbers(unit=FIN) == [4]
    assert await numbers(unit=EDU) == [1, 2, 4]  # 5 is assigned to it too, but private
    assert await numbers(category="生态文明建设", sector="农业界") == PUBLIC_NUMBERS
    assert await numbers(category="政治建设") == []  # only the private one has it
    assert await numbers(query="第4件") == [4]
    assert await numbers(query="第9号") == [9]
    assert await numbers(query="script") == [9]
    assert await numbers(query="%") == []  # LIKE's wildcards are taken literally
    assert await numbers(query="干部作风") == []  # the private title is not searchable
    assert await numbers(year=YEAR - 1) == []


async def test_bad_filters_are_ignored_with_a_notice(services: Services, data: BoardData) -> None:
    page, _ = await services.board.proposals(
        ListFilters(year=YEAR, status="withdrawn", unit="县不存在局")
    )
    assert page.total == len(PUBLIC_NUMBERS)
    assert page.notices == [
        "没有“withdrawn”这个办理状态，已忽略；请从“状态”列表中选择。",
        "没有名为“县不存在局”的承办单位，已忽略；请从“承办单位”列表中选择。",
    ]


async def test_options_offer_only_what_public_proposals_have(
    services: Services, data: BoardData
) -> None:
    _, options = await services.board.proposals(ListFilters(year=YEAR))
    assert options.years == [YEAR]
    assert options.categories == ["生态文明建设"]  # not the private one's 政治建设
    assert options.sectors == ["农业界"]
    assert EDU in options.units
    assert ("withdrawn", "已撤回") not in options.statuses


async def test_paging(services: Services, clock: FakeClock) -> None:
    from tests.workflow_utils import add_record

    clock.set(local_morning(date(2026, 3, 2)))
    from bot.core.models import RecordStatus

    for n in range(PAGE_SIZE + 3):
        await add_record(services, title=f"提案{n}", status=RecordStatus.ACCEPTED)
    first, _ = await services.board.proposals(ListFilters(year=YEAR))
    second, _ = await services.board.proposals(ListFilters(year=YEAR, page=2))
    beyond, _ = await services.board.proposals(ListFilters(year=YEAR, page=99))
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (23, 2, 20, 3)
    assert second.rows[0].number == PAGE_SIZE + 1
    assert (beyond.filters.page, beyond.rows) == (2, second.rows)  # past the end: the last page


async def test_hidden_proposals_have_no_page(services: Services, data: BoardData) -> None:
    for number, status in EXPECTED_STATUS.items():
        detail = await services.board.proposal(YEAR, number)
        assert (detail is not None) == (number in PUBLIC_NUMBERS), (number, status)
    assert await services.board.proposal(YEAR, 99) is None


async def test_public_timeline_of_a_rehandled_proposal(services: Services, data: BoardData) -> None:
    detail = await services.board.proposal(YEAR, 2)
    assert detail is not None
    assert [(i.label, i.text) for i in detail.timeline] == [
        ("提交", "委员提交提案"),
        ("立案", "类别：生态文明建设"),
        ("交办", "主办：县教育局；答复时限：2026年6月2日"),
        (
            "答复",
            "县教育局答复：B类（正在解决或列入计划解决）。列入明年计划（委员评价期限：2026年4月23日）",
        ),
        ("委员评价", "提案人评价：不满意，转为重新办理"),  # not the opinion written with it
        ("交办", "主办：县教育局；答复时限：2026年7月1日（第2轮，重新办理）"),
        (
            "答复",
            "县教育局答复：A类（已解决或基本解决）。已协调资金解决（委员评价期限：2026年4月23日）",
        ),
        ("委员评价", "提案人评价：满意"),
    ]
    assert all(EVALUATION_OPINION not in i.text for i in detail.timeline)
    assert [(r.round, r.lead, r.answer_category, r.evaluation) for r in detail.rounds] == [
        (1, EDU, "B", "不满意"),
        (2, EDU, "A", "满意"),
    ]
    assert [(s.name, s.state) for s in detail.stages] == [
        ("立案", "done"),
        ("交办", "done"),
        ("答复", "done"),
        ("评价", "done"),
        ("办结", "current"),
    ]


async def test_internal_steps_are_not_shown(services: Services, data: BoardData) -> None:
    detail = await services.board.proposal(YEAR, 4)
    assert detail is not None
    texts = " ".join(f"{i.label}{i.text}" for i in detail.timeline)
    assert INTERNAL_NOTE not in texts
    assert ASSISTING_OPINION not in texts
    assert PUBLIC_PROGRESS in texts  # a progress note members may read is public
    assert PROPOSER not in texts
    merged_in = [i for i in detail.timeline if i.text.startswith("另一件提案并入本案")]
    assert len(merged_in) == 1  # retold: the other proposal's proposer and title not named
    assert [(m.number, m.public) for m in detail.merged_from] == [(3, True)]
    assert [s.state for s in detail.stages] == ["done", "done", "current", "todo", "todo"]


async def test_merged_proposal_points_to_the_other(services: Services, data: BoardData) -> None:
    detail = await services.board.proposal(YEAR, 3)
    assert detail is not None
    assert detail.merged_into is not None
    assert (detail.merged_into.number, detail.merged_into.public) == (4, True)
    merge = detail.timeline[-1]
    assert (merge.label, merge.link) == ("并案", detail.merged_into)
    assert [s.state for s in detail.stages] == ["done", "todo", "todo", "todo", "todo"]


async def test_script_title_is_kept_as_text(services: Services, data: BoardData) -> None:
    detail = await services.board.proposal(YEAR, 9)
    assert detail is not None
    assert detail.row.title == SCRIPT_TITLE  # escaping is the template's job


async def test_overview_figures_are_stats(services: Services, data: BoardData) -> None:
    overview = await services.board.overview(YEAR)
    s = overview.proposals
    assert (s.received, s.accepted, s.assigned, s.answered, s.concluded) == (
        RECEIVED,
        ACCEPTED,
        ASSIGNED,
        ANSWERED,
        CONCLUDED,
    )
    assert str(s.acceptance_rate) == "75.0%（6/8）"
    assert str(s.answer_rate) == "50.0%（2/4）"
    assert str(s.conclusion_rate) == "25.0%（1/4）"
    assert str(s.satisfaction_rate) == "100.0%（2/2）"  # 2's latest evaluation counts
    assert str(s.first_satisfaction_rate) == "50.0%（1/2）"
    assert dict(s.answer_categories) == {"A": 2}
    assert overview.by_category == [("生态文明建设", 5), ("政治建设", 1)]
    assert (overview.opinions.received, overview.opinions.adopted) == (3, 2)
    assert overview.opinions.instructed == 1
    assert (overview.overdue_total, overview.overdue) == (0, [])
    assert overview.proposals == await services.stats.proposals(YEAR)


async def test_overdue_counts_all_lists_public(
    services: Services, data: BoardData, clock: FakeClock
) -> None:
    clock.set(local_morning(date(2026, 7, 6)))
    overview = await services.board.overview(YEAR)
    assert overview.overdue_total == 2  # 4 (two units) and 5 (private)
    assert overview.overdue_public == 2  # 4's two assignments
    assert [(o.number, o.unit) for o in overview.overdue] == [(4, FIN), (4, EDU)]


async def test_list_and_figures_follow_changes(services: Services, data: BoardData) -> None:
    """Kept in memory, and brought up to date when the data moves: through the workflow (one
    record read again), and written straight into the tables as another process would."""
    from bot.core.models import RecordStatus
    from tests.workflow_utils import STAFF, force_status, requester

    page, _ = await services.board.proposals(ListFilters(year=YEAR))
    before = await services.board.overview(YEAR)
    await services.proposals.accept("7", await requester(services, STAFF))
    await force_status(services, data.records[9], RecordStatus.REJECTED)
    page, _ = await services.board.proposals(ListFilters(year=YEAR))
    after = await services.board.overview(YEAR)
    assert [r.number for r in page.rows] == [1, 2, 3, 4, 7]
    assert (before.proposals.accepted, after.proposals.accepted) == (ACCEPTED, ACCEPTED)  # +7 -9
    assert (before.proposals.rejected, after.proposals.rejected) == (1, 2)
    assert (before.proposals.pending_review, after.proposals.pending_review) == (1, 0)
    assert after.proposals == await services.stats.proposals(YEAR)
    assert after.by_category == [("生态文明建设", 5), ("政治建设", 1)]


async def test_a_name_that_is_a_qq_number_is_never_shown(
    services: Services, clock: FakeClock
) -> None:
    from bot.core.models import RecordStatus
    from tests.workflow_utils import add_record

    clock.set(local_morning(date(2026, 3, 2)))
    qq = "1234567890"
    await add_record(
        services,
        user_id=qq,
        name=qq,  # what is stored when nobody knew the name
        title=f"关于{qq}反映的问题的建议",
        status=RecordStatus.ACCEPTED,
        cosigners=[("2233445566", "2233445566"), ("20002", "李四")],
    )
    page, _ = await services.board.proposals(ListFilters(year=YEAR))
    detail = await services.board.proposal(YEAR, 1)
    assert detail is not None
    assert page.rows[0].proposer == "委员"
    assert qq not in page.rows[0].title
    found, _ = await services.board.proposals(ListFilters(year=YEAR, query=qq))
    assert found.total == 0  # nor found by it
    assert detail.cosigners == ["委员", "李四"]
    assert qq not in detail.row.title  # the proposer's id masked even in the title
    assert all(qq not in i.text for i in detail.timeline)
