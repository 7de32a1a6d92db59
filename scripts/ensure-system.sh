#!/bin/sh
# Make sure the Debian packages the tests use are here: PostgreSQL's server binaries (the
# store's tests start their own throw-away cluster on loopback) and Chromium (the browser
# tests drive it headless through Playwright). Installs what is missing with apt when this
# user may; otherwise says which tests will be skipped.
set -u
missing=""
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1 \
        && [ -z "${TRADETALKS_TEST_PG:-}" ]; then
    missing="$missing postgresql"
fi
if [ ! -x "${TRADETALKS_CHROMIUM:-/usr/bin/chromium}" ]; then
    missing="$missing chromium"
fi
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "missing:$missing; apt needs root: their tests will be skipped" >&2
        exit 0
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing:$missing; there is no apt-get: their tests will be skipped" >&2
    exit 0
fi
echo "installing$missing from Debian's packages for the tests..." >&2
# shellcheck disable=SC2086
$SUDO apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || \
    echo "apt-get could not install$missing: their tests will be skipped" >&2
exit 0
