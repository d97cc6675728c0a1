#!/usr/bin/env bash
# collegia reorganiser on generated cities (issue 29): the DGA perimeters over 12 stages,
# priorities that may each get a new DGA (two for annecy, three for paris, the issue's sizes:
# DGA i's first direction goes to priority i mod n), the default per-stage cap (10 % of the
# staff). For each size and seed: the final-state model and the path model (variables,
# binaries, rows), wall time of the whole command, the load average, and the status it prints
# (proved optimal, or the gap at the limit). With OUTILS, the exported models (final state,
# then path) are also solved by CBC (`cbc` on the PATH) and HiGHS (highspy, installed from PyPI
# into bench/.venv), each with the same time limit: value, bound, gap, time.
# docs/performance.md's table « Réorganisation par étapes » comes from this script.
#
# Usage: bench/reorganisation.sh [tailles…]      (default: annecy paris)
#   GRAINES="1 2 3"  seeds of `collegia generer` (default: 1 2 3)
#   ETAPES=12        stages
#   PRIORITES=n      priorities (and new DGA allowed); default 2 for annecy, 3 otherwise
#   LIMITE=60        time limit (s); the node limit is off
#   OUTILS="cbc highs"  also solve the exported models with these (default: none)
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
outils=(${OUTILS:-})
venv=bench/.venv
if [[ " ${outils[*]} " == *" highs "* && ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check highspy
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
# Value, bound, gap and time of an exported LP solved by CBC or HiGHS (the LP's constant, which
# collegia writes as a comment, added back).
externe() {
  local outil=$1 f=$2 c
  c=$(grep -o "constante de l'objectif : [-0-9.eE+]*" "$f" | awk '{print $NF}'); c=${c:-0}
  case "$outil" in
    cbc)
      local out st v b w
      out=$(cbc "$f" sec "$limite" ratioGap 0 threads 1 solve 2>&1 || true)
      st=$(echo "$out" | grep -o "^Result - .*" | head -1 | sed 's/Result - //')
      v=$(echo "$out" | grep -E "^Objective value:" | awk '{print $3}' | tail -1)
      b=$(echo "$out" | grep -E "^Lower bound:" | awk '{print $3}' | tail -1)
      case "$st" in Optimal*) b=$v ;; esac
      w=$(echo "$out" | grep -o "Wallclock seconds): *[0-9.]*" | awk '{print $NF}' | tail -1)
      python3 -c "
c=$c; v='$v'; b='$b'
v=float(v)+c if v else None; b=float(b)+c if b else None
g=f'{(v-b)/max(abs(v),1e-9)*100:.2f} %' if v is not None and b is not None else '?'
print(f'CBC : $st, valeur {v if v is None else round(v,3)}, borne {b if b is None else round(b,3)}, écart {g}, ${w:-?} s')" ;;
    highs)
      "$venv/bin/python" - "$f" "$limite" "$c" <<'PY'
