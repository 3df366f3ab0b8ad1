#!/usr/bin/env bash
# Runs every test (mocha on the compiled tests). End-to-end tests that need a private
# network namespace re-exec themselves inside one (see test/e2e/netns.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx mocha "$@"
