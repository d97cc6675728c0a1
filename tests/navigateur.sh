#!/usr/bin/env bash
# Opens the example's report and deck in a real browser (Debian's Chromium, headless): they must
# render with no console error and no failed resource; at 1 024 × 768 and 1 920 × 1 080 neither
# scrolls sideways, no table runs past the window and no chart text is under 14 px (measured
# through the DevTools protocol by the ignored test `ecran`, which also drives the deck with the
# keyboard); the report prints to an A4 PDF. Screenshots in reports/capture/. Run by .ci/run;
# installs Chromium when missing (Debian/Ubuntu, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

# pdftotext (poppler-utils) reads the printed PDFs back in the `ecran` test.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "Chromium ou pdftotext absent : installation (apt-get install chromium poppler-utils)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils >/dev/null
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release -- rapport data/exemple --balayage --optimiser --sortie "$out/rapport" >/dev/null
page="file://$out/rapport/index.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$out/profil" --enable-logging=stderr --v=0)

chromium "${flags[@]}" --dump-dom "$page" >"$out/dom.html" 2>"$out/console.log" || true
grep -q '<h1>Organisation collégiale de la majorité</h1>' "$out/dom.html" || { echo "ÉCHEC : la page ne s'est pas affichée"; exit 1; }
grep -q 'id="h-proposition"' "$out/dom.html" || { echo "ÉCHEC : la section « Proposition optimisée » manque"; exit 1; }
n_svg=$(grep -o '<svg' "$out/dom.html" | wc -l)
[ "$n_svg" -ge 6 ] || { echo "ÉCHEC : $n_svg graphiques SVG rendus, 6 attendus"; exit 1; }
if grep -E 'CONSOLE.*(Error|error)|Uncaught|Failed to load resource|net::ERR_' "$out/console.log" | grep -v -E 'dbus|gcm|google_apis|fontconfig' ; then
  echo "ÉCHEC : erreurs dans la console du navigateur"; exit 1
fi

mkdir -p reports/capture
chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$PWD/reports/capture/rapport-exemple.png" "$page" 2>/dev/null || true
[ -s reports/capture/rapport-exemple.png ] || { echo "ÉCHEC : pas de capture d'écran"; exit 1; }

# Print: the PDF headless Chromium prints (A4, page breaks before each section).
chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/rapport.pdf" "$page" 2>/dev/null || true
[ -s "$out/rapport.pdf" ] || { echo "ÉCHEC : pas de PDF imprimé"; exit 1; }
# `/Type /Page` objects (not `/Pages`), wherever the line ends; no match is 0, not a failure.
pages=$( { grep -a -o -E '/Type */Page\b' "$out/rapport.pdf" || true; } | wc -l)
[ "$pages" -ge 2 ] || { echo "ÉCHEC : PDF de $pages page(s)"; exit 1; }
echo "Impression : rapport.pdf de $pages page(s)"

# Widths, clipped columns and chart text size of the report and of every slide of the deck,
# measured in the browser; screenshots of each screen in reports/capture/ecran/.
rm -rf reports/capture/ecran
COLLEGIA_CAPTURE="$PWD/reports/capture/ecran" cargo test --quiet --release --test integration ecran -- --ignored
echo "Navigateur : rapport affiché ($n_svg graphiques), aucune erreur de console ; rapport et diaporama sans défilement horizontal à 1 024 et 1 920 px ; captures dans reports/capture/"
