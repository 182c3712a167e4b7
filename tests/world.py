"""A small hand-written world in the SPEC §3 import formats, in canonical export form
(money with two decimals, booleans as true/false, every column present) so that an import
followed by an export gives back exactly these lines. Tables are listed in dependency order."""

from __future__ import annotations

from sqlalchemy import Engine

from db.transfer import import_rows

WORLD: dict[str, str] = {
    "regions": """region_id,name
R001,华东区
R002,华南区
""",
    "reps": """rep_id,name,region_id,manager_id,hire_date,active
E01,张伟,R001,,2020-03-01,true
E02,李娜,R001,E01,2022-07-15,true
E03,王强,R002,,2019-11-01,false
""",
    "products": """product_id,name,category
P1,工业清洗剂,化学品
P2,防护手套,劳保用品
""",
    "customers": """customer_id,name,region_id,owner_rep_id,status,created_on,priority,\
prospect_grade,annual_potential,industry,employees,credit_rating,credit_limit,\
payment_terms_days,contact,phone,address
C1,上海鑫达贸易有限公司,R001,E02,active,2025-01-10,key,,1200000.00,制造,120,A,200000.00,60,\
陈经理,13800000000,上海市鑫达路1号
C2,杭州恒通实业有限公司,R001,E02,prospect,2026-08-01,normal,B,300000.00,,,,,,,,
C3,广州华泰商贸有限公司,R002,E03,active,2024-05-20,low,,,批发零售,15,B,50000.00,30,林小姐,,
""",
    "targets": """period,metric,amount,region_id,rep_id,product_id
2026-10,revenue,100000.00,,,
2026-10,revenue,60000.00,R001,,
2026-10,revenue,40000.00,R002,,
2026-10,revenue,60000.00,R001,E02,
2026-10,visits,40,R001,E02,
""",
    "orders": """order_id,date,customer_id,rep_id,product_id,quantity,amount,cost
O1,2026-10-05,C1,E02,P1,10,25000.00,15000.00
O2,2026-10-20,C1,E02,P2,5,5000.50,3000.25
O3,2026-10-12,C3,E03,P1,8,20000.00,12000.00
""",
    "payments": """payment_id,date,customer_id,rep_id,amount
PM1,2026-10-30,C1,E02,25000.00
""",
    "activities": """activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome,\
duration_min,cost,notes
A1,2026-10-05,E02,C1,visit,order,done,true,sale,60,150.00,签订订单
A2,2026-10-06,E02,C2,call,new_customer,missed,true,,,,
A3,2026-10-06,E03,C3,call,service,done,false,contacted,10,2.00,
""",
    "daily_reports": """report_id,rep_id,date,submitted_at,summary,competitor_info,\
customer_feedback,status,reviewed_by,reviewed_at,review_comment
DR1,E02,2026-10-05,2026-10-05T19:30:00,拜访鑫达签单,竞品降价,满意,approved,manager,\
2026-10-06T09:00:00,
""",
    "opportunities": """opportunity_id,customer_id,rep_id,name,amount,stage,created_on,\
expected_close,closed_on,lost_reason
OP1,C2,E02,清洗剂年度采购,80000.00,qualified,2026-09-01,2026-12-15,,
OP2,C3,E03,手套补货,12000.00,lost,2026-08-01,2026-09-30,2026-09-20,价格太高
""",
    "opportunity_stages": """opportunity_id,stage,entered_on
OP1,contacted,2026-09-10
OP1,identified,2026-09-01
OP1,qualified,2026-10-01
OP2,identified,2026-08-01
OP2,lost,2026-09-20
""",
    "market_reports": """report_id,date,rep_id,customer_id,kind,severity,summary,status,\
resolved_on
MR1,2026-10-08,E03,C3,complaint,high,交货延迟,open,
MR2,2026-10-09,E01,,competitor,medium,竞争对手降价10%,resolved,2026-10-20
""",
}


