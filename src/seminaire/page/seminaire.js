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
    history.replaceState(null, "", location.pathname + location.search);
  }
  let etat = null;
  let rendus = 0; // states rendered (each state once)
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

  // A refusal in plain French: the server's sentence, capitalised, its code in parentheses.
  function refus(j) {
    const m = String(j.message || "");
    return "Refusé : " + m + " (" + j.code + ")";
  }

  // Projector mode (large type, compact header, no inner scroll): a button, kept per browser,
  // or « ?projecteur » in the address.
  function projecteur(actif) {
    document.body.classList.toggle("projecteur", actif);
    $("b-projecteur").setAttribute("aria-pressed", String(actif));
    $("b-projecteur").textContent = actif ? "Mode normal" : "Mode projecteur";
    // Shorter labels at projector size, so that the header keeps to one line of buttons.
    document.querySelectorAll("header button[data-court]").forEach((b) => {
      if (!b.dataset.long) b.dataset.long = b.textContent;
      b.textContent = actif ? b.dataset.court : b.dataset.long;
    });
    try { localStorage.setItem("collegia-projecteur", actif ? "1" : ""); } catch (e) { /* private mode */ }
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
        message(refus(j), true);
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

  function afficher(e, force) {
    // States may arrive out of order (an answer and a live event): the revision never goes back.
    if (!force && etat && e.seance === etat.seance && e.revision <= etat.revision) return;
    etat = e;
    rendus += 1;
    document.body.dataset.rendus = String(rendus);
    couleurs = {};
    e.groupes.concat(e.hors_groupe).forEach((g, i) => { couleurs[g.id] = PALETTE[i % PALETTE.length]; });
    $("scenario").textContent = e.scenario;
    document.body.dataset.version = String(e.version);
    document.body.dataset.journal = String(e.journal);
    document.body.dataset.revision = String(e.revision);
    document.body.dataset.seance = e.seance;
    $("bilan").replaceChildren(
      el("span", e.nombres.erreur + " erreur(s), " + e.nombres.alerte + " alerte(s), " + e.nombres.info
        + " info(s) · indemnités " + euros(e.indemnites.totaux.annuel_eur) + " par an"),
      el("span", " · version " + e.version + " · calcul " + nombre(e.duree_ms, 0) + " ms", "bilan-detail"));
    $("b-annuler").disabled = !e.peut_annuler;
    $("b-retablir").disabled = !e.peut_retablir;
    derniere(e);
    constats(e);
    organigramme(e);
    groupes(e);
    indemnites(e);
    delegations(e);
    dessinerFront();
    dessinerApercu();
    journal();
    // The path of the reorganisation: shown without being asked when the input has a
    // [reorganisation] table, and asked again on each new state (which stage is applied).
    if ((e.reorganisation && !reorganisation) || (reorganisation && reorganisation.revision !== e.revision)) {
      chargerReorganisation(true);
    } else {
      dessinerReorganisation();
    }
  }

  // The staged reorganisation of the DGA perimeters (GET /api/reorganisation): solved once per
  // séance on the input; each stage applies like a point of the front (preview, then apply).
  let reorganisation = null;
  let reorganisationEnCours = false;

  async function chargerReorganisation(silencieux) {
    if (reorganisationEnCours) return;
    reorganisationEnCours = true;
    const b = $("b-reorganisation");
    b.disabled = true;
    if (!silencieux) message("Calcul du chemin de réorganisation…");
    const revision = etat ? etat.revision : -1;
    try {
      const r = await fetch("/api/reorganisation");
      const j = await r.json();
      if (!r.ok) {
        if (!silencieux) message(j.code + " : " + j.message, true);
        reorganisation = { erreur: j, revision: revision };
      } else {
        if (!silencieux) message("");
        reorganisation = { donnees: j, revision: revision };
      }
      dessinerReorganisation();
      $("s-reorganisation").hidden = false;
      if (!silencieux) {
        $("h-reorganisation").focus();
        $("h-reorganisation").scrollIntoView({ block: "nearest" });
      }
    } catch (e) {
      if (!silencieux) message("Serveur injoignable : " + e, true);
    } finally {
      b.disabled = false;
      reorganisationEnCours = false;
    }
  }

  function dessinerReorganisation() {
    if (!reorganisation) return;
    const ol = $("reorganisation-etapes");
    ol.replaceChildren();
    $("reorganisation-cadre").replaceChildren();
    if (reorganisation.erreur) {
      $("reorganisation-aide").textContent = reorganisation.erreur.code + " : " + reorganisation.erreur.message;
      $("reorganisation-calendrier").hidden = true;
      $("reorganisation-flux").hidden = true;
      return;
    }
    // The report's charts of the path (the path is the input's: they never change in a séance).
    ["calendrier", "flux"].forEach((nom) => {
      const img = $("reorganisation-" + nom);
      if (!img.getAttribute("src")) img.setAttribute("src", "/api/reorganisation/" + nom + ".svg");
      img.hidden = false;
    });
    const c = reorganisation.donnees;
    const a_jour = etat !== null && reorganisation.revision === etat.revision;
    $("reorganisation-aide").textContent = c.etapes.length + " étape(s), une par séminaire, au plus "
      + nombre(c.plafond, 0) + " agent·es changeant de DGA par étape ; cohérence pondérée aujourd'hui "
      + nombre(c.coherence, 2) + " (plus bas = plus cohérent) ; résolution : " + c.statut
      + ". Appliquer une étape donne à l'état de travail l'organigramme de cette étape (délégations inchangées)."
      + (a_jour ? "" : " L'état a changé : le chemin se met à jour…");
    c.etapes.forEach((e) => {
      const li = el("li");
      li.dataset.etape = String(e.etape);
      if (e.appliquee) li.className = "appliquee";
      li.append(el("h3", "Étape " + e.etape + " — " + e.date + (e.appliquee ? " (appliquée)" : "")));
      li.append(el("p", nombre(e.agents, 1) + " agent·es changent de DGA ; " + e.mesures + "."));
      if (e.mouvements.length) {
        li.append(el("p", e.consultation, "aide"));
        const ul = el("ul");
        liste(ul, e.mouvements);
        li.append(ul);
      } else {
        li.append(el("p", "Aucune direction ne change de DGA à cette étape.", "aide"));
      }
      const d = el("div", null, "ligne");
      const v = el("button", "Aperçu");
      v.type = "button";
      v.disabled = !a_jour;
      v.setAttribute("aria-label", "Aperçu de l'étape " + e.etape + " de la réorganisation");
      v.addEventListener("click", () => apercevoir(null, e.etape));
      const b = el("button", "Appliquer l'étape " + e.etape, "animation");
      b.type = "button";
      b.hidden = !jeton;
      b.disabled = !a_jour || e.appliquee;
      b.addEventListener("click", () => modifier({ type: "appliquer_etape_reorganisation", etape: e.etape }));
      d.append(v, b);
      li.append(d);
      ol.append(li);
    });
    liste($("reorganisation-cadre"), c.priorites.concat(c.cadre));
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
      const td = el("td");
      const v = el("button", "Aperçu");
      v.type = "button";
      v.className = "apercu";
      v.disabled = !a_jour;
      v.setAttribute("aria-label", "Aperçu du point " + p.point + " du front");
      v.addEventListener("click", () => apercevoir(p.point));
      const b = el("button", "Appliquer", "animation");
      b.type = "button";
      b.hidden = !jeton;
      b.disabled = !a_jour;
      b.setAttribute("aria-label", "Appliquer le point " + p.point + " du front");
      b.addEventListener("click", () => modifier({ type: "appliquer_point_front", point: p.point }));
      td.append(v, b);
      tr.append(td);
      tb.append(tr);
    });
  }

  // A list of sentences, each as text.
  function liste(ul, phrases) {
    ul.replaceChildren();
    phrases.forEach((p) => ul.append(el("li", p)));
  }

  function listeConstats(ul, disparus, apparus) {
    ul.replaceChildren();
    disparus.forEach((c) => ul.append(el("li", "résolu : " + c, "resolu")));
    apparus.forEach((c) => ul.append(el("li", "nouveau : " + c, "nouveau")));
    if (!disparus.length && !apparus.length) ul.append(el("li", "aucun constat ne change"));
  }

  // The « Dernière modification » panel: the last line of the journal with its effect in words.
  function derniere(e) {
    const d = e.derniere;
    $("derniere-details").hidden = !d;
    $("f-note").hidden = !d || !jeton;
    if (!d) {
      $("derniere-titre").textContent = "Aucune modification depuis le début de la séance.";
      $("derniere-note").hidden = true;
      return;
    }
    const action = { modification: "", annulation: "", retablissement: "" }[d.action] || "";
    $("derniere-titre").textContent = action + d.numero + ". " + d.description;
    $("derniere-note").hidden = !d.note;
    $("derniere-note").textContent = d.note ? "Décision : " + d.note : "";
    liste($("derniere-mouvements"), d.effet.mouvements);
    listeConstats($("derniere-constats"), d.disparus, d.apparus);
    $("derniere-cout").textContent = d.effet.cout;
    liste($("derniere-indemnites"), d.effet.indemnites);
  }

  // Preview of the optimiser's proposal or of a point of the front (GET /api/apercu), in the
  // words the terminal and the deck use, before applying it.
  let apercu = null;
  async function apercevoir(point, etape) {
    message(point ? "Aperçu du point " + point + " du front…"
      : etape ? "Aperçu de l'étape " + etape + " de la réorganisation…"
        : "Calcul de la proposition de l'optimiseur…");
    try {
      const r = await fetch(point ? "/api/apercu?point=" + point : etape ? "/api/apercu?etape=" + etape : "/api/apercu");
      const j = await r.json();
      if (!r.ok) { message(j.code + " : " + j.message, true); return; }
      message("");
      apercu = { donnees: j, point: point, etape: etape, revision: etat ? etat.revision : -1 };
      dessinerApercu();
      $("s-apercu").hidden = false;
      $("h-apercu").focus();
      $("h-apercu").scrollIntoView({ block: "nearest" });
    } catch (e) {
      message("Serveur injoignable : " + e, true);
    }
  }

  function dessinerApercu() {
    if (!apercu) return;
    const a = apercu.donnees;
    const a_jour = etat !== null && apercu.revision === etat.revision;
    $("apercu-titre").textContent = (a_jour ? "" : "L'état a changé depuis cet aperçu : demandez-le de nouveau. ")
      + "Si on applique : " + a.description;
    liste($("apercu-mouvements"), a.effet.mouvements);
    listeConstats($("apercu-constats"), a.disparus, a.apparus);
    $("apercu-cout").textContent = a.effet.cout;
    liste($("apercu-indemnites"), a.effet.indemnites);
    const b = $("b-apercu-appliquer");
    b.hidden = !jeton;
    b.disabled = !a_jour;
    b.textContent = apercu.point ? "Appliquer le point " + apercu.point
      : apercu.etape ? "Appliquer l'étape " + apercu.etape : "Appliquer la proposition";
  }

  // A finding's code as a link to its entry in the user guide, served by the séminaire itself
  // (offline), in a new tab so that the séance stays where it is.
  function lienGuide(c) {
    const a = el("a", c.code, "code");
    a.href = "/" + c.guide;
    a.target = "_blank";
    a.rel = "noopener";
    a.title = "Que faire ? (guide)";
    return a;
  }

  function constats(e) {
    const ul = $("constats");
    ul.replaceChildren();
    e.constats.forEach((c) => {
      const li = el("li", null, c.gravite);
      li.dataset.code = c.code;
      li.append(lienGuide(c), el("span", c.gravite + " — " + c.message));
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

  // The organigramme as boxes: DGS, then one column per DGA with its directions; the services of
  // a direction on demand. Each box: its label, the group that leads it (name and colour, never
  // the colour alone) and the TOTAL staff of its subtree. Branches opened, the box selected and
  // the keyboard focus survive every new state.
  const ouverts = new Set();
  let selection = null; // { type: "noeud" | "groupe", id }
  let org = { enfants: {}, noeuds: {}, total: {} };
  let recherche = "";

  const sansAccents = (t) => String(t).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  // The porteur with the largest share of a node's own staff.
  function meneur(n) {
    let m = null;
    n.porteurs.forEach((p) => { if (!m || p[1] > m[1]) m = p; });
    return m ? m[0] : null;
  }

  function indexer(e) {
    const enfants = {}, noeuds = {}, total = {};
    e.organigramme.forEach((n) => { noeuds[n.id] = n; (enfants[n.parent || ""] = enfants[n.parent || ""] || []).push(n); });
    const somme = (n) => {
      let t = n.effectif;
      (enfants[n.id] || []).forEach((c) => { t += somme(c); });
      total[n.id] = t;
      return t;
    };
    (enfants[""] || []).forEach(somme);
    org = { enfants, noeuds, total };
  }

  const pliable = (n) => n.niveau !== "DGS" && n.niveau !== "DGA";

  function boite(n) {
    const b = el("div", null, "boite niveau-" + n.niveau);
    b.dataset.noeud = n.id;
    b.dataset.cle = "noeud:" + n.id;
    b.tabIndex = 0;
    b.setAttribute("role", "button");
    const p = meneur(n);
    b.style.setProperty("--c", p ? couleur(p) : "#ffffff");
    if (!p && pliable(n)) b.classList.add("orphelin");
    if (selection && selection.type === "noeud" && selection.id === n.id) b.classList.add("choisie");
    if (recherche && (sansAccents(n.libelle).includes(recherche) || sansAccents(n.id).includes(recherche))) b.classList.add("trouvee");
    const etiquette = p ? (etat.groupes.some((g) => g.id === p) ? "groupe " + p : p) : "sans pilote";
    b.append(el("span", n.libelle, "libelle"), el("span", etiquette, "porteur"),
      el("span", nombre(org.total[n.id]) + " ETP au total", "etp"));
    b.setAttribute("aria-label", n.libelle + ", " + etiquette + ", " + nombre(org.total[n.id]) + " ETP au total");
    b.addEventListener("click", () => choisir("noeud", n.id));
    b.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); choisir("noeud", n.id); }
    });
    if (jeton && n.niveau !== "DGS") {
      b.draggable = true;
      b.addEventListener("dragstart", (ev) => { ev.dataTransfer.setData("text/plain", n.id); ev.dataTransfer.effectAllowed = "move"; });
    }
    return b;
  }

  function branche(n) {
    const w = el("div", null, "branche niveau-" + n.niveau);
    w.append(boite(n));
    const sous = org.enfants[n.id] || [];
    if (!sous.length) return w;
    const deplie = !pliable(n) || ouverts.has(n.id);
    if (pliable(n)) {
      const t = el("button", (deplie ? "Masquer les " : "Voir les ") + sous.length + " sous-unité(s)", "deplier");
      t.type = "button";
      t.dataset.cle = "deplier:" + n.id;
      t.setAttribute("aria-expanded", String(deplie));
      t.addEventListener("click", () => {
        if (ouverts.has(n.id)) ouverts.delete(n.id); else ouverts.add(n.id);
        rendreOrganigramme();
      });
      w.append(t);
    }
    if (deplie) {
      const c = el("div", null, "enfants");
      sous.forEach((x) => c.append(branche(x)));
      w.append(c);
    }
    return w;
  }

  function legende(e) {
    const ul = $("legende");
    ul.replaceChildren();
    e.groupes.forEach((g) => {
      const li = el("li");
      const b = el("button", null, "groupe");
      b.type = "button";
      b.dataset.cle = "groupe:" + g.id;
      b.dataset.groupe = g.id;
      const p = el("span", null, "pastille");
      p.style.background = couleur(g.id);
      b.append(p, el("span", g.id + " · " + nombre(g.effectif) + " ETP"));
      b.addEventListener("click", () => choisir("groupe", g.id));
      if (jeton) {
        b.addEventListener("dragover", (ev) => { ev.preventDefault(); b.classList.add("survol"); });
        b.addEventListener("dragleave", () => b.classList.remove("survol"));
        b.addEventListener("drop", (ev) => {
          ev.preventDefault();
          b.classList.remove("survol");
          const u = ev.dataTransfer.getData("text/plain");
          if (u) modifier({ type: "deplacer_unite", unite: u, groupe: g.id });
        });
      }
      li.append(b);
      ul.append(li);
    });
  }

  function rendreOrganigramme() {
    if (!etat) return;
    const cle = cleFocus();
    const racine = $("organigramme");
    racine.replaceChildren();
    (org.enfants[""] || []).forEach((n) => racine.append(branche(n)));
    rendreFocus(cle);
  }

  function organigramme(e) {
    indexer(e);
    legende(e);
    rendreOrganigramme();
    details();
  }

  // Search by name or id (accents and case ignored): matching boxes are marked, the branches
  // that hold them opened; Enter selects the first.
  function chercher() {
    recherche = sansAccents($("recherche").value.trim());
    const trouves = recherche ? etat.organigramme.filter((n) => sansAccents(n.libelle).includes(recherche) || sansAccents(n.id).includes(recherche)) : [];
    trouves.forEach((n) => {
      let p = n.parent;
      while (p) { if (org.noeuds[p] && pliable(org.noeuds[p])) ouverts.add(p); p = org.noeuds[p] ? org.noeuds[p].parent : null; }
    });
    $("recherche-resultat").textContent = recherche ? trouves.length + " unité(s) trouvée(s)" : "";
    rendreOrganigramme();
    return trouves;
  }

  // The focused element's key (data-cle, or its id), to focus it again after a new render.
  function cleFocus() {
    const a = document.activeElement;
    if (!a || a === document.body) return null;
    if (a.dataset && a.dataset.cle) return { cle: a.dataset.cle };
    return null;
  }
  function rendreFocus(c) {
    if (!c) return;
    const x = Array.from(document.querySelectorAll("[data-cle]")).find((y) => y.dataset.cle === c.cle);
    if (x && document.activeElement !== x) x.focus({ preventScroll: true });
  }

  function choisir(type, id) {
    selection = { type, id };
    rendreOrganigramme();
    details();
    $("h-details").focus({ preventScroll: false });
  }

  function bouton(texte, cle, action) {
    const b = el("button", texte);
    b.type = "button";
    if (cle) b.dataset.cle = cle;
    b.addEventListener("click", action);
    return b;
  }

  // The details of the box or group selected, with the facilitator's actions. The « confier
  // à… » menu only chooses: the button confirms (arrow keys never reassign anything).
  function details() {
    const d = $("details"), corps = $("details-corps");
    if (!selection || !etat) { d.hidden = true; return; }
    const cle = cleFocus();
    corps.replaceChildren();
    if (selection.type === "noeud") {
      const n = org.noeuds[selection.id];
      if (!n) { d.hidden = true; return; }
      $("h-details").textContent = n.libelle + " (" + n.id + ")";
      const p = meneur(n);
      corps.append(el("p", "Niveau : " + n.niveau + " · " + nombre(org.total[n.id]) + " ETP au total, dont "
        + nombre(n.effectif) + " ETP en propre · piloté par " + (p ? p : "personne")
        + (n.porteurs.length > 1 ? " (partagé : " + n.porteurs.map((x) => x[0] + " " + nombre(100 * x[1], 0) + " %").join(", ") + ")" : "")));
      const dl = etat.delegations.filter((x) => x.noeud === n.id);
      const ul = el("ul");
      dl.forEach((x) => {
        const li = el("li", x.elu + " — " + x.role + " ");
        if (jeton && x.role === "pilote") {
          li.append(bouton("passer en appui", "appui:" + x.elu + ":" + x.noeud,
            () => modifier({ type: "passer_en_appui", elu: x.elu, noeud: x.noeud })));
        }
        ul.append(li);
      });
      corps.append(el("h4", "Délégations sur cette unité"), dl.length ? ul : el("p", "aucune"));
      const cs = etat.constats.filter((c) => c.sujets.noeuds.includes(n.id));
      const uc = el("ul");
      cs.forEach((c) => {
        const li = el("li");
        li.append(lienGuide(c), " — " + c.message);
        uc.append(li);
      });
      corps.append(el("h4", "Constats qui la concernent"), cs.length ? uc : el("p", "aucun"));
      if (jeton && n.niveau !== "DGS") {
        const f = el("div", null, "ligne");
        const s = el("select");
        s.id = "confier-groupe";
        s.dataset.cle = "confier-groupe";
        const lab = el("label", "Confier au groupe");
        lab.htmlFor = "confier-groupe";
        options(s, [["", "choisir…"]].concat(etat.groupes.map((g) => [g.id, g.id])), "");
        const b = bouton("Confier", "confier", () => {
          if (s.value) modifier({ type: "deplacer_unite", unite: n.id, groupe: s.value });
        });
        b.id = "b-confier";
        f.append(lab, s, b);
        corps.append(f);
      }
      if ((org.enfants[n.id] || []).length && pliable(n)) {
        corps.append(bouton(ouverts.has(n.id) ? "Masquer ses sous-unités" : "Voir ses sous-unités", "details-deplier:" + n.id, () => {
          if (ouverts.has(n.id)) ouverts.delete(n.id); else ouverts.add(n.id);
          rendreOrganigramme(); details();
        }));
      }
    } else {
      const g = etat.groupes.concat(etat.hors_groupe).find((x) => x.id === selection.id);
      if (!g) { d.hidden = true; return; }
      $("h-details").textContent = "Groupe " + g.id;
      corps.append(el("p", nombre(g.effectif) + " ETP pilotés, " + g.services + " service(s), budget "
        + euros(g.budget) + " par an."));
      corps.append(el("h4", "Membres"));
      const um = el("ul");
      g.membres.forEach((m) => um.append(el("li", m.nom + " (" + m.id + ")" + (m.chef ? ", chef·fe de file" : "") + " — " + m.fonction)));
      corps.append(um);
      // Perimeter: the top-most units it leads.
      const perim = etat.organigramme.filter((n) => meneur(n) === g.id && !(n.parent && org.noeuds[n.parent] && meneur(org.noeuds[n.parent]) === g.id));
      const up = el("ul");
      perim.forEach((n) => {
        const li = el("li");
        li.append(bouton(n.libelle + " (" + nombre(org.total[n.id]) + " ETP au total)", "perimetre:" + n.id, () => choisir("noeud", n.id)));
        up.append(li);
      });
      corps.append(el("h4", "Périmètre"), perim.length ? up : el("p", "aucune unité"));
      const cs = etat.constats.filter((c) => c.sujets.groupes.includes(g.id));
      const uc = el("ul");
      cs.forEach((c) => {
        const li = el("li");
        li.append(lienGuide(c), " — " + c.message);
        uc.append(li);
      });
      corps.append(el("h4", "Constats"), cs.length ? uc : el("p", "aucun"));
      const ids = new Set(g.membres.map((m) => m.id));
      const ui = el("ul");
      etat.indemnites.lignes.filter((l) => ids.has(l.id)).forEach((l) => ui.append(el("li", l.nom + " : "
        + nombre(l.taux_pct, 2) + " % de l'indice, " + euros(l.total_mensuel_eur) + " par mois")));
      corps.append(el("h4", "Indemnités"), ui);
    }
    d.hidden = false;
    rendreFocus(cle);
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
      td.append(p, bouton(g.id, "table-groupe:" + g.id, () => choisir("groupe", g.id)));
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
    // The group is written beside each name: the colour is never the only cue.
    barres($("graphique-taux"), i.lignes.map((l) => ({ nom: l.nom + (l.groupe ? " · " + l.groupe : ""), valeur: Number(l.taux_pct),
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

  // Comparison with a saved variant (GET /api/variantes, GET /api/comparer).
  async function listerVariantes() {
    try {
      const r = await fetch("/api/variantes");
      if (!r.ok) return;
      const v = await r.json();
      const choisie = $("variante-choix").value;
      options($("variante-choix"), v.map((n) => [n, n]), choisie);
      $("b-comparer").disabled = v.length === 0;
      if (!v.length) $("comparaison").replaceChildren(el("p", "Aucune variante enregistrée pour l'instant.", "aide"));
    } catch (e) { /* retried on demand */ }
  }

  async function comparer() {
    const v = $("variante-choix").value;
    if (!v) return;
    message("Comparaison avec « " + v + " »…");
    try {
      const r = await fetch("/api/comparer?variante=" + encodeURIComponent(v));
      const j = await r.json();
      if (!r.ok) { message(refus(j), true); return; }
      message("");
      const out = $("comparaison");
      out.replaceChildren();
      j.tableaux.forEach((t) => {
        const table = el("table");
        table.append(el("caption", t.titre));
        const tr = el("tr");
        t.colonnes.forEach((c) => { const th = el("th", c); th.scope = "col"; tr.append(th); });
        const thead = el("thead");
        thead.append(tr);
        const tb = el("tbody");
        t.lignes.forEach((l) => {
          const r2 = el("tr");
          l.forEach((c) => r2.append(el("td", c)));
          tb.append(r2);
        });
        if (!t.lignes.length) {
          const r2 = el("tr");
          const td = el("td", "aucune différence");
          td.colSpan = t.colonnes.length;
          r2.append(td);
          tb.append(r2);
        }
        table.append(thead, tb);
        out.append(table);
      });
    } catch (e) {
      message("Serveur injoignable : " + e, true);
    }
  }

  function brancher() {
    $("f-jeton").addEventListener("submit", (ev) => {
      ev.preventDefault();
      jeton = $("jeton").value.trim();
      sessionStorage.setItem("collegia-jeton", jeton);
      animation();
      if (etat) afficher(etat, true);
    });
    $("b-annuler").addEventListener("click", () => envoyer("/api/annuler"));
    $("b-variantes").addEventListener("click", listerVariantes);
    $("b-comparer").addEventListener("click", comparer);
    $("recherche").addEventListener("input", () => { if (etat) chercher(); });
    $("recherche").addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter" || !etat) return;
      ev.preventDefault();
      const t = chercher();
      if (t.length) {
        choisir("noeud", t[0].id);
        const b = document.querySelector('.boite[data-noeud="' + CSS.escape(t[0].id) + '"]');
        if (b) { b.focus(); b.scrollIntoView({ block: "nearest" }); }
      }
    });
    $("b-details-fermer").addEventListener("click", () => { selection = null; details(); rendreOrganigramme(); });
    $("b-retablir").addEventListener("click", () => envoyer("/api/retablir"));
    $("b-proposition").addEventListener("click", () => apercevoir(null, null));
    $("b-apercu-fermer").addEventListener("click", () => { apercu = null; $("s-apercu").hidden = true; });
    $("b-apercu-appliquer").addEventListener("click", async () => {
      if (!apercu) return;
      const m = apercu.point ? { type: "appliquer_point_front", point: apercu.point }
        : apercu.etape ? { type: "appliquer_etape_reorganisation", etape: apercu.etape }
          : { type: "appliquer_proposition" };
      const r = await modifier(m);
      if (r) { apercu = null; $("s-apercu").hidden = true; $("h-derniere").scrollIntoView({ block: "nearest" }); }
    });
    $("f-note").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const r = await envoyer("/api/note", { texte: $("note").value });
      if (r) $("note").value = "";
    });
    $("b-front").addEventListener("click", chargerFront);
    // The room's address as a QR code, when the server listens for the room (--ecouter).
    fetch("/api/salle").then((r) => (r.ok ? r.json() : null)).then((s) => {
      if (!s || !s.adresse) return;
      $("salle-adresse").textContent = s.adresse;
      $("b-salle").hidden = false;
      $("b-salle").addEventListener("click", () => {
        const section = $("s-salle");
        section.hidden = !section.hidden;
        if (!section.hidden) {
          $("salle-qr").src = "/salle.svg";
          $("h-salle").focus();
        }
      });
    }).catch(() => {});
    $("b-reorganisation").addEventListener("click", () => chargerReorganisation(false));
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
        listerVariantes();
      }
    });
  }

  // The current state (gzipped by the server), read when a live event announces a new one.
  async function charger() {
    try {
      const r = await fetch("/api/etat");
      if (!r.ok) return;
      afficher(await r.json());
    } catch (e) { message("Serveur injoignable : " + e, true); }
  }

  // Live events announce each state by its séance and revision. Another séance (« --nouvelle »)
  // or a revision below the one shown (a server restarted without this page's last state):
  // the page reloads, so that the room never sees two states.
  function suivre() {
    const es = new EventSource("/api/evenements");
    es.addEventListener("etat", (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { message("État illisible : " + e, true); return; }
      if (etat && (m.seance !== etat.seance || m.revision < etat.revision)) { location.reload(); return; }
      if (etat && m.revision === etat.revision) return;
      charger();
    });
    es.onerror = () => { message("Connexion au serveur perdue, nouvelle tentative…", true); };
    es.onopen = () => { if ($("message").className === "erreur") message(""); };
  }

  document.addEventListener("DOMContentLoaded", () => {
    brancher();
    let proj = false;
    try { proj = localStorage.getItem("collegia-projecteur") === "1"; } catch (e) { /* private mode */ }
    projecteur(proj || new URLSearchParams(location.search).has("projecteur"));
    $("b-projecteur").addEventListener("click", () => projecteur(!document.body.classList.contains("projecteur")));
    animation();
    suivre();
    listerVariantes();
  });
})();
