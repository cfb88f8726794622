#!/usr/bin/env bash
# Serve the registry at http://127.0.0.1:5000 (creates the environment, database, index and demo data).
source "$(dirname "$0")/scripts/env.sh"
flask --app registry init-db
flask --app registry demo-data
exec flask --app registry run --host 127.0.0.1 --port "${PORT:-5000}"
