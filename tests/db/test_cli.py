"""The headless interface (SPEC §7) run as a user would: a subprocess per call."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli
from tests.world import WORLD


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite"
    assert cli(path, "db", "init").returncode == 0
    return path


def write(tmp_path: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def test_demo_s_gives_at_least_1000_orders_on_export(db: Path, tmp_path: Path) -> None:
    assert cli(db, "db", "demo", "--size", "S", "--seed", "7").returncode == 0
    done = cli(db, "export", "orders", str(tmp_path / "o.csv"))
    assert done.returncode == 0
    lines = (tmp_path / "o.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) - 1 >= 1_000


def test_one_bad_date_exits_2_naming_row_and_column_and_writes_nothing(
    db: Path, tmp_path: Path
) -> None:
    text = "region_id,name\nR001,华东区\nR002,华南区\n"
    assert cli(db, "import", "regions", str(write(tmp_path, "r.csv", text))).returncode == 0
    bad = "rep_id,name,region_id,hire_date\nE1,张伟,R001,2024-01-05\nE2,李娜,R002,2024-02-31\n"
    done = cli(db, "import", "reps", str(write(tmp_path, "reps.csv", bad)))
    assert done.returncode == 2
    assert "reps.csv:3:hire_date: expected a date YYYY-MM-DD, found '2024-02-31'" in done.stderr
    assert "nothing written" in done.stderr
    cli(db, "export", "reps", str(tmp_path / "out.csv"))
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "rep_id,name,region_id,manager_id,hire_date,active"
    ]


def test_the_same_good_file_twice_changes_nothing(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "regions.csv", WORLD["regions"])
    first = cli(db, "import", "regions", str(path))
    second = cli(db, "import", "regions", str(path))
    assert "inserted 2, updated 0, unchanged 0" in first.stdout
    assert "inserted 0, updated 0, unchanged 2" in second.stdout


def test_a_gbk_file_with_chinese_names_imports_and_exports_intact(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "regions.csv", WORLD["regions"], encoding="gbk")
    assert cli(db, "import", "regions", str(path)).returncode == 0
    assert cli(db, "export", "regions", str(tmp_path / "out.xlsx")).returncode == 0
    assert cli(db, "export", "regions", str(tmp_path / "out.csv")).returncode == 0
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig") == WORLD["regions"]


def test_dry_run_reports_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "regions.csv", WORLD["regions"])
    done = cli(db, "import", "regions", str(path), "--dry-run")
    assert done.returncode == 0 and "dry run" in done.stdout
    again = cli(db, "import", "regions", str(path))
    assert "inserted 2" in again.stdout


def test_user_add_reads_the_password_from_stdin_and_stores_a_bcrypt_hash(
    db: Path, tmp_path: Path
) -> None:
    cli(db, "import", "regions", str(write(tmp_path, "r.csv", WORLD["regions"])))
    done = cli(db, "user", "add", "wang", "--role", "manager", "--region", "R001",
               stdin="Cedar-Lamp-Harbor-42\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    import sqlite3

    import bcrypt

    stored = sqlite3.connect(db).execute("SELECT password_hash FROM users").fetchone()[0]
    assert bcrypt.checkpw(b"Cedar-Lamp-Harbor-42", stored.encode())
    refused = cli(db, "user", "add", "li", "--role", "manager", stdin="Maple-Ridge-Quartz-7\n")
    assert refused.returncode == 2
    assert refused.stderr.strip() == "error: --region: a manager needs at least one region"


def test_an_unknown_table_is_bad_input(db: Path, tmp_path: Path) -> None:
    assert cli(db, "import", "nonsense", "x.csv").returncode == 2


def test_user_list_passwd_disable_enable(db: Path, tmp_path: Path) -> None:
    added = cli(db, "user", "add", "boss", "--role", "director", stdin="Silver-Fern-Otter-19\n")
    assert added.returncode == 0
    listed = cli(db, "user", "list")
    assert listed.stdout.splitlines() == [
        "username\trole\tscope\tstatus\tname\temail",
        "boss\tdirector\tall\tenabled\tboss\t",
    ]
    assert cli(db, "user", "disable", "boss").returncode == 0
    assert "boss\tdirector\tall\tdisabled\tboss\t" in cli(db, "user", "list").stdout
    assert cli(db, "user", "enable", "boss").returncode == 0
    changed = cli(db, "user", "passwd", "boss", stdin="Quiet-Harbor-Lantern-3\n")
    assert changed.returncode == 0 and "sessions end" in changed.stdout
    missing = cli(db, "user", "disable", "ghost")
    assert missing.returncode == 2 and missing.stderr == "error: username: no user 'ghost'\n"
    empty = cli(db, "user", "passwd", "boss", stdin="\n")
    assert empty.returncode == 2 and "at least 12 characters, found 0" in empty.stderr


@pytest.mark.parametrize(
    ("password", "said"),
    [("short-pw", "expected at least 12 characters, found 8"),
     ("password1234", "too easy to guess (This is a very common password)"),
     ("boss-boss-boss", "too easy to guess"),
     ("长" * 25, "expected at most 72 bytes in UTF-8 (bcrypt reads no more), found 75")],
)  # fmt: skip
def test_a_weak_or_too_long_password_is_refused_saying_why(
    db: Path, password: str, said: str
) -> None:
    done = cli(db, "user", "add", "boss", "--role", "director", stdin=f"{password}\n")
    assert done.returncode == 2 and f"error: password: {said}" in done.stderr, done.stderr
    assert "boss" not in cli(db, "user", "list").stdout


def _audit_users(db: Path, row_key: str) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT DISTINCT username FROM audit_log WHERE row_key = ? ORDER BY 1", (row_key,)
        )
        return [row[0] for row in rows]


def test_import_and_export_act_as_a_user_and_the_audit_names_them(
    world_file: Path, tmp_path: Path
) -> None:
    reps = write(tmp_path, "new_reps.csv", "rep_id,name,region_id\nE09,新人,R001\n")
    assert cli(world_file, "import", "reps", str(reps), "--as", "east").returncode == 0
    other = write(tmp_path, "reps2.csv", "rep_id,name,region_id\nE10,外区,R002\n")
    refused = cli(world_file, "import", "reps", str(other), "--as", "east")
    assert refused.returncode == 2 and "inside your regions (R001)" in refused.stderr
    products = write(tmp_path, "new_products.csv", "product_id,name\nP9,新品\n")
    assert cli(world_file, "import", "products", str(products)).returncode == 0
    assert _audit_users(world_file, "import new_reps.csv") == ["east"]
    assert _audit_users(world_file, "import new_products.csv") == ["admin (cli)"]
    out = tmp_path / "customers.csv"
    assert cli(world_file, "export", "customers", str(out), "--as", "east").returncode == 0
    ids = [line.split(",")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert ids == ["C1", "C2"]
    ghost = cli(world_file, "export", "customers", str(out), "--as", "ghost")
    assert ghost.returncode == 2 and ghost.stderr == "error: --as: no user 'ghost'\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.xlsx", b"PK\x03\x04garbage", "bad.xlsx:1:-: not a readable Excel .xlsx file"),
        ("o.csv", b"region_id,name\nR1,\"open quote\n",
         "o.csv:2:-: not readable as CSV text (unexpected end of data)"),
        ("r.txt", b"region_id,name\n", "error: r.txt: expected a .csv or .xlsx file"),
    ],
)  # fmt: skip
def test_a_broken_file_exits_2_with_the_reason_and_no_traceback(
    db: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    done = cli(db, "import", "regions", str(path))
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "weekly", "--week", "9999-W52", "--format", "md", "-o", "x.md"],
         "argument --week: expected a date from 1990-01-01 to 2100-12-31, found 9999-12-27"),
        (["report", "weekly", "--week", "0001-W01", "--format", "md", "-o", "x.md"],
         "argument --week: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"),
        (["kpi", "weekly", "--from", "0001-01-01"],
         "argument --from: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"),
        (["kpi", "abc", "--as-of", "0001-01-01"],
         "argument --as-of: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"),
        (["kpi", "targets", "--to", "9999-12-31"],
         "argument --to: expected a date from 1990-01-01 to 2100-12-31, found 9999-12-31"),
    ],
)  # fmt: skip
def test_a_date_at_the_calendars_edge_is_bad_input_not_a_traceback(
    db: Path, args: list[str], message: str
) -> None:
    """Issue 39.3: these exited 1 with an OverflowError traceback."""
    done = cli(db, *args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_crm_as_of_outside_the_range_is_one_clear_line(db: Path) -> None:
    done = cli(db, "kpi", "abc", env={"CRM_AS_OF": "0001-01-01"})
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: CRM_AS_OF: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"
    )


def test_an_import_date_outside_the_range_names_row_and_column(db: Path, tmp_path: Path) -> None:
    regions = write(tmp_path, "regions.csv", "region_id,name\nR1,East\n")
    assert cli(db, "import", "regions", str(regions)).returncode == 0
    reps = write(tmp_path, "reps.csv", "rep_id,name,region_id,hire_date\nE1,Li,R1,0001-01-01\n")
    done = cli(db, "import", "reps", str(reps))
    assert done.returncode == 2
    assert (
        "reps.csv:2:hire_date: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"
        in done.stderr
    )


def test_check_names_the_missing_chinese_font_and_how_to_get_it(db: Path, tmp_path: Path) -> None:
    """Issue 40.16: `make run` runs `cli.py check`; a CRM_CJK_FONT that is not there is said,
    not worked around with another font."""
    missing = cli(db, "check", env={"CRM_CJK_FONT": str(tmp_path / "none.ttc")})
    assert missing.returncode == 1
    assert f"CRM_CJK_FONT={tmp_path / 'none.ttc'}: no such file" in missing.stdout
    assert "no PDF button" in missing.stdout
    font = tmp_path / "font.ttc"
    font.write_bytes(b"")
    found = cli(db, "check", env={"CRM_CJK_FONT": str(font)})
    assert found.returncode == 0 and str(font) in found.stdout
