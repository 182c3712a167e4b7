"""Saved views in the sidebar (issue 40.1), as a director uses them: save the page as it is
under a name, find it as a button that opens the page with its filters, rename, share and
delete it; a refused name says why and writes nothing. A name in Markdown stays text."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from db import saved_views, users
from tests.conftest import ROOT


def signed_in(username: str, **params: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    app.text_input[0].input(username)
    app.text_input[1].input("Cedar-Lamp-Harbor-42")
    app.button[0].click().run()
    return app.run()  # the widget IDs settle once after the sign-in


def test_a_director_saves_renames_shares_and_deletes_a_view(world_app) -> None:  # noqa: ANN001
    with world_app.begin() as conn:
        users.add_user(conn, "boss", "Boss", "director", "Cedar-Lamp-Harbor-42")
        users.add_user(conn, "east", "East", "manager", "Cedar-Lamp-Harbor-42",
                       regions=["R001"])  # fmt: skip
    app = signed_in("boss", period="last_month", region="R002")
    assert "No saved views yet: save this page with its filters below." in [
        c.value for c in app.caption
    ]
    app.text_input(key="view_name").input("   ")
    app.button(key="view_save_button").click().run()
    assert [e.value.replace("\\", "") for e in app.error] == ["name: give the view a name"]
    app.text_input(key="view_name").input("西南 last month")
    app.button(key="view_save_button").click().run()
    assert "Saved: 西南 last month" in [s.value for s in app.success]
    (view,) = [b for b in app.button if b.label == "西南 last month"]
    with world_app.connect() as conn:
        (stored,) = saved_views.views_for(conn, "boss")
    assert stored.page == "overview"
    assert stored.params == {"compare": "target", "period": "last_month", "region": "R002"}

    app.text_input(key=f"view_rename_{_only_id(world_app)}").input("R002 last month")
    app.button(key="view_rename_button").click().run()
    assert "Renamed." in [s.value for s in app.success]
    chosen = _only_id(world_app)
    app.multiselect(key=f"view_people_{chosen}").select("east")
    app.button(key="view_share_button").click().run()
    with world_app.connect() as conn:
        (seen,) = saved_views.views_for(conn, "east")
    assert (seen.name, seen.owner, seen.shared_with) == ("R002 last month", "boss", ("east",))
    (view,) = [b for b in app.button if b.label == "R002 last month"]
    assert view.help == "shared with 1"

    app.selectbox(key="f_preset").set_value("this_month")  # moved on: the view brings it back
    app.multiselect(key="f_region").set_value([]).run()
    assert (app.session_state["f_preset"], app.session_state["f_region"]) == ("this_month", [])
    app.button(key=view.key).click().run()
    assert (app.query_params["period"], app.query_params["region"]) == ("last_month", "R002")
    assert app.session_state["f_preset"] == "last_month"
    assert app.session_state["f_region"] == ["R002"]

    app.text_input(key="view_name").input("**[bold](javascript:alert(1))**")
    app.button(key="view_save_button").click().run()
    assert "**[bold](javascript:alert(1))**" in [b.label.replace("\\", "") for b in app.button]
    assert not [b for b in app.button if b.label == "**[bold](javascript:alert(1))**"]
    app.selectbox(key="view_chosen").set_value(_id_of(world_app, "R002 last month"))
    app.run()
    app.button(key="view_delete_button").click().run()
    assert "Deleted: R002 last month" in [s.value for s in app.success]
    with world_app.connect() as conn:
        assert [v.name for v in saved_views.views_for(conn, "boss")] == [
            "**[bold](javascript:alert(1))**"
        ]


def _id_of(engine, name: str) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return next(v.id for v in saved_views.views_for(conn, "boss") if v.name == name)


def _only_id(engine) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        (view,) = saved_views.views_for(conn, "boss")
    return view.id
