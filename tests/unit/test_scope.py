from crm_core.scope import Role, Scope


def test_a_filter_narrows_a_manager_but_never_widens() -> None:
    east = Scope.for_manager(["R001"])
    assert east.narrow(region_ids=["R001", "R002"]).region_ids == {"R001"}
    assert east.narrow(region_ids=["R002"]).is_empty
    assert east.narrow().region_ids == {"R001"}


def test_a_director_filter_becomes_the_scope() -> None:
    assert Scope.everything().narrow(region_ids=["R002"]).region_ids == {"R002"}
    assert Scope.everything().region_ids is None
    assert Scope.everything().is_unrestricted
    assert not Scope.everything().narrow(region_ids=["R002"]).is_unrestricted
    assert not Scope.for_rep("E02").is_unrestricted  # every region, but only their own rows


def test_a_rep_cannot_widen_to_another_rep() -> None:
    me = Scope.for_rep("E02")
    assert me.narrow(rep_ids=["E03"]).is_empty
    assert me.narrow(rep_ids=["E02", "E03"]).rep_ids == {"E02"}
    assert me.role is Role.REP
