"""Wording for the benchmark corpus: the catalogue, a seeded vocabulary of 政务 phrases and small files.

The text only has to look and weigh like real entries (Chinese paragraphs, headings, lists, tables of about
1.5 KB); it avoids long digit runs so the privacy rule never mistakes a figure for a phone or ID number.
"""

from __future__ import annotations

import random
from typing import Any

SITE_NAME = "汕尾市环境保护局"
KEY_AREAS = ("construction-projects", "pollution-events", "double-random", "budget-disclosure")
BODY_BYTES = 1500

CATALOG_YAML = """\
# 基准测试用的合成站点（benchmarks/corpus.py 生成，示例数据）。
site:
  name: 汕尾市环境保护局
  org_code: "1144150000717074X7"
  base_url: "https://www.shanwei.gov.cn/swhbj/"
  site_code: "4415000025"
  icp: "粤ICP备05080325号"
  police_record: "粤公网安备 44150202000001号"
  address: 汕尾市城区金湖路夏楼美段
  postcode: "516600"
  phone: "0660-3362103"
  fax: "0660-3362105"
  office_hours: 周一至周五 上午8:30—12:00，下午14:30—17:30（法定节假日除外）
  email: swhbj@example.gov.cn
  disclosure_office: 汕尾市环境保护局办公室
  supervisor: 汕尾市人民政府办公室（市政务公开办）
  demo: true
departments: [办公室, 法制科, 规划财务科, 污染防治科, 环境影响评价科, 自然生态保护科, 监察分局, 环保窗口, 信息中心, 环境监测站]
topics: [综合政务, 政务公开, 机构职能, 环境保护, 环境影响评价, 污染防治, 生态保护, 环境监测, 执法监督, 财政资金]
# 合成数据无法保证每个栏目都有近期信息：关闭空白栏目和超期未更新两条规则（规则本身仍会运行）。
severity: {EMPTY_COLUMN: "off", STALE_COLUMN: "off"}
columns:
  - {id: organization, title: 组织机构, type: organization, description: 本局机构职能、领导信息和内设机构。,
     children: [{id: powers, title: 权责清单, type: power, description: 本局依法实施的权责事项。}]}
  - id: documents
    title: 文件
    type: document
    description: 本局制发的规范性文件和其他文件。
    freshness: notices
    children:
      - {id: normative, title: 规范性文件, type: document, description: 行政规范性文件。}
      - {id: other, title: 其他文件, type: document, description: 通知、通报等其他文件。}
  - {id: interpretations, title: 政策解读, type: interpretation, description: 对本局政策性文件作出的解读。}
  - id: enforcement
    title: 行政执法
    type: enforcement
    description: 环评审批、行政处罚和“双随机、一公开”抽查结果。
    children:
      - {id: permits, title: 环评审批, type: enforcement, description: 建设项目环评审批决定。}
      - {id: penalties, title: 行政处罚, type: enforcement, description: 环境行政处罚决定书。}
      - {id: inspections, title: 双随机抽查, type: enforcement, description: 随机抽查计划和结果。}
  - {id: guides, title: 办事指南, type: guide, description: 本局政务服务事项的办事指南。}
  - id: budgets
    title: 财政预决算
    type: budget
    description: 部门预算、部门决算和“三公”经费，金额单位为万元。
    children:
      - {id: budget, title: 部门预算, type: budget, description: 年度部门预算。}
      - {id: final-accounts, title: 部门决算, type: budget, description: 年度部门决算。}
      - {id: three-public, title: 三公经费, type: budget, description: “三公”经费预决算。}
  - id: news
    title: 工作动态
    type: news
    description: 本局重点工作、重要会议和活动的动态信息。
    freshness: news
    children: [{id: reprints, title: 转载, type: reprint, description: 转载的权威信息。}]
  - id: participation
    title: 公众参与
    type: consultation
    description: 公开征求意见及意见采纳情况。
    children:
      - {id: responses, title: 回应关切, type: response, description: 回应社会关切的情况说明。}
      - {id: proposals, title: 建议提案办理, type: proposal, description: 建议提案答复全文。}
      - {id: messages, title: 网民留言办理, type: message, description: 网民留言及答复。}
  - {id: open-data, title: 数据开放, type: dataset, description: 可下载、可再利用的数据集。}
  - {id: annual-reports, title: 政府信息公开年报, type: annual_report, description: 政府信息公开工作年度报告。}
key_areas:
  - {id: construction-projects, title: 重大建设项目批准和实施, description: 重大建设项目环评审批政策和审批决定。}
  - {id: pollution-events, title: 重大环境污染和生态破坏事件调查处理, description: 突发环境事件处置和调查处理。}
  - {id: double-random, title: “双随机、一公开”监管, description: 随机抽查细则、计划和结果。}
  - {id: budget-disclosure, title: 财政预决算, description: 部门预决算和“三公”经费。}
"""

