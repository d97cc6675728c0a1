#!/usr/bin/env bash
# collegia reorganiser on generated cities (issue 29): the multi-period model of the DGA
# perimeters, 12 stages, two priorities that may each get a new DGA (each gathering one
# direction from every other DGA), the default per-stage cap (10 % of the staff). For each size
# and seed: variables, binaries and rows of the model, wall time of the whole command, and the
# status it prints (proved optimal, or the gap at the limit). docs/performance.md's table
# « Réorganisation par étapes » comes from this script.
#
# Usage: bench/reorganisation.sh [tailles…]      (default: annecy paris)
#   GRAINES="1 2 3"  seeds of `collegia generer` (default: 1 2 3)
#   ETAPES=12        stages
#   LIMITE=60        time limit (s); the node limit is off
#   COLLEGIA=path    a binary already built (otherwise: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
tailles=("$@")
[ $# -gt 0 ] || tailles=(annecy paris)
graines=(${GRAINES:-1 2 3})
etapes="${ETAPES:-12}"
limite="${LIMITE:-60}"
if [ -n "${COLLEGIA:-}" ]; then
  bin="$COLLEGIA"
else
  cargo build --quiet --release --bin collegia
  bin="${CARGO_TARGET_DIR:-target}/release/collegia"
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
echo "| ville | graine | directions × DGA × étapes | variables (binaires) | contraintes | temps (s) | statut |"
echo "|---|---|---|---|---|---|---|"
for taille in "${tailles[@]}"; do
  for g in "${graines[@]}"; do
    v="$tmp/$taille-$g"
    "$bin" generer "$taille" "$v" --graine "$g" --force >/dev/null
    # Priority 1: the first direction of every odd DGA; priority 2: of every even DGA.
    mapfile -t dgas < <(awk -F';' '$4=="DGA"{print $1}' "$v/organigramme.csv")
    p1=(); p2=()
    for i in "${!dgas[@]}"; do
      d=$(awk -F';' -v p="${dgas[$i]}" '$3==p && $4=="direction"{print $1; exit}' "$v/organigramme.csv")
      if (( i % 2 == 0 )); then p1+=("\"$d\""); else p2+=("\"$d\""); fi
    done
    {
      echo
      echo "[reorganisation]"
      echo "etapes = $etapes"
      echo "nouvelles_dga = 2"
      echo "liens_separables = true"
      echo
      echo "[[reorganisation.priorites]]"
      echo "id = \"p1\""
      echo "directions = [$(IFS=,; echo "${p1[*]}")]"
      echo
      echo "[[reorganisation.priorites]]"
      echo "id = \"p2\""
      echo "directions = [$(IFS=,; echo "${p2[*]}")]"
    } >>"$v/scenario.toml"
    debut=$(date +%s%N)
    "$bin" reorganiser "$v" --sortie "$tmp/plan" --force --limite-temps "$limite" \
      --limite-noeuds 0 >"$tmp/out" 2>&1 || true
    fin=$(date +%s%N)
    modele=$(grep -o 'Modèle : .*contraintes' "$tmp/out" | sed 's/Modèle : //' || true)
    vars=$(echo "$modele" | sed -E 's/([0-9]+) variables dont ([0-9]+) binaires, ([0-9]+) contraintes/\1 (\2)/')
    rows=$(echo "$modele" | sed -E 's/.* ([0-9]+) contraintes/\1/')
    statut=$(grep -o 'Résolution : .*' "$tmp/out" | sed 's/Résolution : //; s/\.$//' || true)
    [ -n "$statut" ] || statut="$(head -c 200 "$tmp/out" | tr '\n' ' ')"
    nd=$(grep -o '[0-9]* directions, [0-9]* DGA existantes, [0-9]* candidates, [0-9]* étapes' "$tmp/out" \
      | sed -E 's/([0-9]+) directions, ([0-9]+) DGA existantes, ([0-9]+) candidates, ([0-9]+) étapes/\1 × (\2 + \3) × \4/' || true)
    ms=$(( (fin - debut) / 1000000 ))
    echo "| $taille | $g | $nd | $vars | $rows | $(printf '%d,%03d' $((ms / 1000)) $((ms % 1000))) | $statut |"
  done
done
