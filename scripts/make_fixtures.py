#!/usr/bin/env python3
"""Writes the small import fixtures in tests/fixtures/ (committed; re-run only to change them).

Needs: pip install openpyxl xlwt odfpy. All people and companies are fictional.
"""
import datetime, os, zipfile, io
import openpyxl, xlwt
from openpyxl.styles import Font
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")
os.makedirs(OUT, exist_ok=True)
FIXED = datetime.datetime(2026, 1, 1)

def save_xlsx(wb, name):
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(os.path.join(OUT, name))

# 1. GBK CSV from an older system, English + Chinese headers mixed, values with separators.
rows = [
    ["编号", "姓名", "工作单位", "职称", "细分领域", "研究方向", "关键词", "电话", "邮箱"],
    ["G001", "陈立新", "福州大学", "教授", "碳化硅", "碳化硅单晶生长与缺陷控制，PVT法长晶热场模拟", "碳化硅、PVT、位错", "13800000001", "chenlx@example.edu.cn"],
    ["G002", "林美华", "华侨大学", "副教授", "含氟聚合物；锂电正极材料", "PVDF粘结剂改性与正极浆料流变", "PVDF;浆料,流变", "0591-83700002", "linmh@example.edu.cn"],
    ["G003", "黄建国", "三明学院", "高级工程师", "兵器科学", "含能材料安全评估", "安全评估", "", ""],
]
with open(os.path.join(OUT, "experts_gbk.csv"), "wb") as f:
    q = lambda v: '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v
    f.write("\r\n".join(",".join(q(v) for v in r) for r in rows).encode("gbk") + b"\r\n")

# 2. Messy headers: a title row, full-width and starred headers, extra columns, a merged cell,
#    numbers stored as numbers, a blank row.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "专家名单"
ws.append(["2024年清流县新材料专家推荐汇总表（虚构）"])
ws.merge_cells("A1:J1")
ws.append(["序号", " *姓  名 ", "性别", "工作单位（全称）", "职　称", "新材料细分领域", "研究方向", "代表性成果", "联系电话", "ＥＭＡＩＬ", "填表人"])
ws.append([1, "周文斌", "男", "厦门大学", "教授", "稀土永磁材料", "晶界扩散重稀土减量化，钕铁硼矫顽力机理", "Grain boundary diffusion of Tb in NdFeB magnets", 13800000011, "zhouwb@example.edu.cn", "王"])
ws.append([2, "吴晓琳", "女", None, "研究员", "高性能铝合金、半固态成形", "半固态流变压铸与微观组织调控", "授权发明专利5项", 13800000012, "wuxl@example.edu.cn", "王"])
ws.append([])
ws.append([3, "郑海峰", "男", "中国科学院过程工程研究所", "研究员", "分离与提纯", "萃取过程强化与界面化学，乳化机理", "国家重点研发计划课题", 13800000013, "zhenghf@example.ac.cn", "王"])
ws.merge_cells("D3:D4")  # the two 厦门大学 rows share one merged cell; D4 is empty in the file

save_xlsx(wb, "experts_messy_headers.xlsx")

# 3. Bad rows: each rejected for a clear reason; good rows still go in.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "专家"
ws.append(["编号", "姓名", "性别", "单位", "细分领域", "研究方向", "电话", "邮箱"])
ws.append(["B001", "刘志强", "男", "天津大学", "氮化镓", "GaN外延与器件可靠性", "13800000021", "liuzq@example.edu.cn"])
ws.append(["B002", "孙丽", "F", "上海交通大学", "镁合金", "镁合金腐蚀防护", "13800000022", "sunli#example.edu.cn"])   # bad e-mail
ws.append(["B003", "赵刚", "男性?", "福州大学", "钛合金", "钛合金增材制造", "13800000023", "zhaog@example.edu.cn"])   # bad gender
ws.append(["", "", "", "华侨大学", "石墨烯", "石墨烯导热膜", "", ""])                                                   # no name, no id
ws.append(["B001", "刘志强", "男", "天津大学", "氮化镓", "重复的一行", "13800000021", "liuzq@example.edu.cn"])        # duplicate id
ws.append(["B006", "钱勇", "男", "中国科学院上海有机化学研究所", "含氟精细化学品", "有机氟化学与含氟医药中间体", "电话：打办公室", "qiany@example.ac.cn"])  # bad phone
ws.append(["B007", "何静", "女", "嘉庚创新实验室", "固态电解质", "硫化物固态电解质界面稳定性", "13800000027", "hej@example.cn"])
save_xlsx(wb, "experts_bad_rows.xlsx")

