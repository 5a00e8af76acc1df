#!/usr/bin/env bash
# Create .venv (Python >= 3.12) and install Sprout into it.
#   bash scripts/bootstrap.sh         the model and its command line
#   bash scripts/bootstrap.sh --dev   also experiments, the workshop app, the test tools,
#                                     JupyterLab (.venv/bin/jupyter lab notebooks/),
#                                     Debian's Chromium and a Chinese font (for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[[ "${1:-}" == "--dev" ]] && dev=1

ok_python() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
    [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null 2>&1 && ok_python "$candidate" \
      && { echo "$candidate"; return; }
  done
  # pyenv keeps other versions out of PATH unless selected; look for them directly.
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
    [[ -x "$candidate" ]] && ok_python "$candidate" && { echo "$candidate"; return; }
  done
  return 1
}

# pip, quietly: this machine's pip configuration may name package indexes that do not
# exist here, and pip warns about each for every package ("Location ... is ignored"); those
# lines are dropped, every other warning and error is shown.
pip_install() {
  local status=0
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" \
    2> >(grep -v "^WARNING: Location '.*' is ignored: it is neither a file nor a directory\.$" >&2) \
    || status=$?
  return $status
}

# uv resolves, unpacks and compiles the same packages in about two thirds of pip's time
# (60 s against 94 s for the --dev set on the project's machines). It is handed pip's own
# settings (indexes, wheel folders, constraints: `pip config list`) and, like pip, takes
# the best match across all indexes. Should uv not install or not resolve, pip does it all.
uv_install() {
  pip_install uv || return 1
  local args=(--quiet --native-tls --python .venv/bin/python
              --index-strategy unsafe-best-match) line key value v
  # Where Python may not write bytecode (PYTHONDONTWRITEBYTECODE, as on the project's
  # machines), every process would compile all it imports: compiled here, once (30 s).
  # Elsewhere Python compiles each module on its first import and keeps it.
  [[ -n "${PYTHONDONTWRITEBYTECODE:-}" ]] && args+=(--compile-bytecode)
  while IFS= read -r line; do
    key=${line%%=*} value=${line#*=}
    value=${value#\'} value=${value%\'}
    case "$key" in
      *.index-url) for v in $value; do args+=(--index-url "$v"); done ;;
      *.extra-index-url) for v in $value; do args+=(--extra-index-url "$v"); done ;;
      *.find-links) for v in $value; do args+=(--find-links "$v"); done ;;
      *.constraint) for v in $value; do args+=(--constraint "$v"); done ;;
    esac
  done < <(.venv/bin/python -m pip config list 2>/dev/null)
  .venv/bin/uv pip install "${args[@]}" "$@"
}

install() {
  [[ -z "${SPROUT_PIP_ONLY:-}" ]] && uv_install "$@" && return
  echo "bootstrap: installing with pip" >&2
  pip_install --upgrade pip && pip_install "$@"
}

if [[ ! -x .venv/bin/python ]] || ! ok_python .venv/bin/python; then
  py=$(find_python) || { echo "bootstrap: Python 3.12 or newer is needed" >&2; exit 1; }
  rm -rf .venv
  "$py" -m venv .venv
fi
if [[ $dev == 1 ]]; then
  install -e '.[experiments,ui,test]'
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  # CairoSVG (PNG exports, animation frames) loads the cairo library at run time.
  ldconfig -p 2>/dev/null | grep -q 'libcairo.so.2' || need+=(libcairo2)
  fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || need+=(fonts-wqy-microhei fontconfig)
  if [[ ${#need[@]} -gt 0 ]]; then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq "${need[@]}" >/dev/null
  fi
else
  install -e '.[ui]'
fi
# matplotlib caches its list of fonts the first time it runs: a Chinese font installed
# after that (above, or by hand) stays invisible and Chinese text comes out as empty boxes.
# Rebuild the cache whenever it does not know a Chinese font that fontconfig knows.
.venv/bin/python - <<'PY' || true
import subprocess
try:
    known = subprocess.run(["fc-list", ":family"], capture_output=True, text=True,
                           timeout=30).stdout
except OSError:
    known = ""
if "WenQuanYi Micro Hei" in known:
    from matplotlib import font_manager
    if not any(f.name == "WenQuanYi Micro Hei" for f in font_manager.fontManager.ttflist):
        font_manager._load_fontmanager(try_read_cache=False)
        print("bootstrap: matplotlib's font cache rebuilt (it predated the Chinese font)")
PY
# The package is installed editable, so pip compiled none of its bytecode; where
# PYTHONDONTWRITEBYTECODE is set (as on the project's machines) every process - each CLI
# call, each pool worker - would compile it again (~0.1 s of CPU). Compiled once here.
.venv/bin/python -m compileall -q simulation >/dev/null
# numba compiles the model's kernels the first time a run needs them (~7 s of CPU) and
# caches them beside their sources. A small run here makes that cache once, so the first
# run after an install loads them, as do a test session's processes (which would
# otherwise each compile them at once).
.venv/bin/python -c "from simulation.headless import compile_kernels; compile_kernels()"
echo "bootstrap: ready ($(.venv/bin/python --version), sprout $(.venv/bin/sprout --version))"
