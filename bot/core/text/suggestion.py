"""Does a proposal body contain a concrete suggestion?

A proposal without one may be refused (不予立案), so the bot warns the member when none is
found. The check errs towards *not* warning: any one of these counts as a concrete suggestion

* a suggestion marker (``建议：``, ``建议如下``, ``提出以下建议``, an ``三、对策建议`` heading,
  ``措施：`` ...) followed by an action (加大, 建立, 出台, 纳入, 由…, 将… ...);
* ``建议`` followed closely by an action (``建议县财政设立专项资金``, ``建议建设……``);
* two or more enumerated items that start with an action (``一是加大投入……二是建立……``,
  ``（一）加快……``, ``1.建立……``) - items describing problems (``一是设施老化``) do not count;
* two or more imperatives (``应尽快出台……``, ``要建立……``, ``必须落实……``);
* a labelled section (``建议：``, ``对策：``, ``措施：``) with two or more enumerated items
  (``建议：一是不要@全体成员；二是转义。``) or with some words of its own once wishes
  (``希望领导重视``) and vague requests are taken out: the member has said what should be
  done, in words the action list cannot foresee. Prohibitions (不要, 禁止, 严禁, 避免 ...) are
  measures too.

Only vague requests (``建议有关部门高度重视``, ``希望尽快解决``) or a bare situation report
come out False.
"""

from __future__ import annotations

import re

from bot.core.text.segmenter import nfkc

# Verbs that start a concrete measure. Deliberately without vague ones (重视, 关注, 解决,
# 研究, 考虑, 协调) and without words that also describe problems (建设, 投入, 管理).
_ACTION = (
    "加大|加强|加快|建立|健全|完善|出台|制定|修订|修改|设立|增设|增加|增补|提高|降低|减少|"
    "扩大|落实|推进|推行|推广|推动|实施|实行|开展|组织|整合|统筹|优化|探索|鼓励|引导|支持|"
    "明确|规范|严格|严查|严厉|设置|配备|配齐|安排|划拨|新建|改建|扩建|改造|修建|纳入|列入|"
    "给予|免除|减免|取消|简化|放宽|压缩|清理|试点|启动|成立|组建|培育|培养|培训|引进|补齐|"
    "补贴|奖补|采取|采用|借鉴|参照|定期|每年|构建|搭建|打造|深化|拓宽|拓展|畅通|压实|用好|"
    "盘活|争取|整治|开设|增配|招聘|招录|提供|保障|确保|强化|提升|创新|做好|抓好|实现|"
    "建成|完成|设计|编制|公布|公开|共享|对接|接入|将|把|由|"
    # prohibitions are concrete measures as well
    "不要|不得|禁止|严禁|杜绝|避免|防止|停止"
)
# After a suggestion marker or the word 建议, more verbs introduce a measure (建议建设……).
_BROAD_ACTION = (
    _ACTION + "|建设|发展|坚持|安装|加装|投入|管理|运用|利用|依法|依托|实行|增强|改进|改善|"
    "恢复|保护|治理|打通|延伸|覆盖|放开|下放|合并|调整|核定|划定|评估|论证|公示|聘请|委托|购买"
)
# Requests that name no measure; removed before matching so that e.g. 加强重视 is not an action.
_VAGUE = re.compile(
    r"(?:加强|加大|引起|予以|给予|高度)(?:重视|关注|关心|研究)|协调解决|尽快解决|研究解决"
)
_MODAL = (
    r"(?:应当|应该|必须|务必|亟需|亟须|需要"
    r"|(?<![相供反适响回效对答顺])应(?![用对急收付聘届该])"  # not 相应, 供应, 应用 ...
    r"|(?<![主重需只想必纲摘概])要(?![求素点件害闻么是]))"  # not 主要, 重要, 要求 ...
)
_ADVERB = (
    r"(?:进一步|尽快|尽早|切实|积极|大力|着力|全面|持续|继续|逐步|抓紧|加紧|及时|认真|高度"
    r"|统一|主动)?"
)

