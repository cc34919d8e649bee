# Sourced by scripts/mock and scripts/test: a virtual environment in .venv with the kit installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"

# Debian packages, installed only when missing (sudo unless root).
apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

command -v "$PYTHON" >/dev/null || apt_install python3 python3-venv
if [ ! -x .venv/bin/python ]; then
  # Debian's python3 creates no venv without its python3-venv package.
  "$PYTHON" -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; "$PYTHON" -m venv .venv; }
fi
export PATH="$ROOT/.venv/bin:$PATH"
python -m pip install --quiet --upgrade pip
