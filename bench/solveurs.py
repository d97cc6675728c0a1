#!/usr/bin/env python3
"""Solve a CPLEX LP file exported by `collegia optimiser --exporter-modele` with the tools users
would pick instead: (a) CBC reading the LP file itself (the `cbc` binary PuLP bundles, so no Python
parsing is counted against it), (b) PuLP + CBC (the model rebuilt in PuLP from the LP text, as a
Python user would write it), (c) HiGHS through highspy (reading the LP file). Prints one JSON line
per solver: {"solveur", "secondes", "cpu", "statut", "objectif"} where "objectif" includes the
LP's constant term (written by collegia as a comment), "secondes" is wall time of read + build +
solve (for CBC alone, of the whole `cbc` process) and "cpu" the CPU seconds of the same span (user +
system, every thread; for CBC, of the `cbc` child process).

Usage: python3 solveurs.py model.lp [limite_secondes]
"""
import json
import os
import resource
import re
import subprocess
import sys
import tempfile
import time


def constante(texte):
    m = re.search(r"constante de l'objectif : (-?[0-9.]+)", texte)
    return float(m.group(1)) if m else 0.0


TERME = re.compile(r"([+-])?\s*([0-9.eE+-]*)\s*([A-Za-z_][\w.\[\]]*)")


def analyser_lp(texte):
    """Minimal parser for the LP subset collegia writes: Minimize / Subject To / Bounds /
    General / Binary / End, one constraint per line (possibly continued)."""
    lignes = [l.split("\\")[0].rstrip() for l in texte.splitlines()]
    section = None
    obj, contraintes, bornes, entiers, binaires = [], [], [], set(), set()
    courant = ""

    def termes(expr):
        out = []
        for s, c, v in TERME.findall(expr):
            coef = float(c) if c not in ("", "+", "-") else 1.0
            if s == "-":
                coef = -coef
            out.append((coef, v))
        return out

    def fin_contrainte(txt):
        if not txt.strip():
            return
        nom, _, corps = txt.partition(":")
        m = re.match(r"(.*?)(<=|>=|=)\s*(-?[0-9.eE+]+)\s*$", corps)
        if not m:
            raise ValueError("contrainte illisible : " + txt)
        contraintes.append((nom.strip(), termes(m.group(1)), m.group(2), float(m.group(3))))

    for l in lignes:
        t = l.strip()
        if not t:
            continue
        low = t.lower()
        if low in ("minimize", "minimise", "min"):
            section = "obj"; continue
        if low in ("subject to", "st", "s.t."):
            section = "st"; continue
        if low == "bounds":
            fin_contrainte(courant); courant = ""; section = "bounds"; continue
        if low in ("general", "generals", "gen"):
            section = "gen"; continue
        if low in ("binary", "binaries", "bin"):
            section = "bin"; continue
        if low == "end":
            break
        if section == "obj":
            obj.extend(termes(t.split(":", 1)[-1]))
        elif section == "st":
            if ":" in t and courant:
                fin_contrainte(courant)
                courant = t
            else:
                courant = (courant + " " + t) if courant else t
        elif section == "bounds":
            bornes.append(t)
        elif section == "gen":
            entiers.update(t.split())
        elif section == "bin":
            binaires.update(t.split())
    fin_contrainte(courant)
    return obj, contraintes, bornes, entiers, binaires


