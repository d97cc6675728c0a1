#!/usr/bin/env bash
# The grouping model on generated cities: for each city, seed and split rate, the four models
# (directions, `--regrouper`, `--granularite service`, both), each run end to end three times:
# variables and rows of the exported model, median wall time, and the status the command prints
# (proved optimal, or the gap at the limit). The tables of docs/developpement.md « Grouping with the rules of what
# groups mean » and « Grouping model » come from this script.
#
# Usage: bench/regroupement.sh [tailles…]          (default: annecy lyon paris)
#   GRAINES="1 2 3"   seeds of `collegia generer` (default: 1)
#   PARTAGES="0,3 0"  split rates (`generer --partage`; default: 0,3 and 0)
#   LIMITE=60         time limit (s); the node limit is off, so the time limit alone stops a search
#   EXEMPLE=1         also the bundled example (data/exemple), first
#   COLLEGIA_FEATURES=highs   built and run with HiGHS (CARGO_TARGET_DIR is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
tailles=("$@")
[ $# -gt 0 ] || tailles=(annecy lyon paris)
graines=(${GRAINES:-1})
partages=(${PARTAGES:-0,3 0})
limite="${LIMITE:-60}"
cargo build --quiet --release ${COLLEGIA_FEATURES:+--features "$COLLEGIA_FEATURES"}
bin="${CARGO_TARGET_DIR:-target}/release/collegia"
solveur=()
case "${COLLEGIA_FEATURES:-}" in *highs*) solveur=(--solveur highs) ;; esac
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
modes=("" "--regrouper" "--granularite service" "--granularite service --regrouper")
mesurer() { # $1 label, $2 scenario folder
  local ligne="| $1 |"
  for mode in "${modes[@]}"; do
    local temps=()
    for _ in 1 2 3; do
      local debut fin
      debut=$(date +%s%N)
      # shellcheck disable=SC2086
      "$bin" optimiser "$2" $mode "${solveur[@]}" --sortie "$tmp/prop" --force \
        --exporter-modele "$tmp/m.lp" --limite-temps "$limite" --limite-noeuds 0 >"$tmp/out" 2>&1 || true
      fin=$(date +%s%N)
      temps+=($(( (fin - debut) / 1000000 )))
    done
    local med
    med=$(printf '%s\n' "${temps[@]}" | sort -n | sed -n 2p)
    local vars lignes statut
    # collegia writes one bound line per variable and one line per row name.
    vars=$(awk '/^Bounds$/{f=1;next} /^(General|Generals|Binary|Binaries|End)$/{f=0} f' "$tmp/m.lp" | wc -l)
    lignes=$(awk '/^Subject To$/{f=1;next} /^Bounds$/{f=0} f && /:/' "$tmp/m.lp" | wc -l)
    statut=$(grep '^Résultat' "$tmp/out" | grep -oE 'optimalité prouvée|écart [^ ]+ %' | head -1 || true)
    ligne="$ligne $vars × $lignes, $(printf '%d,%02d' $((med / 1000)) $(((med % 1000) / 10))) s, ${statut:-?} |"
  done
  echo "$ligne"
}
echo "| instance | directions | \`--regrouper\` | \`--granularite service\` | service + \`--regrouper\` |"
echo "|---|---|---|---|---|"
[ -z "${EXEMPLE:-}" ] || mesurer "data/exemple" data/exemple
for taille in "${tailles[@]}"; do
  for partage in "${partages[@]}"; do
    for graine in "${graines[@]}"; do
      "$bin" generer "$taille" "$tmp/ville" --graine "$graine" --partage "$partage" --force >/dev/null
      mesurer "$taille graine $graine partage $partage" "$tmp/ville"
    done
  done
done
