"""Website speed: the app as ``primenews serve`` runs it, beside nginx serving the same bytes.

The sample newswire's stories are written into a temp SQLite store by ``primenews demo
--no-serve`` (about a minute; ``--db PATH`` reuses a store such a run left). Then:

  app    ``primenews serve --host 127.0.0.1 --port P --workers W`` (uvicorn, the CLI's own
         settings), over that store
  nginx  the bytes the app answered for each path, written into a temp dir and served as
         static files by nginx (``worker_processes W``; temp config, ``-p`` prefix, pid and
         logs in the temp dir): the ceiling for answering from memory on this machine

and wrk (``--latency``) loads each over loopback: the home page, the first story on it,
``/feed.atom`` and ``/api/v1/stories``, each after a short warm-up. Requests carry no
``Accept-Encoding`` (identity bodies, the same bytes for both servers); ``--br`` adds the
story page as a browser fetches it (``Accept-Encoding: br``, app only).

With at least 2 + 2 CPUs, the servers are pinned to CPUs 0-1 (``taskset``) and wrk to the
others; on a smaller machine all share the CPUs and the table says so.

Target (issue 5): a story page at >= 2,000 requests/s with p99 < 25 ms on 2 cores.

Usage: python bench/web.py [--db PATH] [--duration S] [--connections N] [--workers W]
                           [--br] [--out FILE]
Prints a table and writes JSON (default bench/results/web.json).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
TARGET_RPS = 2_000
TARGET_P99_MS = 25.0
NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  types {{ }}
  server {{
    listen 127.0.0.1:{port};
    root {www};
{locations}
  }}
}}
"""


@dataclass(frozen=True)
class Target:
    """One path to load, with the file its bytes go to for nginx."""

    name: str
    path: str
    file: str
    media_type: str = ""
    size: int = 0


@dataclass(frozen=True)
class Load:
    """One wrk run's results."""

    server: str
    target: str
    path: str
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors plus non-2xx/3xx answers
    encoding: str = "identity"
    cpu_us: float = 0.0  # server CPU time (all its processes) per request, us; -1: a worker died
    rates: tuple[int, ...] = ()  # requests/s of every round (this is the median one)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tool(name: str) -> str | None:
    return shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
    )


def _cpu_plan(workers: int) -> tuple[list[str], list[str], str]:
    """taskset prefixes for the servers and for wrk, and how the CPUs were shared."""
    cpus = sorted(os.sched_getaffinity(0))
    taskset = _tool("taskset")
    if taskset and len(cpus) >= workers + 2:
        server = ",".join(map(str, cpus[:workers]))
        load = ",".join(map(str, cpus[workers:]))
        return (
            [taskset, "-c", server],
            [taskset, "-c", load],
            f"servers on CPUs {server}, wrk on CPUs {load}",
        )
    return [], [], f"servers and wrk share all {len(cpus)} CPUs (too few to pin apart)"


