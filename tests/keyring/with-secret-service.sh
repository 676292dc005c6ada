#!/bin/sh
# Run a command inside a private D-Bus session in which gnome-keyring's Secret
# Service runs with an unlocked login collection, in a throwaway data
# directory. Nothing touches the user's own session or keyrings.
#
#   tests/keyring/with-secret-service.sh cargo test --test it keyring
#
# Needs (Debian/Ubuntu): apt-get install -y gnome-keyring dbus
# The command sees HCL_TEST_SECRET_SERVICE=1 and HCL_TEST_KEYRING_SANDBOX=DIR,
# which the keyring tests require before they write to any keyring.
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG]..." >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is missing; install it: apt-get install -y gnome-keyring dbus" >&2
        exit 2
    fi
done

sandbox=$(mktemp -d "${TMPDIR:-/tmp}/hcl-keyring.XXXXXX")
trap 'rm -rf "$sandbox"' EXIT INT TERM
mkdir -m 700 "$sandbox/data" "$sandbox/runtime"

# gnome-keyring keeps its keyrings under $XDG_DATA_HOME/keyrings and its
# control socket under $XDG_RUNTIME_DIR; both point into the sandbox for the
# D-Bus daemon and everything it starts. HOME stays as it is (cargo and rustup
# live there).
export XDG_DATA_HOME="$sandbox/data"
export XDG_RUNTIME_DIR="$sandbox/runtime"
export HCL_TEST_SECRET_SERVICE=1
export HCL_TEST_KEYRING_SANDBOX="$sandbox"

# Inside the session: unlocking with a password on stdin creates the login
# collection (the default one) unlocked, so no prompt ever appears. The
# daemon forks and keeps running until the session bus goes away.
# shellcheck disable=SC2016
dbus-run-session -- sh -c '
    printf %s hcl-test-keyring-password |
        gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"
' hcl-keyring "$@"
