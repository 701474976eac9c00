#!/usr/bin/env bash
# Installs what the dashboard needs on Debian with Python 3.11:
#   chromium        renders chart images (kaleido) and runs the browser tests (Playwright)
#   fonts-noto-cjk  Chinese glyphs in charts, slides and screenshots (else they show as boxes)
#   libreoffice-writer  reads uploaded .doc/.wps plans (converted to .docx, headless)
# and the Python packages. With --dev, also the test tools, and for checking the meeting deck by eye:
#   libreoffice-impress  converts the .pptx deck to PDF (libreoffice --headless --convert-to pdf)
#   libreoffice-writer   converts the meeting minutes (.docx) to PDF the same way
#   poppler-utils        renders PDF pages to PNG (pdftoppm)
#   postgresql           the workspace tests run against a throwaway PostgreSQL server of their own
#                        (tests/pg.py starts and stops it; the packaged cluster service is not used)
#   libreoffice-calc     lets the format tests write an .xls from an .xlsx
#   nginx                the reverse proxy of the many-users deployment (deploy/, benchmarks/load.py and
#                        its test start their own nginx; the packaged system service is not started)
# With --deploy: the runtime packages plus postgresql and nginx (python3 -m deploy.run, README
# "Deploy for many users"), without the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
deploy=0
[ "${1:-}" = "--dev" ] && dev=1
[ "${1:-}" = "--deploy" ] && deploy=1

packages=(chromium fonts-noto-cjk libreoffice-writer)
[ $dev -eq 1 ] && packages+=(libreoffice-impress libreoffice-calc poppler-utils postgresql nginx)
[ $deploy -eq 1 ] && packages+=(postgresql nginx)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # policy-rc.d exit 101: the postgresql and nginx packages must not start their system services here
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy"
    trap '$sudo rm -f "$policy"' EXIT
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

requirements=requirements.txt
[ $dev -eq 1 ] && requirements=requirements-dev.txt
python3 -m pip install --quiet --disable-pip-version-check -r "$requirements"
