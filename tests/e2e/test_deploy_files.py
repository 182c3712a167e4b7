"""The files of deploy/ are valid for the programs that read them (issue 41.2): the nginx site
for 1, 2 and 4 app processes (``nginx -t``) and the systemd units and timers
(``systemd-analyze verify``, pointed at this checkout instead of /opt/crm-dashboard)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, require

sys.path.insert(0, str(ROOT / "deploy"))
from nginx_conf import site  # noqa: E402  (deploy/ is scripts, not a package)

UNITS = ROOT / "deploy" / "systemd"


def missing(*tools: str) -> str | None:
    absent = [tool for tool in tools if shutil.which(tool) is None]
    return f"{', '.join(absent)} missing: apt-get install nginx openssl systemd" if absent else None


@pytest.mark.parametrize("processes", [1, 2, 4])
def test_the_nginx_site_is_valid(tmp_path: Path, processes: int) -> None:
    require(missing("nginx", "openssl"), "CRM_REQUIRE_DEPLOY")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    ports = [8501 + i for i in range(processes)]
    text = site(ports, str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"), "crm.example.com",
                access_log=str(tmp_path / "access.log"))  # fmt: skip
    (tmp_path / "site.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ include {tmp_path}/site.conf; }}\n"
    )
    done = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert text.count("upstream crm_p") == processes
    # a browser without a route goes to the process with the fewest connections
    assert "least_conn;" in text and text.count("upstream crm_any") == 1
    assert text.count(" backup;") == processes * (processes - 1)


def test_the_systemd_units_and_timers_are_valid(tmp_path: Path) -> None:
    require(missing("systemd-analyze"), "CRM_REQUIRE_DEPLOY")
    for unit in UNITS.iterdir():
        text = unit.read_text().replace("/opt/crm-dashboard/.venv/bin/python", sys.executable)
        (tmp_path / unit.name).write_text(text.replace("/opt/crm-dashboard", str(ROOT)))
    instances = ["crm-dashboard@8501.service"] + [
        f"crm-job@{job}.service" for job in ("alerts", "weekly-report", "summaries", "backup")
    ]
    for instance in instances:
        template = instance.split("@")[0] + "@.service"
        (tmp_path / instance).symlink_to(tmp_path / template)
    timers = sorted(p.name for p in tmp_path.glob("*.timer"))
    assert timers == ["crm-alerts.timer", "crm-backup.timer", "crm-summaries.timer",
                      "crm-weekly-report.timer"]  # fmt: skip
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *[f"./{n}" for n in instances + timers]],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Failed" not in done.stderr and "Unknown" not in done.stderr, done.stderr


def test_each_timer_runs_a_job_run_job_knows() -> None:
    jobs = (ROOT / "deploy" / "run-job").read_text()
    for timer in UNITS.glob("*.timer"):
        job = timer.read_text().split("Unit=crm-job@")[1].split(".service")[0]
        assert f"  {job})" in jobs, timer.name
