from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.intake.parser import (
    MAX_LENGTH,
    MIN_LENGTHS,
    TAG_ALIASES,
    TEMPLATES,
    TITLE_MAX,
    Attachment,
    ParsedPost,
    ParseError,
    TagMatch,
    clean_title,
    detect_tag,
    parse_post,
)
from bot.core.intake.segments import (
    FileSeg,
    ImageSeg,
    MentionSeg,
    OtherSeg,
    Segment,
    TextSeg,
)
from bot.core.intake.titles import truncate_title
from bot.core.records.kinds import RecordKind

TITLE = "关于加快推进农村生活污水治理的建议"
BODY = (
    "我县农村生活污水处理设施覆盖率低，部分设施建而不用。\n建议：一是加大投入；二是建立运维机制。"
)


def text(value: str) -> list[Segment]:
    return [TextSeg(value)]


def parsed(segments: list[Segment], **kwargs: object) -> ParsedPost:
    result = parse_post(segments, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, ParsedPost), result
    return result


def refused(segments: list[Segment], **kwargs: object) -> ParseError:
    result = parse_post(segments, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, ParseError), result
    return result


# --------------------------------------------------------------------------- kinds


def test_record_kind_values_and_labels() -> None:
    assert [k.value for k in RecordKind] == ["proposal", "opinion", "topic"]
    assert RecordKind("opinion") is RecordKind.OPINION
    assert RecordKind.PROPOSAL.label == "提案"
    assert RecordKind.OPINION.label == "社情民意信息"
    assert RecordKind.TOPIC.label == "议题"
    assert RecordKind.OPINION.short_label == "民意"
    assert RecordKind.PROPOSAL.tag == "#提案"
    assert {k.number_prefix for k in RecordKind} == {"P", "O", "T"}
    assert RecordKind.PROPOSAL.format_number(17) == "第17号"
    assert RecordKind.PROPOSAL.format_number(17, 2026) == "2026年第17号"
    assert RecordKind.OPINION.describe(5) == "社情民意信息第5号"


# --------------------------------------------------------------------------- detect_tag


@pytest.mark.parametrize(
    ("message", "kind", "alias"),
    [
        ("#提案 " + TITLE, RecordKind.PROPOSAL, "提案"),
        ("＃提案 " + TITLE, RecordKind.PROPOSAL, "提案"),
        ("#提案" + TITLE, RecordKind.PROPOSAL, "提案"),
        ("#提案：" + TITLE, RecordKind.PROPOSAL, "提案"),
        ("#提案: " + TITLE, RecordKind.PROPOSAL, "提案"),
        ("# 提案 " + TITLE, RecordKind.PROPOSAL, "提案"),
        ("【提案】" + TITLE, RecordKind.PROPOSAL, "提案"),
        ("【提案】：" + TITLE, RecordKind.PROPOSAL, "提案"),
        ("[提案]" + TITLE, RecordKind.PROPOSAL, "提案"),
        ("［提案］ " + TITLE, RecordKind.PROPOSAL, "提案"),
        ("#提案\n" + TITLE, RecordKind.PROPOSAL, "提案"),
        ("#社情民意 标题", RecordKind.OPINION, "社情民意"),
        ("#民意 标题", RecordKind.OPINION, "民意"),
        ("#社情民意信息 标题", RecordKind.OPINION, "社情民意信息"),
        ("#社情民意信息：标题", RecordKind.OPINION, "社情民意信息"),
        ("【社情民意信息】标题", RecordKind.OPINION, "社情民意信息"),
        ("【社情民意】标题", RecordKind.OPINION, "社情民意"),
        ("#议题 内容", RecordKind.TOPIC, "议题"),
        ("#协商议题 内容", RecordKind.TOPIC, "协商议题"),
        ("  \n　#提案 " + TITLE, RecordKind.PROPOSAL, "提案"),
        ("\u200b#提案 " + TITLE, RecordKind.PROPOSAL, "提案"),
    ],
)
def test_detect_tag_variants(message: str, kind: RecordKind, alias: str) -> None:
    match = detect_tag(text(message))
    assert match is not None
    assert match.kind is kind
    assert match.alias == alias


def test_detect_tag_longest_alias_wins_and_remainder_is_after_tag() -> None:
    match = detect_tag(text("#社情民意信息 关于某事"))
    assert match is not None
    assert match.alias == "社情民意信息"
    assert match.remainder == (TextSeg("关于某事"),)
    assert match.tag_text == "#社情民意信息"


