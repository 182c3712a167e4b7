"""Where a page view's CPU goes: ``python bench/profile_page.py --role rep --page customers``.

Starts the app on the bench's demo database as ``bench/load.py`` does, signs in as ``--role``,
opens ``--page`` once (cold), then ``--views`` more times one after another while py-spy
(``--py-spy PATH``; not a requirement of the app: ``pip install --target DIR py-spy``) samples
the server. Prints the app's CPU milliseconds per warm view and, with py-spy, the functions
holding the most of it (inclusive, then self), from the samples of the script's thread; the
raw stacks go to ``--stacks`` for a flame graph. Loopback only; bounded by ``--views`` (at most
500).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Server, Session, _session_versions, connect, view_cpu  # noqa: E402
from bench.run import END, create_database, database_url  # noqa: E402

MAX_VIEWS = 500


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["XS", "S", "M", "L"])
    parser.add_argument("--role", default="rep", choices=["director", "manager", "rep"])
    parser.add_argument("--page", action="append", help="a page's path (all of the role's)")
    parser.add_argument("--views", type=int, default=20)
    parser.add_argument("--py-spy", type=Path, help="py-spy's executable")
    parser.add_argument("--stacks", type=Path, default=Path("profile-stacks.txt"))
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--database-url")
    parser.add_argument("--end", type=date.fromisoformat, default=END)
    args = parser.parse_args(argv)
    if not 1 <= args.views <= MAX_VIEWS:
        parser.error(f"--views 1..{MAX_VIEWS}")
    url = database_url(args)
    create_database(url, args.size, 7, args.end, reuse=True)
    server = Server(url, args.end)
    try:
        costs = asyncio.run(_profile(server, url, args))
    finally:
        server.stop()
    for page, (cold, warm) in costs.items():
        print(f"{page}: cold {cold} ms, warm median {warm} ms (CPU per view)")
    if args.py_spy:
        print(hot_spots(args.stacks, args.top))
    return 0


async def _profile(server: Server, url: str, args: argparse.Namespace) -> dict:
    session = Session(server, args.role, _session_versions(url)[args.role])
    costs = {}
    async with connect(server, session) as socket_:
        await session.sign_in(socket_)
        pages = args.page or sorted(session.pages)
        for page in pages:  # every page once, cold, before sampling the warm views
            costs[page] = [await _view(server, session, socket_, page)]
        spy = _start_spy(args, server.process.pid) if args.py_spy else None
        await asyncio.sleep(1 if spy else 0)  # py-spy attaches
        for _ in range(args.views):
            for page in pages:
                costs[page].append(await _view(server, session, socket_, page))
        if spy is not None:
            spy.send_signal(2)  # SIGINT: py-spy writes what it sampled and ends
            spy.wait(timeout=60)
    return {page: (spent[0], statistics.median(spent[1:])) for page, spent in costs.items()}


async def _view(server: Server, session: Session, socket_: object, page: str) -> int:
    spent, run = await view_cpu(server, session, socket_, session.pages[page])
    if run.errors:
        raise SystemExit(f"{page}: {run.errors}")
    return spent


def _start_spy(args: argparse.Namespace, pid: int) -> subprocess.Popen:
    command = [str(args.py_spy), "record", "--pid", str(pid), "--rate", "200", "--format",
               "raw", "--output", str(args.stacks), "--nonblocking", "--gil"]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def hot_spots(stacks: Path, top: int) -> str:
    """The functions of the script's thread holding the most samples in py-spy's raw
    ``stacks`` (one ``frame;frame;... count`` line per stack): inclusive, then self."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in stacks.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "_run_script_thread" not in stack:
            continue
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        total += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
        own[frames[-1]] += int(count)
    lines = [f"{total} samples of the script's thread; inclusive:"]
    lines += [f"{100 * n / total:5.1f}% {f[:150]}" for f, n in inclusive.most_common(top)]
    lines += ["self:"] + [f"{100 * n / total:5.1f}% {f[:150]}" for f, n in own.most_common(20)]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
