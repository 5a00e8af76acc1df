"""``sprout ui`` frees its port when stopped and refuses a port that is taken."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from simulation.viz.commands import free_port, port_taken


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


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
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