_ROW = "[0, 0, 0, 0, 0, 0, 0]"
ANNUAL_TABLES = f"""\
applications:
  一、本年新收政府信息公开申请数量: {_ROW}
  二、上年结转政府信息公开申请数量: {_ROW}
  三、本年度办理结果:
    （一）予以公开: {_ROW}
    （二）部分公开（区分处理的，只计这一情形，不计其他情形）: {_ROW}
    （三）不予公开:
      1.属于国家秘密: {_ROW}
      2.其他法律行政法规禁止公开: {_ROW}
      3.危及“三安全一稳定”: {_ROW}
      4.保护第三方合法权益: {_ROW}
      5.属于三类内部事务信息: {_ROW}
      6.属于四类过程性信息: {_ROW}
      7.属于行政执法案卷: {_ROW}
      8.属于行政查询事项: {_ROW}
    （四）无法提供:
      1.本机关不掌握相关政府信息: {_ROW}
      2.没有现成信息需要另行制作: {_ROW}
      3.补正后申请内容仍不明确: {_ROW}
    （五）不予处理:
      1.信访举报投诉类申请: {_ROW}
      2.重复申请: {_ROW}
      3.要求提供公开出版物: {_ROW}
      4.无正当理由大量反复申请: {_ROW}
      5.要求行政机关确认或重新出具已获取信息: {_ROW}
    （六）其他处理:
      1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请: {_ROW}
      2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请: {_ROW}
      3.其他: {_ROW}
    （七）总计: {_ROW}
  四、结转下年度继续办理: {_ROW}
reviews:
  行政复议: [0, 0, 0, 0, 0]
  行政诉讼:
    未经复议直接起诉: [0, 0, 0, 0, 0]
    复议后起诉: [0, 0, 0, 0, 0]
"""

DEPARTMENTS = ("办公室", "法制科", "规划财务科", "污染防治科", "环境影响评价科", "自然生态保护科", "监察分局",
               "环保窗口", "信息中心", "环境监测站")
TOPICS = ("综合政务", "政务公开", "机构职能", "环境保护", "环境影响评价", "污染防治", "生态保护", "环境监测",
          "执法监督", "财政资金")
SUBJECTS = ("我局", "市环保局", "局党组", "监察分局", "环境监测站", "各县（市、区）环保部门", "局机关各科室",
            "执法人员", "环保窗口", "有关单位")
VERBS = ("深入推进", "认真落实", "统筹部署", "扎实开展", "持续加强", "全面推行", "进一步规范", "严格执行",
         "组织开展", "稳步推进")
OBJECTS = ("大气污染防治攻坚", "重点排污单位自行监测", "“双随机、一公开”监管", "建设项目环境影响评价审批",
           "政务公开标准化规范化建设", "近岸海域综合治理", "红树林湿地保护修复", "固体废物规范化管理",
           "饮用水水源地保护", "排污许可证后监管", "挥发性有机物综合治理", "农村生活污水治理",
           "突发环境事件应急演练", "生态环境信用评价", "政策解读和回应关切", "入河排污口排查整治")
PURPOSES = ("确保各项任务按期完成", "切实提高监管效能", "不断提升群众满意度", "推动生态环境质量持续改善",
            "形成一级抓一级、层层抓落实的工作格局", "依法保障公众的知情权、参与权和监督权",
            "守住生态环境安全底线", "为高质量发展提供有力支撑")
OPENERS = ("同时，", "此外，", "下一步，", "为此，", "", "", "近年来，", "按照工作要点的要求，")
UNITS = ("家", "件", "次", "个", "项", "人次")
HEADINGS = ("一、工作背景", "二、主要措施", "三、工作成效", "四、下一步工作", "工作要求", "保障措施", "主要内容",
            "有关说明")
PLACES = ("城区", "海丰县", "陆丰市", "陆河县", "红海湾开发区", "华侨管理区")
TRADES = ("化工", "电镀", "印染", "石材", "食品", "电子", "塑料制品", "水产加工")
TITLES = {
    "document": "关于{verb}{obj}工作的通知", "interpretation": "{obj}政策解读",
    "enforcement": "{place}某某{trade}有限公司{obj}行政执法信息", "guide": "{obj}事项办事指南",
    "budget": "汕尾市环境保护局{year}年部门预决算公开", "organization": "汕尾市环境保护局机构职能和内设机构",
    "power": "{obj}监督检查", "news": "市环保局{verb}{obj}", "reprint": "{year}年全国{obj}工作取得新进展",
    "consultation": "关于公开征求《{obj}工作方案（征求意见稿）》意见的公告", "response": "关于{place}{obj}有关问题的情况说明",
    "proposal": "关于加强{obj}的建议答复", "message": "关于{place}{obj}问题的留言答复", "dataset": "{year}年{obj}统计数据",
}


