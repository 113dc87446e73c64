"""The day the demo plays, scene by scene: Tuesday (set-up, posts, handling, a discussion) and
the next morning (the digest, a deadline reminder, the figures and the export)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.devtools.demo.cast import (
    CLERK,
    DIRECTOR,
    EDUCATION,
    HOUSING,
    LI,
    QIAN,
    SECTOR,
    STAFF,
    UNITS,
    WANG,
    WHOLE,
    ZHANG,
    ZHAO,
)

if TYPE_CHECKING:
    from bot.devtools.demo.stage import Stage
    from bot.devtools.onebot_sim import SentMessage

SEWAGE = (
    "#提案 关于加快推进农村生活污水治理的建议\n"
    "我县农村生活污水处理设施覆盖率低，部分已建设施运行不正常，群众反映强烈。\n"
    "建议：一是统筹规划农村污水治理；二是加大财政投入；三是建立长效运维机制。"
)
SEWAGE_AGAIN = (
    "#提案 关于推进农村生活污水处理设施建设的建议\n"
    "不少村庄生活污水直排，处理设施覆盖率低，已建设施运行维护跟不上。\n"
    "建议：加大农村生活污水处理设施建设投入，建立运维长效机制。"
)
SEEDS = (
    "#提案 关于建设县级农作物良种繁育基地的建议\n"
    "我县粮食种子多从外地调入，品种适应性差，农户购种成本高。\n"
    "建议：一是规划建设良种繁育基地；二是与农科院所合作选育；三是对农户购种给予补贴。"
)
SCHOOL = (
    "#提案 关于改善乡村学校寄宿条件的建议\n"
    "部分乡镇中小学宿舍老旧拥挤，冬季取暖不足。\n"
    "建议：一是将宿舍改造列入年度计划；二是落实取暖经费；三是配齐生活老师。"
)
CLINIC = (
    "#社情民意 村卫生室药品供应不足\n"
    "多个村卫生室常用药品短缺，慢性病患者需到乡镇卫生院取药。\n"
    "建议：将村卫生室纳入县域药品统一配送，按月补货。"
)


async def set_up(stage: Stage) -> None:
    stage.scene("第一天上午 · 机关绑定各群、任命工作人员、登记承办单位")
    await stage.say(DIRECTOR, STAFF, "本群 设为 机关群", "已将本群设为机关群")
    await stage.say(DIRECTOR, WHOLE, "本群 设为 全体群", "已将本群设为全体群")
    await stage.say(DIRECTOR, SECTOR, "本群 设为 界别群 农业界", "已将本群设为界别群")
    await stage.say(DIRECTOR, UNITS, "本群 设为 承办单位群", "已将本群设为承办单位群")
    await stage.say(DIRECTOR, STAFF, "管理员 添加 @王秘书", "设为机关工作人员")
    await stage.say(CLERK, STAFF, "单位 添加 县住建局 @住建局小刘", "已添加承办单位：县住建局")
    await stage.say(CLERK, STAFF, "单位 添加 县教育局 @教育局小周", "已添加承办单位：县教育局")
    await stage.say(CLERK, STAFF, "委员 列表", "张三")


async def members_post(stage: Stage) -> SentMessage:
    stage.scene("委员提交提案和社情民意信息（全体群、界别群、私聊）")
    sewage = await stage.say(ZHANG, WHOLE, SEWAGE, "已登记：提案第1号")
    await stage.say(LI, SECTOR, SEEDS, "已登记：提案第2号")
    await stage.say(WANG, None, SCHOOL, "私聊提交的内容不会发到群里")
    await stage.say(ZHAO, WHOLE, CLINIC, "已登记：社情民意信息第1号")
    await stage.told("机关群收到待审核通知", STAFF, "提案第1号")
    await stage.say(LI, WHOLE, "附议", "已附议提案第1号", reply_to=sewage)
    await stage.say(QIAN, WHOLE, SEWAGE_AGAIN, "与第1号")
    await stage.say(ZHANG, None, "我的", "提案第1号")
    return sewage


async def staff_handle(stage: Stage) -> None:
    stage.scene("机关审核：立案、并案、交办")
    await stage.say(CLERK, STAFF, "立案 1 2 3", "已立案")
    await stage.told("提案人收到立案通知", ZHANG, "已立案")
    await stage.say(CLERK, STAFF, "并案 4 到 1", "并入提案第1号")
    await stage.say(CLERK, STAFF, "交办 1 主办 县住建局", "已交办提案第1号")
    await stage.told("承办单位收到交办通知", HOUSING, "【提案交办】提案第1号")
    await stage.say(CLERK, STAFF, "交办 2 主办 县教育局 时限 4个工作日", "已交办提案第2号")
    await stage.say(CLERK, STAFF, "交办 3 主办 县教育局", "已交办提案第3号")
    await stage.say(CLERK, STAFF, "采用 1", "已采用")


async def unit_answers(stage: Stage) -> None:
    stage.scene("承办单位与提案人沟通、答复；提案人评价")
    await stage.say(HOUSING, None, "沟通 1 面商 到提案人单位当面听取意见，商定分年度推进", "已记录")
    await stage.told("提案人收到办理协商通知", ZHANG, "【办理协商】")
    await stage.say(
        HOUSING, None, "答复 1 A 已将12个村的污水管网列入明年建设计划，运维由乡镇负责", "A类"
    )
    await stage.told("提案人收到答复，被请评价", ZHANG, "收到县住建局的答复")
    await stage.say(ZHANG, None, "评价 1 满意 已沟通", "已记录您对提案第1号的评价：满意")
    await stage.say(CLERK, STAFF, "办结 1", "已办结提案第1号")
    await stage.say(LI, SECTOR, "查提案 1", "已办结")


async def discussion(stage: Stage) -> None:
    stage.scene("临时讨论组：讨论后转为联名提案")
    await stage.say(ZHANG, WHOLE, "#讨论 乡村养老服务 @李四 @赵六 24小时", "已建立临时讨论组D1")
    await stage.told("参加者收到邀请", LI, "邀请您参加临时讨论组D1")
    await stage.told("参加者收到邀请", ZHAO, "邀请您参加临时讨论组D1")
    await stage.relay(LI, "很多村的互助幸福院建好后没人管，缺运营经费", ZHANG)
    await stage.relay(ZHAO, "建议把村卫生室和养老服务结合起来，医养结合", ZHANG)
    await stage.say(ZHANG, None, "结束讨论 D1", "D1")
    await stage.told("小结发回发起的群", WHOLE, "【讨论小结】D1")
    await stage.say(ZHANG, None, "讨论转提案 D1", "讨论D1已转为提案")
    await stage.told("参加者收到联名邀请", LI, "邀请您联名提案第5号")
    await stage.say(LI, None, "附议 5", "已确认联名提案第5号")


async def next_morning(stage: Stage) -> None:
    stage.scene("第二天（12月2日，星期三）早上 · 期限提醒与日报")
    await stage.told("承办单位收到期限提醒", EDUCATION, "提案第2号", timeout=90)
    await stage.told("09:00 日报发到全体群", WHOLE, "日报", timeout=90)


async def close_the_day(stage: Stage) -> tuple[str, SentMessage]:
    stage.scene("机关统计与导出")
    figures = await stage.say(CLERK, STAFF, "统计", "立案率")
    exported = await stage.say(CLERK, STAFF, "导出", "导出")
    return figures.text, exported