def test_detect_tag_skips_leading_mentions_and_ignorable_segments() -> None:
    segments: list[Segment] = [
        MentionSeg("10000", "政协助手"),
        TextSeg(" "),
        OtherSeg("reply"),
        TextSeg("#提案 " + TITLE),
    ]
    match = detect_tag(segments)
    assert match is not None
    assert match.kind is RecordKind.PROPOSAL
    assert match.leading_mentions == (MentionSeg("10000", "政协助手"),)


def test_detect_tag_joins_split_text_segments() -> None:
    match = detect_tag([TextSeg("#社情"), TextSeg("民意信息 标题"), ImageSeg("a.jpg")])
    assert match is not None
    assert match.alias == "社情民意信息"
    assert match.remainder == (TextSeg("标题"), ImageSeg("a.jpg"))


@pytest.mark.parametrize(
    "message",
    [
        "#讨论 主题 48小时",
        "＃讨论",
        "【讨论】主题",
        "今天开会吗",
        "提案 关于……",  # no tag marker
        "关于#提案的问题",  # tag not at the start
        "#",
        "#提",
        "[CQ:at,qq=all] #提案 标题",
        "【通知】明天开会",
        "",
        "   ",
    ],
)
def test_detect_tag_rejects(message: str) -> None:
    assert detect_tag(text(message)) is None


def test_detect_tag_rejects_empty_and_non_text_first() -> None:
    assert detect_tag([]) is None
    assert detect_tag([MentionSeg("1")]) is None
    assert detect_tag([ImageSeg("a.jpg"), TextSeg("#提案 标题")]) is None


# --------------------------------------------------------------------------- parse_post: basics


def test_full_proposal_with_cosign_line() -> None:
    segments: list[Segment] = [
        TextSeg(f"#提案 {TITLE}\n{BODY}\n联名："),
        MentionSeg("222", "李四"),
        TextSeg(" "),
        MentionSeg("333", "王五"),
    ]
    post = parsed(segments, sender_id="111")
    assert post.kind is RecordKind.PROPOSAL
    assert post.title == TITLE
    assert post.body == BODY
    assert post.full_text == f"{TITLE}\n{BODY}"
    assert "联名" not in post.full_text
    assert post.cosigner_ids == ("222", "333")
    assert post.cosign_text.startswith("联名：")
    assert not post.title_derived
    assert not post.mentions_all
    assert post.attachments == ()
    assert post.warnings == ()
    assert post.content_length == len("".join(f"{TITLE}{BODY}".split()))


@pytest.mark.parametrize("prefix", ["联名：", "联名:", "附议人：", "联名人: ", "  联名委员："])
def test_cosign_line_prefixes(prefix: str) -> None:
    segments: list[Segment] = [
        TextSeg(f"#提案 {TITLE}\n{BODY}\n{prefix}"),
        MentionSeg("222", "李四"),
    ]
    post = parsed(segments)
    assert post.cosigner_ids == ("222",)
    assert post.body == BODY


def test_cosign_line_with_plain_names() -> None:
    post = parsed(text(f"#提案 {TITLE}\n{BODY}\n联名：李四、王五，赵六 @钱七"))
    assert post.cosigner_names == ("李四", "王五", "赵六", "钱七")
    assert post.cosigner_ids == ()
    assert post.body == BODY


def test_cosign_line_in_the_middle_and_mention_only_line() -> None:
    segments: list[Segment] = [
        TextSeg(f"#提案 {TITLE}\n联名："),
        MentionSeg("222", "李四"),
        TextSeg(f"\n{BODY}\n"),
        MentionSeg("333", "王五"),
        TextSeg("、"),
        MentionSeg("444", "赵六"),
    ]
    post = parsed(segments)
    assert post.title == TITLE
    assert post.body == BODY
    assert post.cosigner_ids == ("222", "333", "444")


def test_mentions_elsewhere_are_cosigners_after_cosign_line_ones() -> None:
    segments: list[Segment] = [
        TextSeg(f"#提案 {TITLE}\n我县农村生活污水问题突出，"),
        MentionSeg("555", "张局长"),
        TextSeg(" 也很关注。\n建议：加大投入。\n联名："),
        MentionSeg("222", "李四"),
    ]
    post = parsed(segments)
    assert post.cosigner_ids == ("222", "555")
    assert "@张局长 也很关注" in post.body


