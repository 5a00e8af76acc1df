"""The workshop's subcommands: ``sprout ui`` serves the live page, ``sprout animate``
exports a run for slides."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

from .. import limits
from ..errors import UsageError, integer, out_path, seed_type, writable_directory
from ..inputs import preflight
from ..scenario import Scenario, resolve, scenarios_epilog
from ..text import LANGUAGES

APP_MODULE = "simulation.viz.app"

KERNEL_CULL_TIMEOUT = "2m"
"""How long Solara keeps the session of a closed tab (its default is 24 h, ~20 MB each)."""

SERVER_ENVIRONMENT = {
    "SOLARA_KERNEL_CULL_TIMEOUT": KERNEL_CULL_TIMEOUT,
    "SOLARA_KERNEL_MAX_PER_SESSION": "20",
}
"""Solara settings ``sprout ui`` launches the server with (each only if not set already).

The server also answers ``/readyz`` (liveness) and ``/resourcez`` (counts of sessions,
threads and websockets). ``--production`` mode, which ``sprout ui`` always uses, shows
aggregates only: no identifiers, no paths, no page input. Bind to 127.0.0.1 (the default),
or put the server behind a proxy that blocks these paths, when others share the network.
"""

OFFLINE_ENVIRONMENT = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    # Solara fetches an asset it does not hold (any unknown /_solara/cdn/... path) from
    # this address: a scheme no HTTP client speaks, so the fetch fails at once, in this
    # process, and the page gets a 404; no request ever leaves the machine.
    "SOLARA_ASSETS_CDN": "sprout-offline://no-cdn/",
}
"""Set whatever the environment says: the server never contacts an outside host."""

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


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


def check_host(host: str, port: int) -> None:
    """``UsageError`` unless ``host`` resolves to an address of this machine on which
    ``port`` is free (checked before Solara starts, which takes seconds)."""
    try:
        infos = socket.getaddrinfo(host, port or None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as err:
        raise UsageError(f"--host {host}: not an address or a known host name "
                         f"({getattr(err, 'strerror', None) or err})") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise UsageError(f"--port {port}: already in use on {host}; stop what holds "
                                 "it or pick another port (--port 0 picks a free one)"
                                 ) from None
            raise UsageError(f"--host {host}: cannot listen there ({err.strerror})") from None


def server_environment(scenario: Scenario) -> dict[str, str]:
    """The environment the Solara server runs with: ``SERVER_ENVIRONMENT`` (unless set)
    and the scenario the page opens with."""
    return {**SERVER_ENVIRONMENT, **os.environ, **OFFLINE_ENVIRONMENT,
            "SPROUT_SCENARIO": scenario.path, "SOLARA_THEME_SHOW_BANNER": "False",
            "SOLARA_THEME_TITLE": "Sprout"}


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """In the server's process (Linux): receive SIGTERM when ``sprout ui`` dies, however it
    dies (SIGKILL included), so that no server is left holding the port."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    os.setsid()


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
"""Signals that stop ``sprout ui`` and its server (SIGHUP: the terminal was closed)."""


