#!/usr/bin/env bash
# Ensure the system-level dependencies of the test suite are present.
#
#   scripts/install-system-deps.sh          Chromium (/usr/bin/chromium), a fonts
#                                           package, java (for vnu.jar and EPUBCheck),
#                                           npm, node_modules (npm ci from the lockfile),
#                                           and the tools of the downloads: Pango (the
#                                           PDF), liblouis (Braille), poppler-utils
#                                           (the PDF tests read it with pdftotext).
#   scripts/install-system-deps.sh --venv   only what `python3 -m venv` needs
#                                           (Debian's python3-venv).
#
# Missing Debian packages are installed with apt-get when running as root;
# otherwise the script prints what to install and exits 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=test
for arg in "$@"; do
    case "$arg" in
        --venv) mode=venv ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "install-system-deps: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

missing=()
if [[ $mode == venv ]]; then
    dpkg -s python3-venv >/dev/null 2>&1 || missing+=(python3-venv)
else
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
    command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
    for package in fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 liblouis-bin liblouis-data poppler-utils; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
fi

if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        echo "install-system-deps: installing ${missing[*]}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    else
        echo "install-system-deps: missing system packages (not root, not installing)." >&2
        echo "Install them with:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
fi

[[ $mode == venv ]] && exit 0

# Node test tooling (axe-core, vnu-jar) from the lockfile. --ignore-scripts:
# vnu-jar's postinstall would try to download a Java runtime from outside;
# we use the system java instead.
stamp=node_modules/.install-stamp
if [[ ! -f $stamp || package-lock.json -nt $stamp || package.json -nt $stamp \
      || ! -f node_modules/axe-core/axe.min.js || ! -f node_modules/vnu-jar/build/dist/vnu.jar ]]; then
    echo "install-system-deps: npm ci"
    npm ci --ignore-scripts --no-audit --no-fund
    touch "$stamp"
fi

for f in /usr/bin/chromium /usr/bin/lou_translate /usr/bin/pdftotext node_modules/axe-core/axe.min.js node_modules/vnu-jar/build/dist/vnu.jar; do
    [[ -e $f ]] || { echo "install-system-deps: $f is still missing" >&2; exit 1; }
done
command -v java >/dev/null 2>&1 || { echo "install-system-deps: java is still missing" >&2; exit 1; }