def cpu_soi():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_enfants():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def pulp_cbc(chemin, limite):
    import pulp
    t0 = time.perf_counter()
    texte = open(chemin, encoding="utf-8").read()
    obj, contraintes, bornes, entiers, binaires = analyser_lp(texte)
    noms = {v for _, v in obj} | {v for _, ts, _, _ in contraintes for _, v in ts}
    bas = {n: 0.0 for n in noms}
    haut = {n: None for n in noms}
    for b in bornes:
        m = re.match(r"(-?[0-9.eE+]+)\s*<=\s*(\S+)\s*<=\s*(-?[0-9.eE+]+)", b)
        if m:
            bas[m.group(2)], haut[m.group(2)] = float(m.group(1)), float(m.group(3)); continue
        m = re.match(r"(\S+)\s*(<=|>=|=)\s*(-?[0-9.eE+]+)", b)
        if m:
            n, op, v = m.group(1), m.group(2), float(m.group(3))
            if op == "<=": haut[n] = v
            elif op == ">=": bas[n] = v
            else: bas[n] = haut[n] = v
    c0 = cpu_soi() + cpu_enfants()
    prob = pulp.LpProblem("collegia", pulp.LpMinimize)
    var = {}
    for n in sorted(noms):
        cat = "Binary" if n in binaires else ("Integer" if n in entiers else "Continuous")
        var[n] = pulp.LpVariable(n.replace(".", "_"), lowBound=bas.get(n, 0.0), upBound=haut.get(n), cat=cat)
    prob += pulp.lpSum(c * var[v] for c, v in obj)
    for nom, ts, op, rhs in contraintes:
        e = pulp.lpSum(c * var[v] for c, v in ts)
        prob += (e <= rhs) if op == "<=" else (e >= rhs) if op == ">=" else (e == rhs), nom.replace(".", "_")[:200]
    prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limite, gapRel=0))
    dt = time.perf_counter() - t0
    cpu = cpu_soi() + cpu_enfants() - c0
    statut = pulp.LpStatus[prob.status]
    val = pulp.value(prob.objective)
    return {"solveur": "PuLP + CBC", "secondes": dt, "cpu": cpu, "statut": statut,
            "objectif": None if val is None else val + constante(texte)}


def cbc_fichier(chemin, limite):
    """The CBC binary bundled with PuLP, reading the LP file directly: one thread, gap 0."""
    import pulp
    cbc = pulp.PULP_CBC_CMD().path
    with tempfile.TemporaryDirectory() as d:
        sol = os.path.join(d, "sol.txt")
        t0 = time.perf_counter()
        c0 = cpu_enfants()
        subprocess.run([cbc, chemin, "-sec", str(limite), "-ratioGap", "0", "-threads", "1",
                        "-solve", "-solu", sol], check=True, capture_output=True)
        dt = time.perf_counter() - t0
        cpu = cpu_enfants() - c0
        premiere = open(sol, encoding="utf-8").readline()
    # "Optimal - objective value 123.45" or "Stopped on time - objective value …"
    m = re.match(r"\s*(.*?)\s*-\s*objective value\s+(-?[0-9.eE+]+)", premiere)
    statut = m.group(1) if m else premiere.strip()
    val = float(m.group(2)) if m else None
    texte = open(chemin, encoding="utf-8").read()
    return {"solveur": "CBC (fichier LP)", "secondes": dt, "cpu": cpu, "statut": statut,
            "objectif": None if val is None else val + constante(texte)}


def highspy_(chemin, limite):
    import highspy
    t0 = time.perf_counter()
    c0 = cpu_soi()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(limite))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.readModel(chemin)
    h.run()
    dt = time.perf_counter() - t0
    cpu = cpu_soi() - c0
    statut = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    texte = open(chemin, encoding="utf-8").read()
    return {"solveur": "highspy", "secondes": dt, "cpu": cpu, "statut": statut,
            "objectif": info.objective_function_value + constante(texte)}


if __name__ == "__main__":
    chemin = sys.argv[1]
    limite = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
    # OUTILS="cbc highs" skips PuLP + CBC (the same CBC, slower: the sweep of the freed models)
    outils = os.environ.get("OUTILS", "cbc pulp highs").split()
    choisis = {"cbc": cbc_fichier, "pulp": pulp_cbc, "highs": highspy_}
    for f in (choisis[o] for o in outils):
        try:
            print(json.dumps(f(chemin, limite), ensure_ascii=False))
        except Exception as e:  # report, don't crash the comparison
            print(json.dumps({"solveur": f.__name__, "erreur": str(e)}, ensure_ascii=False))
