# Sourced by scripts/mock and scripts/test: a virtual environment in .venv with the kit installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
export PATH="$ROOT/.venv/bin:$PATH"
python -m pip install --quiet --upgrade pip
