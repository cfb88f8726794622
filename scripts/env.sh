# Sourced by run.sh and test.sh: a virtual environment with the project installed, translations compiled.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  touch "$stamp"
fi
# shellcheck disable=SC1091
source .venv/bin/activate
pybabel compile --statistics -d registry/translations >/dev/null 2>&1 || pybabel compile -d registry/translations
