"""``sprout ui`` frees its port however it is stopped (SIGTERM, Ctrl+C, the terminal
closed, the parent killed outright), refuses a port that is taken, and its server never
fetches from an outside host."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from simulation.viz.commands import OFFLINE_ENVIRONMENT, free_port, port_taken


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except OSError:
        return False


def test_a_taken_port_is_refused_with_status_2_before_any_address() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert port_taken(port, "127.0.0.1")
        done = subprocess.run([sys.executable, "-m", "simulation.cli", "ui", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "http://" not in done.stdout
    assert "already in use" in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stopping_sprout_ui_by_its_pid_frees_the_port(sig: signal.Signals) -> None:
    port = free_port()
    ui = subprocess.Popen([sys.executable, "-m", "simulation.cli", "ui", "--port", str(port)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not _answers(port):
            assert ui.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        os.kill(ui.pid, sig)  # the parent only, as a trainer's kill would
        assert ui.wait(timeout=30) in (0, -sig)
        deadline = time.monotonic() + 10
        while port_taken(port, "127.0.0.1") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not port_taken(port, "127.0.0.1")
    finally:
        if ui.poll() is None:
            os.killpg(ui.pid, signal.SIGKILL)


def _start(port: int) -> subprocess.Popen:
    ui = subprocess.Popen([sys.executable, "-m", "simulation.cli", "ui", "--port", str(port)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          start_new_session=True)
    deadline = time.monotonic() + 90
    while not _answers(port):
        assert ui.poll() is None and time.monotonic() < deadline, "server did not start"
        time.sleep(0.3)
    return ui


def _server_pids(parent: int) -> list[int]:
    """Processes whose command line runs the workshop's Solara server, started by
    ``parent`` (found through /proc; the server runs in a session of its own)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().split(b"\0")
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if b"solara" in command and ppid == parent:
            found.append(int(entry))
    return found


@pytest.mark.slow
def test_killing_sprout_ui_outright_stops_its_server() -> None:
    """SIGKILL cannot be caught: the server is told by the kernel that its parent died."""
    port = free_port()
    ui = _start(port)
    servers = _server_pids(ui.pid)
    try:
        assert servers, "no server process found"
        os.kill(ui.pid, signal.SIGKILL)
        ui.wait(timeout=10)
        deadline = time.monotonic() + 20
        while (port_taken(port, "127.0.0.1") or any(os.path.exists(f"/proc/{p}")
                                                     and _alive(p) for p in servers)) \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not port_taken(port, "127.0.0.1")
        assert not any(_alive(p) for p in servers)
    finally:
        for pid in servers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_an_unknown_cdn_path_is_refused_without_leaving_the_machine() -> None:
    """Solara fetches assets it lacks from its CDN setting: ``sprout ui`` sets a scheme no
    client speaks, so the fetch fails in the server and nothing leaves the machine."""
    assert not OFFLINE_ENVIRONMENT["SOLARA_ASSETS_CDN"].startswith(("http:", "https:"))
    port = free_port()
    ui = _start(port)
    try:
        url = f"http://127.0.0.1:{port}/_solara/cdn/left-pad@1.3.0/index.js"
        start = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=30)
        assert refused.value.code == 404 and time.monotonic() - start < 30
    finally:
        os.kill(ui.pid, signal.SIGTERM)
        ui.wait(timeout=30)
    output = ui.stdout.read().decode(errors="replace")
    assert "jsdelivr" not in output and "left-pad@1.3.0" in output  # tried sprout-offline://


def _stale_font_cache(config: Path) -> None:
    """A matplotlib font cache built before the Chinese font was installed."""
    env = {**os.environ, "MPLCONFIGDIR": str(config)}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                   check=True, timeout=120)
    cache = next(config.glob("fontlist-*.json"))
    data = json.loads(cache.read_text())
    data["ttflist"] = [f for f in data["ttflist"] if "WenQuanYi" not in f["name"]]
    cache.write_text(json.dumps(data))


@pytest.mark.slow
def test_animate_in_chinese_mends_a_stale_font_cache_quietly(tmp_path: Path) -> None:
    from matplotlib import font_manager

    if not any(f.name == "WenQuanYi Micro Hei" for f in font_manager.fontManager.ttflist):
        pytest.skip("the Chinese font is not installed here")
    config = tmp_path / "mpl"
    config.mkdir()
    _stale_font_cache(config)
    out = tmp_path / "zh.gif"
    done = subprocess.run([sys.executable, "-m", "simulation.cli", "animate", "--out", str(out),
                           "--lang", "zh", "--weeks", "2", "--set", "n_residents=200"],
                          env={**os.environ, "MPLCONFIGDIR": str(config)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "findfont" not in done.stderr and len(done.stderr.splitlines()) <= 2, done.stderr
    cache = json.loads(next(config.glob("fontlist-*.json")).read_text())
    assert any("WenQuanYi" in f["name"] for f in cache["ttflist"])  # rebuilt


def test_a_missing_chinese_font_is_said_once(monkeypatch, capsys) -> None:
    from matplotlib import font_manager

    import simulation.viz.commands as commands

    monkeypatch.setattr(commands, "_has_font", lambda manager, name: False)
    monkeypatch.setattr(font_manager, "_load_fontmanager",
                        lambda try_read_cache=True: font_manager.fontManager)
    commands.quiet_fonts("zh")
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "fonts-wqy-microhei" in err
    commands.quiet_fonts("en")
    assert capsys.readouterr().err == ""
