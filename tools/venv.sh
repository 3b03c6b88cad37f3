#!/usr/bin/env bash
# Sourced by tools/run-app and tools/test: make .venv hold riskdesk (editable) with the
# given extra ("" or "test"), installing only when something is missing or pyproject.toml
# changed since the last install. A second start runs no pip at all, so it is quick and
# works with no network.
ensure_venv() {
    local extra="$1" stamp want
    stamp=".venv/.riskdesk-installed${extra:+-$extra}"
    want="$(sha256sum pyproject.toml | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
    if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && .venv/bin/python -c "import riskdesk" 2>/dev/null; then
        return 0
    fi
    echo "python packages: installing riskdesk${extra:+[$extra]} into .venv"
    # pip's output only when it fails (setuptools' editable-install notice is not news).
    local log
    log="$(mktemp)"
    if ! {
        { [ -x .venv/bin/python ] || {
            python3 -m venv .venv && .venv/bin/python -m pip install -q --upgrade pip
        }; } && .venv/bin/python -m pip install -q -e ".${extra:+[$extra]}"
    } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
    echo "$want" >"$stamp"
    # The test extra includes everything the app needs.
    [ -n "$extra" ] && echo "$want" >".venv/.riskdesk-installed"
    return 0
}
