#!/usr/bin/env bash
# Side by side with what users would pick instead: on the same generated instances, collegia's
# grouping model is exported (--exporter-modele) and solved by (a) the CBC binary reading the LP
# file itself, (b) a Python PuLP + CBC baseline and (c) HiGHS through highspy, all installed from
# PyPI into a local virtual environment. Prints, per instance, each tool's wall time, status and
# objective, the ratio of collegia's end-to-end time to each, and whether all reach the same optimum.
# Wall and CPU seconds are both reported: on a shared machine the wall time of a 60 s limit is
# the machine's, the CPU time is the solver's (HiGHS through highspy may use both cores).
#
# Each city is solved in three modes: the default model (directions, groups fixed), `--regrouper`
# and `--granularite service`; two more on request: `libre` (`--regrouper --liberer-coeurs`, the
# freest model, issue 30) and `front` (`--front --liberer-coeurs`, collegia only: the front is a
# sequence of solves, with no single LP file to hand to the other tools).
#
# Usage: bench/comparer-solveurs.sh [tailles…]        (default: annecy lyon paris)
#   GRAINES="1 2 3"   seeds of `collegia generer` (default: 1)
#   PARTAGE=0,3       share of directions split between two groups (`generer --partage`, default 0,3;
#                     0 gives the unsplit cities where every direction has one team)
#   MODES="defaut regrouper service"   which models to solve (default: these three; also libre, front)
#   OUTILS="cbc pulp highs"   which tools solve the exported LP besides collegia (default: all)
#   LIMITE=60         time limit in seconds for every tool (collegia runs with its node limit off)
#   COLLEGIA_FEATURES=highs   collegia built and run with HiGHS (CARGO_TARGET_DIR is honoured, so an
#                     existing HiGHS build is reused)
set -euo pipefail
cd "$(dirname "$0")/.."
tailles=("$@")
[ $# -gt 0 ] || tailles=(annecy lyon paris)
graines=(${GRAINES:-1})
modes=(${MODES:-defaut regrouper service})
partage="${PARTAGE:-0,3}"
limite="${LIMITE:-60}"
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
# Every row also goes to $tmp/lignes (mode, tool, seconds, proved or not) for the summary below.
printf '| instance | outil | secondes | CPU (s) | statut | objectif | collegia / outil |\n|---|---|--:|--:|---|--:|--:|\n'
for taille in "${tailles[@]}"; do
for graine in "${graines[@]}"; do
  "$bin" generer "$taille" "$tmp/$taille" --graine "$graine" --partage "$partage" --force >/dev/null
for mode in "${modes[@]}"; do
  case "$mode" in
    defaut) options=() ;;
    regrouper) options=(--regrouper) ;;
    service) options=(--granularite service) ;;
    libre) options=(--regrouper --liberer-coeurs) ;;
    front) options=(--front --liberer-coeurs) ;;
    *) echo "mode inconnu : $mode (defaut, regrouper, service, libre ou front)" >&2; exit 1 ;;
  esac
  t="$taille graine $graine partage $partage${options[*]:+ ${options[*]}}"
  debut=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$bin" optimiser "$tmp/$taille" "${options[@]}" "${solveur[@]}" --sortie "$tmp/prop" --force \
    --exporter-modele "$tmp/m.lp" --limite-temps "$limite" --limite-noeuds 0 >"$tmp/m.out" 2>&1 || true
  fin=$(date +%s.%N)
  tc=$(echo "$fin - $debut" | bc -l)
  cc=$(tail -1 "$tmp/cpu" | awk '{print $1 + $2}')
  # "Objectif : 150,813 avant → 135,469 après (…)": the value after the arrow.
  obj=$(grep -oP 'Objectif.*→ \K[-0-9\x{202f} ,]+(?= après)' "$tmp/m.out" | head -1 | tr -d ' \342\200\257' | tr , . || true)
  statut=$(grep -E '^Résultat|infaisable' "$tmp/m.out" | grep -oE 'optimalité prouvée|écart [^ ]+ %|infaisable|repli' | head -1 || true)
  printf '| %s | collegia%s | %.2f | %.2f | %s | %s | 1 |\n' "$t" "${solveur[*]:+ (HiGHS)}" "$tc" "$cc" "${statut:-?}" "${obj:-?}"
  prouve=non; [ "${statut:-}" = "optimalité prouvée" ] && prouve=oui
  printf '%s\tcollegia\t%s\t%s\t%s\n' "$mode partage $partage" "$tc" "$cc" "$prouve" >>"$tmp/lignes"
  [ "$mode" = front ] && continue
  "$venv/bin/python" bench/solveurs.py "$tmp/m.lp" "$limite" | grep '^{' | while read -r ligne; do
    python3 - "$t" "$tc" "$ligne" "${obj:-}" "$mode partage $partage" "$tmp/lignes" <<'PY'
import json, sys
t, tc, ligne, objc = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
if "erreur" in ligne:
    print(f"| {t} | {ligne['solveur']} | — | — | erreur : {ligne['erreur'][:60]} | — | — |"); sys.exit()
with open(sys.argv[6], "a") as f:
    f.write(f"{sys.argv[5]}\t{ligne['solveur']}\t{ligne['secondes']}\t{ligne['cpu']}\t{'oui' if ligne['statut'] == 'Optimal' else 'non'}\n")
o = ligne["objectif"]
meme = "" if not objc or o is None else (" (même optimum)" if abs(o - float(objc)) <= 1.5e-3 else " (optimum différent)")  # collegia prints 3 decimals
print(f"| {t} | {ligne['solveur']} | {ligne['secondes']:.2f} | {ligne['cpu']:.2f} | {ligne['statut']}{meme} | {'—' if o is None else f'{o:.4f}'} | {tc / ligne['secondes']:.2f} |")
PY
  done
done
done
done
# Median and max per model and tool: the tail is what a user waits for.
python3 - "$tmp/lignes" <<'PY'
import statistics, sys
from collections import defaultdict
g = defaultdict(list)
for l in open(sys.argv[1]):
    mode, outil, s, c, prouve = l.rstrip("\n").split("\t")
    g[(mode, outil)].append((float(s), float(c), prouve == "oui"))
print("\n| modèle | outil | instances | prouvées | médiane (s) | max (s) | médiane CPU (s) | max CPU (s) |\n|---|---|--:|--:|--:|--:|--:|--:|")
for (mode, outil), v in sorted(g.items()):
    t = [s for s, _, _ in v]
    c = [x for _, x, _ in v]
    print(f"| {mode} | {outil} | {len(v)} | {sum(p for _, _, p in v)} | {statistics.median(t):.2f} | {max(t):.2f} | {statistics.median(c):.2f} | {max(c):.2f} |")
PY
