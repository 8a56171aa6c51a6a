#!/bin/sh
# Smoke test of a packaged Switchboard launcher, headless (no DISPLAY needed).
#   sh installer/src/smoke/smoke.sh installer/target/app-image/Switchboard/bin/Switchboard
#   sh installer/src/smoke/smoke.sh /opt/switchboard/bin/Switchboard      (an installed .deb)
# Checks: the launcher starts and answers --version; then the headless self-check: the
# `self-check` command if this build has one, otherwise `status --json` on a fresh H2 file
# database (opens + migrates) must print "tickets", and - when SMOKE_MODEL_PROBE names a directory
# with the compiled ModelProbe.class (the build passes it) - the packaged runtime loads the bundled
# MiniLM model through the trimmed ONNX Runtime / tokenizer jars and embeds a few texts.
# Exits non-zero, loudly, on any failure. Run by the build with -Psmoke (package phase, after jpackage).
# Linux app-image layout (bin/, lib/app, lib/runtime).
set -u

launcher=${1:?usage: smoke.sh PATH/TO/bin/Switchboard}
limit=${SMOKE_TIMEOUT:-300}   # seconds per command; the first model load is slow on a busy machine

fail() {
    echo "SMOKE FAILED: $*" >&2
    exit 1
}

[ -x "$launcher" ] || fail "no executable launcher at $launcher"

work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-smoke.XXXXXX") || fail "mktemp"
trap 'rm -rf "$work"' EXIT INT TERM

# Headless and hermetic: no display, own HOME so caches (ONNX/DJL natives, JavaFX) and any default
# data directory stay out of the user's home.
unset DISPLAY WAYLAND_DISPLAY
HOME=$work/home
XDG_DATA_HOME=$work/home/.local/share
export HOME XDG_DATA_HOME
mkdir -p "$HOME"

if command -v timeout >/dev/null 2>&1; then
    run() { timeout "$limit" "$launcher" "$@"; }
else
    run() { "$launcher" "$@"; }
fi

step() { # name, then the launcher arguments; output in $work/out, exit code checked
    name=$1; shift
    echo "smoke: $name: $(basename "$launcher") $*"
    run "$@" >"$work/out" 2>"$work/err"
    rc=$?
    sed 's/^/  | /' "$work/out"
    if [ "$rc" -ne 0 ]; then
        sed 's/^/  ! /' "$work/err" >&2
        [ "$rc" -eq 124 ] && fail "$name: no answer within ${limit}s"
        fail "$name: exit code $rc"
    fi
}

# 1. starts, answers --version
step version --version
grep -qi 'switchboard' "$work/out" || fail "--version did not print the application name"

# 2. headless self-check
db="jdbc:h2:file:$work/db/switchboard"
if run --help 2>/dev/null | grep -q 'self-check'; then
    step self-check self-check --db "$db"
else
    echo "smoke: (this build has no self-check command; checking status --json instead)"
    step status status --json --db "$db"
    grep -q '"tickets"' "$work/out" || fail "status --json did not print \"tickets\""
    if [ -n "${SMOKE_MODEL_PROBE:-}" ]; then
        image=$(CDPATH= cd -- "$(dirname -- "$launcher")/.." && pwd)
        java=$image/lib/runtime/bin/java
        [ -x "$java" ] || fail "no java in the packaged runtime ($java)"
        echo "smoke: model: packaged runtime + class path, ModelProbe"
        if command -v timeout >/dev/null 2>&1; then t="timeout $limit"; else t=""; fi
        $t "$java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$image/lib/app/*:$SMOKE_MODEL_PROBE" ModelProbe \
            >"$work/out" 2>"$work/err"
        rc=$?
        sed 's/^/  | /' "$work/out"
        if [ "$rc" -ne 0 ]; then
            grep -v '^SLF4J' "$work/err" | sed 's/^/  ! /' >&2
            fail "model: the bundled model did not load or embed (exit $rc)"
        fi
    fi
fi
ls "$work/db"/switchboard*.db >/dev/null 2>&1 || fail "no H2 database file was created under $work/db"

# 3. errors are reported with a non-zero exit code (scripts rely on it)
if run no-such-command >/dev/null 2>&1; then
    fail "an unknown command exited 0"
fi

echo "smoke: OK ($launcher)"
