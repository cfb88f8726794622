#!/usr/bin/env bash
# Run the test suite (creates the environment on first use), one worker per core. Extra
# arguments go to pytest instead (a file, -k NAME, ...), in one process.
source "$(dirname "$0")/scripts/env.sh"
if [ "$#" -eq 0 ]; then
  set -- -n auto
fi
exec python -m pytest "$@"