def cmd_ui(args: argparse.Namespace) -> int:
    scenario = resolve(args.scenario)
    check_host(args.host, args.port)
    port = args.port or free_port(args.host)
    if port_taken(port, args.host):
        raise UsageError(f"--port {port}: already in use on {args.host}; stop what holds it "
                         "or pick another port (--port 0 picks a free one)")
    if args.host not in LOCAL_HOSTS:
        print(f"Warning: --host {args.host} lets every device that can reach this machine "
              "open the page and run simulations on it; there is no password or other "
              "authentication. Use it on a network you trust, and stop the server "
              "(Ctrl+C) after the workshop.", file=sys.stderr, flush=True)
    quiet_fonts("zh")  # the page is bilingual: a stale font cache is mended before it starts
    env = server_environment(scenario)
    # The server runs in its own process group, so stopping it stops all of it; SIGTERM
    # or SIGINT to ``sprout ui`` is passed on, and the port is free when we return.
    # Its own session (``_die_with_parent`` calls setsid), and a death signal should this
    # process be killed outright (SIGKILL cannot be caught).
    server = subprocess.Popen(serve_command(port, args.host), env=env,
                              preexec_fn=_die_with_parent)

    def stop(signum: int, _frame: object) -> None:
        raise _SignalledError(signum)

    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
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
    """SIGTERM, SIGINT or SIGHUP arrived while serving."""


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
        hint = (f"; write the suffix in lower case: {out.with_suffix(out.suffix.lower())}"
                if out.suffix.lower() in FORMATS else "")
        raise UsageError(f"--out {out}: the animation must end in .gif or .mp4{hint}")
    if out.is_dir():
        raise UsageError(f"--out {out}: a directory; name the animation file, e.g. "
                         f"{out / 'demo.gif'}")
    if out.exists() or out.is_symlink():
        if not sidecar_path(out).is_file() or out.is_symlink():
            raise UsageError(f"--out {out}: a file Sprout did not make (no "
                             f"{sidecar_path(out).name} beside it); it is left alone: name "
                             "another file")
        if not args.overwrite:
            raise UsageError(f"--out {out}: already exists; add --overwrite to replace it, or "
                             "name another file")
    scenario = resolve(args.scenario, args.set)
    params = scenario.params
    weeks_run = params["project_weeks"] + params["horizon_weeks"]
    if args.weeks is not None and args.weeks > weeks_run:
        raise UsageError(f"--weeks {args.weeks}: the scenario runs {weeks_run} weeks "
                         f"(project_weeks + horizon_weeks); expected 0 to {weeks_run}")
    preflight(params)
    writable_directory(out.parent if str(out.parent) else Path("."), "--out")
    seed = scenario.seed if args.seed is None else args.seed
    frames = (params["project_weeks"] if args.weeks is None else args.weeks) + 1
    if frames > 60:
        print(f"Animating '{scenario.name}': {frames} frames, "
              f"{limits.duration(frames * 0.25 + limits.estimate_seconds(params))}",
              file=sys.stderr, flush=True)
    command = ["sprout", "animate", args.scenario or "baseline", "--out", str(out),
               "--lang", args.lang, "--seed", str(seed), "--fps", str(args.fps)]
    if args.weeks is not None:
        command += ["--weeks", str(args.weeks)]
    if not args.captions:
        command += ["--no-captions"]
    for item in args.set or []:
        command += ["--set", item]
    quiet_fonts(args.lang)
    record = animate(scenario, out, lang=args.lang, seed=seed, weeks=args.weeks,
                     fps=args.fps, command=shlex.join(command), with_captions=args.captions)
    print(f"Wrote {out} ({record['frames']} frames, scenario '{scenario.name}', seed "
          f"{record['seed']}) and {sidecar_path(out)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``ui`` and ``animate`` to the ``sprout`` command line."""
    ui = subparsers.add_parser(
        "ui", help="serve the live, bilingual workshop page",
        description="Serve the workshop page with Solara. A closed tab's session is freed "
                    f"after {KERNEL_CULL_TIMEOUT}. The server also answers /readyz and "
                    "/resourcez with counts of sessions and threads (aggregates only, no "
                    "identifiers). There is no authentication: keep the default host "
                    "127.0.0.1 unless the room's devices must connect.",
        epilog=scenarios_epilog())
    ui.add_argument("scenario", nargs="?", default="baseline",
                    help="scenario the page opens with")
    ui.add_argument("--port", type=integer(0, 65535, "a port"), default=8765,
                    help="port (0 picks a free one)")
    ui.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (0.0.0.0 lets the room's devices connect; "
                         "no authentication)")
    ui.set_defaults(func=cmd_ui)

    anim = subparsers.add_parser("animate", help="export the map and groups chart as a GIF/MP4",
                                 epilog=scenarios_epilog())
    anim.add_argument("scenario", nargs="?", default="baseline",
                      help="scenario file or name")
    anim.add_argument("--out", type=out_path("a file"), required=True,
                      metavar="FILE.gif|FILE.mp4", help="the animation file to write")
    anim.add_argument("--overwrite", action="store_true",
                      help="replace FILE if it exists")
    anim.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the labels")
    anim.add_argument("--seed", type=seed_type(), help="seed (default: the scenario's)")
    anim.add_argument("--weeks", type=integer(0, limits.MAX_FRAMES - 1, "a number of weeks"),
                      help="weeks to show (default: the project's)")
    anim.add_argument("--fps", type=integer(1, limits.MAX_FPS, "frames per second"), default=8,
                      help="frames (weeks) per second")
    anim.add_argument("--set", action="append", metavar="KEY=VALUE",
                      help="override a parameter")
    anim.add_argument("--captions", action=argparse.BooleanOptionalAction, default=True,
                      help="caption the key moments (in --lang) under the map and chart and "
                           "hold their weeks on screen a little longer (on unless "
                           "--no-captions)")
    anim.set_defaults(func=cmd_animate)


def quiet_fonts(lang: str) -> None:
    """Chinese in matplotlib, at most one line about fonts: a font cache built before the
    Chinese font was installed is rebuilt (else every glyph is an empty box), a missing
    font is said once (instead of one ``findfont`` warning per glyph drawn)."""
    import logging
    import warnings

    from matplotlib import font_manager

    from .style import CJK_FONT

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=r"(?s).*Glyph .* missing from font")
    if lang != "zh" or _has_font(font_manager, CJK_FONT):
        return
    rebuilt = font_manager._load_fontmanager(try_read_cache=False)  # noqa: SLF001
    font_manager.fontManager = rebuilt
    if not _has_font(font_manager, CJK_FONT):
        print(f"Warning: the Chinese font ({CJK_FONT}) is not installed: Chinese text will "
              "show as empty boxes. Install it with `sudo apt-get install "
              "fonts-wqy-microhei` (or `bash scripts/bootstrap.sh --dev`).",
              file=sys.stderr, flush=True)


def _has_font(font_manager: object, name: str) -> bool:
    manager = font_manager.fontManager  # type: ignore[attr-defined]
    return any(entry.name == name for entry in manager.ttflist)
