// The séminaire page: renders the state the server sends (GET /api/etat, then live events on
// /api/evenements) and sends the facilitator's changes through the JSON API. Every text from
// the scenario goes through textContent, never parsed as markup.
"use strict";
(function () {
  let jeton = sessionStorage.getItem("collegia-jeton") || "";
  const h = location.hash.match(/jeton=([0-9a-fA-F]+)/);
  if (h) {
    jeton = h[1];
    sessionStorage.setItem("collegia-jeton", jeton);
    history.replaceState(null, "", location.pathname);
  }
  let etat = null;
  const $ = (id) => document.getElementById(id);
  const el = (tag, texte, classe) => {
    const e = document.createElement(tag);
    if (texte !== undefined && texte !== null) e.textContent = String(texte);
    if (classe) e.className = classe;
    return e;
  };
  const nombre = (x, d) => Number(x).toLocaleString("fr-FR", { maximumFractionDigits: d === undefined ? 1 : d });
  // One decimal always, as the terminal prints the front (« 11,0 »).
  const etp = (x) => Number(x).toLocaleString("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const euros = (x) => Number(x).toLocaleString("fr-FR", { maximumFractionDigits: 0 }) + " €";

  function message(texte, erreur) {
    const m = $("message");
    m.textContent = texte || "";
    m.className = erreur ? "erreur" : "";
  }

  function animation() {
    const actif = jeton !== "";
    document.querySelectorAll(".animation").forEach((e) => { e.hidden = !actif; });
    $("f-jeton").hidden = actif;
    $("role").textContent = actif ? "Vous animez le séminaire : vos modifications sont vues par toute la salle."
      : "Lecture seule : la page suit les modifications de l'animation en direct.";
  }

  async function envoyer(chemin, corps) {
    message("Calcul en cours…");
    try {
      const r = await fetch(chemin, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer " + jeton },
        body: corps === undefined ? "{}" : JSON.stringify(corps),
      });
      const j = await r.json();
      if (!r.ok) {
        message(j.code + " : " + j.message, true);
        if (r.status === 401) { jeton = ""; sessionStorage.removeItem("collegia-jeton"); animation(); }
        return null;
      }
      message("");
      if (j.version !== undefined) afficher(j);
      return j;
    } catch (e) {
      message("Serveur injoignable : " + e, true);
      return null;
    }
  }
  const modifier = (m) => envoyer("/api/modifications", m);

  // Colours by group: a fixed palette in the order of the group ids.
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
    "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363"];
  let couleurs = {};
  function couleur(id) { return couleurs[id] || "#cccccc"; }

  function afficher(e) {
    if (etat && e.journal < etat.journal) return;
    etat = e;
    couleurs = {};
    e.groupes.concat(e.hors_groupe).forEach((g, i) => { couleurs[g.id] = PALETTE[i % PALETTE.length]; });
    $("scenario").textContent = e.scenario;
    document.body.dataset.version = String(e.version);
    document.body.dataset.journal = String(e.journal);
    $("bilan").textContent = e.nombres.erreur + " erreur(s), " + e.nombres.alerte + " alerte(s), "
      + e.nombres.info + " info(s) · coût annuel des indemnités " + euros(e.indemnites.totaux.annuel_eur)
      + " · version " + e.version + " · calcul " + nombre(e.duree_ms, 0) + " ms";
    $("b-annuler").disabled = !e.peut_annuler;
    $("b-retablir").disabled = !e.peut_retablir;
    constats(e);
    organigramme(e);
    groupes(e);
    indemnites(e);
    delegations(e);
    dessinerFront();
    journal();
  }

  // The front of compromises (GET /api/front), as last fetched, with the journal length of the
  // state it was computed for: any later state makes it stale (its points are that state's).
  let front = null;

  async function chargerFront() {
    const b = $("b-front");
    b.disabled = true;
    message("Calcul du front de compromis…");
    try {
      const r = await fetch("/api/front");
      const j = await r.json();
      if (!r.ok) { message(j.code + " : " + j.message, true); return; }
      // The answer says its version; the journal length of the state shown then dates it.
      front = { donnees: j, journal: etat ? etat.journal : -1, version: etat ? etat.version : -1 };
      message("");
      dessinerFront();
      $("s-front").hidden = false;
      $("h-front").focus();
      $("h-front").scrollIntoView({ block: "nearest" });
    } catch (e) {
      message("Serveur injoignable : " + e, true);
    } finally {
      b.disabled = false;
    }
  }

  function dessinerFront() {
    if (!front) return;
    const a_jour = etat !== null && front.journal === etat.journal && front.version === front.donnees.version;
    const points = front.donnees.points;
    $("front-aide").textContent = !a_jour
      ? "L'état a changé depuis ce calcul : cliquez de nouveau sur « Front de compromis » pour le front de l'état actuel."
      : front.donnees.note
        ? front.donnees.note
        : points.length + " point(s), chacun optimal pour sa borne : du plus doux (le moins d'agents déplacés) au plus structuré (le moins de pôles, de liens entre groupes et d'unités hors thème).";
    const tb = $("front-points");
    tb.replaceChildren();
    points.forEach((p) => {
      const tr = el("tr");
      tr.dataset.point = String(p.point);
      tr.title = p.nom + " — structure " + p.structure + " (" + p.poles + " pôles, " + p.liens + " lien(s) entre groupes, " + p.hors_theme + " unité(s) hors thème), "
        + p.unites + " unité(s) déplacée(s)";
      tr.append(el("td", p.point, "nombre"), el("td", p.poles, "nombre"), el("td", etp(p.agents_etp), "nombre"),
        el("td", p.statut));
      const td = el("td", null, "animation");
      td.hidden = !jeton;
      const b = el("button", "Appliquer");
      b.type = "button";
      b.disabled = !a_jour;
      b.setAttribute("aria-label", "Appliquer le point " + p.point + " du front");
      b.addEventListener("click", () => modifier({ type: "appliquer_point_front", point: p.point }));
      td.append(b);
      tr.append(td);
      tb.append(tr);
    });
  }

  function constats(e) {
    const ul = $("constats");
    ul.replaceChildren();
    e.constats.forEach((c) => {
      const li = el("li", null, c.gravite);
      li.dataset.code = c.code;
      li.append(el("span", c.code, "code"), el("span", c.gravite + " — " + c.message));
      li.title = c.suggestion;
      ul.append(li);
    });
  }

  function options(select, valeurs, choisie) {
    select.replaceChildren();
    valeurs.forEach(([v, t]) => {
      const o = el("option", t);
      o.value = v;
      if (v === choisie) o.selected = true;
      select.append(o);
    });
  }

  function organigramme(e) {
    const enfants = {};
    e.organigramme.forEach((n) => { (enfants[n.parent || ""] = enfants[n.parent || ""] || []).push(n); });
    const ids = e.groupes.map((g) => [g.id, g.id]);
    const racine = $("organigramme");
    racine.replaceChildren();
    const ouverts = new Set(["DGS", "DGA"]);
    function noeud(n, ul) {
      const li = el("li");
      li.dataset.noeud = n.id;
      const p = n.porteurs.length ? n.porteurs[0][0] : null;
      const pastille = el("span", null, "pastille" + (p ? "" : " orphelin"));
      pastille.style.background = p ? couleur(p) : "";
      pastille.setAttribute("aria-hidden", "true");
      li.append(pastille, el("span", n.libelle + " (" + nombre(n.effectif) + " ETP)"));
      li.append(el("span", p ? n.porteurs.map((x) => x[0]).join(", ") : "sans pilote", "porteur"));
      if (jeton && (n.niveau === "direction" || n.niveau === "service" || n.niveau === "DGA")) {
        const s = el("select");
        s.setAttribute("aria-label", "Confier « " + n.libelle + " » au groupe");
        options(s, [["", "confier à…"]].concat(ids), "");
        s.addEventListener("change", () => {
          if (s.value) modifier({ type: "deplacer_unite", unite: n.id, groupe: s.value });
        });
        li.append(s);
      }
      const sous = enfants[n.id] || [];
      if (sous.length) {
        if (ouverts.has(n.niveau)) {
          const u = el("ul");
          sous.forEach((c) => noeud(c, u));
          li.append(u);
        } else {
          const d = el("details");
          d.append(el("summary", sous.length + " sous-unité(s)"));
          const u = el("ul");
          sous.forEach((c) => noeud(c, u));
          d.append(u);
          li.append(d);
        }
      }
      ul.append(li);
    }
    (enfants[""] || []).forEach((n) => noeud(n, racine));
  }

  function barres(conteneur, lignes, unite, titre) {
    // A horizontal bar chart in SVG, built with DOM calls (labels are text nodes).
    const NS = "http://www.w3.org/2000/svg";
    const max = Math.max(1, ...lignes.map((l) => l.valeur));
    const haut = 16, larg = 440, gauche = 170;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + (larg + 10) + " " + (lignes.length * haut + 20));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", titre);
    svg.setAttribute("width", "100%");
    lignes.forEach((l, i) => {
      const y = i * haut + 4;
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", gauche - 4); t.setAttribute("y", y + 11); t.setAttribute("text-anchor", "end");
      t.textContent = l.nom.length > 28 ? l.nom.slice(0, 27) + "…" : l.nom;
      const r = document.createElementNS(NS, "rect");
      r.setAttribute("x", gauche); r.setAttribute("y", y);
      r.setAttribute("width", Math.max(1, (larg - gauche - 60) * l.valeur / max)); r.setAttribute("height", haut - 3);
      r.setAttribute("fill", l.couleur);
      const v = document.createElementNS(NS, "text");
      v.setAttribute("x", gauche + 4 + (larg - gauche - 60) * l.valeur / max); v.setAttribute("y", y + 11);
      v.textContent = nombre(l.valeur) + " " + unite;
      svg.append(t, r, v);
    });
    conteneur.replaceChildren(el("p", titre, "aide"), svg);
  }

  function groupes(e) {
    const tb = $("groupes");
    tb.replaceChildren();
    e.groupes.concat(e.hors_groupe).forEach((g) => {
      const tr = el("tr");
      tr.dataset.groupe = g.id;
      const td = el("td");
      const p = el("span", null, "pastille");
      p.style.background = couleur(g.id);
      td.append(p, el("span", g.id));
      tr.append(td, el("td", g.membres.map((m) => m.nom + (m.chef ? " (chef·fe de file)" : "")).join(", ")),
        el("td", nombre(g.effectif)), el("td", g.services));
      tb.append(tr);
    });
    barres($("graphique-groupes"), e.groupes.map((g) => ({ nom: g.id, valeur: g.effectif, couleur: couleur(g.id) })),
      "ETP", "ETP pilotés par groupe");
    const elus = [];
    e.groupes.forEach((g) => g.membres.forEach((m) => elus.push([m.id, m.nom + " (" + g.id + ")"])));
    e.hors_groupe.forEach((g) => g.membres.forEach((m) => elus.push([m.id, m.nom + " (hors groupe)"])));
    const choisi = $("elu-choix").value;
    options($("elu-choix"), elus, choisi);
    const cible = $("elu-groupe").value;
    options($("elu-groupe"), [["", "aucun groupe"]].concat(e.groupes.map((g) => [g.id, g.id])), cible);
  }

  function indemnites(e) {
    const i = e.indemnites, t = i.totaux;
    $("totaux").textContent = "Politique " + i.politique + ", alpha " + nombre(i.alpha, 2) + ", plancher "
      + nombre(i.plancher, 2) + " %" + (i.ratio_max ? ", ratio maximal " + nombre(i.ratio_max, 2) : "")
      + " · enveloppe utilisée " + nombre(t.part_utilisee_pct, 1) + " % · " + euros(t.mensuel_eur)
      + " par mois, " + euros(t.annuel_eur) + " par an (majorations comprises).";
    if (document.activeElement === null || !$("f-politique").contains(document.activeElement)) {
      $("p-politique").value = i.politique;
      $("p-alpha").value = i.alpha;
      $("p-plancher").value = i.plancher;
      $("p-ratio").value = i.ratio_max === null ? "" : i.ratio_max;
    }
    barres($("graphique-taux"), i.lignes.map((l) => ({ nom: l.nom, valeur: Number(l.taux_pct),
      couleur: l.groupe ? couleur(l.groupe) : "#999" })), "%", "Taux votés (% de l'indice terminal)");
  }

  function delegations(e) {
    const tb = $("delegations");
    tb.replaceChildren();
    e.delegations.forEach((d) => {
      const tr = el("tr");
      tr.append(el("td", d.elu), el("td", d.noeud), el("td", d.role));
      const td = el("td", null, "animation");
      td.hidden = !jeton;
      if (d.role === "pilote") {
        const b = el("button", "passer en appui");
        b.type = "button";
        b.addEventListener("click", () => modifier({ type: "passer_en_appui", elu: d.elu, noeud: d.noeud }));
        td.append(b);
      }
      tr.append(td);
      tb.append(tr);
    });
  }

  async function journal() {
    try {
      const r = await fetch("/api/journal");
      if (!r.ok) return;
      const j = await r.json();
      const ol = $("journal");
      ol.replaceChildren();
      j.forEach((x) => {
        const li = el("li", x.description + " — erreurs " + x.avant.nombres.erreur + " → " + x.apres.nombres.erreur
          + ", alertes " + x.avant.nombres.alerte + " → " + x.apres.nombres.alerte + ", coût annuel "
          + euros(x.avant.annuel_eur) + " → " + euros(x.apres.annuel_eur));
        ol.append(li);
      });
    } catch (e) { /* the next state retries */ }
  }

  function brancher() {
    $("f-jeton").addEventListener("submit", (ev) => {
      ev.preventDefault();
      jeton = $("jeton").value.trim();
      sessionStorage.setItem("collegia-jeton", jeton);
      animation();
      if (etat) afficher(etat);
    });
    $("b-annuler").addEventListener("click", () => envoyer("/api/annuler"));
    $("b-retablir").addEventListener("click", () => envoyer("/api/retablir"));
    $("b-proposition").addEventListener("click", () => modifier({ type: "appliquer_proposition" }));
    $("b-front").addEventListener("click", chargerFront);
    $("f-elu").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const g = $("elu-groupe").value;
      modifier({ type: "deplacer_elu", elu: $("elu-choix").value, groupe: g === "" ? null : g });
    });
    $("f-politique").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const m = { type: "politique_indemnites", politique: $("p-politique").value,
        alpha: Number($("p-alpha").value), plancher: Number($("p-plancher").value) };
      if ($("p-ratio").value !== "") m.ratio_max = Number($("p-ratio").value);
      modifier(m);
    });
    $("f-enregistrer").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const r = await envoyer("/api/enregistrer", { nom: $("nom-variante").value });
      if (r) {
        message("Variante enregistrée dans " + r.dossier);
        document.body.dataset.variante = r.dossier;
      }
    });
  }

  function suivre() {
    const es = new EventSource("/api/evenements");
    es.addEventListener("etat", (ev) => {
      try { afficher(JSON.parse(ev.data)); } catch (e) { message("État illisible : " + e, true); }
    });
    es.onerror = () => { message("Connexion au serveur perdue, nouvelle tentative…", true); };
    es.onopen = () => { if ($("message").className === "erreur") message(""); };
  }

  document.addEventListener("DOMContentLoaded", () => {
    brancher();
    animation();
    suivre();
  });
})();
