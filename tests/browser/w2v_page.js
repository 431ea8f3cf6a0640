// In-page helpers for the browser harness (tests/browser/harness.py).  Injected with
// context.add_init_script, so `window.__w2vh` exists in every JupyterLab / Voila page.
(() => {
  if (window.__w2vh) return;

  const SKIP_CLASS = 'w2v-browser-skip';
  const NO_FIGURE_CLASS = 'w2v-browser-no-figure';
  // What counts as a figure: inline images (matplotlib's PNG), rendered SVG, canvases (ipympl).
  const FIG_SELECTOR = 'img, .jp-RenderedSVG svg, canvas';

  function figures(root) {
    return Array.from((root || document).querySelectorAll(FIG_SELECTOR)).filter(
      (e) => !e.closest('.jp-InputArea, .jp-Toolbar, .lm-TabBar, button, .jp-Dialog')
    );
  }

  function figSig(root) {
    const parts = figures(root).map((e) => {
      if (e.tagName === 'IMG') return 'i:' + (e.getAttribute('src') || '');
      if (e.tagName === 'CANVAS') {
        try { return 'c:' + e.toDataURL(); } catch (err) { return 'c:' + e.width + 'x' + e.height; }
      }
      return 's:' + e.outerHTML;
    });
    return parts.join('\u0001');
  }

  // The text a control's cell shows, less the controls' own state (slider readouts, labels,
  // select options): for explorers whose output is a table or text rather than a figure.
  const TEXT_SKIP = '.widget-readout, .widget-label, select, .jp-InputArea, .jp-InputPrompt, ' +
    '.jp-OutputPrompt, button, .jp-Toolbar, script, style';
  function textSig(root) {
    const parts = [];
    const walker = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && n.parentElement.closest(TEXT_SKIP)
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let n;
    while ((n = walker.nextNode())) {
      const t = n.nodeValue.trim();
      if (t) parts.push(t);
    }
    return parts.join('\n');
  }

  function hash(s) {
    let h = 2166136261 >>> 0;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return (h >>> 0).toString(16) + ':' + s.length;
  }

  // The part of the page a control belongs to: its cell (JupyterLab and Voila's lab template
  // both render cells as .jp-Cell), else its outermost output area, else the whole page.
  function scopeOf(el) {
    const cell = el.closest('.jp-Cell');
    if (cell) return cell;
    let area = el.closest('.jp-OutputArea');
    while (area && area.parentElement && area.parentElement.closest('.jp-OutputArea')) {
      area = area.parentElement.closest('.jp-OutputArea');
    }
    return area || document.body;
  }

  function docRoot() {
    return document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook') ||
      document.querySelector('.jp-Notebook') || document.body;
  }

  function visible(el) {
    if (!el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none';
  }

  function labelOf(el, kind) {
    const box = el.closest('.jupyter-widgets:not(.widget-container)') || el;
    const lab = box.querySelector('.widget-label');
    let text = lab ? lab.textContent.trim() : '';
    if (!text && (kind === 'button' || kind === 'toggle')) text = (el.textContent || el.title || '').trim();
    if (!text) text = (el.getAttribute('aria-label') || el.title || '').trim();
    return text || '(unlabelled)';
  }

  function listControls() {
    const root = docRoot();
    const found = [];
    const push = (el, kind) => {
      if (el.closest('.jp-InputArea')) return;
      found.push({ el, kind });
    };
    root.querySelectorAll('.widget-slider .noUi-handle, .widget-hslider .noUi-handle, .widget-vslider .noUi-handle')
      .forEach((e) => push(e, 'slider'));
    root.querySelectorAll('.widget-dropdown select').forEach((e) => push(e, 'dropdown'));
    root.querySelectorAll('button.widget-button, button.jupyter-button').forEach((e) => {
      if (e.closest('.widget-toggle-buttons')) push(e, 'toggle');
      else push(e, 'button');
    });
    root.querySelectorAll('.widget-checkbox input[type="checkbox"]').forEach((e) => push(e, 'checkbox'));
    // document order, de-duplicated
    const seen = new Set();
    const uniq = found.filter(({ el }) => (seen.has(el) ? false : (seen.add(el), true)));
    uniq.sort((a, b) => (a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    let next = window.__w2vNextId || 0;
    return uniq.map(({ el, kind }) => {
      if (!el.hasAttribute('data-w2v-ctl')) el.setAttribute('data-w2v-ctl', String(next++));
      window.__w2vNextId = next;
      const widget = el.closest('.jupyter-widgets:not(.widget-container)') || el;
      const target = el.closest('.noUi-target');
      const disabled = !!(el.disabled || (target && target.hasAttribute('disabled')) ||
        (widget && widget.classList.contains('mod-disabled')) || el.closest('[disabled]'));
      const cell = el.closest('.jp-Cell');
      const cells = Array.from(root.querySelectorAll('.jp-Cell'));
      const info = {
        id: el.getAttribute('data-w2v-ctl'),
        kind,
        label: labelOf(el, kind),
        cell: cell ? cells.indexOf(cell) : -1,
        skip: !!el.closest('.' + SKIP_CLASS),
        noFigure: !!el.closest('.' + NO_FIGURE_CLASS),
        disabled,
        visible: visible(el),
      };
      if (kind === 'slider') {
        info.value = el.getAttribute('aria-valuenow');
        info.min = el.getAttribute('aria-valuemin');
        info.max = el.getAttribute('aria-valuemax');
        info.vertical = el.getAttribute('aria-orientation') === 'vertical';
        const w = el.closest('.widget-slider');
        const ro = w && w.querySelector('.widget-readout');
        info.readout = ro ? (ro.value !== undefined && ro.tagName === 'INPUT' ? ro.value : ro.textContent) : null;
      } else if (kind === 'dropdown') {
        info.options = Array.from(el.options).map((o) => o.value);
        info.labels = Array.from(el.options).map((o) => o.textContent);
        info.selectedIndex = el.selectedIndex;
      } else if (kind === 'toggle' || kind === 'checkbox') {
        info.pressed = el.classList.contains('mod-active') || !!el.checked;
        const group = el.closest('.widget-toggle-buttons');
        if (group) {
          if (!group.hasAttribute('data-w2v-group')) group.setAttribute('data-w2v-group', String(next++));
          info.group = group.getAttribute('data-w2v-group');
        }
      }
      return info;
    });
  }

  function isPressed(id) {
    const el = byId(id);
    return !!el && (el.classList.contains('mod-active') || !!el.checked);
  }

  function byId(id) {
    return document.querySelector('[data-w2v-ctl="' + id + '"]');
  }

  function sliderState(id) {
    const el = byId(id);
    if (!el) return null;
    const w = el.closest('.widget-slider');
    const ro = w && w.querySelector('.widget-readout');
    return {
      value: el.getAttribute('aria-valuenow'),
      readout: ro ? (ro.tagName === 'INPUT' ? ro.value : ro.textContent) : null,
    };
  }

  // ---- one action: arm before it, poll `st` after it --------------------------------------
  let st = null;
  const onEvent = (ev) => {
    if (st && st.tEvent === null) { st.tEvent = performance.now(); st.eventType = ev.type; }
  };
  ['keydown', 'pointerdown', 'mousedown', 'input', 'change'].forEach((t) =>
    window.addEventListener(t, onEvent, true));

  function check() {
    if (!st) return;
    const now = performance.now();
    st.lastMutation = now;
    if (st.tScope === null) {
      const s = figSig(st.scope);
      if (s !== st.scopeBase) { st.tScope = now; st.scopeNew = hash(s); }
    }
    if (st.tDoc === null) {
      const d = figSig(st.doc);
      if (d !== st.docBase) { st.tDoc = now; st.docNew = hash(d); }
    }
    if (st.tText === null && st.nScopeFigs === 0) {
      if (textSig(st.scope) !== st.textBase) st.tText = now;
    }
  }

  function arm(id) {
    const el = byId(id);
    if (!el) return null;
    disarm();
    const scope = scopeOf(el);
    const doc = docRoot();
    st = {
      id, scope, doc,
      scopeBase: figSig(scope), docBase: figSig(doc),
      nScopeFigs: figures(scope).length,
      textBase: null, tText: null,
      tArm: performance.now(), tEvent: null, eventType: null,
      tScope: null, tDoc: null, lastMutation: performance.now(), scopeNew: null, docNew: null,
    };
    if (st.nScopeFigs === 0) st.textBase = textSig(scope);
    st.observer = new MutationObserver(check);
    st.observer.observe(doc === document.body ? document.body : doc.parentElement || doc,
      { subtree: true, childList: true, attributes: true, characterData: true });
    return { scopeFigs: st.nScopeFigs, scopeHash: hash(st.scopeBase), docHash: hash(st.docBase) };
  }

  function status() {
    if (!st) return null;
    check();  // a change that happened without a mutation record (canvas redraw)
    const t0 = st.tEvent !== null ? st.tEvent : st.tArm;
    return {
      eventType: st.eventType,
      scopeChanged: st.tScope !== null,
      docChanged: st.tDoc !== null,
      scopeHasFigures: st.nScopeFigs > 0,
      textChanged: st.tText !== null,
      textMs: st.tText !== null ? st.tText - t0 : null,
      scopeMs: st.tScope !== null ? st.tScope - t0 : null,
      docMs: st.tDoc !== null ? st.tDoc - t0 : null,
      quietMs: performance.now() - st.lastMutation,
    };
  }

  function disarm() {
    if (st && st.observer) st.observer.disconnect();
    st = null;
  }

  // ---- errors visible on the page --------------------------------------------------------
  function pageErrors() {
    const root = docRoot();
    const errs = [];
    root.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], ' +
      '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]').forEach((e) => {
      const t = e.textContent || '';
      if (/Traceback|\b[A-Za-z]*Error\b/.test(t)) errs.push('stderr/error output: ' + t.slice(0, 1500));
    });
    root.querySelectorAll('.jp-RenderedText').forEach((e) => {
      const t = e.textContent || '';
      if (/Traceback \(most recent call last\)/.test(t) &&
          !errs.some((x) => x.includes(t.slice(0, 200)))) errs.push('traceback: ' + t.slice(0, 1500));
    });
    const txt = root.innerText || '';
    const m = txt.match(/Error displaying widget[^\n]*/g);
    if (m) m.forEach((x) => errs.push('widget: ' + x));
    root.querySelectorAll('.jupyter-widgets.widget-error, .widget-error').forEach((e) =>
      errs.push('widget error view: ' + (e.textContent || '').slice(0, 300)));
    root.querySelectorAll('mjx-merror, .MathJax_Error, merror').forEach((e) =>
      errs.push('LaTeX error: ' + (e.getAttribute('data-mjx-error') || e.textContent || '').slice(0, 300)));
    return Array.from(new Set(errs));
  }

  function scrollToFirstError() {
    const root = docRoot();
    const cands = Array.from(root.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText, ' +
      'mjx-merror, .widget-error'));
    const el = cands.find((e) => /Traceback|Error/.test(e.textContent || '') || e.tagName === 'MJX-MERROR');
    if (el) el.scrollIntoView({ block: 'center' });
    return !!el;
  }

  // LaTeX that MathJax left as source in rendered markdown (outside code spans/blocks)
  const RAW_TEX = /\$\$|\\(frac|sum|partial|hat|mathrm|mathbf|top|begin|end|sigma|log|exp|left|right)(?![A-Za-z])/;
  function rawTex() {
    const out = [];
    docRoot().querySelectorAll('.jp-RenderedMarkdown').forEach((md) => {
      const walker = document.createTreeWalker(md, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement && n.parentElement.closest('code, pre, mjx-container, .MathJax, script, style')
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      let n;
      while ((n = walker.nextNode())) {
        const m = n.nodeValue.match(RAW_TEX);
        if (m) {
          const i = Math.max(0, m.index - 40);
          out.push(n.nodeValue.slice(i, m.index + 60).replace(/\s+/g, ' '));
        }
      }
    });
    return out;
  }

  function mathCount() {
    return docRoot().querySelectorAll('mjx-container, .MathJax, .MathJax_Display').length;
  }

  function widgetCount() {
    return docRoot().querySelectorAll('.jupyter-widgets').length;
  }

  function pendingWidgets() {
    // A widget-view output is an lm-Panel output that stays empty until ipywidgets has created
    // the view; other mime renderers are not panels.
    const root = docRoot();
    let n = 0;
    root.querySelectorAll('.jp-OutputArea-output.lm-Panel').forEach((e) => {
      if (e.children.length === 0) n++;
    });
    const txt = root.innerText || '';
    return n + (txt.match(/Loading widget\.\.\./g) || []).length;
  }

  // ---- settle: nothing changed in the page for a while -----------------------------------
  let lastAny = performance.now();
  let quietObserver = null;
  function watchQuiet() {
    if (quietObserver) return;
    quietObserver = new MutationObserver(() => { lastAny = performance.now(); });
    quietObserver.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  }
  function quietFor() { return performance.now() - lastAny; }

  window.__w2vh = {
    figures, figSig, textSig, hash, scopeOf, docRoot, listControls, byId, isPressed, sliderState,
    arm, status, disarm, pageErrors, scrollToFirstError, rawTex, mathCount, widgetCount, pendingWidgets, watchQuiet, quietFor,
  };
})();
