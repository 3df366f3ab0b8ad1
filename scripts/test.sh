#!/usr/bin/env bash
# Runs every test (mocha on the compiled tests). End-to-end tests that need a private
# network namespace: the whole run happens inside one (scripts/netns-run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/netns-run.sh npx mocha "$@"