def test_duplicate_mentions_sender_bot_and_all_are_dropped() -> None:
    segments: list[Segment] = [
        MentionSeg("10000", "bot"),
        TextSeg(f"#提案 {TITLE}\n{BODY}\n请"),
        MentionSeg("333", "王五"),
        MentionSeg("all", "全体成员"),
        TextSeg("关注\n联名："),
        MentionSeg("222", "李四"),
        MentionSeg("111", "我自己"),
        MentionSeg("222", "李四"),
        MentionSeg("10000", "bot"),
        MentionSeg("333", "王五"),
    ]
    post = parsed(segments, sender_id="111", ignore_ids=["10000"])
    assert post.cosigner_ids == ("222", "333")
    assert post.mentions_all


def test_leading_mention_is_not_a_cosigner() -> None:
    post = parsed([MentionSeg("10000", "bot"), TextSeg(f"#提案 {TITLE}\n{BODY}")])
    assert post.cosigner_ids == ()


def test_unnamed_mention_does_not_leak_the_account_id_into_text() -> None:
    post = parsed(
        [TextSeg(f"#提案 {TITLE}\n请"), MentionSeg("123456789"), TextSeg(f"关注。{BODY}")]
    )
    assert "123456789" not in post.full_text
    assert post.cosigner_ids == ("123456789",)


def test_attachments() -> None:
    segments: list[Segment] = [
        TextSeg(f"#社情民意 {TITLE}\n"),
        ImageSeg("abc.jpg", "https://example.invalid/abc.jpg"),
        TextSeg(BODY),
        FileSeg("调研报告.docx", "https://example.invalid/f"),
        OtherSeg("face"),
    ]
    post = parsed(segments)
    assert post.kind is RecordKind.OPINION
    assert post.attachments == (
        Attachment("image", "abc.jpg", "https://example.invalid/abc.jpg"),
        Attachment("file", "调研报告.docx", "https://example.invalid/f"),
    )
    assert post.body == BODY


# --------------------------------------------------------------------------- titles


def test_tag_alone_on_first_line_derives_title_and_keeps_full_body() -> None:
    post = parsed(text(f"#提案\n{TITLE}\n{BODY}"))
    assert post.title == TITLE
    assert post.title_derived
    assert post.body == f"{TITLE}\n{BODY}"
    # the title was a whole line: nothing to warn about
    assert [w.code for w in post.warnings] == []


def test_missing_title_from_first_sentence_warns() -> None:
    post = parsed(text("#提案\n我县农村生活污水处理设施覆盖率低。建议加大投入，建立长效运维机制。"))
    assert post.title == "我县农村生活污水处理设施覆盖率低"
    assert post.title_derived
    assert post.body.startswith("我县农村生活污水处理设施覆盖率低。建议")
    assert [w.code for w in post.warnings] == ["title_derived"]


def test_one_long_line_derives_title() -> None:
    line = (
        "我县农村生活污水处理设施覆盖率低，部分设施建而不用，群众反映强烈；"
        "建议县政府加大投入，建立长效运维机制，并将设施运行情况纳入乡镇年度考核。"
    )
    assert len(line) > TITLE_MAX
    post = parsed(text("#提案 " + line))
    assert post.title == "我县农村生活污水处理设施覆盖率低，部分设施建而不用，群众反映强烈"
    assert post.body == line
    assert post.title_derived


def test_title_longer_than_60_is_cut_on_a_boundary() -> None:
    first = "关于" + "加快推进农村生活污水治理、" * 6 + "完善长效运维机制的建议"
    assert len(first) > TITLE_MAX
    post = parsed(text(f"#提案 {first}\n{BODY}"))
    assert post.title_derived
    assert post.title.endswith("…")
    assert len(post.title) <= TITLE_MAX + 1
    assert post.title[:-1].endswith("治理")
    assert post.body == f"{first}\n{BODY}"
    assert "title_derived" in [w.code for w in post.warnings]


def test_title_without_any_boundary_is_hard_cut() -> None:
    assert truncate_title("字" * 100) == "字" * TITLE_MAX + "…"
    assert truncate_title("短标题") == "短标题"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("《关于加快推进农村生活污水治理的建议》", "关于加快推进农村生活污水治理的建议"),
        ("关于加快推进农村生活污水治理的建议。", "关于加快推进农村生活污水治理的建议"),
        ("“关于某事的建议”！", "关于某事的建议"),
        ("标题：《关于某事的建议》", "关于某事的建议"),
        ("：关于某事的建议", "关于某事的建议"),
        ("《甲》与《乙》衔接的建议", "《甲》与《乙》衔接的建议"),
        ("关于   多个   空格", "关于 多个 空格"),
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_title_wrappers_stripped_in_post_and_kept_in_full_text() -> None:
    post = parsed(text(f"#提案 《{TITLE}》\n{BODY}"))
    assert post.title == TITLE
    assert not post.title_derived
    assert post.full_text.startswith(f"《{TITLE}》")


