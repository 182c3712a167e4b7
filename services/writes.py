"""The write side the UI uses: every change a person makes in the app (a plan, a visit, a
daily report and its review, a target split, an import, a sign-in, a saved view). Each runs in one
transaction of ``db`` that checks the writer's scope, bumps the data version and writes the
audit log; the UI reaches them only through this module (the dependency rule), with the
import formats it shows beside the upload."""

from __future__ import annotations

from db.actions import ActionRefused, add_action, close_action
from db.daily import (
    DailyRefused,
    ReportText,
    approve_many,
    complete_activity,
    plan_activity,
    review_report,
    submit_report,
)
from db.forecasts import ForecastRefused, adjust_forecast, submit_forecast
from db.formats import FORMATS, TABLE_NAMES, Column
from db.saved_views import ViewRefused, delete_view, rename_view, save_view, share_view
from db.targets import Cell, TargetRefused
from db.targets import save as save_targets
from db.transfer import (
    FileUnreadable,
    ImportResult,
    RowError,
    export_records,
    import_rows,
    open_table_file,
    write_table_file,
)
from db.users import (
    Account,
    UserError,
    any_user,
    change_own_password,
    find_account,
    sign_in,
    sign_out,
)

__all__ = [
    "Account", "ActionRefused", "add_action", "adjust_forecast", "any_user", "approve_many",
    "Cell", "change_own_password", "close_action", "Column", "complete_activity", "DailyRefused",
    "delete_view", "rename_view", "save_view", "share_view", "ViewRefused",
    "export_records", "FileUnreadable", "find_account", "ForecastRefused", "FORMATS",
    "import_rows", "ImportResult", "open_table_file", "plan_activity", "ReportText",
    "review_report", "RowError", "save_targets", "sign_in", "sign_out", "submit_forecast",
    "submit_report", "TABLE_NAMES", "TargetRefused", "UserError", "write_table_file",
]  # fmt: skip
