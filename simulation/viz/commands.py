"""The workshop's subcommands: ``sprout ui`` serves the live page, ``sprout animate``
exports a run for slides."""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ..scenario import ScenarioError, resolve
from ..text import LANGUAGES

APP_MODULE = "simulation.viz.app"


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def serve_command(port: int, host: str) -> list[str]:
    """The Solara command line that serves the workshop page (all assets served locally)."""
    return [sys.executable, "-m", "solara", "run", APP_MODULE, "--port", str(port),
            "--host", host, "--no-open", "--production"]


def port_taken(port: int, host: str) -> bool:
    """Whether something already listens on ``host:port`` (or the port cannot be bound)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def cmd_ui(args: argparse.Namespace) -> int:
    scenario = resolve(args.scenario)
    port = args.port or free_port(args.host)
    if port_taken(port, args.host):
        print(f"sprout ui: port {port} on {args.host} is already in use; stop what holds it "
              f"or pick another with --port (0 picks a free one)", file=sys.stderr)
        return 2
    env = {**os.environ, "SPROUT_SCENARIO": scenario.path, "SOLARA_THEME_SHOW_BANNER": "False",
           "SOLARA_THEME_TITLE": "Sprout"}
    # The server runs in its own process group, so stopping it stops all of it; SIGTERM
    # or SIGINT to ``sprout ui`` is passed on, and the port is free when we return.
    server = subprocess.Popen(serve_command(port, args.host), env=env, start_new_session=True)

    def stop(signum: int, _frame: object) -> None:
        raise _SignalledError(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    print(f"Sprout workshop ({scenario.name}): http://{args.host}:{port}  (Ctrl+C stops it)",
          flush=True)
    try:
        return server.wait()
    except _SignalledError:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stop_group(server)


class _SignalledError(Exception):
    """SIGTERM or SIGINT arrived while serving."""


def _stop_group(server: subprocess.Popen, grace: float = 5.0) -> None:
    """Stop the server's whole process group: politely, then for good."""
    if server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def cmd_animate(args: argparse.Namespace) -> int:
    from .animate import FORMATS, animate, sidecar_path

    out = Path(args.out)
    if out.suffix not in FORMATS:
        raise ScenarioError("--out", None, f"{out}: the animation must end in .gif or .mp4")
    if args.weeks is not None and args.weeks < 0:
        raise ScenarioError("--weeks", None, "expected a non-negative number of weeks")
    scenario = resolve(args.scenario, args.set)
    seed = scenario.seed if args.seed is None else args.seed
    command = ["sprout", "animate", args.scenario or "baseline", "--out", str(out),
               "--lang", args.lang, "--seed", str(seed), "--fps", str(args.fps)]
    if args.weeks is not None:
        command += ["--weeks", str(args.weeks)]
    for item in args.set or []:
        command += ["--set", item]
    record = animate(scenario, out, lang=args.lang, seed=seed, weeks=args.weeks,
                     fps=args.fps, command=shlex.join(command))
    print(f"Wrote {out} ({record['frames']} frames, scenario '{scenario.name}', seed "
          f"{record['seed']}) and {sidecar_path(out)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``ui`` and ``animate`` to the ``sprout`` command line."""
    ui = subparsers.add_parser("ui", help="serve the live, bilingual workshop page")
    ui.add_argument("scenario", nargs="?", help="scenario the page opens with (default baseline)")
    ui.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks one)")
    ui.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (0.0.0.0 to let the room's devices connect)")
    ui.set_defaults(func=cmd_ui)

    anim = subparsers.add_parser("animate", help="export the map and groups chart as a GIF/MP4")
    anim.add_argument("scenario", nargs="?", help="scenario file or name (default baseline)")
    anim.add_argument("--out", required=True, metavar="FILE.gif|FILE.mp4")
    anim.add_argument("--lang", choices=LANGUAGES, default="en")
    anim.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    anim.add_argument("--weeks", type=int, help="weeks to show (default: the project's)")
    anim.add_argument("--fps", type=int, default=8, help="frames (weeks) per second")
    anim.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter")
    anim.set_defaults(func=cmd_animate)