def build_demo_store(path: Path) -> None:
    """The sample newswire's stories in the SQLite file ``path``, by ``primenews demo``."""
    env = {**os.environ, "PRIMENEWS_DATABASE_URL": f"sqlite:///{path}"}
    primenews = str(Path(sys.executable).with_name("primenews"))
    subprocess.run(
        [primenews, "demo", "--no-serve", "--port", str(_free_port())],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _wait_http(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} in {seconds:.0f} s")


@contextmanager
def _process(command: Sequence[str], url: str, **kwargs: Any) -> Iterator[int]:
    """Run a server in its own process group until the block ends."""
    process = subprocess.Popen(command, start_new_session=True, **kwargs)
    try:
        _wait_http(url, process)
        yield process.pid  # also its process group id
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def serve_app(
    database: Path, port: int, workers: int, pin: list[str]
) -> AbstractContextManager[int]:
    """``primenews serve`` over ``database`` on 127.0.0.1:``port``."""
    env = {**os.environ, "PRIMENEWS_DATABASE_URL": f"sqlite:///{database}"}
    primenews = str(Path(sys.executable).with_name("primenews"))
    command = [*pin, primenews, "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    return _process(command, f"http://127.0.0.1:{port}/", env=env, stdout=subprocess.DEVNULL)


def serve_nginx(
    nginx: str, tmp: Path, targets: Sequence[Target], workers: int, pin: list[str]
) -> tuple[int, AbstractContextManager[int]]:
    """nginx serving each target's bytes at its path, from files under ``tmp/www``."""
    port = _free_port()
    locations = "\n".join(
        f'    location = {t.path} {{ default_type "{t.media_type}"; '
        f"try_files /_bytes/{t.file} =404; }}\n"
        f'    location = /_bytes/{t.file} {{ internal; default_type "{t.media_type}"; }}'
        for t in targets
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(workers=workers, tmp=tmp, port=port, www=tmp / "www", locations=locations)
    )
    command = [*pin, nginx, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
    return port, _process(command, f"http://127.0.0.1:{port}{targets[0].path}")


def fetch_targets(base: str, www: Path) -> list[Target]:
    """The app's bytes for each benchmarked path, written under ``www`` for nginx."""
    home = httpx.get(base + "/", timeout=30)
    home.raise_for_status()
    story = re.search(r'href="(/stories/\d+)"', home.text)
    if story is None:
        raise RuntimeError("the home page lists no story: did `primenews demo` write pages?")
    plan = [
        ("home", "/", "home.html"),
        ("story", story.group(1), "story.html"),
        ("feed.atom", "/feed.atom", "feed.atom"),
        ("api stories", "/api/v1/stories", "stories.json"),
    ]
    (www / "_bytes").mkdir(parents=True, exist_ok=True)
    targets = []
    for name, path, file in plan:
        answer = httpx.get(base + path, timeout=30, headers={"Accept-Encoding": "identity"})
        answer.raise_for_status()
        (www / "_bytes" / file).write_bytes(answer.content)
        media = answer.headers.get("content-type", "application/octet-stream")
        targets.append(Target(name, path, file, media, len(answer.content)))
    return targets


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, float]:
    """Requests/s, p50/p90/p99 (ms), requests and errors from ``wrk --latency`` output."""
    found: dict[str, float] = {}
    for percent in ("50", "90", "99"):
        match = re.search(rf"^\s+{percent}(?:\.0+)?%\s+(\S+)", output, re.M)
        if match is None:
            raise ValueError(f"wrk printed no {percent}% latency:\n{output}")
        found[f"p{percent}_ms"] = _ms(match.group(1))
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    if rate is None or total is None:
        raise ValueError(f"wrk printed no request rate:\n{output}")
    found["requests_per_s"] = float(rate.group(1))
    found["requests"] = int(total.group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    found["errors"] = errors + (int(bad.group(1)) if bad else 0)
    return found


@dataclass(frozen=True)
class LoadPlan:
    wrk: str
    pin: list[str]
    threads: int
    connections: int
    duration: int
    warmup: int


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_ticks(group: int) -> dict[int, int]:
    """User + system CPU clock ticks of every live process in process group ``group``."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[2]) == group:  # pgrp; utime and stime are fields 11 and 12 after it
            ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    return ticks


def cpu_seconds_between(before: dict[int, int], after: dict[int, int]) -> float | None:
    """CPU seconds the group spent between two snapshots; None when a process died meanwhile
    (uvicorn restarts a worker that misses its health check: its time is lost)."""
    if set(before) - set(after):
        return None
    return sum(after[pid] - before.get(pid, 0) for pid in after) / _CLOCK_TICKS


def run_wrk(
    plan: LoadPlan, url: str, group: int, *, headers: Sequence[str] = ()
) -> dict[str, float]:
    """One warm-up run, then the measured one, with the server's CPU time per request."""
    base = [*plan.pin, plan.wrk, f"-t{plan.threads}", f"-c{plan.connections}", "--latency"]
    for header in headers:
        base += ["-H", header]
    subprocess.run([*base, f"-d{plan.warmup}s", url], check=True, capture_output=True)
    cpu = group_cpu_ticks(group)
    done = subprocess.run(
        [*base, f"-d{plan.duration}s", url], check=True, capture_output=True, text=True
    )
    found = parse_wrk(done.stdout)
    spent = cpu_seconds_between(cpu, group_cpu_ticks(group))
    found["cpu_us"] = -1.0 if spent is None else spent / max(found["requests"], 1) * 1e6
    return found


def _median_load(runs: Sequence[Load]) -> Load:
    """The run with the median rate, carrying every run's rate."""
    ordered = sorted(runs, key=lambda x: x.requests_per_s)
    middle = ordered[len(ordered) // 2]
    measured = sorted(x.cpu_us for x in runs if x.cpu_us >= 0) or [-1.0]
    cpu = measured[len(measured) // 2]
    return replace(middle, cpu_us=cpu, rates=tuple(round(x.requests_per_s) for x in runs))


def load_all(
    plan: LoadPlan,
    servers: dict[str, tuple[int, int]],
    targets: Sequence[Target],
    rounds: int,
    br: bool,
) -> list[Load]:
    """wrk against every target on every server, interleaved, ``rounds`` times; medians.

    Interleaving (app, then nginx, per target, per round) spreads any noise from other work
    on the machine over both servers alike.
    """
    runs: dict[tuple[str, str, str], list[Load]] = {}
    for round_number in range(1, rounds + 1):
        for target in targets:
            for server, (port, group) in servers.items():
                url = f"http://127.0.0.1:{port}{target.path}"
                with_br = br and server == "app" and target.name == "story"
                encodings = ["identity"] + (["br"] if with_br else [])
                for encoding in encodings:
                    print(
                        f"  round {round_number}: {server} {target.name} {encoding}",
                        file=sys.stderr,
                    )
                    headers = ["Accept-Encoding: br"] if encoding == "br" else []
                    found = run_wrk(plan, url, group, headers=headers)
                    load = Load(
                        server,
                        target.name,
                        target.path,
                        requests_per_s=found["requests_per_s"],
                        p50_ms=found["p50_ms"],
                        p90_ms=found["p90_ms"],
                        p99_ms=found["p99_ms"],
                        requests=int(found["requests"]),
                        errors=int(found["errors"]),
                        encoding=encoding,
                        cpu_us=found["cpu_us"],
                    )
                    runs.setdefault((target.name, server, encoding), []).append(load)
    return [_median_load(x) for x in runs.values()]


def capacity(load: Load, cores: int) -> float:
    """Requests/s ``cores`` CPUs could serve at this CPU cost per request (no other work)."""
    return cores * 1e6 / load.cpu_us if load.cpu_us > 0 else 0.0


def verdict(loads: Sequence[Load]) -> dict[str, Any] | None:
    """Whether the app's story page meets the target (None when it was not loaded)."""
    story = next(
        (x for x in loads if (x.server, x.target, x.encoding) == ("app", "story", "identity")),
        None,
    )
    if story is None:
        return None
    return {
        "target": f">= {TARGET_RPS} req/s and p99 < {TARGET_P99_MS} ms (story page, 2 cores)",
        "requests_per_s": story.requests_per_s,
        "cpu_us_per_request": story.cpu_us,
        "cpu_capacity_2_cores": capacity(story, 2),
        "p99_ms": story.p99_ms,
        "met": story.requests_per_s >= TARGET_RPS and story.p99_ms < TARGET_P99_MS,
    }


def print_table(results: dict[str, Any]) -> None:
    loads = [Load(**x) for x in results["loads"]]
    nginx = {(x.target, x.encoding): x for x in loads if x.server == "nginx"}
    sizes = {t["name"]: t["size"] for t in results["targets"]}
    workers = results["workers"]
    print(
        f"\nweb benchmark: {results['cpus']}; load average {results['load_before']:.1f} "
        f"before; wrk {results['wrk']}; median of {results['rounds']} interleaved rounds"
    )
    header = f"{'path':<13}{'server':<7}{'enc':<9}{'bytes':>7}{'req/s':>8}"
    header += f"{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'errors':>7}{'vs nginx':>9}"
    print(header + f"{'cpu us':>8}{'cpu cap':>9}  rounds req/s")
    for x in loads:
        ref = nginx.get((x.target, "identity"))
        ratio = f"{x.requests_per_s / ref.requests_per_s:.2f}x" if ref and x is not ref else ""
        print(
            f"{x.target:<13}{x.server:<7}{x.encoding:<9}{sizes.get(x.target, 0):>7}"
            f"{x.requests_per_s:>8.0f}{x.p50_ms:>8.2f}{x.p90_ms:>8.2f}{x.p99_ms:>8.2f}"
            f"{x.errors:>7}{ratio:>9}{x.cpu_us:>8.0f}{capacity(x, workers):>9.0f}"
            f"  {'/'.join(map(str, x.rates))}"
        )
    for missing in results["missing"]:
        print(f"not run: {missing}")
    v = results.get("verdict")
    if v:
        state = "MET" if v["met"] else "NOT MET"
        print(
            f"target {v['target']}: {state} "
            f"({v['requests_per_s']:.0f} req/s, p99 {v['p99_ms']:.2f} ms; CPU "
            f"{v['cpu_us_per_request']:.0f} us/request, so at most "
            f"{v['cpu_capacity_2_cores']:.0f} req/s on 2 free cores)"
        )
    print("cpu cap: requests/s the servers' CPU time per request allows on as many free cores")
    print("as workers; wall-clock rates on a busy machine fall below it.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a store written by `primenews demo`")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per run")
    parser.add_argument("--connections", type=int, default=32, help="open connections (wrk -c)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="server processes (2 cores)")
    parser.add_argument("--only", help="comma-separated target names (home,story,feed.atom,api)")
    parser.add_argument("--br", action="store_true", help="also the story with brotli (app)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "web.json")
    args = parser.parse_args(argv)
    wrk, nginx = _tool("wrk"), _tool("nginx")
    if wrk is None:
        print("wrk is missing (apt-get install wrk): nothing to measure with", file=sys.stderr)
        return 1
    server_pin, wrk_pin, cpus = _cpu_plan(args.workers)
    plan = LoadPlan(wrk, wrk_pin, args.threads, args.connections, args.duration, args.warmup)
    results: dict[str, Any] = {
        "cpus": cpus,
        "workers": args.workers,
        "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s --latency",
        "rounds": args.rounds,
        "missing": [] if nginx else ["nginx (apt-get install nginx-light): no static baseline"],
    }
    with tempfile.TemporaryDirectory(prefix="primenews-web-bench-") as name:
        tmp = Path(name)
        tmp.chmod(0o755)  # nginx workers run as another user when started by root
        database = args.db
        if database is None:
            database = tmp / "demo.db"
            print("writing the sample newswire's pages (primenews demo --no-serve)...")
            build_demo_store(database)
        port = _free_port()
        with ExitStack() as running:
            app = running.enter_context(serve_app(database, port, args.workers, server_pin))
            targets = fetch_targets(f"http://127.0.0.1:{port}", tmp / "www")
            if args.only:
                wanted = {n.strip() for n in args.only.split(",")}
                targets = [t for t in targets if t.name.split()[0] in wanted]
            servers = {"app": (port, app)}
            if nginx:
                nginx_port, serving = serve_nginx(nginx, tmp, targets, args.workers, server_pin)
                servers["nginx"] = (nginx_port, running.enter_context(serving))
            results["load_before"] = os.getloadavg()[0]
            loads = load_all(plan, servers, targets, args.rounds, args.br)
    results["targets"] = [asdict(t) for t in targets]
    results["loads"] = [asdict(x) for x in loads]
    results["verdict"] = verdict(loads)
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