def test_one_line_topic() -> None:
    post = parsed(text("#议题 关于推进县域医共体建设、提升基层医疗服务能力"))
    assert post.kind is RecordKind.TOPIC
    assert post.title == "关于推进县域医共体建设、提升基层医疗服务能力"
    assert post.body == "关于推进县域医共体建设、提升基层医疗服务能力"
    assert post.title_derived
    assert post.warnings == ()


def test_one_line_topic_with_reason_takes_first_sentence() -> None:
    post = parsed(text("#协商议题 推进县域医共体建设。基层看病难问题仍然突出，值得协商。"))
    assert post.title == "推进县域医共体建设"
    assert post.body == "推进县域医共体建设。基层看病难问题仍然突出，值得协商。"


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("#提案 关于加快推进农村生活污水治理的建议", RecordKind.PROPOSAL),
        ("#提案 关于修缮人民广场健身器材的建议\n\n", RecordKind.PROPOSAL),
        ("#社情民意 关于城区老旧小区电动车充电难的问题", RecordKind.OPINION),
    ],
)
def test_title_only_is_refused_with_the_template(typed: str, kind: RecordKind) -> None:
    """A title with no body is not filed (issue 9 item 11): the member gets the format."""
    error = refused(text(typed))
    assert error.code == "no_body"
    assert error.kind is kind
    assert error.message.startswith("只有标题，没有正文，未登记。第一行写标题，从第二行起写正文")
    assert TEMPLATES[kind] in error.message


def test_title_with_only_an_image_is_refused_and_says_why() -> None:
    error = refused([TextSeg("#提案 关于加快推进农村生活污水治理的建议"), ImageSeg("scan.jpg")])
    assert error.code == "no_body"
    assert "图片和文件不计入正文" in error.message


def test_proposal_without_suggestion_warns() -> None:
    post = parsed(text(f"#提案 {TITLE}\n我县农村生活污水处理设施覆盖率低，群众反映强烈。"))
    assert [w.code for w in post.warnings] == ["no_suggestion"]


# --------------------------------------------------------------------------- limits


def test_too_short_includes_template() -> None:
    error = refused(text("#提案 修路"))
    assert error.code == "too_short"
    assert error.kind is RecordKind.PROPOSAL
    assert "至少15个字" in error.message
    assert TEMPLATES[RecordKind.PROPOSAL] in error.message


def test_tag_alone_is_too_short() -> None:
    assert refused(text("#社情民意")).code == "too_short"


def test_too_short_ignores_whitespace_zero_width_and_mentions() -> None:
    segments: list[Segment] = [
        TextSeg("#提案 一二三 四五六\u200b\u200b\u200b\u200b\u200b\n七八九十　十一"),
        MentionSeg("2", "很长很长的名字很长很长的名字"),
    ]
    assert refused(segments).code == "too_short"


def test_too_short_with_only_an_image_says_so() -> None:
    error = refused([TextSeg("#提案"), ImageSeg("scan.jpg")])
    assert error.code == "too_short"
    assert "图片" in error.message


def test_exactly_min_length_is_accepted() -> None:
    assert parsed(text("#提案 " + "字" * 10 + "\n" + "字" * 5)).content_length == 15


@pytest.mark.parametrize("topic", ["农村养老服务体系建设", "修路建桥", "＃议题：县域医共体"])
def test_short_topics_are_accepted(topic: str) -> None:
    """Topics are naturally short: 4 characters of content are enough (issue 9 item 10)."""
    typed = topic if topic.startswith("＃") else f"＃议题 {topic}"
    post = parsed(text(typed))
    assert post.kind is RecordKind.TOPIC
    assert post.title == post.body == typed.split(maxsplit=1)[-1].removeprefix("＃议题：")


def test_a_topic_under_four_characters_is_refused() -> None:
    error = refused(text("#议题 修路"))
    assert error.code == "too_short"
    assert "至少4个字" in error.message


