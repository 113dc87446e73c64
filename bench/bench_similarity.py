"""Benchmark the similar-proposal index at national scale.

Generates 60,000 synthetic proposals over ten years (6,000 a year, the national figure) from
topic vocabularies: ~1,400 matters (object x aspect, e.g. 农村生活污水 x 运维管护), so every
matter has dozens of near-duplicates worded differently, and matters sharing an object or a
domain make "same broad area" neighbours. Builds the index (time, memory), then runs 1,000
queries with fresh texts (10 % of them re-worded copies of indexed proposals) and reports
p50/p95/p99 latency, for this year + last year and for all years. Recall of the pruned search is
checked against an exhaustive exact-cosine scan on a sample of queries.

    .venv/bin/python bench/bench_similarity.py [--docs 60000] [--queries 1000] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import gc
import heapq
import math
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.text import DEFAULT_MIN_SCORE, SimilarityIndex, init_text_engine
from bot.core.text.similarity import _SCALE, term_weights

YEARS = list(range(2017, 2027))

# domain -> (shared domain words, {object: object-specific words})
DOMAINS: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "农村环境": (
        ["农村", "村庄", "人居环境", "村容村貌", "农户", "行政村", "村民", "环境整治"],
        {
            "农村生活污水治理": [
                "生活污水",
                "污水管网",
                "处理站点",
                "直排",
                "化粪池",
                "出水水质",
                "管网覆盖率",
                "黑臭水体",
                "纳管",
            ],
            "农村生活垃圾治理": [
                "生活垃圾",
                "垃圾清运",
                "保洁员",
                "垃圾中转站",
                "转运车",
                "乱堆乱放",
                "垃圾收费",
                "焚烧",
            ],
            "农村改厕": [
                "户厕",
                "厕所革命",
                "粪污",
                "三格式化粪池",
                "公厕",
                "抽粪",
                "改厕质量",
                "旱厕",
            ],
            "村庄规划": [
                "村庄规划",
                "乱搭乱建",
                "宅基地",
                "农房建设",
                "风貌管控",
                "空心村",
                "闲置农房",
                "拆旧建新",
            ],
        },
    ),
    "生态环保": (
        ["生态环境", "污染", "环保", "生态保护", "排放", "环境监测", "达标"],
        {
            "河道保护治理": [
                "河道",
                "河长制",
                "非法采砂",
                "河床",
                "水生态",
                "防洪",
                "岸线",
                "清淤疏浚",
            ],
            "大气污染防治": [
                "扬尘",
                "空气质量",
                "工地",
                "渣土车",
                "重污染天气",
                "餐饮油烟",
                "散煤",
                "挥发性有机物",
            ],
            "秸秆综合利用": [
                "秸秆",
                "秸秆焚烧",
                "还田",
                "饲料化",
                "收储",
                "禁烧",
                "打捆",
                "生物质",
            ],
            "畜禽养殖污染治理": [
                "畜禽养殖",
                "粪污",
                "养殖场",
                "禁养区",
                "资源化利用",
                "臭味",
                "沼气池",
                "散养户",
            ],
            "饮用水源保护": [
                "饮用水源",
                "水源地",
                "水质",
                "保护区",
                "取水口",
                "备用水源",
                "界碑",
                "面源污染",
            ],
        },
    ),
    "教育": (
        ["学校", "学生", "教师", "教育局", "家长", "中小学", "教学"],
        {
            "双减和课后服务": [
                "双减",
                "课后服务",
                "作业负担",
                "校外培训",
                "托管",
                "延时服务",
                "社团活动",
                "服务收费",
            ],
            "乡村教师队伍建设": [
                "乡村教师",
                "教师编制",
                "教师流失",
                "周转房",
                "职称评聘",
                "支教",
                "代课教师",
                "教师待遇",
            ],
            "校园食品安全": [
                "学校食堂",
                "校园食品安全",
                "明厨亮灶",
                "食材配送",
                "陪餐制度",
                "小卖部",
                "从业人员",
                "校外配餐",
            ],
            "学生心理健康": [
                "心理健康",
                "心理教师",
                "心理咨询室",
                "厌学",
                "抑郁",
                "心理危机",
                "家校沟通",
                "心理筛查",
            ],
            "学前教育普惠": [
                "幼儿园",
                "学前教育",
                "普惠性幼儿园",
                "入园难",
                "保教费",
                "民办幼儿园",
                "幼儿教师",
                "学位",
            ],
            "职业教育产教融合": [
                "职业教育",
                "产教融合",
                "职业学校",
                "实训基地",
                "订单班",
                "技能人才",
                "校企合作",
                "双师型",
            ],
        },
    ),
    "卫生健康": (
        ["医疗", "群众看病", "卫生健康局", "医务人员", "患者", "诊疗"],
        {
            "县域医共体建设": [
                "医共体",
                "县级医院",
                "乡镇卫生院",
                "专家下沉",
                "人财物",
                "检查结果互认",
                "远程会诊",
                "牵头医院",
            ],
            "乡村医生队伍": [
                "乡村医生",
                "村卫生室",
                "村医",
                "补助标准",
                "后继乏人",
                "定向培养",
                "村医养老",
                "执业资格",
            ],
            "异地就医结算": [
                "异地就医",
                "医保报销",
                "直接结算",
                "备案",
                "跨省",
                "垫付",
                "报销比例",
                "医保目录",
            ],
            "慢性病管理": [
                "慢性病",
                "高血压",
                "糖尿病",
                "家庭医生",
                "签约服务",
                "随访",
                "长处方",
                "健康管理",
            ],
            "急救体系建设": [
                "院前急救",
                "急救站",
                "救护车",
                "急救半径",
                "120",
                "胸痛中心",
                "卒中中心",
                "急救培训",
            ],
        },
    ),
    "养老托育": (
        ["老年人", "养老", "民政局", "照护", "服务中心", "家庭"],
        {
            "居家社区养老": [
                "居家养老",
                "社区养老",
                "日间照料",
                "助餐",
                "上门服务",
                "养老服务中心",
                "空巢老人",
                "时间银行",
            ],
            "养老机构运营": [
                "养老机构",
                "敬老院",
                "床位空置",
                "护理员",
                "公建民营",
                "入住率",
                "消防隐患",
                "医养结合",
            ],
            "普惠托育服务": [
                "托育",
                "托育机构",
                "婴幼儿",
                "三岁以下",
                "托位",
                "育儿成本",
                "普惠托育",
                "托育补贴",
            ],
            "适老化改造": [
                "适老化改造",
                "扶手",
                "防滑",
                "无障碍",
                "智能设备",
                "数字鸿沟",
                "老年大学",
                "银发",
            ],
        },
    ),
    "城市建设": (
        ["城区", "住建局", "小区", "居民", "城市管理", "市政"],
        {
            "老旧小区加装电梯": [
                "加装电梯",
                "老旧小区",
                "低层住户",
                "审批流程",
                "电梯补贴",
                "爬楼难",
                "协商",
                "电梯维保",
            ],
            "城区停车难": [
                "停车难",
                "停车位",
                "停车场",
                "乱停乱放",
                "占道停车",
                "智慧停车",
                "共享停车",
                "停车收费",
            ],
            "电动自行车充电安全": [
                "电动自行车",
                "充电桩",
                "飞线充电",
                "楼道",
                "火灾隐患",
                "集中充电",
                "电池",
                "消防",
            ],
            "物业管理": [
                "物业管理",
                "物业费",
                "业主委员会",
                "物业企业",
                "维修资金",
                "弃管小区",
                "服务质量",
                "矛盾纠纷",
            ],
            "城市内涝": [
                "内涝",
                "排水管网",
                "雨污分流",
                "积水点",
                "暴雨",
                "海绵城市",
                "泵站",
                "窨井",
            ],
        },
    ),
    "营商环境": (
        ["企业", "民营企业", "营商环境", "经营主体", "发改局", "市场"],
        {
            "民营企业融资": [
                "融资难",
                "融资贵",
                "融资担保",
                "应急转贷",
                "信用贷款",
                "抵押物",
                "银行贷款",
                "贷款利率",
            ],
            "涉企审批服务": [
                "审批",
                "一网通办",
                "审批时限",
                "证照",
                "窗口",
                "帮办代办",
                "企业开办",
                "容缺受理",
            ],
            "拖欠企业账款": [
                "拖欠",
                "账款",
                "工程款",
                "清欠",
                "欠款",
                "政府项目",
                "支付",
                "质保金",
            ],
            "涉企检查收费": [
                "涉企检查",
                "多头检查",
                "涉企收费",
                "罚款",
                "综合查一次",
                "执法检查",
                "收费清单",
                "中介服务",
            ],
            "产业园区建设": [
                "产业园区",
                "标准厂房",
                "园区配套",
                "亩均效益",
                "招商引资",
                "闲置土地",
                "入园企业",
                "园区道路",
            ],
        },
    ),
    "三农产业": (
        ["农业", "农民", "农业农村局", "种植", "农户增收", "乡村振兴"],
        {
            "高标准农田建设": [
                "高标准农田",
                "农田水利",
                "灌溉",
                "机耕路",
                "管护",
                "土地平整",
                "沟渠",
                "质量验收",
            ],
            "撂荒地整治": [
                "撂荒地",
                "撂荒",
                "复耕",
                "种粮",
                "土地流转",
                "耕地保护",
                "种植补贴",
                "抛荒",
            ],
            "农产品品牌": [
                "农产品",
                "区域公用品牌",
                "地理标志",
                "品牌营销",
                "农产品加工",
                "冷链物流",
                "电商销售",
                "标准化生产",
            ],
            "村集体经济": [
                "村集体经济",
                "集体资产",
                "空壳村",
                "集体收入",
                "资产盘活",
                "合作社",
                "入股分红",
                "经营性收入",
            ],
            "农村电商": [
                "农村电商",
                "直播带货",
                "快递进村",
                "物流配送",
                "网店",
                "电商培训",
                "寄递",
                "农特产品",
            ],
        },
    ),
    "文化旅游": (
        ["文化", "旅游", "文旅局", "游客", "文旅融合", "景区"],
        {
            "非遗保护传承": [
                "非遗",
                "非物质文化遗产",
                "传承人",
                "传习所",
                "老艺人",
                "失传",
                "非遗进校园",
                "手工技艺",
            ],
            "传统村落保护": [
                "传统村落",
                "古建筑",
                "古民居",
                "修缮",
                "历史风貌",
                "保护规划",
                "活化利用",
                "坍塌",
            ],
            "乡村旅游发展": [
                "乡村旅游",
                "民宿",
                "农家乐",
                "旅游线路",
                "同质化",
                "旅游厕所",
                "停车",
                "客源",
            ],
            "公共文化服务": [
                "公共文化",
                "文化站",
                "农家书屋",
                "图书馆",
                "文化活动",
                "文化设施",
                "利用率",
                "文艺队伍",
            ],
        },
    ),
    "社会治理": (
        ["基层治理", "社区", "群众", "街道", "乡镇", "网格"],
        {
            "网格化管理": [
                "网格员",
                "网格化管理",
                "网格划分",
                "待遇",
                "事务繁杂",
                "信息采集",
                "考核",
                "专职网格员",
            ],
            "基层减负": [
                "基层减负",
                "形式主义",
                "台账",
                "填表",
                "督查检查",
                "考核过多",
                "工作群",
                "留痕",
            ],
            "矛盾纠纷化解": [
                "矛盾纠纷",
                "调解",
                "人民调解员",
                "信访",
                "枫桥经验",
                "诉源治理",
                "调解中心",
                "纠纷排查",
            ],
            "电信诈骗防范": [
                "电信诈骗",
                "反诈",
                "诈骗",
                "老年人被骗",
                "预警劝阻",
                "反诈宣传",
                "银行卡",
                "涉诈",
            ],
        },
    ),
    "就业社保": (
        ["就业", "人社局", "劳动者", "社会保障", "保障"],
        {
            "高校毕业生就业": [
                "高校毕业生",
                "就业见习",
                "招聘会",
                "返乡就业",
                "就业岗位",
                "就业补贴",
                "人才公寓",
                "引才",
            ],
            "农民工欠薪治理": [
                "农民工",
                "欠薪",
                "工资",
                "工资保证金",
                "实名制",
                "总包",
                "讨薪",
                "专户",
            ],
            "灵活就业社保": [
                "灵活就业",
                "新就业形态",
                "外卖骑手",
                "职业伤害",
                "参保",
                "社保补贴",
                "平台企业",
                "劳动关系",
            ],
            "残疾人保障": [
                "残疾人",
                "康复",
                "残疾人就业",
                "两项补贴",
                "辅具",
                "托养",
                "无障碍设施",
                "特殊教育",
            ],
        },
    ),
}

ASPECTS: dict[str, list[str]] = {
    "资金保障": ["财政投入", "专项资金", "资金缺口", "预算", "资金来源", "社会资本", "经费"],
    "运维管护": ["运维", "长效管护", "日常维护", "维修", "管护责任", "第三方运维", "闲置"],
    "人才队伍": ["专业人员", "人员编制", "待遇偏低", "培训", "人才流失", "招聘", "队伍老化"],
    "监管执法": ["监管", "执法", "联合执法", "处罚", "巡查", "违规", "监督检查"],
    "设施建设": ["设施建设", "建设进度", "覆盖率", "选址", "建设标准", "配套设施", "新建"],
    "数字赋能": ["信息化", "数字化平台", "大数据", "智慧", "数据共享", "系统对接", "线上办理"],
    "标准规范": ["标准", "规范", "技术规范", "地方标准", "验收", "操作规程", "评价体系"],
    "宣传引导": ["宣传", "群众参与", "意识淡薄", "宣传教育", "典型示范", "村规民约", "参与度"],
    "考核评价": ["考核", "评价", "问责", "考核指标", "绩效", "满意度", "奖惩"],
    "补贴政策": ["补贴", "奖补", "补助标准", "政策兑现", "申领", "补贴范围", "以奖代补"],
    "统筹协调": ["统筹", "多头管理", "职责不清", "部门联动", "协调机制", "联席会议", "推诿"],
    "试点示范": ["试点", "示范点", "经验推广", "先行先试", "示范村", "样板", "以点带面"],
}

TITLE_VERBS = [
    "加快推进",
    "进一步加强",
    "完善",
    "加强",
    "推进",
    "切实做好",
    "着力破解",
    "优化",
    "规范",
    "健全",
]
PROBLEM_PHRASES = [
    "问题比较突出",
    "短板明显",
    "群众意见较大",
    "仍然存在不少困难",
    "亟待解决",
    "制约了发展",
    "成为群众急难愁盼的问题",
    "推进缓慢",
]
FILLER = [
    "据调查",
    "从走访情况看",
    "近年来",
    "调研发现",
    "群众普遍反映",
    "与周边县市相比",
    "从实际情况看",
    "部分乡镇",
    "个别村",
    "总体来看",
    "据统计",
]
ACTIONS = ["加大", "建立", "完善", "出台", "落实", "推行", "设立", "明确", "提高", "整合"]
TOWNS = [
    a + b
    for a in "白黄青石龙凤马新高长清桃花柳金银"
    for b in ("沙镇", "河乡", "山镇", "桥镇", "坪乡")
]


class Doc(NamedTuple):
    matter: tuple[str, str]  # (object, aspect)
    title: str
    body: str


def _pick(rng: random.Random, words: list[str], n: int) -> list[str]:
    return rng.sample(words, min(n, len(words)))


def make_doc(rng: random.Random, obj: str, aspect: str) -> Doc:
    domain_words, objects = next((d, o) for d, o in DOMAINS.values() if obj in o)
    obj_words = objects[obj]
    aspect_words = ASPECTS[aspect]
    title = f"关于{rng.choice(TITLE_VERBS)}{obj}{rng.choice(['', aspect])}的建议"
    sentences = []
    for _ in range(rng.randint(8, 18)):
        a, b = _pick(rng, obj_words, 2)
        c = rng.choice(aspect_words)
        d = rng.choice(domain_words)
        sentences.append(
            rng.choice(
                [
                    f"{rng.choice(FILLER)}，{rng.choice(TOWNS)}{a}{rng.choice(PROBLEM_PHRASES)}，"
                    f"{b}和{c}方面的矛盾尤其明显。",
                    f"全县共有{d}{rng.randint(10, 900)}个，{a}覆盖率仅{rng.randint(20, 80)}%，"
                    f"{c}不到位，{b}{rng.choice(PROBLEM_PHRASES)}。",
                    f"{rng.choice(FILLER)}，{d}对{a}的需求日益增长，但{c}跟不上，"
                    f"{rng.choice(TOWNS)}等地{b}问题反复出现。",
                    f"造成这一局面的原因主要是{c}没有落实，{rng.choice(aspect_words)}不足，"
                    f"{a}与{b}衔接不够。",
                ]
            )
        )
    measures = []
    for number in "一二三四五"[: rng.randint(3, 5)]:
        measures.append(
            f"{number}是{rng.choice(ACTIONS)}{rng.choice(aspect_words)}，"
            f"{rng.choice(ACTIONS)}{rng.choice(obj_words)}{rng.choice(['机制', '制度', '措施', ''])}，"
            f"由{rng.choice(domain_words)}相关责任单位牵头，{rng.choice(ACTIONS)}"
            f"{rng.choice(aspect_words)}和{rng.choice(obj_words)}工作，力争{rng.randint(1, 3)}年内见效"
        )
    body = "".join(sentences) + "建议：" + "；".join(measures) + "。"
    return Doc((obj, aspect), title, body)


def all_matters() -> list[tuple[str, str]]:
    return [(obj, aspect) for _, objs in DOMAINS.values() for obj in objs for aspect in ASPECTS]


def reword(rng: random.Random, doc: Doc) -> Doc:
    """A member re-submitting an earlier proposal: same matter, half the sentences rewritten."""
    fresh = make_doc(rng, *doc.matter)
    old = doc.body.split("。")
    new = fresh.body.split("。")
    mixed = [o if rng.random() < 0.5 else n for o, n in zip(old, new, strict=False)]
    return Doc(doc.matter, rng.choice([doc.title, fresh.title]), "。".join(mixed))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49]:.2f} ms  p95 {q[94]:.2f} ms  p99 {q[98]:.2f} ms  max {values[-1]:.2f} ms"


def exhaustive(
    index: SimilarityIndex, title: str, body: str, years: set[int] | None, k: int
) -> list[int]:
    """Exact cosine against every indexed proposal of the years (no pruning)."""
    state = index._kinds["proposal"]
    scored = index._query_vector(state, term_weights(body, title))
    qnorm = math.sqrt(sum((w * idf) ** 2 for _, w, idf in scored))
    dot_weights = {tid: w * idf * idf / _SCALE for tid, w, idf in scored if tid is not None}
    results = []
    for slot, key in enumerate(index._key):
        if key is None or (years is not None and index._year[slot] not in years):
            continue
        dot = sum(
            dot_weights.get(t, 0.0) * w
            for t, w in zip(index._terms[slot], index._weights[slot], strict=True)
        )
        score = dot / (qnorm * index._doc_norm(slot, state))
        if score >= DEFAULT_MIN_SCORE:
            results.append((score, key[1]))
    return [doc_id for _, doc_id in heapq.nlargest(k, results)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--recall-sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--tracemalloc", action="store_true", help="trace index memory (slow)")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="SNAPSHOT",
        help="load the index from this snapshot if it exists (else build and save it there)",
    )
    args = parser.parse_args()

    rng = random.Random(args.seed)
    matters = all_matters()
    print(f"{len(matters)} matters, {len(DOMAINS)} domains; generating {args.docs} proposals")
    docs = [make_doc(rng, *rng.choice(matters)) for _ in range(args.docs)]
    years = [YEARS[i * len(YEARS) // args.docs] for i in range(args.docs)]
    mean_len = statistics.mean(len(d.title) + len(d.body) for d in docs)
    print(f"mean length {mean_len:.0f} characters; {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        init_text_engine(None, Path(cache))
        print(f"jieba init {time.perf_counter() - started:.2f} s, RSS {rss_mb():.0f} MB")
    gc.collect()
    rss_before = rss_mb()
    if args.tracemalloc:
        tracemalloc.start()
    if args.reuse and args.reuse.exists():
        started = time.perf_counter()
        index = SimilarityIndex.load(args.reuse)
        print(
            f"loaded {len(index)} docs from {args.reuse} in {time.perf_counter() - started:.1f} s"
        )
    else:
        index = SimilarityIndex()
        started = time.perf_counter()
        for doc_id, (doc, year) in enumerate(zip(docs, years, strict=True), start=1):
            index.add(doc_id, doc.body, year=year, title=doc.title)
        build = time.perf_counter() - started
        gc.collect()
        traced = ""
        if args.tracemalloc:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            traced = f", tracemalloc current {current / 2**20:.0f} MB peak {peak / 2**20:.0f} MB"
        print(
            f"build: {len(index)} docs in {build:.1f} s ({build / len(index) * 1000:.2f} ms/doc), "
            f"RSS {rss_before:.0f} -> {rss_mb():.0f} MB (+{rss_mb() - rss_before:.0f} MB){traced}"
        )
        if args.reuse:
            index.save(args.reuse)
    started = time.perf_counter()
    index.refresh()
    print(f"refresh (all norms): {(time.perf_counter() - started) * 1000:.0f} ms")

    with tempfile.TemporaryDirectory() as folder:
        snapshot = Path(folder) / "similarity.snapshot"
        started = time.perf_counter()
        index.save(snapshot)
        saved = time.perf_counter() - started
        size = snapshot.stat().st_size / 2**20
        started = time.perf_counter()
        loaded = SimilarityIndex.load(snapshot)
        load_time = time.perf_counter() - started
        started = time.perf_counter()
        for doc_id, (doc, year) in enumerate(zip(docs, years, strict=True), start=1):
            loaded.add(doc_id, doc.body, year=year, title=doc.title)  # unchanged: no tokenising
        readd = time.perf_counter() - started
        probe = docs[123]
        same = loaded.query(probe.body, title=probe.title, years=None) == index.query(
            probe.body, title=probe.title, years=None
        )
        print(
            f"snapshot: save {saved:.1f} s ({size:.0f} MB), load {load_time:.1f} s, "
            f"re-adding {len(docs)} unchanged records {readd:.1f} s, same results: {same}"
        )
        del loaded
        gc.collect()

    queries: list[Doc] = []
    for _ in range(args.queries):
        if rng.random() < 0.1:
            queries.append(reword(rng, docs[rng.randrange(len(docs))]))
        else:
            queries.append(make_doc(rng, *rng.choice(matters)))

    for label, query_years in (("this+last year", {2025, 2026}), ("all 10 years", None)):
        times = []
        cpu_times = []
        with_match = 0
        load_before = os.getloadavg()[0]
        for query in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            matches = index.query(query.body, title=query.title, years=query_years, k=3)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
            with_match += bool(matches)
        print(
            f"query ({label}, k=3, min_score={DEFAULT_MIN_SCORE}), "
            f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}:"
        )
        print(f"  wall: {percentiles(times)}")
        print(f"  CPU:  {percentiles(cpu_times)}")
        print(f"  queries with at least one match: {with_match}/{len(queries)}")

        # precision of returned matches (same object x aspect) and recall vs exhaustive scan
        returned = same = same_object = 0
        agree = expected = 0
        for query in queries[: args.recall_sample]:
            matches = index.query(query.body, title=query.title, years=query_years, k=3)
            returned += len(matches)
            same += sum(docs[m.doc_id - 1].matter == query.matter for m in matches)
            same_object += sum(docs[m.doc_id - 1].matter[0] == query.matter[0] for m in matches)
            truth = exhaustive(index, query.title, query.body, query_years, 3)
            expected += len(truth)
            agree += len(set(truth) & {m.doc_id for m in matches})
        print(
            f"  on {args.recall_sample} queries: of {returned} matches, {same_object} same object, "
            f"{same} same object x aspect; recall vs exhaustive exact cosine {agree}/{expected}"
            f" = {agree / max(expected, 1):.3f}"
        )


if __name__ == "__main__":
    main()
