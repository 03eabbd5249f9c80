(function () {
  "use strict";
  // The in-context editor of `ftlsite serve --edit` (see src/serve/edit/mod.rs for the API).
  var TOKEN = "@TOKEN@";
  var API = "/__ftlsite/edit/";
  var PARAM = "ftlsite-variant";
  var LOCALE = decodeURIComponent(location.pathname.split("/")[1] || "");
  var MARKED = "[data-l10n-id],[data-l10n-attrs]";
  var UI = "#ftlsite-editor,#ftlsite-texts,#ftlsite-toolbar,#ftlsite-toast,#ftlsite-variant";
  var d = document;
  var panel, list, toggle, opener = null;
  // The entry being edited while its text differs from what was loaded or saved: kept across
  // a reload (another file changed, the preview rebuilt) so no typing is lost.
  var unsaved = null, saving = false;

  function node(tag, props, children) {
    var n = d.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === "text") n.textContent = props[k];
      else if (k === "on") Object.keys(props.on).forEach(function (e) { n.addEventListener(e, props.on[e]); });
      else if (props[k] !== null && props[k] !== undefined && props[k] !== false) n.setAttribute(k, props[k] === true ? "" : props[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) n.appendChild(typeof c === "string" ? d.createTextNode(c) : c);
    });
    return n;
  }

  function inUi(n) { return !!(n && n.closest && n.closest(UI)); }

  // The texts an element holds: {id, attr, fallback, el}; attr is null for element text
  // marked with a span, else the HTML attribute (or "#text").
  function targets(n) {
    var out = [];
    if (n.hasAttribute("data-l10n-id")) {
      out.push({ id: n.getAttribute("data-l10n-id"), attr: null, fallback: n.getAttribute("data-l10n-fallback"), el: n });
    }
    var raw = n.getAttribute("data-l10n-attrs");
    if (raw) {
      try {
        JSON.parse(raw).forEach(function (m) { out.push({ id: m.id, attr: m.attr, fallback: m.fallback || null, el: n }); });
      } catch (e) { /* not ours */ }
    }
    return out;
  }

  function allTargets() {
    var out = [];
    d.querySelectorAll(MARKED).forEach(function (n) { if (!inUi(n)) out = out.concat(targets(n)); });
    return out;
  }

  function where(t) {
    var tag = "<" + t.el.tagName.toLowerCase() + ">";
    if (t.attr === null) return "text in <" + (t.el.parentElement || t.el).tagName.toLowerCase() + ">";
    if (t.attr === "#text") return "text of " + tag;
    return t.attr + " of " + tag;
  }

  function request(method, path, body) {
    var init = { method: method, credentials: "same-origin", headers: { "X-Ftlsite-Token": TOKEN } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(API + path, init).then(function (r) {
      return r.json().catch(function () { return { error: "HTTP " + r.status }; })
        .then(function (j) { return { status: r.status, body: j }; });
    }, function (e) { return { status: 0, body: { error: "the preview is not answering (" + e + ")" } }; });
  }

  // ---- the list of every text on the page (the keyboard way to the head texts too) ----

  function showList(items, title) {
    list.textContent = "";
    list.appendChild(node("h2", { id: "ftlsite-texts-title", text: title }));
    var ul = node("ul");
    items.forEach(function (t) {
      var label = t.id + " · " + where(t) + (t.fallback ? " · missing" : "");
      ul.appendChild(node("li", {}, [node("button", { type: "button", "class": t.fallback ? "missing" : null, on: { click: function () { hideList(); open(t); } } }, [label])]));
    });
    list.appendChild(ul);
    list.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    var first = list.querySelector("button");
    if (first) first.focus();
  }

  function hideList() {
    list.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
  }

  function choose(n) {
    var t = targets(n);
    opener = n;
    if (t.length === 1) open(t[0]);
    else if (t.length > 1) showList(t, "Texts of this <" + n.tagName.toLowerCase() + ">");
  }

  // ---- the editor panel ----

  function close() {
    unsaved = null;
    panel.hidden = true;
    panel.textContent = "";
    if (opener && opener.focus) opener.focus();
  }

  function open(t, draft, mine) {
    if (!opener) opener = t.el;
    panel.hidden = false;
    panel.textContent = "";
    panel.appendChild(node("p", { role: "status", text: "Loading " + t.id + "…" }));
    request("GET", "entry?locale=" + encodeURIComponent(LOCALE) + "&id=" + encodeURIComponent(t.id)).then(function (r) {
      if (r.status !== 200) {
        panel.textContent = "";
        panel.appendChild(header(t.id, null, t));
        panel.appendChild(node("p", { role: "alert", "class": "problem", text: r.body.error || ("HTTP " + r.status) }));
        return;
      }
      render(r.body, t, draft, mine);
    });
  }

  function header(title, info, t) {
    var h = node("div", { "class": "head" }, [
      node("h2", { id: "ftlsite-editor-title" }, [node("code", { text: title })]),
      node("button", { type: "button", "class": "close", "aria-label": "Close the editor (Esc)", text: "×", on: { click: close } })
    ]);
    var bits = [where(t)];
    if (info && info.missing) bits.push("missing in " + info.locale + (t.fallback ? ", the page shows the " + t.fallback + " text" : ""));
    h.appendChild(node("p", { "class": "where" + (info && info.missing ? " missing" : ""), text: bits.join(" · ") }));
    return h;
  }

  // A comment as prose: its wrapped lines joined, list items and blank lines kept.
  function comment(text, kind) {
    if (!text) return null;
    var prose = text.replace(/\n(?=[^\n\-*])/g, " ");
    return node("p", { "class": "comment", lang: "en" }, [node("span", { "class": "kind", text: kind + " " }), prose]);
  }

  function variants(info, t) {
    if (!info.selects.length) return null;
    var id = info.id + (info.attribute ? "." + info.attribute : "");
    var current = new URLSearchParams(location.search).get(PARAM);
    var box = node("section", { "aria-labelledby": "ftlsite-variants-title" }, [
      node("h3", { id: "ftlsite-variants-title", text: "Preview a variant" }),
      node("p", { "class": "hint", text: info.locale + " plural categories: " + info.plural_categories.join(", ") })
    ]);
    info.selects.forEach(function (s) {
      var row = node("p", { "class": "variants" }, [node("code", { text: s.selector + " ->" }), " "]);
      s.keys.forEach(function (k) {
        var spec = id + ":" + s.index + ":" + k.name;
        var a = node("a", {
          href: location.pathname + "?" + PARAM + "=" + encodeURIComponent(spec),
          "aria-current": current === spec ? "true" : null,
          text: (k.default ? "*" : "") + "[" + k.name + "]",
          on: { click: function () { remember(info, t); } }
        });
        row.appendChild(a);
        row.appendChild(d.createTextNode(" "));
      });
      box.appendChild(row);
    });
    if (current) box.appendChild(node("p", {}, [node("a", { href: location.pathname, on: { click: function () { remember(info, t); } }, text: "Show the page as built" })]));
    return box;
  }

  // Keeps the open entry (and the unsaved text, with the hash it was based on) across the
  // navigation to a variant preview.
  function remember(info, t) {
    var fields = panel.querySelectorAll("textarea");
    var values = [];
    fields.forEach(function (f) { values.push(f.value); });
    sessionStorage.setItem("ftlsite-reopen", JSON.stringify({ id: t.id, attr: t.attr, hash: info.file.hash, values: values }));
  }

  // `draft`: text typed before a reload, kept with the file version it was typed against;
  // `mine`: text refused as a conflict, shown beside the file's current text.
  function render(info, t, draft, mine) {
    // A draft keeps the version of the file it was typed against.
    if (draft) info.file.hash = draft.hash;
    unsaved = draft ? { info: info, t: t } : null;
    panel.textContent = "";
    panel.appendChild(header(info.id + (info.attribute ? "." + info.attribute : ""), info, t));
    var src = node("section", { "aria-labelledby": "ftlsite-source-title" }, [
      node("h3", { id: "ftlsite-source-title", text: "Source (" + info.source.locale + ")" }),
      info.source.path ? node("p", { "class": "file", text: info.source.path + ":" + info.source.line }) : node("p", { "class": "hint", text: "The source locale has no such message." }),
      info.source.resource_comment ? node("details", {}, [node("summary", { text: "File comment" }), comment(info.source.resource_comment, "###")]) : null,
      comment(info.source.group_comment, "##"),
      comment(info.source.comment, "#")
    ]);
    info.patterns.forEach(function (p) {
      if (p.source !== null) {
        src.appendChild(node("pre", { lang: info.source.locale, dir: "ltr" }, [(p.attribute ? "." + p.attribute + " = " : "") + p.source]));
      }
      if (p.variables.length) src.appendChild(node("p", { "class": "hint", text: "Variables: " + p.variables.map(function (v) { return "$" + v; }).join(", ") }));
      if (p.references.length) src.appendChild(node("p", { "class": "hint", text: "Refers to: " + p.references.join(", ") }));
    });
    panel.appendChild(src);

    var problems = node("ul", { "class": "problems", role: "alert" });
    var status = node("p", { "class": "status", role: "status", "aria-live": "polite" });
    var fields = [];
    var form = node("form", { "aria-labelledby": "ftlsite-translation-title" }, [
      node("h3", { id: "ftlsite-translation-title", text: "Translation (" + info.locale + ")" }),
      node("p", { "class": "file", text: info.missing ? "New entry in " + info.file.path + ", next to its source neighbours" : info.file.path + ":" + info.file.line })
    ]);
    info.patterns.forEach(function (p, i) {
      var fid = "ftlsite-field-" + i;
      var value = draft && draft.values[i] !== undefined ? draft.values[i] : (p.translation || "");
      var area = node("textarea", {
        id: fid, lang: info.locale, dir: info.direction, spellcheck: "false",
        rows: String(Math.min(14, Math.max(3, value.split("\n").length + 1, Math.ceil(value.length / 30)))),
        readonly: !info.editable
      });
      area.value = value;
      area.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
      });
      area.addEventListener("input", function () { unsaved = { info: info, t: t }; });
      fields.push(area);
      form.appendChild(node("label", { "for": fid, text: p.attribute ? "Attribute ." + p.attribute : "Value (Fluent source)" }));
      form.appendChild(area);
      if (mine && mine[i] !== undefined && mine[i] !== value) {
        form.appendChild(node("p", { "class": "hint", text: "Your text, not saved:" }));
        form.appendChild(node("pre", { lang: info.locale, dir: info.direction }, [mine[i]]));
      }
    });
    if (!info.editable) form.appendChild(node("p", { "class": "hint", text: info.readonly_reason }));
    form.appendChild(problems);
    form.appendChild(node("div", { "class": "actions" }, [
      node("button", { type: "submit", "class": "save", disabled: !info.editable, text: "Save" }),
      node("button", { type: "button", text: "Cancel", on: { click: close } }),
      node("span", { "class": "hint", text: "Ctrl+Enter saves · Esc closes" })
    ]));
    form.appendChild(status);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!info.editable) return;
      var body = { locale: info.locale, id: info.id, value: null, attributes: [], hash: info.file.hash };
      info.patterns.forEach(function (p, i) {
        if (p.attribute === null) body.value = fields[i].value;
        else body.attributes.push({ name: p.attribute, value: fields[i].value });
      });
      problems.textContent = "";
      status.classList.remove("refused");
      status.textContent = "Checking and saving…";
      sessionStorage.setItem("ftlsite-saved", JSON.stringify({ id: info.id, path: info.file.path, line: info.file.line, warnings: [] }));
      saving = true;
      request("POST", "save", body).then(function (r) {
        saving = false;
        if (r.status === 200 && r.body.saved) {
          info.file.hash = r.body.hash;
          unsaved = null;
          if (!r.body.changed) {
            sessionStorage.removeItem("ftlsite-saved");
            status.textContent = "No change: " + info.file.path + " already has this text.";
            return;
          }
          sessionStorage.setItem("ftlsite-saved", JSON.stringify({ id: info.id, path: r.body.path, line: r.body.line, warnings: r.body.warnings }));
          status.textContent = "Saved to " + r.body.path + ":" + r.body.line + "; the page reloads with it.";
          return;
        }
        sessionStorage.removeItem("ftlsite-saved");
        status.textContent = r.body.conflict ? "Not saved: the file changed on disk." : "Not saved: see the problems above.";
        status.classList.add("refused");
        var list = r.body.problems || [{ line: r.body.error || ("HTTP " + r.status), help: "" }];
        list.forEach(function (p) {
          problems.appendChild(node("li", {}, [node("code", { text: p.line }), p.help ? node("span", { "class": "help", text: "help: " + p.help }) : null]));
        });
        if (r.body.conflict) {
          problems.appendChild(node("li", {}, [node("button", { type: "button", text: "Load the file's current text", on: { click: function () { open(t, null, fields.map(function (f) { return f.value; })); } } })]));
        }
      });
    });
    panel.appendChild(form);
    var v = variants(info, t);
    if (v) panel.appendChild(v);
    if (fields.length) fields[0].focus();
  }

  // ---- page setup ----

  function setup() {
    var count = 0, missing = 0;
    d.querySelectorAll(MARKED).forEach(function (n) {
      if (inUi(n) || !d.body.contains(n)) return;
      var t = targets(n);
      count += t.length;
      if (t.some(function (x) { return x.fallback; })) { n.classList.add("ftlsite-missing"); missing += 1; }
      if (n.tabIndex < 0 && !n.matches("a[href],button,input,select,textarea")) n.tabIndex = 0;
    });
    d.head.querySelectorAll("[data-l10n-attrs]").forEach(function (n) {
      var t = targets(n);
      count += t.length;
      if (t.some(function (x) { return x.fallback; })) missing += 1;
    });
    // On a right-to-left page the panel sits on the left, the end of its lines.
    var side = getComputedStyle(d.documentElement).direction === "rtl" ? "page-rtl" : null;
    panel = node("aside", { id: "ftlsite-editor", "class": side, role: "dialog", "aria-labelledby": "ftlsite-editor-title", lang: "en", dir: "ltr", hidden: true });
    list = node("div", { id: "ftlsite-texts", role: "dialog", "aria-labelledby": "ftlsite-texts-title", lang: "en", dir: "ltr", hidden: true });
    toggle = node("button", {
      type: "button", "aria-expanded": "false", "aria-controls": "ftlsite-texts",
      text: "Texts on this page: " + count + (missing ? " (" + missing + " missing)" : ""),
      on: { click: function () { if (list.hidden) { opener = toggle; showList(allTargets(), "Texts on this page"); } else hideList(); } }
    });
    d.body.appendChild(node("div", { id: "ftlsite-toolbar", lang: "en", dir: "ltr" }, [toggle]));
    d.body.appendChild(list);
    d.body.appendChild(panel);

    var spec = new URLSearchParams(location.search).get(PARAM);
    if (spec) {
      var parts = spec.split(":");
      d.body.insertBefore(node("div", { id: "ftlsite-variant", role: "status", lang: "en", dir: "ltr" }, [
        "Previewing variant [" + parts[parts.length - 1] + "] of ", node("code", { text: parts[0] }), " · ",
        node("a", { href: location.pathname, text: "Show the page as built" })
      ]), d.body.firstChild);
    }

    var saved = sessionStorage.getItem("ftlsite-saved");
    if (saved) {
      sessionStorage.removeItem("ftlsite-saved");
      try {
        var s = JSON.parse(saved);
        var toast = node("div", { id: "ftlsite-toast", role: "status", lang: "en", dir: "ltr" }, [
          "Saved ", node("code", { text: s.id }), " to " + s.path + (s.line ? ":" + s.line : "")
        ]);
        (s.warnings || []).forEach(function (w) { toast.appendChild(node("div", { "class": "warning" }, [node("code", { text: w.line })])); });
        d.body.appendChild(toast);
        setTimeout(function () { toast.remove(); }, s.warnings && s.warnings.length ? 15000 : 5000);
      } catch (e) { /* ignore */ }
    }

    var reopen = sessionStorage.getItem("ftlsite-reopen");
    if (reopen) {
      sessionStorage.removeItem("ftlsite-reopen");
      try {
        var r = JSON.parse(reopen);
        var found = allTargets().filter(function (t) { return t.id === r.id && t.attr === r.attr; })[0];
        open(found || { id: r.id, attr: r.attr, fallback: null, el: d.body }, r.values && r.values.length ? r : null);
      } catch (e) { /* ignore */ }
    }
  }

  // An element whose whole text is one marked text (a paragraph around its message's span)
  // opens that text when it is clicked beside it.
  function sole(n) {
    if (!n || !n.children || n.children.length !== 1) return null;
    var only = n.children[0];
    return only.matches(MARKED) && only.textContent.trim() === n.textContent.trim() ? only : null;
  }

  d.addEventListener("click", function (e) {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var n = e.target.closest ? e.target.closest(MARKED) || sole(e.target) : null;
    if (!n || inUi(n) || !d.body.contains(n)) return;
    e.preventDefault();
    e.stopPropagation();
    choose(n);
  }, true);

  d.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      if (panel && !panel.hidden) { e.preventDefault(); close(); }
      else if (list && !list.hidden) { e.preventDefault(); hideList(); toggle.focus(); }
      return;
    }
    var n = e.target;
    if (inUi(n) || !n.matches || !n.matches(MARKED) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Enter" || e.key === "e" || e.key === "E") {
      e.preventDefault();
      e.stopPropagation();
      choose(n);
    }
  }, true);

  window.addEventListener("pagehide", function () {
    if (unsaved && !saving && !panel.hidden) remember(unsaved.info, unsaved.t);
  });

  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
