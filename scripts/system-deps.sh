#!/usr/bin/env bash
# Installs what the tests need from Debian when it is missing: chromium (with its Danish
# interface) and postgresql.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Chromium's Danish interface: date fields in the browser tests show 15.05.2013 (docs/accessibility.md).
[ -e /usr/lib/chromium/locales/da.pak ] || missing+=(chromium-l10n)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Mangler ${missing[*]}: installér med 'sudo apt-get install ${missing[*]}'" >&2
  exit 1
fi
echo "Installerer ${missing[*]} fra Debian …" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
