"""The board's public forms (their fields and limits) and the matters a proposal tip may not
raise (信访, 诉讼, 人事, 个人问题, 秘密, 隐私), each with where to turn instead."""

from __future__ import annotations

from bot.core.public.safety import FieldSpec, FormSpec, Refusal

NAME = FieldSpec("name", "姓名（可不填）", 20)
CONTACT = FieldSpec("contact", "联系方式（可不填）", 40)

COMMENT = FormSpec(
    "comment", (FieldSpec("body", "意见建议", 500, required=True, multiline=True), NAME, CONTACT)
)
SUGGESTION = FormSpec(
    "suggestion",
    (
        FieldSpec("title", "建议的协商议题", 60, required=True),
        FieldSpec("body", "理由和说明", 800, multiline=True),
        NAME,
        CONTACT,
    ),
)
TIP = FormSpec(
    "tip",
    (
        FieldSpec("matter", "反映的事项", 60, required=True),
        FieldSpec("place", "发生的地方", 60, required=True),
        FieldSpec("suggestion", "您的建议", 800, required=True, multiline=True),
        FieldSpec("category", "类别", 20),
        NAME,
        CONTACT,
    ),
)
RATING = FormSpec("rating", (FieldSpec("value", "评价", 8, required=True),))

#: Matters outside a proposal tip: (words that show it, what it is, where to turn).
EXCLUDED: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("信访", "上访", "投诉举报", "举报"),
        "信访、投诉事项",
        "请向信访部门反映，或拨打 12345 政务服务便民热线",
    ),
    (
        ("诉讼", "起诉", "仲裁", "判决", "官司", "法院"),
        "正在诉讼、仲裁或司法程序中的事项",
        "请通过法院、仲裁机构等法律途径解决，可向当地法律援助中心咨询",
    ),
    (
        ("人事", "提拔", "任免", "职务晋升", "调动工作", "干部任用"),
        "人事任免事项",
        "请向组织、人事部门反映",
    ),
    (
        ("我家", "我本人", "我的工资", "我的房子", "个人问题", "家人", "亲属"),
        "个人或亲属的具体问题",
        "请向有关主管部门反映，或拨打 12345 政务服务便民热线",
    ),
    (
        ("秘密", "涉密", "机密", "绝密", "内部文件"),
        "涉及国家秘密或工作秘密的事项",
        "此类内容请勿在网上提交",
    ),
    (
        ("隐私", "身份证号", "住址", "病历"),
        "涉及他人隐私的内容",
        "请删去他人的姓名、证件号、住址等个人信息后再提交",
    ),
)


def check_scope(*texts: str) -> None:
    """A polite refusal when a tip raises a matter that does not belong in a proposal."""
    joined = "\n".join(texts)
    for words, what, where in EXCLUDED:
        if any(word in joined for word in words):
            raise Refusal(
                f"感谢您的关心。{what}不属于提案线索征集的范围，政协不能受理。{where}。"
                "如有关于公共事务、全县发展的意见建议，欢迎去掉相关内容后再提交。",
                422,
            )
