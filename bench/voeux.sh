#!/usr/bin/env bash
# One plan of people and units (issue 24): on `collegia generer paris --voeux --graine N`
# (163 seats, 80 movable members, 40 groups, five wishes each), the wall time of
# `optimiser --regrouper` with the wishes first (the joint model) and of `affecter`, each end to
# end (loading, model, every stage, writing), with the release build and the default solver
# (microlp). Side by side, the joint model as exported (`--exporter-modele`: the grouping model
# with the wish rows at their optimum) solved by the CBC binary reading the LP file (one thread,
# gap 0) and by HiGHS (highspy reading the LP file, from bench/.venv as bench/comparer-solveurs.sh
# installs it), through bench/solveurs.py; and, when COLLEGIA_HIGHS names a collegia built with
# the highs feature, that build's `optimiser --regrouper --solveur highs` end to end. Prints one
# row per seed; the median and maximum of each column are left to the reader (docs/performance.md).
# Each row also says whether the two commands reach the same wish profile (« Classement obtenu »)
# and whether CBC and HiGHS reach collegia's objective.
#
# Usage: bench/voeux.sh            (seeds 1–16)
#   GRAINES="1 2 3"   seeds to run
#   BIN=path          a collegia release binary to use instead of building one
#   COLLEGIA_HIGHS=/work/target-highs/debug/collegia   the highs feature build (optional)
#   LIMITE=60         time limit of CBC and HiGHS, in seconds
#   NOEUDS=1          node wishes: every first wish naming a group that pilots a direction today
#                     is rewritten as that direction (the same group in the input, but a wish that
#                     follows the plan's units: the wish stages are then solved on the joint model)
set -euo pipefail
cd "$(dirname "$0")/.."
graines=(${GRAINES:-$(seq 1 16)})
limite="${LIMITE:-60}"
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --bin collegia >/dev/null
  BIN=target/release/collegia
fi
bin=$BIN
venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check pulp highspy
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
secondes() { # command… → wall seconds (3 decimals)
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$tmp/sortie" 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
# "Objectif : 150,813 avant → 135,469 après (…)": the value after the arrow.
objectif() { grep -oP 'Objectif.*→ \K[-0-9\x{202f} ,]+(?= après)' "$1" | head -1 | tr -d ' \342\200\257' | tr , . || true; }
printf 'graine;optimiser_regrouper_s;affecter_s;statut;meme_profil;objectif;cbc_s;cbc_statut;highspy_s;highspy_statut;collegia_highs_s\n'
for g in "${graines[@]}"; do
  v="$tmp/paris-$g"
  "$bin" generer paris --voeux --graine "$g" "$v" >/dev/null
  if [ "${NOEUDS:-0}" = 1 ]; then
    python3 - "$v" <<'PY'
import csv, sys
d = sys.argv[1]
lire = lambda f: list(csv.DictReader(open(f"{d}/{f}", encoding="utf-8-sig"), delimiter=";"))
niveau = {n["id"]: n["niveau"] for n in lire("organigramme.csv")}
groupe = {e["id"]: e["groupe"] for e in lire("elus.csv")}
fonction = {e["id"]: e["fonction"] for e in lire("elus.csv")}
# A direction each group pilots today (its adjoint·e's pilote délégation first).
dirs = {}
for x in sorted(lire("delegations.csv"), key=lambda x: fonction.get(x["elu"]) != "adjoint"):
    g = groupe.get(x["elu"])
    if x["role"] == "pilote" and niveau.get(x["noeud"]) == "direction" and g:
        dirs.setdefault(g, x["noeud"])
lignes = lire("voeux.csv")
with open(f"{d}/voeux.csv", "w", encoding="utf-8") as f:
    f.write("elu;choix;rang\n")
    for l in lignes:
        c = dirs.get(l["choix"], l["choix"]) if l["rang"] == "1" else l["choix"]
        f.write(f"{l['elu']};{c};{l['rang']}\n")
PY
  fi
  to=$(secondes "$bin" optimiser "$v" --regrouper --sortie "$tmp/o-$g" --exporter-modele "$tmp/m.lp")
  cp "$tmp/sortie" "$tmp/sortie-o"
  obj=$(objectif "$tmp/sortie-o")
  po=$(grep -o 'Classement obtenu : [^;]*' "$tmp/sortie-o" | head -1)
  if grep -q 'optimum lexicographique prouvé' "$tmp/sortie-o" && grep -q 'optimalité prouvée' "$tmp/sortie-o"; then
    statut=prouvé
  else
    statut=$(grep -o 'Résultat : [^:(]*' "$tmp/sortie-o" | head -1)
  fi
  ta=$(secondes "$bin" affecter "$v" --sortie "$tmp/a-$g")
  pa=$(grep -o 'ensemble : [^;]*' "$tmp/sortie" | head -1 | sed 's/ensemble : //')
  po=${po#Classement obtenu : }
  po=${po% }
  [ "$po" = "$pa" ] && meme=oui || meme="non ($po / $pa)"
  # CBC and HiGHS on the exported joint model: seconds and status, « = » when their objective
  # equals collegia's to the 3 decimals collegia prints.
  ext=$(OUTILS="cbc highs" "$venv/bin/python" bench/solveurs.py "$tmp/m.lp" "$limite" | grep '^{' |
    python3 -c '
import json, sys
obj = sys.argv[1]
out = []
for l in sys.stdin:
    d = json.loads(l)
    if "erreur" in d:
        out += ["—", "erreur"]; continue
    o = d["objectif"]
    meme = "" if not obj or o is None else (" =" if abs(o - float(obj)) <= 1.5e-3 else " ≠")
    out += ["%.3f" % d["secondes"], d["statut"] + meme]
print(";".join(out))' "${obj:-}")
  th=—
  if [ -n "${COLLEGIA_HIGHS:-}" ]; then
    th=$(secondes "$COLLEGIA_HIGHS" optimiser "$v" --regrouper --solveur highs --sortie "$tmp/h-$g")
    oh=$(objectif "$tmp/sortie")
    [ "$oh" = "$obj" ] && th="$th =" || th="$th ≠ ($oh)"
  fi
  printf '%s;%s;%s;%s;%s;%s;%s;%s\n' "$g" "$to" "$ta" "$statut" "$meme" "${obj:-?}" "$ext" "$th"
done
