/*!
 * Chat widget for a Rasa assistant – "Digitale Modellregionen NRW"
 *
 * Embed with ONE script tag (see docs/widget.md):
 *
 *   <script src="https://www.example-stadt.de/assets/chat-widget.js" defer
 *           data-server-url="https://bot.example-stadt.de" data-lang="de"
 *           data-title="Digitale Modellregionen NRW – Assistent"></script>
 *
 * - Plain JavaScript (ES2019), no framework, no build step, no third-party requests.
 * - Talks to Rasa's standard REST channel: POST {server}/webhooks/rest/webhook
 *   with {"sender": id, "message": text} -> [{recipient_id, text?, buttons?, image?, custom?}].
 * - Content-Security-Policy friendly: no eval, no inline styles, no <style> element. The CSS
 *   lives in chat-widget.css next to this file and is loaded with a <link> derived from this
 *   script's own URL (works with "style-src 'self'" when both files are on the page's origin,
 *   or with the widget's origin added to style-src).
 * - Everything is rendered inside a shadow root, so the host page's CSS cannot break the
 *   widget and the widget's CSS cannot leak into the page.
 * - Message text is never interpreted as HTML: all DOM nodes are built with createElement and
 *   textContent. The project's small markup is supported (bold, _italic_, lists, line breaks,
 *   links with http/https/mailto/tel only; bare e-mail addresses and phone numbers).
 * - Look: CSS custom properties set by the page on the element (rasa-chat-widget { --cw-accent:
 *   #7a1f5c }), see docs/widget.md. Entry points: window.chatWidget.open("Frage"), .close(),
 *   and elements with a data-chat-open attribute.
 * - Accessibility (BITV 2.0 / WCAG 2.1 AA): dialog with a name, message log as a polite live
 *   region, labelled controls, keyboard operation (Escape closes and returns focus), visible
 *   focus, reduced motion, German and English interface texts.
 *
 * License: MIT
 */