def test_too_long() -> None:
    error = refused(text(f"#提案 {TITLE}\n" + "很" * MAX_LENGTH))
    assert error.code == "too_long"
    assert "上限10000字" in error.message
    assert TEMPLATES[RecordKind.PROPOSAL] in error.message


def test_long_opinion_warns() -> None:
    post = parsed(text(f"#社情民意 {TITLE}\n情况：" + "很" * 1500 + "\n建议：加大投入"))
    assert "opinion_too_long" in [w.code for w in post.warnings]
    short = parsed(text(f"#社情民意 {TITLE}\n{BODY}"))
    assert short.warnings == ()


def test_not_tagged() -> None:
    error = refused(text("#讨论 主题 @甲"))
    assert error.code == "not_tagged"
    assert error.kind is None


def test_templates_cover_every_kind() -> None:
    assert set(TEMPLATES) == set(RecordKind)
    assert TEMPLATES[RecordKind.PROPOSAL].startswith("#提案 标题")
    assert "联名" in TEMPLATES[RecordKind.PROPOSAL]
    assert "情况" in TEMPLATES[RecordKind.OPINION]
    assert "建议" in TEMPLATES[RecordKind.OPINION]
    assert "1500" in TEMPLATES[RecordKind.OPINION]
    assert TEMPLATES[RecordKind.TOPIC].startswith("#议题 内容")
    for template in TEMPLATES.values():
        assert detect_tag(text(template)) is not None


# --------------------------------------------------------------------------- literal text


@pytest.mark.parametrize(
    "literal",
    [
        "[CQ:at,qq=all]",
        "&#91;CQ:at,qq=all&#93;",
        "[CQ:AT, qq=ALL]",
    ],
)
def test_cq_at_all_literal_is_kept_and_flagged(literal: str) -> None:
    post = parsed(text(f"#提案 {TITLE}\n请大家注意{literal}。{BODY}"))
    assert literal in post.body
    assert post.mentions_all
    assert post.cosigner_ids == ()


def test_other_literal_text_is_preserved() -> None:
    weird = "[CQ:image,file=x.jpg] &#91;&amp; <b>粗体</b> <script>alert(1)</script> 😀👍🏻 a\u200bb\u200d"
    post = parsed(text(f"#提案 {TITLE}\n{weird}\n{BODY}"))
    assert weird in post.body
    assert not post.mentions_all


def test_at_all_segment_is_flagged_and_neutralised() -> None:
    post = parsed([TextSeg(f"#提案 {TITLE}\n"), MentionSeg("all", "全体成员"), TextSeg(BODY)])
    assert post.mentions_all
    assert post.cosigner_ids == ()
    assert "全体成员" not in post.full_text


def test_at_all_before_the_tag_is_flagged() -> None:
    post = parsed([MentionSeg("all"), TextSeg(f"#提案 {TITLE}\n{BODY}")])
    assert post.mentions_all


def test_normalisation() -> None:
    raw = (
        f"#提案 {TITLE}  \r\n　　第一段。   \r\n\r\n\r\n\r\n第二段\u00a0\n\n\n\n建议：加大投入。\r"
    )
    post = parsed(text(raw))
    assert post.title == TITLE
    assert post.body == "  第一段。\n\n第二段\n\n建议：加大投入。"
    assert "\r" not in post.full_text


# --------------------------------------------------------------------------- properties

_TAG_PREFIXES = st.sampled_from(
    ["#提案", "＃提案 ", "【社情民意】", "[议题]", "#社情民意信息：", "#协商议题\n", "#讨论 ", ""]
)
_WORDS = st.sampled_from(
    [
        "联名：",
        "附议人:",
        "《",
        "》",
        "。",
        "\n",
        "\r\n",
        "　",
        " ",
        "标题：",
        "建议",
        "[CQ:at,qq=all]",
    ]
)
_TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=12).map("".join),
    st.builds(lambda a, b: a + b, _TAG_PREFIXES, st.text()),
    st.builds(
        lambda a, b: a + b,
        _TAG_PREFIXES,
        st.text(alphabet="关于农村污水建议。\n 《》", min_size=10),
    ),
)
_MENTION_IDS = st.one_of(st.sampled_from(["all", "ALL", "1", "2", "111", ""]), st.text(max_size=6))
_SEGMENT = st.one_of(
    st.builds(TextSeg, _TEXTS),
    st.builds(MentionSeg, _MENTION_IDS, st.text(max_size=6)),
    st.builds(ImageSeg, st.text(max_size=6), st.text(max_size=6)),
    st.builds(FileSeg, st.text(max_size=6), st.text(max_size=6)),
    st.builds(OtherSeg, st.text(max_size=6)),
)
_SEGMENTS = st.lists(_SEGMENT, max_size=8)

