#!/usr/bin/env bash
# One plan of people and units (issue 24): on `collegia generer paris --voeux --graine N`
# (163 seats, 80 movable members, 40 groups, five wishes each), the wall time of
# `optimiser --regrouper` with the wishes first (the joint model) and of `affecter`, each end to
# end (loading, model, every stage, writing), with the release build and the default solver
# (microlp). Prints one row per seed, then the median and the maximum of each column, and
# whether the two commands reach the same wish profile (« Classement obtenu »).
#
# Usage: bench/voeux.sh            (seeds 1–16)
#   GRAINES="1 2 3"   seeds to run
set -euo pipefail
cd "$(dirname "$0")/.."
graines=(${GRAINES:-$(seq 1 16)})
cargo build --release --locked --bin collegia >/dev/null
bin=target/release/collegia
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
secondes() { # command… → wall seconds (3 decimals)
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$tmp/sortie" 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
printf 'graine;optimiser_regrouper_s;affecter_s;statut;meme_profil\n'
for g in "${graines[@]}"; do
  v="$tmp/paris-$g"
  "$bin" generer paris --voeux --graine "$g" "$v" >/dev/null
  to=$(secondes "$bin" optimiser "$v" --regrouper --sortie "$tmp/o-$g")
  po=$(grep -o 'Classement obtenu : [^;]*' "$tmp/sortie" | head -1)
  if grep -q 'optimum lexicographique prouvé' "$tmp/sortie" && grep -q 'optimalité prouvée' "$tmp/sortie"; then
    statut=prouvé
  else
    statut=$(grep -o 'Résultat : [^:(]*' "$tmp/sortie" | head -1)
  fi
  ta=$(secondes "$bin" affecter "$v" --sortie "$tmp/a-$g")
  pa=$(grep -o 'ensemble : [^;]*' "$tmp/sortie" | head -1 | sed 's/ensemble : //')
  po=${po#Classement obtenu : }
  po=${po% }
  [ "$po" = "$pa" ] && meme=oui || meme="non ($po / $pa)"
  printf '%s;%s;%s;%s;%s\n' "$g" "$to" "$ta" "$statut" "$meme"
done
