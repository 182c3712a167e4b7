"""One translation function for every UI string: English and Simplified Chinese."""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"en": "English", "zh": "简体中文"}

CATALOG: dict[str, tuple[str, str]] = {
    # shell
    "app_title": ("Sales process dashboard", "销售过程管理看板"),
    "sign_in": ("Sign in", "登录"),
    "username": ("Username", "用户名"),
    "password": ("Password", "密码"),
    "login_failed": ("Username or password is incorrect.", "用户名或密码错误。"),
    "login_prompt": ("Please sign in.", "请登录。"),
    "logout": ("Sign out", "退出登录"),
    "signed_in_as": ("Signed in as {name} ({role})", "当前用户:{name}({role})"),
    "language": ("Language", "语言"),
    "no_access": ("You do not have access to this page.", "您无权访问此页面。"),
    "not_signed_in": ("Please sign in first.", "请先登录。"),
    "role_director": ("director", "总监"),
    "role_manager": ("manager", "区域经理"),
    "role_rep": ("rep", "业务员"),
    "section_failed": ("This section could not be shown: {error}", "此部分无法显示:{error}"),
    "loading": ("Loading…", "加载中…"),
    "no_data": ("No data for this selection.", "当前筛选条件下没有数据。"),
    "download_csv": ("Download CSV", "下载 CSV"),
    "show_numbers": ("Numbers behind the chart", "图表数据"),
    # pages
    "page_overview": ("Overview", "总览"),
    "page_data": ("Data", "数据管理"),
    # filters
    "filters": ("Filters", "筛选"),
    "period": ("Period", "期间"),
    "this_month": ("This month", "本月"),
    "last_month": ("Last month", "上月"),
    "last_week": ("Last week", "上周"),
    "this_quarter": ("This quarter", "本季度"),
    "year_to_date": ("Year to date", "本年累计"),
    "custom": ("Custom range", "自定义"),
    "date_range": ("Date range", "日期范围"),
    "region": ("Region", "区域"),
    "rep": ("Rep", "业务员"),
    "product": ("Product", "产品"),
    "customer_tier": ("Customer tier", "客户等级"),
    "tier_key": ("key", "优先"),
    "tier_normal": ("normal", "一般"),
    "tier_low": ("low", "最后考虑"),
    "all": ("All", "全部"),
    "out_of_scope": (
        "Not visible to you and ignored: {ids}",
        "以下筛选项不在您的权限范围内,已忽略:{ids}",
    ),
    "product_filter_note": (
        "The product filter applies to revenue and gross margin only.",
        "产品筛选仅作用于销售额和毛利。",
    ),
    # metrics
    "revenue": ("Revenue", "销售额"),
    "gross_margin": ("Gross margin", "毛利"),
    "collections": ("Collections", "回款"),
    "new_customers": ("New customers", "新客户"),
    "visits": ("Visits", "拜访"),
    "metric": ("Metric", "指标"),
    "actual": ("Actual", "实际"),
    "target": ("Target", "目标"),
    "attainment": ("Attainment", "达成率"),
    "variance": ("Variance", "差额"),
    "pace": ("Pace", "进度比"),
    "time_elapsed": ("Time elapsed", "时间进度"),
    "previous": ("Previous period", "上期"),
    "change": ("Change", "环比"),
    "month": ("Month", "月份"),
    # overview
    "overview_caption": (
        "{start} – {end} · as of {as_of} · time elapsed {elapsed}",
        "{start} 至 {end} · 截至 {as_of} · 时间进度 {elapsed}",
    ),
    "vs_previous": ("Same days before ({start} – {end})", "上期同期({start} 至 {end})"),
    "results": ("Results against target", "目标达成"),
    "trend_12": ("12 months: actual vs target", "近12个月:实际与目标"),
    "target_line": ("target", "目标"),
    "behind_pace": ("behind pace", "落后于进度"),
    "on_pace": ("on pace", "符合进度"),
    # targets page
    "page_targets": ("Targets", "目标管理"),
    "tab_attainment": ("Attainment", "目标达成"),
    "tab_breakdown": ("Breakdown editor", "目标分解"),
    "period_caption": ("{start} – {end} · as of {as_of}", "{start} 至 {end} · 截至 {as_of}"),
    "heatmap_title": ("Attainment by rep and month", "业务员月度达成率"),
    "by_region": ("By region, then rep", "按区域及业务员"),
    "drill_region": ("Reps of region", "查看区域业务员"),
    "by_product": ("By product", "按产品"),
    "product_metric_note": (
        "Only revenue and gross margin have a product.",
        "只有销售额和毛利可按产品拆分。",
    ),
    "projection": ("Projection", "预计完成"),
    "required_run_rate": ("Needed per working day", "每工作日需完成"),
    "target_met": ("target met", "已达成"),
    "rep_cannot_edit": ("Reps cannot change targets.", "业务员不能修改目标。"),
    "year": ("Year", "年度"),
    "unit": ("Round to", "取整单位"),
    "unit_yuan": ("¥1", "1元"),
    "unit_hundred": ("¥100", "百元"),
    "unit_thousand": ("¥1,000", "千元"),
    "weights": ("Split by", "分解依据"),
    "weights_equal": ("equal", "平均"),
    "weights_last_year": ("last 12 months' share", "近12个月占比"),
    "weights_custom": ("custom weights", "自定义权重"),
    "weights_seasonality": ("last 12 months' seasonality", "近12个月季节性"),
    "history_window": (
        "History used for weights: {start} – {end} (the last 12 complete months).",
        "分解依据的历史数据:{start} 至 {end}(最近12个完整月)。",
    ),
    "weights_potential": ("customer potential", "客户潜力"),
    "annual_total": ("Annual company target (¥ or count)", "公司年度目标(元或数量)"),
    "no_history": (
        "No history to weigh by: split equally instead.",
        "没有可用的历史数据:改为平均分解。",
    ),
    "no_region_target": (
        "Your region has no target for {year} yet; the director sets it first.",
        "您的区域尚无 {year} 年目标,需先由总监设定。",
    ),
    "region_total_fixed": (
        "Each month's region total is fixed; an edit rebalances the other reps of that month.",
        "每月区域总额固定;修改某格会重新分配当月其他业务员。",
    ),
    "total": ("Total", "合计"),
    "grid_total": ("Grid total: {total}", "合计:{total}"),
    "save_targets": ("Save targets", "保存目标"),
    "save_refused": ("Not saved: {reason}", "未保存:{reason}"),
    "saved_targets": ("Saved: {count} target rows changed.", "已保存:修改了 {count} 条目标。"),
    "edit_refused": ("Edit refused: {reason}", "修改被拒绝:{reason}"),
    # data page
    "upload_title": ("Import a file", "导入文件"),
    "table": ("Table", "数据表"),
    "file": ("CSV or Excel file", "CSV 或 Excel 文件"),
    "validation_errors": (
        "{count} error(s): nothing will be written.",
        "共 {count} 处错误:不会写入任何数据。",
    ),
    "row": ("Row", "行"),
    "column": ("Column", "列"),
    "message": ("Message", "说明"),
    "preview": (
        "{rows} rows valid: {inserted} new, {updated} changed, {unchanged} unchanged.",
        "{rows} 行校验通过:新增 {inserted},变更 {updated},不变 {unchanged}。",
    ),
    "import_button": ("Import", "导入"),
    "imported": (
        "Imported {table}: {inserted} new, {updated} changed, {unchanged} unchanged.",
        "已导入 {table}:新增 {inserted},变更 {updated},不变 {unchanged}。",
    ),
    "download_title": ("Download a table", "下载数据表"),
    "format": ("Format", "格式"),
    "download": ("Download", "下载"),
}


def language() -> str:
    lang = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def t(key: str, **values: object) -> str:
    """The UI string ``key`` in the current language, with ``{placeholders}`` filled in."""
    english, chinese = CATALOG[key]
    text = chinese if language() == "zh" else english
    return text.format(**values) if values else text
