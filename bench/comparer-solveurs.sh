#!/usr/bin/env bash
# Side by side with what users would pick instead: on the same generated instances, collegia's
# grouping model is exported (--exporter-modele) and solved by (a) a Python PuLP + CBC baseline and
# (b) HiGHS through highspy, both installed from PyPI into a local virtual environment. Prints, per
# size, each tool's wall time, status and objective, the ratio of collegia's end-to-end time to
# each, and whether all reach the same optimum.
#
# Each size is solved twice: the default model (groups fixed) and `--regrouper`.
#
# Usage: bench/comparer-solveurs.sh [tailles…]        (default: annecy lyon paris)
#        COLLEGIA_FEATURES=highs bench/comparer-solveurs.sh   collegia built and run with HiGHS
#        (CARGO_TARGET_DIR is honoured, so an existing HiGHS build is reused)
set -euo pipefail
cd "$(dirname "$0")/.."
tailles=("${@:-annecy lyon paris}")
[ $# -gt 0 ] || tailles=(annecy lyon paris)
venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check pulp highspy
fi
cargo build --quiet --release ${COLLEGIA_FEATURES:+--features "$COLLEGIA_FEATURES"}
bin="${CARGO_TARGET_DIR:-target}/release/collegia"
solveur=()
case "${COLLEGIA_FEATURES:-}" in *highs*) solveur=(--solveur highs) ;; esac
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
printf '| taille | outil | secondes | statut | objectif | collegia / outil |\n|---|---|--:|---|--:|--:|\n'
for taille in "${tailles[@]}"; do
  "$bin" generer "$taille" "$tmp/$taille" --graine 1 --force >/dev/null
for mode in "" --regrouper; do
  t="$taille${mode:+ $mode}"
  debut=$(date +%s.%N)
  "$bin" optimiser "$tmp/$taille" $mode "${solveur[@]}" --sortie "$tmp/prop" --exporter-modele "$tmp/m.lp" --limite-temps 120 >"$tmp/m.out" 2>&1 || true
  fin=$(date +%s.%N)
  tc=$(echo "$fin - $debut" | bc -l)
  # "Objectif : 150,813 avant → 135,469 après (…)": the value after the arrow.
  obj=$(grep -oP 'Objectif.*→ \K[-0-9\x{202f} ,]+(?= après)' "$tmp/m.out" | head -1 | tr -d ' \342\200\257' | tr , . || true)
  statut=$(grep -oE 'optimalité prouvée|écart [^ ]+ %|infaisable|repli' "$tmp/m.out" | head -1 || true)
  printf '| %s | collegia%s | %.2f | %s | %s | 1 |\n' "$t" "${solveur[*]:+ (HiGHS)}" "$tc" "${statut:-?}" "${obj:-?}"
  "$venv/bin/python" bench/solveurs.py "$tmp/m.lp" 120 | grep '^{' | while read -r ligne; do
    python3 - "$t" "$tc" "$ligne" "${obj:-}" <<'PY'
import json, sys
t, tc, ligne, objc = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
if "erreur" in ligne:
    print(f"| {t} | {ligne['solveur']} | — | erreur : {ligne['erreur'][:60]} | — | — |"); sys.exit()
o = ligne["objectif"]
meme = "" if not objc or o is None else (" (même optimum)" if abs(o - float(objc)) <= 1.5e-3 else " (optimum différent)")  # collegia prints 3 decimals
print(f"| {t} | {ligne['solveur']} | {ligne['secondes']:.2f} | {ligne['statut']}{meme} | {'—' if o is None else f'{o:.4f}'} | {tc / ligne['secondes']:.2f} |")
PY
  done
done
done
