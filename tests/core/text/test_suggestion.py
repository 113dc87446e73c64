from __future__ import annotations

import pytest

from bot.core.text import has_concrete_suggestion
from tests.core.text import text_samples as s

POSITIVE = [
    # the samples are all real-shaped proposals with suggestions
    s.SEWAGE,
    s.SEWAGE_REWORDED,
    s.FOOD,
    s.FOOD_REWORDED,
    s.LIFT,
    s.CLINIC,
    s.CLINIC_REWORDED,
    s.WATER,
    s.BUSINESS,
    s.BUSINESS_REWORDED,
    s.SAND,
    s.VILLAGE_DOCTOR,
    s.HOMEWORK,
    s.ELDERLY,
    s.GARBAGE,
    s.HERITAGE,
    s.PETITION,
    # "建议：" then enumerated measures
    "我县农村生活污水处理设施覆盖率低。建议：一是加大财政投入；二是建立长效运维机制。",
    # "如下建议" with a numbered list
    "针对上述问题，提出如下建议：\n1.建立老旧小区加装电梯财政补贴制度。\n2.简化审批流程。",
    # 情况 / 问题 / 对策建议 sections with (一)(二) headings, full-width
    "一、基本情况\n我县现有养老机构12家，床位1800张。\n二、存在问题\n（一）床位空置率高。"
    "（二）护理人员短缺。\n三、对策建议\n（一）加快发展居家养老服务。\n（二）提高护理人员待遇。",
    # imperatives without the word 建议
    "县政府应尽快出台老旧小区加装电梯补贴办法，住建部门要简化审批手续，街道社区要做好协调工作。",
    # 建议 + a concrete action in one sentence
    "建议县财政设立农村污水设施运维专项资金，由乡镇负责日常管护。",
    # 第一、第二
    "托育机构少、收费高。为此，建议如下：第一，将托育服务纳入民生实事项目；第二，对普惠托育机构"
    "给予运营补贴。",
    # 一是…二是… items, some starting with a verb outside the list
    "村医待遇低、后继乏人。一是提高乡村医生补助标准，二是定向培养农村医学生，三是解决村医养老保险。",
    # 对策 heading, half-width numbering
    "对策：1) 增设学校周边临时停车位；2) 错峰放学；3) 交警在高峰时段定点疏导。",
    # "措施" heading
    "为解决电动自行车充电难，拟采取以下措施：在小区集中建设充电棚，统一安装智能充电桩。",
    # one long suggestion paragraph with modal verbs
    "电动自行车进楼入户充电火灾隐患大。相关部门应加快在老旧小区建设集中充电设施，物业企业要加强"
    "巡查，对飞线充电行为及时劝阻。",
    # a labelled 建议 section whose measures use no verb from the list (issue 9 item 14)
    "建议：一是不要@全体成员；二是转义。",
    "群里有人在标题中写入代码，导致机器人误发消息。\n建议：一是不要@全体成员；二是转义。",
    "建议：一是不要；二是转义。",  # the @全体成员 segment is not rendered in the body
    "建议：1. 标题中的特殊字符原样显示 2. 群发消息前人工复核",
    # prohibitions are measures too
    "校车超载现象时有发生。建议：严禁校车超员运营，交警部门定点检查。",
    "景区周边摊贩占道经营。城管部门应禁止占道经营，交警要严查周边违停。",
    # a labelled section with a concrete measure in its own words
    "建议：标题里出现的代码一律原样显示，不作解析。",
]

NEGATIVE = [
    # a situation report with a wish, no measure
    "我县农村生活污水直排现象严重，群众反映强烈，希望有关部门重视。",
    # the classic vague request
    "建议有关部门高度重视，尽快解决。",
    "建议：希望领导重视。",
    "建议：请有关部门研究解决。",
    "建议：有关部门高度重视。",
    "建议相关部门加强重视，研究解决。",
    # a title only
    "关于加快推进农村生活污水治理的建议",
    # enumerated *problems*
    "目前存在的主要问题：一是设施老化，二是资金不足，三是管护缺位。群众意见很大。",
    "主要问题有：一是部分乡镇建设滞后，二是没有建立长效机制，三是缺乏统一规划。",
    "（一）设施建设滞后。（二）资金投入不足。（三）专业人才缺乏。",
    # complaints
    "近年来，我县电动自行车保有量快速增长，充电难问题突出，飞线充电、楼道充电现象普遍，火灾隐患"
    "大。请领导关注此事。",
    "学校周边交通拥堵，上下学时段家长接送车辆乱停乱放，存在安全隐患，群众要求解决的呼声很高。",
    "群众需求不断增加，但供给跟不上，主要原因是资金不足。",
    "",
    "   ",
]


@pytest.mark.parametrize("text", POSITIVE)
def test_real_suggestions_are_recognised(text: str) -> None:
    assert has_concrete_suggestion(text)


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_concrete_suggestion(text: str) -> None:
    assert not has_concrete_suggestion(text)


def test_a_long_proposal_with_analysis_then_suggestions() -> None:
    text = (
        "一、基本情况\n"
        "我县共有行政村186个，截至2026年6月，已建成农村生活污水处理设施的村112个，覆盖率60.2%。\n"
        "二、存在的问题\n"
        "一是部分设施建而不用。二是运维经费没有来源。三是出水水质达标率低。\n"
        "三、原因分析\n"
        "主要是重建设、轻管护，乡镇缺少专业技术力量。\n"
        "四、几点建议\n"
        "（一）落实运维经费。县财政每年安排专项资金，按处理规模核定运维费用。\n"
        "（二）推行专业化运维。以乡镇为单元打包委托第三方公司运维。\n"
        "（三）开展水质监测。生态环境部门每季度抽检出水水质并公开结果。"
    )
    assert has_concrete_suggestion(text)
    situation_only = text.split("四、几点建议")[0]
    assert not has_concrete_suggestion(situation_only)