_MARKER = re.compile(
    r"建议\s*[:;]|建议如下|(?:以下|如下|几点|几条|具体|对策|意见|工作|相关)建议|"
    r"(?:对策|措施|办法|对策措施|意见建议)\s*[:;]|(?:对策|措施|办法)如下|"
    # a section heading: 三、对策建议 / (三)几点建议 / 第三部分 建议
    r"(?:^|\n)\s*(?:[一二三四五六七八九十]+\s*[、.]|\(?[一二三四五六七八九十]+\)"
    r"|第[一二三四五六七八九十]+部分)\s*[^\n]{0,8}(?:建议|对策|措施|办法|思路)"
)
# Up to 4 characters (a subject: 县政府, 乡镇) before an item's action, but no negation:
# "二是没有建立长效机制" describes a problem.
_ITEM_GAP = r"(?:(?![没未缺不无难])[^,。;\n]){0,4}?"
_BROAD_RE = re.compile(_BROAD_ACTION)
_SUGGEST_ACTION = re.compile(r"建议(?![书案权者人])[^。;!?\n]{0,12}?(?:" + _BROAD_ACTION + ")")
_ITEM_START = re.compile(
    r"(?:[一二三四五六七八九十]是|第[一二三四五六七八九十]\s*,|"
    r"(?:^|\n|[。;:])\s*(?:\d{1,2}\s*[.、)]|\(\s*(?:\d{1,2}|[一二三四五六七八九十]+)\s*\)"
    r"|[一二三四五六七八九十]+\s*、))"
    r"\s*" + _ITEM_GAP + r"(?:" + _MODAL + r")?\s*" + _ADVERB + r"(?:" + _ACTION + ")"
)
_IMPERATIVE = re.compile(_MODAL + r"\s*" + _ADVERB + r"(?:" + _ACTION + ")")
# `建议：` / `对策建议：` / `措施如下：` - the member labels what follows as the suggestion.
_LABEL = re.compile(r"(?:建议|对策|措施|办法)\s*(?:如下)?\s*[:;]")
_ENUMERATED = re.compile(
    r"[一二三四五六七八九十]是|第[一二三四五六七八九十]\s*[,、]|"
    r"(?:^|\n|[。;:!?])\s*(?:\d{1,2}\s*[.、)]|\(\s*(?:\d{1,2}|[一二三四五六七八九十]+)\s*\)"
    r"|[一二三四五六七八九十]+\s*、)"
)
# A wish names no measure: `希望领导重视`, `请有关部门研究解决`.
_WISH = re.compile(
    r"(?:希望|请求|恳请|请|呼吁|盼望?)[^。;!?\n]{0,12}?(?:重视|关注|关心|研究|考虑|解决|支持|过问)"
)
_LABELLED_MIN = 6
"""Characters of its own (wishes and vague requests removed) a labelled section needs."""


def _labelled_section(normal: str) -> bool:
    """A `建议：` section with enumerated items, or with words of its own."""
    for label in _LABEL.finditer(normal):
        section = normal[label.end() :]
        if len(_ENUMERATED.findall(section)) >= 2:
            return True
        own = _WISH.sub("", section.split("\n\n", 1)[0])
        if sum(1 for ch in own if ch.isalnum()) >= _LABELLED_MIN:
            return True
    return False


def has_concrete_suggestion(text: str) -> bool:
    """True when the proposal body proposes at least one concrete measure (see module doc)."""
    if not text:
        return False
    normal = nfkc(text)
    normal = _VAGUE.sub("。", normal)
    marker = _MARKER.search(normal)
    if marker and _BROAD_RE.search(normal, marker.end()):
        return True
    if _SUGGEST_ACTION.search(normal):
        return True
    if len(_ITEM_START.findall(normal)) >= 2:
        return True
    if len(_IMPERATIVE.findall(normal)) >= 2:
        return True
    return _labelled_section(normal)
