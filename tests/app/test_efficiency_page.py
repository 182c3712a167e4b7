"""The visit efficiency page (issue 6): a manager's reps compared, overdue customers first by
priority, all inside their region."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_core.efficiency import cadence, efficiency, overdue_list
from crm_core.presets import preset_period
from crm_core.scope import Scope
from db import efficiency as efficiency_db
from db.engine import make_engine
from db.schema import Customer, Rep
from tests.app.conftest import AS_OF, all_text, page

pytestmark = pytest.mark.usefixtures("demo_db")
EAST = Scope.for_manager(["R001"])


def test_a_manager_compares_their_reps_and_sees_who_to_contact_next() -> None:
    app = page("efficiency", "manager")
    assert not app.exception and not app.error
    period = preset_period("this_month", AS_OF)
    with make_engine().connect() as conn:
        totals = efficiency_db.totals_by_rep(conn, EAST, period)
        due = overdue_list(cadence(efficiency_db.last_contacts(conn, EAST, AS_OF), AS_OF))
        others = list(conn.scalars(select(Rep.name).where(Rep.region_id != "R001")))
        foreign = list(conn.scalars(select(Customer.name).where(Customer.region_id != "R001")))
    league = [d.value for d in app.dataframe if "Team median" in d.value.to_csv()][0]
    rows = league.set_index("Rep")
    for rep, t in totals.items():
        row = rows.loc[[i for i in rows.index if i.endswith(f"({rep})")][0]]
        assert row["Transaction rate"] == pytest.approx(100 * efficiency(t)["transaction_rate"])
        assert row["Done"] == t.done
    overdue = [d.value for d in app.dataframe if "Overdue for" in d.value.columns]
    everyone = overdue[-1]
    assert len(everyone) == len(due) > 0
    priorities = list(everyone["Priority"])
    assert priorities == sorted(priorities, key=["key", "normal", "low"].index), "key first"
    text = all_text(app)
    assert not [name for name in others + foreign if name in text], "nothing of another region"


def test_the_rep_detail_follows_the_chosen_rep() -> None:
    app = page("efficiency", "director")
    last = app.selectbox(key="eff_rep").options[-1].rsplit("(", 1)[1].rstrip(")")
    app.selectbox(key="eff_rep").set_value(last).run()
    assert not app.exception
    assert app.selectbox(key="eff_rep").value == last
    assert app.caption[1].value.endswith("customers overdue for a call or visit")