(function () {
  "use strict";

  var VERSION = "1.1.0";
  // Filled in by `make widget-dist` (service/widgetdist.py): the SRI hash of the stylesheet of
  // the same bundle, so that the script's own integrity attribute covers its CSS as well.
  var STYLESHEET_INTEGRITY = "";

  // The same script included twice must not create two widgets.
  if (window.__rasaChatWidget) return;
  window.__rasaChatWidget = VERSION;

  /* ------------------------------------------------------------------------------------------
   * 1. Configuration from the script tag's data attributes
   * ---------------------------------------------------------------------------------------- */

  var script =
    document.currentScript || document.querySelector("script[data-server-url][src*='chat-widget']");
  var data = (script && script.dataset) || {};
  var scriptUrl = script && script.src ? script.src : window.location.href;

  /** The CSS file sits next to the script: .../chat-widget.js?v=3 -> .../chat-widget.css?v=3 */
  function defaultStylesheetUrl() {
    var url = new URL(scriptUrl, window.location.href);
    url.pathname = url.pathname.replace(/[^/]*$/, "chat-widget.css");
    url.hash = "";
    return url.href;
  }

  var serverUrl = (data.serverUrl || "").trim().replace(/\/+$/, "");
  if (!serverUrl) {
    // Without a server URL the widget cannot work; fall back to the script's own origin.
    serverUrl = new URL(scriptUrl, window.location.href).origin;
    if (window.console) console.warn("chat-widget: data-server-url is missing, using " + serverUrl);
  }

  var config = {
    endpoint: serverUrl + "/webhooks/rest/webhook",
    lang: /^en\b/i.test(data.lang || "") ? "en" : "de",
    title: data.title || "",
    welcome: data.welcome, // undefined: default text; "": no welcome message
    examples: data.examples, // undefined: default examples; "": none
    stylesheetIntegrity: data.stylesheet ? "" : STYLESHEET_INTEGRITY,
    stylesheet: data.stylesheet || defaultStylesheetUrl(),
    timeoutMs: Math.max(1000, parseInt(data.timeout, 10) || 30000),
    maxHistory: 100,
  };

  /* ------------------------------------------------------------------------------------------
   * 2. Interface texts (German by default, English with data-lang="en")
   * ---------------------------------------------------------------------------------------- */

  var TEXTS = {
    de: {
      title: "Chat-Assistent",
      launcher: "Chat-Assistent",
      close: "Chat schließen",
      restart: "Neues Gespräch",
      log: "Gesprächsverlauf",
      input: "Ihre Nachricht",
      placeholder: "Ihre Frage …",
      send: "Senden",
      typing: "Assistent schreibt …",
      you: "Sie:",
      bot: "Assistent:",
      suggestions: "Antwortvorschläge",
      newWindow: "(öffnet in neuem Fenster)",
      image: "Bild vom Assistenten",
      notSent: "Nicht gesendet",
      note: "Bitte geben Sie keine persönlichen Daten ein.",
      welcome:
        "Guten Tag! Ich beantworte Fragen zu den **Digitalen Modellregionen NRW**: " +
        "welche Projekte es zu einem Thema oder in einer Region gibt, was ein Projekt " +
        "macht, wer Ansprechperson ist und wann es läuft – nach den Unterlagen des " +
        "Programms von 2017 und 2019. Fragen Sie einfach, zum Beispiel:",
      examples: [
        "Welche Projekte gibt es zu Open Data?",
        "Wer ist Ansprechpartner für die Smartphone-Bürger-ID?",
        "Welche Projekte laufen in Soest?",
      ],
      exampleGroup: "Beispielfragen",
      earlier: "Antwortvorschläge zu einer früheren Antwort",
      timeline: "Zeitleiste",
      milestone: "Meilenstein",
      error: "Der Assistent ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.",
    },
    en: {
      title: "Chat assistant",
      launcher: "Chat assistant",
      close: "Close chat",
      restart: "New conversation",
      log: "Conversation",
      input: "Your message",
      placeholder: "Your question …",
      send: "Send",
      typing: "Assistant is typing …",
      you: "You:",
      bot: "Assistant:",
      suggestions: "Suggested replies",
      newWindow: "(opens in a new window)",
      image: "Image from the assistant",
      notSent: "Not sent",
      note: "Please do not enter personal data.",
      welcome:
        "Hello! I answer questions about the **digital model regions of North " +
        "Rhine-Westphalia**: which projects there are on a topic or in a region, what a " +
        "project does, who the contact is and when it runs – from the programme's documents " +
        "of 2017 and 2019 (in German). Just ask, for example:",
      examples: [
        "Which projects are there on open data?",
        "Who is the contact for the Smartphone-Bürger-ID?",
        "Which projects run in Soest?",
      ],
      exampleGroup: "Example questions",
      earlier: "Suggested replies to an earlier answer",
      timeline: "Timeline",
      milestone: "Milestone",
      error: "The assistant is not available right now. Please try again later.",
    },
  };
  var T = TEXTS[config.lang];
  var title = config.title || T.title;
  var welcomeText = config.welcome === undefined ? T.welcome : config.welcome;
  /** data-examples="Frage 1 | Frage 2 | Frage 3" (up to three; "" for none); default: T.examples,
   * but not under a welcome text of the page's own, which need not fit the default examples. */
  var examples = (
    config.examples !== undefined
      ? config.examples.split("|")
      : config.welcome === undefined
        ? T.examples
        : []
  )
    .map(function (question) {
      return question.trim();
    })
    .filter(Boolean)
    .slice(0, 3);

  /* ------------------------------------------------------------------------------------------
   * 3. Storage: sender id (localStorage) and bounded history (sessionStorage).
   *    Storage can be unavailable (privacy modes, blocked cookies): then keep it in memory.
   * ---------------------------------------------------------------------------------------- */

  var memoryStore = {};
  function storage(kind) {
    try {
      var s = window[kind];
      var probe = "__chat_widget_probe__";
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) {
      return {
        getItem: function (k) {
          return Object.prototype.hasOwnProperty.call(memoryStore, k) ? memoryStore[k] : null;
        },
        setItem: function (k, v) {
          memoryStore[k] = String(v);
        },
        removeItem: function (k) {
          delete memoryStore[k];
        },
      };
    }
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");
  var SENDER_KEY = "chat-widget:sender:" + config.endpoint;
  var HISTORY_KEY = "chat-widget:history:" + config.endpoint;

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  // The server accepts only random UUIDs as conversation ids (32 hex digits or 8-4-4-4-12).
  var UUID = /^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

  function senderId() {
    var id = local.getItem(SENDER_KEY);
    if (!id || !UUID.test(id)) {
      id = randomId();
      local.setItem(SENDER_KEY, id);
    }
    return id;
  }

  function loadHistory() {
    try {
      var list = JSON.parse(session.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(list) ? list.filter(isValidEntry).slice(-config.maxHistory) : [];
    } catch (e) {
      return [];
    }
  }

  function isValidEntry(entry) {
    return (
      entry &&
      (entry.from === "user" || entry.from === "bot") &&
      (typeof entry.text === "string" ||
        typeof entry.image === "string" ||
        timelineRows(entry.timeline).length > 0)
    );
  }

  var history = loadHistory();

  function saveHistory() {
    history = history.slice(-config.maxHistory);
    try {
      session.setItem(HISTORY_KEY, JSON.stringify(history));
    } catch (e) {
      /* quota exceeded: history is a convenience, not essential */
    }
  }

  /* ------------------------------------------------------------------------------------------
   * 4. Small DOM helpers
   * ---------------------------------------------------------------------------------------- */

  /** Create an element with attributes (never innerHTML) and children (nodes or plain text). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child)
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** Visually hidden text for screen readers. */
  function srOnly(text) {
    return el("span", { className: "cw-sr", text: text });
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
    restart: "M4 12a8 8 0 1 0 2.6-5.9M4 4v5h5",
  };
  /** Decorative icon (aria-hidden); the control it sits in carries the accessible name. */
  function icon(name) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "cw-icon cw-icon-" + name);
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  /* Timeline (custom payload {"timeline": {from, to, label, rows: [{title, period, start, end,
   * milestones: [{at, text}]}]}} from actions/formatting.py): project bars on a year axis. The
   * answer's text states the same facts, so the picture is aria-hidden (no double reading). */

  function timelineRows(data) {
    if (!data || typeof data !== "object" || !Array.isArray(data.rows)) return [];
    return data.rows.filter(function (row) {
      return row && typeof row.title === "string" && isFinite(row.start) && isFinite(row.end);
    });
  }

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs).forEach(function (name) {
      node.setAttribute(name, String(attrs[name]));
    });
    return node;
  }

  /**
   * The timeline as HTML: per project its full title as wrapped text (the widget's font size,
   * no SVG text that shrinks with the picture) above a thin SVG track with the bar and the
   * milestone marks; below, the years as HTML columns of the same width as the track's years.
   */
  function renderTimeline(data) {
    var rows = timelineRows(data).slice(0, 12);
    var first = Math.floor(Number(data.from));
    var last = Math.floor(Number(data.to));
    if (!rows.length || !(last >= first)) return null;
    var W = 300, H = 16, MARK = 5; // prettier-ignore
    var span = last + 1 - first;
    function x(year) {
      var clamped = Math.min(Math.max(Number(year), first), last + 1);
      return ((clamped - first) / span) * W;
    }
    var figure = el("div", { className: "cw-timeline", "aria-hidden": "true" }, [
      el("p", { className: "cw-tl-caption" }, [
        el("span", { text: typeof data.label === "string" ? data.label : T.timeline }),
        el("span", { className: "cw-tl-legend", text: "◇ " + T.milestone }),
      ]),
    ]);
    rows.forEach(function (row) {
      var track = svgEl("svg", {
        viewBox: "0 0 " + W + " " + H,
        class: "cw-tl-track",
        focusable: "false",
      });
      for (var year = first + 1; year <= last; year++) {
        var gx = x(year);
        track.appendChild(svgEl("line", { x1: gx, x2: gx, y1: 0, y2: H, class: "cw-tl-grid" }));
      }
      var x1 = x(row.start);
      var x2 = Math.max(x(row.end), x1 + 2);
      track.appendChild(
        svgEl("rect", { x: x1, y: 4, width: x2 - x1, height: 8, rx: 2, class: "cw-tl-bar" }),
      );
      (Array.isArray(row.milestones) ? row.milestones : []).forEach(function (mark) {
        if (!mark || !isFinite(mark.at)) return;
        var cx = Math.min(Math.max(x(mark.at), MARK + 1), W - MARK - 1);
        var m = MARK;
        var d = "M" + cx + " " + (H / 2 - m) + "l" + m + " " + m + " -" + m + " " + m + " -" + m;
        track.appendChild(svgEl("path", { d: d + " -" + m + "z", class: "cw-tl-mark" }));
      });
      figure.appendChild(
        el("div", { className: "cw-tl-row" }, [
          el("p", { className: "cw-tl-title", text: row.title }),
          row.period ? el("p", { className: "cw-tl-period", text: String(row.period) }) : null,
          track,
        ]),
      );
    });
    var axis = el("div", { className: "cw-tl-axis" });
    for (var y = first; y <= last; y++) axis.appendChild(el("span", { text: String(y) }));
    figure.appendChild(axis);
    return figure;
  }

  /* ------------------------------------------------------------------------------------------
   * 5. Safe formatting of the bot's text: a small Markdown subset rendered to DOM nodes.
   * ---------------------------------------------------------------------------------------- */

  var SAFE_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];

  /** Return an absolute, allowed URL, or null (javascript:, data:, relative, … are refused). */
  function safeHref(href) {
    try {
      var url = new URL(href);
      return SAFE_PROTOCOLS.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href, label) {
    var external = /^https?:/i.test(href);
    var a = el("a", {
      href: href,
      rel: "noopener noreferrer",
      target: external ? "_blank" : null,
      text: label,
    });
    if (external) a.appendChild(srOnly(" " + T.newWindow));
    return a;
  }

  // German and international phone numbers: +49(5251)882371, 0221/22125070, +49 211 837-1234,
  // (0211) 12345, +49 (0) 209 169-0. Dates (01.01.19, 09/2019) and years do not match:
  // a number must start with "+" or "0" plus at least two digits and have 7–15 digits in all.
  var PHONE =
    "(?:\\+\\d{1,3}[ \\u00a0]?(?:\\(0\\)[ \\u00a0]?)?(?:\\(\\d{1,5}\\)|\\d{1,5})" +
    "|\\(0\\d{1,5}\\)|0\\d{2,5})" +
    "(?:(?:[ \\u00a0]?[/-][ \\u00a0]?|[ \\u00a0])?\\d{2,}){1,4}(?:-\\d{1,5})?";

  var INLINE = new RegExp(
    [
      "\\*\\*([^*\\n]+?)\\*\\*", // 1: **bold**
      "\\[([^\\]\\n]+)\\]\\(([^)\\s]+)\\)", // 2, 3: [label](url)
      '((?:https?:\\/\\/|www\\.)[^\\s<>"]+)', // 4: bare URL
      "((?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})", // 5: e-mail
      "(" + PHONE + ")", // 6: phone number
      // 7, 8: _italic_ – not inside words (snake_case, first_last@example.org); group 7 is the
      // character before the opening "_", kept as text (no lookbehind: Safari < 16.4)
      "(^|[^A-Za-z0-9_\\u00c0-\\u024f])_([^\\s_](?:[^_\\n]*?[^\\s_])?)_(?![A-Za-z0-9_\\u00c0-\\u024f])",
    ].join("|"),
    "g",
  );

  /** Split trailing punctuation off a bare URL ("…/seite)." -> "…/seite" + ")."). */
  function trimUrl(url) {
    var rest = "";
    for (;;) {
      var last = url.charAt(url.length - 1);
      var unbalanced = last === ")" && url.split("(").length < url.split(")").length;
      if (/[.,;:!?'»"]/.test(last) || unbalanced) {
        rest = last + rest;
        url = url.slice(0, -1);
      } else {
        return [url, rest];
      }
    }
  }

  /** Append `text` to `parent` with bold, italic, links, e-mail addresses and phone numbers. */
  function renderInline(text, parent) {
    var pos = 0;
    var m;
    INLINE.lastIndex = 0;
    var matches = [];
    while ((m = INLINE.exec(text)) !== null) matches.push(m);
    matches.forEach(function (match) {
      if (match.index < pos) return;
      parent.appendChild(document.createTextNode(text.slice(pos, match.index)));
      pos = match.index + match[0].length;
      var before = text.charAt(match.index - 1);
      if (match[1] !== undefined) {
        var strong = el("strong");
        renderInline(match[1], strong); // links inside bold text still work
        parent.appendChild(strong);
      } else if (match[8] !== undefined) {
        parent.appendChild(document.createTextNode(match[7]));
        var em = el("em");
        renderInline(match[8], em);
        parent.appendChild(em);
      } else if (match[2] !== undefined) {
        var target = safeHref(match[3]);
        parent.appendChild(target ? link(target, match[2]) : document.createTextNode(match[2]));
      } else if (match[4] !== undefined) {
        var parts = trimUrl(match[4]);
        var href = safeHref(/^www\./i.test(parts[0]) ? "https://" + parts[0] : parts[0]);
        parent.appendChild(href ? link(href, parts[0]) : document.createTextNode(parts[0]));
        if (parts[1]) parent.appendChild(document.createTextNode(parts[1]));
      } else if (match[5] !== undefined) {
        var address = match[5].replace(/^mailto:/i, "").replace(/\.+$/, "");
        var tail = match[5].slice(match[5].indexOf(address) + address.length);
        parent.appendChild(link("mailto:" + address, address));
        if (tail) parent.appendChild(document.createTextNode(tail));
      } else {
        var number = match[6];
        var digits = number.replace(/\D/g, "").length;
        if (/[\w.,/+-]/.test(before) || digits < 7 || digits > 15) {
          parent.appendChild(document.createTextNode(number)); // not a phone number
        } else {
          var dial = number.replace(/^(\+\d{1,3})[ \u00a0]?\(0\)/, "$1").replace(/[^\d+]/g, "");
          parent.appendChild(link("tel:" + dial, number));
        }
      }
    });
    parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  /** Render a bot message: paragraphs, line breaks, "- "/"• "/"* " and "1." lists. */
  function renderRichText(text, parent) {
    var paragraph = null;
    var list = null;
    String(text)
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .forEach(function (line) {
        var bullet = /^\s*[-•*]\s+(.*)$/.exec(line);
        var numbered = /^\s*(\d{1,3})[.)]\s+(.*)$/.exec(line);
        if (!line.trim()) {
          paragraph = list = null;
        } else if (bullet || numbered) {
          var tag = bullet ? "UL" : "OL";
          if (!list || list.tagName !== tag) {
            list = el(tag.toLowerCase());
            if (numbered && numbered[1] !== "1") list.setAttribute("start", numbered[1]);
            parent.appendChild(list);
          }
          var item = el("li");
          renderInline(bullet ? bullet[1] : numbered[2], item);
          list.appendChild(item);
          paragraph = null;
        } else if (list && /^\s{2,}\S/.test(line)) {
          // indented continuation line of the last list item
          var last = list.lastChild;
          last.appendChild(el("br"));
          renderInline(line.trim(), last);
        } else {
          list = null;
          if (paragraph) paragraph.appendChild(el("br"));
          else parent.appendChild((paragraph = el("p")));
          renderInline(line.trim(), paragraph);
        }
      });
  }

  /* ------------------------------------------------------------------------------------------
   * 6. Building the interface (inside a shadow root)
   * ---------------------------------------------------------------------------------------- */

  var host = document.createElement("rasa-chat-widget");
  host.setAttribute("lang", config.lang);
  host.setAttribute("dir", "ltr");
  var shadow = host.attachShadow({ mode: "open" });

  var uid = "cw-" + Math.random().toString(36).slice(2, 8);
  var ids = {
    panel: uid + "-panel",
    title: uid + "-title",
    input: uid + "-input",
    note: uid + "-note",
  };

  var launcher = el(
    "button",
    {
      type: "button",
      className: "cw-launcher",
      "aria-expanded": "false",
      "aria-controls": ids.panel,
    },
    [icon("chat"), icon("close"), el("span", { className: "cw-launcher-text", text: T.launcher })],
  );

  var restartButton = el("button", { type: "button", className: "cw-restart" }, [
    icon("restart"),
    el("span", { text: T.restart }),
  ]);
  var closeButton = el(
    "button",
    { type: "button", className: "cw-close", "aria-label": T.close, title: T.close },
    [icon("close")],
  );

  var log = el("div", {
    className: "cw-log",
    role: "log",
    "aria-live": "polite",
    "aria-label": T.log,
    tabindex: "0", // scrollable with the keyboard
  });

  var typing = el("div", { className: "cw-typing", role: "status" });

  var input = el("input", {
    id: ids.input,
    className: "cw-input",
    type: "text",
    autocomplete: "off",
    enterkeyhint: "send",
    maxlength: "1000",
    placeholder: T.placeholder,
    "aria-describedby": ids.note,
  });
  var sendButton = el("button", { type: "submit", className: "cw-send", text: T.send });
  var form = el("form", { className: "cw-form", novalidate: true }, [
    el("label", { for: ids.input, className: "cw-sr", text: T.input }),
    input,
    sendButton,
  ]);

  var panel = el(
    "div",
    {
      id: ids.panel,
      className: "cw-panel",
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": ids.title,
      hidden: true,
    },
    [
      el("div", { className: "cw-header" }, [
        el("h2", { id: ids.title, className: "cw-title", text: title }),
        closeButton,
      ]),
      log,
      typing,
      form,
      el("div", { className: "cw-footer" }, [
        el("p", { id: ids.note, className: "cw-note", text: T.note }),
        restartButton,
      ]),
    ],
  );

  var root = el("div", { className: "cw-root", lang: config.lang, dir: "ltr", hidden: true }, [
    launcher,
    panel,
  ]);

  // Stylesheet: a <link> (allowed by "style-src 'self'"), never inline CSS. The widget stays
  // hidden until the CSS has loaded, so the page never shows an unstyled widget; if the CSS
  // cannot be loaded the widget is shown anyway (unstyled, but usable).
  var stylesheet = el("link", {
    rel: "stylesheet",
    href: config.stylesheet,
    integrity: config.stylesheetIntegrity || null,
    crossorigin: config.stylesheetIntegrity ? "anonymous" : null,
  });
  function reveal() {
    root.hidden = false;
  }
  stylesheet.addEventListener("load", reveal);
  stylesheet.addEventListener("error", function () {
    if (window.console) console.warn("chat-widget: could not load " + config.stylesheet);
    reveal();
  });
  shadow.appendChild(stylesheet);
  shadow.appendChild(root);

  /* ------------------------------------------------------------------------------------------
   * 7. Messages
   * ---------------------------------------------------------------------------------------- */

  /** Render one history entry ({from, text?, buttons?, image?}) into the log; return its node. */
  function renderEntry(entry) {
    var bubble = el("div", { className: "cw-bubble" });
    if (entry.from === "user") {
      bubble.appendChild(el("p", { text: entry.text }));
    } else {
      if (entry.text) renderRichText(entry.text, bubble);
      var picture = entry.timeline && renderTimeline(entry.timeline);
      if (picture) bubble.appendChild(picture);
      var src = entry.image && safeHref(entry.image);
      if (src && /^https?:/.test(src)) {
        var img = el("img", { src: src, alt: T.image });
        // the image's height is known only once it has loaded: keep the newest message in view
        img.addEventListener("load", function () {
          if (log.scrollHeight - log.scrollTop - log.clientHeight < img.height + 48) scrollLogTo();
        });
        bubble.appendChild(img);
      }
    }
    var message = el("div", { className: "cw-msg cw-msg-" + entry.from }, [
      srOnly(entry.from === "user" ? T.you : T.bot),
      bubble.firstChild ? bubble : null, // a message with buttons only has no bubble
    ]);
    if (entry.from === "bot" && entry.buttons && entry.buttons.length) {
      var group = renderButtons(entry);
      if (group.firstChild) message.appendChild(group);
    }
    log.appendChild(message);
    return message;
  }

  /** A payload that is an address (the hand-over's "mailto:…") is a link, never a message. */
  function linkTarget(button) {
    if (button.url) return safeHref(button.url);
    return /^(mailto:|tel:|https?:\/\/)/i.test(button.payload || "") ? safeHref(button.payload) : null;
  }

  /** Quick replies: a payload button sends exactly its payload, whichever answer it is under;
   * a URL or mailto: button is a link. Once one reply of a message was sent (`entry.used`) its
   * replies go; its links stay. */
  function renderButtons(entry) {
    var group = el("div", {
      className: "cw-buttons",
      role: "group",
      "aria-label": entry.groupLabel || T.suggestions,
    });
    entry.buttons.forEach(function (button) {
      var label = String(button.title || button.payload || "");
      var url = linkTarget(button);
      if (url) {
        group.appendChild(link(url, label)).classList.add("cw-button");
      } else if (label && button.payload && !entry.used) {
        var node = el("button", { type: "button", className: "cw-button", text: label });
        node.addEventListener("click", function () {
          if (busy) return;
          sendMessage(String(button.payload), label, { entry: entry, group: group });
        });
        group.appendChild(node);
      }
    });
    return group;
  }

  function addEntry(entry, persist) {
    if (persist) {
      history.push(entry);
      saveHistory();
    }
    return renderEntry(entry);
  }

  /** A notice from the widget itself (error, welcome); not part of the stored history. */
  function addNotice(text, kind, buttons) {
    var entry = { from: "bot", text: text, buttons: buttons, groupLabel: T.exampleGroup };
    var node = renderEntry(entry);
    node.classList.add("cw-msg-" + kind);
    return node;
  }

  /** The welcome: what the assistant covers, and example questions that are sent as typed. */
  function addWelcome() {
    var buttons = examples.map(function (question) {
      return { title: question, payload: question };
    });
    if (welcomeText || buttons.length) addNotice(welcomeText, "welcome", buttons);
  }

  /** Button groups above the latest question belong to earlier answers: they stay usable (each
   * sends its own payload) but look and are named as earlier ones. */
  function markEarlier() {
    var users = log.querySelectorAll(".cw-msg-user");
    var latest = users[users.length - 1];
    log.querySelectorAll(".cw-buttons").forEach(function (group) {
      var earlier =
        !!latest && !!(group.compareDocumentPosition(latest) & Node.DOCUMENT_POSITION_FOLLOWING);
      group.classList.toggle("cw-earlier", earlier);
      if (earlier) group.setAttribute("aria-label", T.earlier);
    });
  }

  function renderAll() {
    log.textContent = "";
    addWelcome();
    history.forEach(function (entry) {
      renderEntry(entry);
    });
    markEarlier();
  }

  /** Scroll so that `node` (the first new message) is visible from its top. */
  function scrollLogTo(node) {
    if (!node) {
      log.scrollTop = log.scrollHeight;
      return;
    }
    log.scrollTop = node.offsetTop - log.offsetTop - 8;
  }

  /** Turn Rasa's REST response into history entries. */
  function entriesFrom(messages) {
    var entries = [];
    messages.forEach(function (m) {
      if (!m || typeof m !== "object") return;
      var entry = { from: "bot" };
      if (typeof m.text === "string" && m.text.trim()) entry.text = m.text;
      if (typeof m.image === "string") entry.image = m.image;
      var timeline = m.custom && timelineRows(m.custom.timeline).length ? m.custom.timeline : null;
      var previous = entries[entries.length - 1];
      var alone = timeline && !entry.text && !entry.image;
      if (alone && previous && previous.text && !previous.timeline) {
        previous.timeline = timeline; // with the text it illustrates, above that text's buttons
        return;
      }
      if (timeline) entry.timeline = timeline;
      if (Array.isArray(m.buttons)) {
        entry.buttons = m.buttons
          .filter(function (b) {
            return b && (b.title || b.payload);
          })
          .map(function (b) {
            return {
              title: String(b.title || b.payload),
              payload: b.payload ? String(b.payload) : undefined,
              url: b.url,
            };
          });
      }
      if (entry.text || entry.image || entry.timeline || (entry.buttons && entry.buttons.length))
        entries.push(entry);
    });
    return entries;
  }

  /* ------------------------------------------------------------------------------------------
   * 8. Talking to the Rasa server
   * ---------------------------------------------------------------------------------------- */

  var busy = false;
  var generation = 0; // increased by "Neues Gespräch": answers to older requests are dropped

  function setBusy(value) {
    busy = value;
    sendButton.setAttribute("aria-disabled", value ? "true" : "false");
    if (value) {
      typing.appendChild(
        el("span", { className: "cw-dots", "aria-hidden": "true" }, [
          el("span"),
          el("span"),
          el("span"),
        ]),
      );
      typing.appendChild(el("span", { text: T.typing }));
      typing.classList.add("is-active");
    } else {
      typing.textContent = "";
      typing.classList.remove("is-active");
    }
  }

  function post(message) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, config.timeoutMs);
    return fetch(config.endpoint, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      // message_id: a request the server balancer retries is answered once (docs/operations.md)
      body: JSON.stringify({ sender: senderId(), message: message, message_id: randomId() }),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        if (!Array.isArray(body)) throw new Error("unexpected response");
        return body;
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  /**
   * Send `message` (typed text or a button payload), show `shown` as the user's message.
   * `origin` is set for quick replies: {entry, group} of the message whose button was used.
   */
  function sendMessage(message, shown, origin) {
    if (busy || !message.trim()) return;
    var userEntry = { from: "user", text: shown };
    var userNode = addEntry(userEntry, true);
    markEarlier();
    if (origin) {
      // The buttons of that message are used: disable them now, remove them on success.
      origin.group.querySelectorAll("button").forEach(function (b) {
        b.disabled = true;
      });
      input.focus(); // the focused button is about to disappear
    }
    scrollLogTo();
    setBusy(true);
    var current = generation;

    post(message)
      .then(function (messages) {
        if (current !== generation) return;
        if (origin) {
          origin.entry.used = true;
          origin.group.querySelectorAll("button").forEach(function (b) {
            b.remove();
          });
          if (!origin.group.firstChild) origin.group.remove();
        }
        var first = null;
        entriesFrom(messages).forEach(function (entry) {
          var node = addEntry(entry, true);
          first = first || node;
        });
        saveHistory();
        scrollLogTo(first);
      })
      .catch(function () {
        if (current !== generation) return;
        // Keep what the user wrote: the message is marked as not sent, dropped from the
        // stored history, and typed text goes back into the input.
        history = history.filter(function (e) {
          return e !== userEntry;
        });
        saveHistory();
        userNode.classList.add("is-failed");
        userNode.appendChild(el("p", { className: "cw-failed", text: T.notSent }));
        if (origin) {
          origin.group.querySelectorAll("button").forEach(function (b) {
            b.disabled = false;
          });
        } else {
          input.value = input.value ? message + " " + input.value : message;
        }
        scrollLogTo(addNotice(T.error, "error"));
      })
      .finally(function () {
        if (current === generation) setBusy(false);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    sendMessage(text, text, null);
  });

  restartButton.addEventListener("click", function () {
    generation += 1;
    setBusy(false);
    history = [];
    saveHistory();
    local.setItem(SENDER_KEY, randomId()); // a new conversation on the server, too
    renderAll();
    input.value = "";
    input.focus();
  });

  /* ------------------------------------------------------------------------------------------
   * 9. Opening, closing and keyboard handling
   * ---------------------------------------------------------------------------------------- */

  // On small screens the panel covers the whole page: it then behaves as a modal dialog
  // (focus stays inside). On larger screens it is a non-modal dialog beside the page.
  var fullScreen = window.matchMedia("(max-width: 480px), (max-height: 480px)");

  function isOpen() {
    return !panel.hidden;
  }

  function updateModal() {
    panel.setAttribute("aria-modal", fullScreen.matches ? "true" : "false");
  }

  function open() {
    if (isOpen()) return;
    panel.hidden = false;
    root.classList.add("is-open");
    launcher.setAttribute("aria-expanded", "true");
    updateModal();
    scrollLogTo();
    input.focus();
  }

  function close() {
    if (!isOpen()) return;
    panel.hidden = true;
    root.classList.remove("is-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (isOpen()) close();
    else open();
  });
  closeButton.addEventListener("click", close);

  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) {
      event.preventDefault();
      close();
      return;
    }
    // Modal on small screens: Tab and Shift+Tab cycle inside the panel.
    if (event.key === "Tab" && isOpen() && fullScreen.matches) {
      var focusable = Array.prototype.filter.call(
        panel.querySelectorAll("button:not([disabled]), a[href], input, [tabindex='0']"),
        function (node) {
          return node.offsetParent !== null || node === log;
        },
      );
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      var active = shadow.activeElement;
      if (event.shiftKey && (active === first || !panel.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  if (fullScreen.addEventListener) fullScreen.addEventListener("change", updateModal);

  /* ------------------------------------------------------------------------------------------
   * 10. Start
   * ---------------------------------------------------------------------------------------- */

  renderAll();

  /* The page's own entry points. A script: window.chatWidget.open(), .open("Frage"), .close().
   * Without any script of its own (strict CSP): an element with data-chat-open opens the chat
   * on a click, and asks its value if it has one: <a href="#chat" data-chat-open="Frage">. */
  function openAndAsk(question) {
    open();
    var text = typeof question === "string" ? question.trim().slice(0, 1000) : "";
    if (!text) return;
    if (busy) input.value = text; // an answer is on its way: the question waits in the input
    else sendMessage(text, text, null);
  }

  window.chatWidget = Object.freeze({
    version: VERSION,
    open: openAndAsk,
    close: close,
    isOpen: isOpen,
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    var trigger = target && target.closest ? target.closest("[data-chat-open]") : null;
    if (!trigger) return;
    event.preventDefault();
    openAndAsk(trigger.getAttribute("data-chat-open"));
  });

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
