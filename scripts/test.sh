#!/usr/bin/env bash
# Runs LearnHub's whole test suite, installing what it needs first:
# a virtualenv with the package and its test extra, and Debian's Chromium for the browser tests.
# Extra arguments go to pytest. Set LEARNHUB_TEST_DATABASE_URL to run on PostgreSQL.
# The tests run in one pytest-xdist worker per core (-n auto), each on its own database;
# pass -n 0 to run them in one process (e.g. with --pdb).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv ..." >&2
  "$PYTHON" -m venv .venv
fi
echo "Installing LearnHub with its test extra ..." >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,server]'

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's Chromium for the browser tests ..." >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "Linting with ruff and type-checking learnhub/ with mypy ..." >&2
.venv/bin/python -m ruff check --quiet learnhub tests benchmarks >&2
.venv/bin/python -m mypy >&2

exec .venv/bin/python -m pytest -n auto "$@"