# 3b. The same file after staff fixed it (to re-import: updates, no duplicates).
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["编号", "姓名", "性别", "单位", "细分领域", "研究方向", "电话", "邮箱"])
ws.append(["B001", "刘志强", "男", "天津大学", "氮化镓", "GaN外延与器件可靠性", "13800000021", "liuzq@example.edu.cn"])
ws.append(["B002", "孙丽", "女", "上海交通大学", "镁合金", "镁合金腐蚀防护", "13800000022", "sunli@example.edu.cn"])
ws.append(["B003", "赵刚", "男", "福州大学", "钛合金", "钛合金增材制造", "13800000023", "zhaog@example.edu.cn"])
ws.append(["B004", "冯晓东", "男", "华侨大学", "石墨烯", "石墨烯导热膜", "", ""])
ws.append(["B006", "钱勇", "男", "中国科学院上海有机化学研究所", "含氟精细化学品", "有机氟化学与含氟医药中间体", "021-54920006", "qiany@example.ac.cn"])
ws.append(["B007", "何静", "女", "嘉庚创新实验室", "固态电解质", "硫化物固态电解质界面稳定性（已更新）", "13800000027", "hej@example.cn"])
save_xlsx(wb, "experts_bad_rows_fixed.xlsx")

# 4. Demands with bad cells and enterprise name variants.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "需求清单"
ws.append(["需求编号", "企业名称", "统一社会信用代码", "所在园区/乡镇", "联系人", "联系电话", "需求名称", "需求描述", "细分领域", "关键词", "期望合作方式", "拟投入经费（万元）", "紧急程度", "截止时间", "状态"])
ws.append(["T001", "福建清溪新材料有限公司", "91350423MA2XXXXX1A", "清流县氟新材料产业园", "李经理", "13900000001", "PVDF树脂批次稳定性", "聚合釜放大后分子量分布变宽，批次间粘度波动大", "含氟聚合物", "PVDF、分子量分布", "技术攻关、联合申报项目", 80, "高", datetime.date(2026, 6, 30), "待对接"])
ws.append(["T002", "清溪新材料", "", "清流县氟新材料产业园", "李经理", "13900000001", "含氟废水除氟", "含氟废水氟离子超标，石灰法污泥量大", "工业废水处理", "含氟废水", "技术攻关", "50万", "中", "2026年12月", ""])
ws.append(["T003", "三明龙津电池材料有限公司", "", "龙津镇", "陈工", "13900000003", "负极压实密度提升", "负极压实密度偏低，客户要求提高", "负极材料", "压实密度", "蹲点调研", "很多钱", "高", "2026-03-01", "待对接"])  # bad budget
ws.append(["T004", "三明龙津电池材料有限公司", "", "龙津镇", "陈工", "13900000003", "电解液水分控制", "电解液水分偶尔超标", "电解液", "水分", "技术攻关", 30, "尽快吧", "2026-03-01", "待对接"])  # bad urgency
ws.append(["T005", "三明龙津电池材料有限公司", "", "龙津镇", "陈工", "13900000003", "隔膜涂覆", "涂覆层脱落", "", "涂覆", "技术攻关", 30, "低", "明年春天", "待对接"])  # bad deadline
ws.append(["T006", "福建嵩溪稀土有限公司", "123", "嵩溪镇", "周总", "13900000006", "萃取分相慢", "萃取槽乳化、分相慢", "稀土分离", "萃取", "技术攻关", 20, "中", "2026-09-30", "搁置"])  # bad credit code + status
ws.append(["T007", "", "", "", "", "", "", "", "", "", "", "", "", "", ""])
save_xlsx(wb, "demands_bad_rows.xlsx")

# 5. The same small list as .xls (old Excel) and .ods (WPS/LibreOffice).
header = ["编号", "姓名", "单位", "新材料细分领域", "研究方向"]
data = [["X001", "高明", "福州大学", "光伏材料", "钙钛矿光伏薄膜稳定性"], ["X002", "罗敏", "华侨大学", "量子点", "量子点发光与封装"]]
book = xlwt.Workbook(encoding="utf-8")
sh = book.add_sheet("专家")
for r, row in enumerate([header] + data):
    for c, v in enumerate(row):
        sh.write(r, c, v)
book.save(os.path.join(OUT, "experts_old.xls"))

doc = OpenDocumentSpreadsheet()
table = Table(name="专家")
for row in [header] + data:
    tr = TableRow()
    for v in row:
        tc = TableCell(valuetype="string")
        tc.addElement(P(text=v))
        tr.addElement(tc)
    table.addElement(tr)
doc.spreadsheet.addElement(table)
doc.save(os.path.join(OUT, "experts_wps.ods"))

# 6. Broken files.
with open(os.path.join(OUT, "broken_truncated.xlsx"), "wb") as f:
    buf = open(os.path.join(OUT, "experts_bad_rows.xlsx"), "rb").read()
    f.write(buf[: len(buf) // 3])
with open(os.path.join(OUT, "not_a_list.csv"), "w", encoding="utf-8") as f:
    f.write("会议纪要\n今天讨论了对接会安排\n")
# A CSV (UTF-8 with BOM, CRLF, as Excel's "CSV UTF-8") whose line-4 cell never closes its quote.
with open(os.path.join(OUT, "experts_unclosed_quote.csv"), "wb") as f:
    f.write("\ufeff编号,姓名,工作单位,研究方向\r\nU001,张伟,厦门大学,\"界面化学\r\n萃取\"\r\n"
            "U002,李娜,福州大学,\"锂电正极材料，PVDF粘结剂\r\nU003,王强,华侨大学,碳化硅外延\r\n".encode("utf-8"))
print("fixtures written to", os.path.abspath(OUT))
