#!/usr/bin/env bash
# Install the test dependencies and run the tests: the README's test command, and what CI runs.
# Extra pytest arguments pass through: `bash scripts/test.sh -m slow` runs the slow evaluations.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e ".[dev]"

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: browser tests will skip" >&2
fi

set +e
python -m pytest "$@"
status=$?
set -e
# pytest exits 5 when no test was collected (e.g. a marker filter that matches nothing): not a failure.
if [ "$status" -eq 5 ]; then
    echo "no tests collected"
    exit 0
fi
exit "$status"