# Characters the title cleaner may drop from the title line (wrappers, labels, punctuation).
_DROPPABLE = set('《》“”"「」『』【】[] :：,，、.．。;；-—_~～·!！?？…标题目')


def _non_space(value: str) -> Counter[str]:
    return Counter(ch for ch in value if not ch.isspace())


_REAL_TAGS = st.sampled_from(
    ["#提案", "＃提案 ", "【社情民意】", "[议题]", "#社情民意信息：", "#协商议题\n"]
)
_TAGGED = st.builds(
    lambda lead, tag, first, rest: [*lead, TextSeg(tag + first), *rest],
    st.lists(st.one_of(st.builds(MentionSeg, _MENTION_IDS), st.just(TextSeg(" "))), max_size=2),
    _REAL_TAGS,
    _TEXTS,
    _SEGMENTS,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_SEGMENTS, st.one_of(st.none(), _MENTION_IDS))
def test_property_any_segments(segments: list[Segment], sender_id: str | None) -> None:
    _check_post(segments, sender_id)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_TAGGED, st.one_of(st.none(), _MENTION_IDS))
def test_property_tagged_segments(segments: list[Segment], sender_id: str | None) -> None:
    assert detect_tag(segments) is not None
    _check_post(segments, sender_id)


def _check_post(segments: list[Segment], sender_id: str | None) -> None:
    """Never raises; titles stay short; no content is lost; co-signers are clean."""
    match = detect_tag(segments)
    assert match is None or isinstance(match, TagMatch)
    result = parse_post(segments, sender_id=sender_id)
    assert isinstance(result, ParsedPost | ParseError)
    if match is None:
        assert isinstance(result, ParseError)
        assert result.code == "not_tagged"
        return
    if isinstance(result, ParseError):
        assert result.code in {"too_short", "too_long", "no_body"}
        assert result.kind is match.kind
        assert TEMPLATES[match.kind] in result.message
        return

    assert 1 <= len(result.title) <= TITLE_MAX + 1
    assert "\n" not in result.title
    assert len(set(result.cosigner_ids)) == len(result.cosigner_ids)
    assert all(uid.strip().lower() != "all" for uid in result.cosigner_ids)
    assert sender_id is None or sender_id not in result.cosigner_ids

    posted = "".join(seg.text for seg in match.remainder if isinstance(seg, TextSeg))
    expected = _non_space(posted) - _non_space(result.cosign_text)
    # full_text keeps every character; title + body may lose only what the title cleaner strips
    assert not expected - _non_space(result.full_text)
    lost = expected - _non_space(result.title + result.body)
    assert set(lost) <= _DROPPABLE


@settings(max_examples=200)
@given(
    st.sampled_from(sorted(TAG_ALIASES)),
    st.text(alphabet="关于农村生活污水治理的建议县", min_size=1, max_size=TITLE_MAX),
    st.text(alphabet="我县覆盖率低建议加大投入，。\n", min_size=1, max_size=200),
)
def test_property_well_formed_posts_round_trip(alias: str, title: str, body: str) -> None:
    result = parse_post(text(f"#{alias} {title}\n{body}"))
    expected_body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    kind = TAG_ALIASES[alias]
    if len(title) + len(expected_body.replace("\n", "")) < MIN_LENGTHS[kind]:
        assert isinstance(result, ParseError)
        assert result.code == "too_short"
        return
    if not expected_body and kind is not RecordKind.TOPIC:
        assert isinstance(result, ParseError)
        assert result.code == "no_body"
        return
    assert isinstance(result, ParsedPost)
    assert result.kind is TAG_ALIASES[alias]
    if expected_body:
        assert result.title == title
        assert result.body == expected_body
        assert not result.title_derived


@given(
    st.text(
        alphabet=st.one_of(
            st.characters(),  # anything, including surrogates' neighbours and control chars
            st.sampled_from(" \t\n\r\u3000\xa0\u200b\u200d\u2060\ufeff\u00ad\u2028中文，。"),
        ),
        max_size=200,
    )
)
def test_content_count_ignores_exactly_whitespace_and_format_characters(text: str) -> None:
    import unicodedata

    from bot.core.intake.parser import _count_content

    expected = sum(1 for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")
    assert _count_content(text) == expected
