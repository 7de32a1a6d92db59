#!/bin/sh
# Make sure Debian's PostgreSQL server binaries are here for the store's tests (they start
# their own throw-away cluster on loopback). Installs the package with apt when missing and
# this user may; otherwise says why the PostgreSQL tests will be skipped.
set -u
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
    exit 0
fi
if [ -n "${TRADETALKS_TEST_PG:-}" ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "PostgreSQL is not installed and apt needs root: the PostgreSQL tests will be skipped" >&2
        exit 0
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL is not installed and there is no apt-get: the PostgreSQL tests will be skipped" >&2
    exit 0
fi
echo "installing PostgreSQL from Debian's packages for the store's tests..." >&2
$SUDO apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null || \
    echo "apt-get could not install postgresql: the PostgreSQL tests will be skipped" >&2
exit 0