import sys, time, highspy
f, limite, c = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
t0 = time.perf_counter()
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.setOptionValue("time_limit", limite)
h.setOptionValue("mip_rel_gap", 0.0)
h.setOptionValue("threads", 1)
h.readModel(f)
h.run()
dt = time.perf_counter() - t0
i = h.getInfo()
v, b = i.objective_function_value + c, i.mip_dual_bound + c
st = h.modelStatusToString(h.getModelStatus())
print(f"HiGHS : {st}, valeur {v:.3f}, borne {b:.3f}, écart {(v - b) / max(abs(v), 1e-9) * 100:.2f} %, {dt:.1f} s")
PY
      ;;
  esac
}
echo "| ville | graine | directions × DGA × étapes | état final : variables (binaires), contraintes | chemin : variables (binaires), contraintes | temps (s) | charge | cohérence 0 → dernière étape (agent·es déplacé·es) | statut |"
echo "|---|---|---|---|---|---|---|---|---|"
for taille in "${tailles[@]}"; do
  for g in "${graines[@]}"; do
    v="$tmp/$taille-$g"
    "$bin" generer "$taille" "$v" --graine "$g" --force >/dev/null
    # Priority j: the first direction of every DGA i with i mod n = j.
    np="${PRIORITES:-}"
    [ -n "$np" ] || { [ "$taille" = annecy ] && np=2 || np=3; }
    mapfile -t dgas < <(awk -F';' '$4=="DGA"{print $1}' "$v/organigramme.csv")
    declare -A pr=()
    for i in "${!dgas[@]}"; do
      d=$(awk -F';' -v p="${dgas[$i]}" '$3==p && $4=="direction"{print $1; exit}' "$v/organigramme.csv")
      j=$(( i % np + 1 ))
      pr[$j]="${pr[$j]:-}${pr[$j]:+,}\"$d\""
    done
    {
      echo
      echo "[reorganisation]"
      echo "etapes = $etapes"
      echo "nouvelles_dga = $np"
      echo "liens_separables = true"
      for j in $(seq 1 "$np"); do
        echo
        echo "[[reorganisation.priorites]]"
        echo "id = \"p$j\""
        echo "directions = [${pr[$j]}]"
      done
    } >>"$v/scenario.toml"
    unset pr
    charge=$(cut -d' ' -f1 /proc/loadavg)
    debut=$(date +%s%N)
    "$bin" reorganiser "$v" --sortie "$tmp/plan" --force --limite-temps "$limite" \
      --limite-noeuds 0 --exporter-modele "$tmp/m.lp" >"$tmp/out" 2>&1 || true
    fin=$(date +%s%N)
    taille_modele() {
      grep -o "$1 : .*contraintes" "$tmp/out" | sed -E 's/.* : ([0-9]+) variables dont ([0-9]+) binaires, ([0-9]+) contraintes/\1 (\2), \3/' || true
    }
    ef=$(taille_modele "Modèle de l'état final")
    ch=$(taille_modele "Modèle du chemin")
    [ -n "$ch" ] || ch="complet : $(taille_modele 'Modèle multi-période complet')"
    statut=$(grep -o 'Résolution : .*' "$tmp/out" | sed 's/Résolution : //; s/\.$//' || true)
    [ -n "$statut" ] || statut="$(head -c 200 "$tmp/out" | tr '\n' ' ')"
    nd=$(grep -o '[0-9]* directions, [0-9]* DGA existantes, [0-9]* candidates, [0-9]* étapes' "$tmp/out" \
      | sed -E 's/([0-9]+) directions, ([0-9]+) DGA existantes, ([0-9]+) candidates, ([0-9]+) étapes/\1 × (\2 + \3) × \4/' || true)
    ms=$(( (fin - debut) / 1000000 ))
    # Weighted coherence today and at the last stage, and the agents moved over the plan
    # (mesures.csv: French decimals and thousands separators).
    coh="?"
    if [ -f "$tmp/plan/mesures.csv" ]; then
      coh=$(sed '1d; s/\xe2\x80\xaf//g; s/\xc2\xa0//g; s/ //g' "$tmp/plan/mesures.csv" | tr ',' '.' | awk -F';' \
        'NR==1{j0=$7} {jt=$7; a+=$8} END{printf "%.3f → %.3f (%.1f)", j0, jt, a}' | tr '.' ',')
    fi
    echo "| $taille | $g | $nd | $ef | $ch | $(printf '%d,%03d' $((ms / 1000)) $((ms % 1000))) | $charge | $coh | $statut |"
    for outil in "${outils[@]}"; do
      for f in "$tmp/m-etat-final.lp" "$tmp/m.lp"; do
        [ -f "$f" ] && echo "|  |  | $(basename "$f") |  |  |  | $(cut -d' ' -f1 /proc/loadavg) |  | $(externe "$outil" "$f") |"
      done
    done
    rm -rf "$tmp"/m*.lp "$tmp/plan"
  done
done
