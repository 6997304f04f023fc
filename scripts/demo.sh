#!/usr/bin/env bash
# Starts LearnHub with the demo town on SQLite: installs into .venv, builds the demo, serves it.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv ..." >&2
  "$PYTHON" -m venv .venv
fi
echo "Installing LearnHub ..." >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
.venv/bin/learnhub demo
exec .venv/bin/learnhub run --host 127.0.0.1 --port "${PORT:-5000}"