def rows_of(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


def load_world(engine: Engine, tables: dict[str, str] | None = None) -> None:
    """Import the world (or ``tables``) into ``engine``; fails loudly on any error."""
    for table, text in (tables or WORLD).items():
        result = import_rows(engine, table, rows_of(text), f"{table}.csv")
        assert result.ok, [str(e) for e in result.errors]


# A pipeline on 2026-11-18 (tests of SPEC §4.4): D1 won through every stage, D2 skipped
# contacted and was lost at qualified, D3 skipped qualified and sits in developed for 48 days,
# D4 skipped qualified and developed, D5 is 90 days in contacted and past its expected close,
# D6 has been 29 days in qualified (R002), D7 jumped from contacted to won, D8 lost early.
PIPELINE: dict[str, str] = {
    **WORLD,
    "targets": WORLD["targets"]
    + """2026-11,revenue,60000.00,R001,,
2026-11,revenue,60000.00,R001,E02,
2026-12,revenue,100000.00,R001,,
2026-12,revenue,50000.00,R002,,
2026-12,revenue,100000.00,R001,E02,
2026-12,revenue,50000.00,R002,E03,
""",
    "orders": WORLD["orders"]
    + """O4,2026-11-05,C1,E02,P1,4,20000.00,12000.00
O5,2026-11-25,C1,E02,P1,1,5000.00,3000.00
""",
    "opportunities": """opportunity_id,customer_id,rep_id,name,amount,stage,created_on,\
expected_close,closed_on,lost_reason
D1,C1,E02,年度框架,100000.00,won,2026-06-01,2026-10-31,2026-10-10,
D2,C1,E02,手套试用,50000.00,lost,2026-07-01,2026-09-30,2026-08-15,价格太高
D3,C2,E02,清洗剂年度采购,200000.00,developed,2026-09-01,2026-12-15,,
D4,C2,E02,劳保补货,80000.00,committed,2026-10-20,2026-12-05,,
D5,C1,E02,新品试点,30000.00,contacted,2026-08-01,2026-11-10,,
D6,C3,E03,门店扩张,40000.00,qualified,2026-09-15,2026-12-20,,
D7,C3,E03,仓库翻新,60000.00,won,2026-05-01,2026-10-31,2026-11-05,
D8,C1,E02,小额补单,20000.00,lost,2026-11-01,2026-11-30,2026-11-12,预算取消
""",
    "opportunity_stages": """opportunity_id,stage,entered_on
D1,identified,2026-06-01
D1,contacted,2026-06-11
D1,qualified,2026-07-01
D1,developed,2026-07-21
D1,committed,2026-08-10
D1,won,2026-10-10
D2,identified,2026-07-01
D2,qualified,2026-07-16
D2,lost,2026-08-15
D3,identified,2026-09-01
D3,contacted,2026-09-11
D3,developed,2026-10-01
D4,identified,2026-10-20
D4,contacted,2026-11-01
D4,committed,2026-11-10
D5,identified,2026-08-01
D5,contacted,2026-08-20
D6,identified,2026-09-15
D6,qualified,2026-10-20
D7,identified,2026-05-01
D7,contacted,2026-05-11
D7,won,2026-11-05
D8,identified,2026-11-01
D8,lost,2026-11-12
""",
}


# Customers on 2026-11-18 (tests of SPEC §4.5). Trailing 12 months: 2025-11-19 – 2026-11-18.
# Revenue in it: K1 ¥1,000,000; K2 ¥500,000 (its ¥999,999 of 2025-11-18 is one day too old);
# K3–K7 ¥100,000 each (K7's order is on the window's first day); total ¥2,000,000. K5's order
# of 2026-11-25 is after the as-of day. K3's ¥99,999 visit of 2025-10-01 is outside the window.
CUSTOMERS: dict[str, str] = {
    **{k: v for k, v in WORLD.items() if k in ("regions", "reps", "products")},
    "customers": """customer_id,name,region_id,owner_rep_id,status,created_on,priority,\
prospect_grade,annual_potential,industry,employees,credit_rating,credit_limit,\
payment_terms_days,contact,phone,address
K1,一号客户,R001,E02,active,2024-01-01,key,,2000000.00,制造,500,A,300000.00,60,陈经理,13800000001,上海
K2,二号客户,R001,E02,active,2024-01-01,normal,,1000000.00,,,,,,,,
K3,三号客户,R001,E01,active,2024-01-01,normal,,1000000.00,,,,,,,,
K4,四号客户,R002,E03,active,2026-01-01,normal,,500000.00,,,,,,,,
K5,五号客户,R001,E02,active,2024-01-01,low,,499999.99,,,,,,,,
K6,六号客户,R002,E03,active,2026-01-01,normal,,10000000.00,,,,,,,,
K7,七号客户,R001,E02,active,2024-01-01,normal,,,,,,,,,,
K8,八号客户,R001,E02,prospect,2026-06-01,normal,,300000.00,,,,,,,,
K9,九号客户,R001,E02,active,2024-01-01,normal,,600000.00,,,,,,,,
K10,十号客户,R001,E02,prospect,2026-06-01,normal,C,,,,,,,,,
K11,十一号客户,R001,E02,prospect,2026-06-01,normal,,,,,,,,,,
""",
    "targets": "period,metric,amount,region_id,rep_id,product_id\n",
    "orders": """order_id,date,customer_id,rep_id,product_id,quantity,amount,cost
Q1,2024-03-01,K1,E02,P1,1,10000.00,5000.00
Q2,2024-04-01,K2,E02,P1,1,10000.00,5000.00
Q3,2024-05-01,K3,E01,P1,1,10000.00,5000.00
Q4,2024-06-01,K9,E02,P1,1,10000.00,5000.00
Q5,2025-11-18,K2,E02,P1,1,999999.00,1.00
Q6,2025-11-19,K7,E02,P1,1,100000.00,99000.00
Q7,2025-12-01,K1,E02,P1,1,600000.00,480000.00
Q8,2026-02-01,K1,E02,P2,1,400000.00,320000.00
Q9,2026-03-01,K2,E02,P1,1,500000.00,250000.00
Q10,2026-04-01,K3,E01,P1,1,100000.00,50000.00
Q11,2026-05-01,K4,E03,P1,1,100000.00,60000.00
Q12,2026-06-01,K5,E02,P1,1,100000.00,70000.00
Q13,2026-07-01,K6,E03,P1,1,100000.00,80000.00
Q14,2026-11-25,K5,E02,P1,1,1000000.00,1.00
""",
    "payments": "payment_id,date,customer_id,rep_id,amount\n",
    "activities": """activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome,\
duration_min,cost,notes
V1,2026-10-01,E02,K7,visit,service,done,true,contacted,90,2000.00,
V2,2026-09-01,E02,K9,call,collection,done,true,no_contact,5,500.00,
V3,2026-11-01,E02,K1,visit,order,done,true,presentation,60,300.00,介绍新品
V4,2025-10-01,E01,K3,visit,service,done,true,contacted,60,99999.00,
V5,2026-11-10,E02,K1,call,order,missed,true,,,,
""",
    "daily_reports": WORLD["daily_reports"],
    "opportunities": """opportunity_id,customer_id,rep_id,name,amount,stage,created_on,\
expected_close,closed_on,lost_reason
OK1,K8,E02,首单,50000.00,committed,2026-10-01,2026-12-01,,
OK2,K11,E02,试用,20000.00,contacted,2026-11-01,2027-01-15,,
OK3,K11,E02,大单,90000.00,lost,2026-06-01,2026-09-30,2026-09-01,预算取消
""",
    "opportunity_stages": """opportunity_id,stage,entered_on
OK1,identified,2026-10-01
OK1,committed,2026-11-01
OK2,identified,2026-11-01
OK2,contacted,2026-11-05
OK3,identified,2026-06-01
OK3,committed,2026-08-01
OK3,lost,2026-09-01
""",
    "market_reports": """report_id,date,rep_id,customer_id,kind,severity,summary,status,\
resolved_on
MK1,2026-11-02,E02,K1,complaint,high,交货延迟,open,
MK2,2026-10-09,E01,,competitor,medium,竞争对手降价10%,resolved,2026-10-20
""",
}
