#!/usr/bin/env bash
# Run the test suite (creates the environment on first use). Extra arguments go to pytest.
source "$(dirname "$0")/scripts/env.sh"
exec python -m pytest "$@"