class Writer:
    """Sentences, paragraphs and whole bodies drawn from the vocabulary with one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def title(self, kind: str, year: int) -> str:
        """A title of the usual shape for ``kind``."""
        pick = self.rng.choice
        return TITLES[kind].format(verb=pick(VERBS), obj=pick(OBJECTS), place=pick(PLACES), trade=pick(TRADES),
                                   year=year)

    def department(self) -> str:
        """A department from the catalogue's vocabulary."""
        return self.rng.choice(DEPARTMENTS)

    def topic(self) -> str:
        """A topic from the catalogue's vocabulary."""
        return self.rng.choice(TOPICS)

    def keywords(self) -> list[str]:
        """Two or three keywords."""
        return [obj.strip("“”") for obj in self.rng.sample(OBJECTS, self.rng.randint(2, 3))]

    def summary(self) -> str:
        """A one-sentence summary."""
        return f"（示例）{self.rng.choice(VERBS)}{self.rng.choice(OBJECTS)}，{self.rng.choice(PURPOSES)}。"

    def company(self) -> str:
        """A de-identified company name, as enforcement decisions publish them."""
        return f"{self.rng.choice(PLACES)}某某{self.rng.choice(TRADES)}有限公司"

    def sentence(self) -> str:
        """One sentence; one in three carries a small statistic."""
        pick = self.rng.choice
        figure = f"，累计{self.rng.randint(2, 300)}{pick(UNITS)}" if self.rng.random() < 0.33 else ""
        return f"{pick(OPENERS)}{pick(SUBJECTS)}{pick(VERBS)}{pick(OBJECTS)}{figure}，{pick(PURPOSES)}。"

    def paragraph(self) -> str:
        """Three to five sentences."""
        return "".join(self.sentence() for _ in range(self.rng.randint(3, 5)))

    def body(self, title: str) -> str:
        """A Markdown body of about ``BODY_BYTES``: paragraphs, headings, a list, sometimes a table."""
        parts = [f"为{self.rng.choice(PURPOSES)}，现就{title}有关事项说明如下。{self.paragraph()}"]
        headings = iter(self.rng.sample(HEADINGS, 3))
        parts += [f"## {next(headings)}", self.paragraph(), self._list()]
        if self.rng.random() < 0.3:
            parts.append(self._table())
        while len("\n\n".join(parts).encode()) < BODY_BYTES:
            parts.append(self.paragraph())
            if len(parts) == 5:
                parts.append(f"## {next(headings)}")
        parts.append(f"{SITE_NAME}\n\n（本条为基准测试生成的示例数据。）")
        return "\n\n".join(parts) + "\n"

    def _list(self) -> str:
        """A numbered list of three or four measures."""
        items = self.rng.sample(OBJECTS, self.rng.randint(3, 4))
        return "\n".join(f"{n}. **{item}。** {self.sentence()}" for n, item in enumerate(items, 1))

    def _table(self) -> str:
        """A small two-column table of counts."""
        rows = [f"| {item} | {self.rng.randint(1, 120)} |" for item in self.rng.sample(OBJECTS, 3)]
        return "\n".join(["| 项目 | 数量（件） |", "| --- | ---: |", *rows])

    def guide_fields(self, serial: int) -> dict[str, Any]:
        """The elements of a 办事指南; only the item code varies."""
        return {"item_code": f"SWHB-XK-{serial:04d}", "basis": "《中华人民共和国环境影响评价法》第二十二条",
                "conditions": "建设项目属于市级审批权限且依法应当编制环境影响评价文件。",
                "materials": ["审批申请书（电子版）", "环境影响报告表（全本，电子版）"],
                "process": "网上申请、受理、审查、决定、送达。", "legal_limit": "30日", "promised_limit": "15个工作日",
                "fee": "不收费", "location": "汕尾市行政服务中心二楼环保窗口", "hours": "工作日 8:30—12:00，14:30—17:30",
                "phone": "0660-3362150", "complaint": "12345政务服务便民热线", "visits": self.rng.randint(0, 2)}


def attachment_text(suffix: str) -> str:
    """The shared content of a synthetic attachment (text or CSV)."""
    if suffix == ".csv":
        return "序号,单位名称,检查结果\n1,某某化工有限公司,未发现问题\n2,某某电镀有限公司,责令整改\n"
    return f"{SITE_NAME} 附件（示例）\n\n申请材料清单：申请书、报告表、公开版本说明。\n"


def dataset_columns() -> list[dict[str, str]]:
    """The declared columns of every synthetic data file, in CSV header order."""
    return [{"name": "月份", "type": "文本"}, {"name": "检查次数", "type": "整数", "unit": "次"},
            {"name": "罚没款金额", "type": "小数", "unit": "万元"}]


def dataset_csv(rng: random.Random, year: int) -> str:
    """Twelve monthly rows matching :func:`dataset_columns`."""
    rows = [f"{year}-{month:02d},{rng.randint(3, 60)},{rng.randint(0, 900) / 10}" for month in range(1, 13)]
    return "\n".join(["月份,检查次数,罚没款金额", *rows]) + "\n"
