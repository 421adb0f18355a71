/* The side-by-side page of aligner as an editor: aligner/html.py inlines this, allowed by hash.
 *
 * The page's data (texts, beads, rows) comes from the <script type="application/json"> block.
 * The model is the list of rows; every edit replaces a run of rows by new ones (a patch) after
 * checking that each text's sentences still appear once each, in order, so whatever the user
 * does no sentence is lost or repeated. Undo and redo move patches between two stacks. Which
 * rows are verified is a set of their sentences, apart from the edits: undoing an edit brings
 * its rows back with their marks, and verifying is never undone by undoing an edit. Both are
 * saved in localStorage under the page's signature. Exports write the formats of
 * aligner/formats.py byte for byte (docs/editor.md says what the page adds).
 *
 * The script runs from the page's head, before the rows are parsed: a key or click while a
 * book loads is queued (the page says it is loading) and acted on once the editor is ready.
 */
(function () {
  'use strict';

  const root = document.documentElement;
  root.classList.add('loading');
  const early = [];
  const queue = (event) => {
    if (event.type === 'keydown') {
      // The editor's letter keys wait; the browser's own (arrows, pages, space) scroll as ever.
      const letter = event.key.length === 1 && event.key !== ' ';
      if (event.ctrlKey || event.metaKey || event.altKey || !letter) return;
    }
    early.push(event);
    event.preventDefault();
  };
  document.addEventListener('keydown', queue, true);
  document.addEventListener('click', queue, true);
  document.addEventListener('DOMContentLoaded', () => {
    document.removeEventListener('keydown', queue, true);
    document.removeEventListener('click', queue, true);
    start(early);
  });

  function start(early) {
    const D = JSON.parse(document.getElementById('page-data').textContent);
    const rowsEl = document.getElementById('rows');
    const statusEl = document.getElementById('status');
    const progressEl = document.getElementById('progress');
    const helpEl = document.getElementById('help');
    const TEXTS = D.texts; // the original first, then each translation
    const NT = TEXTS.length;
    const NTR = NT - 1;
    const STARTS = TEXTS.map((t) => new Set(t.starts));
    // Saved edits are patches to this very alignment of these texts: the key holds both.
    const PREFIX = 'aligner-editor/';
    const STORE = PREFIX + D.key + '/' + D.base;
    // Saved entries of other pages untouched this long are dropped (a page made again from the
    // same texts with another alignment can never restore them, nor can a page long gone).
    const STALE_MS = 90 * 24 * 3600 * 1000;
    const NO_BEADS = [0, 0];
    // Bits of a bead's marks (D.beads[t][i][5], absent when 0), as aligner/html.py writes them.
    const VERIFIED = 1;
    const PINNED = 2;

    // ---------------------------------------------------------------------------------------
    // The model. A side [start, end) holds sentences start..end-1 of one text; it is empty when
    // start === end (where an empty side sits then means nothing). A row is {s, b}: s[c] the
    // side of text c (0: the original), b[t] the range [i, j) of translation t's beads as the
    // aligner made them (D.beads[t]) that form this row, or null once the row is edited for t.
    // Rows are never changed in place, so undo can put old ones back. A row's key (its sides)
    // names it in the set of verified rows: no two rows of a page hold the same sentences.

    const isEmpty = (side) => side[0] === side[1];
    const sideLength = (side) => side[1] - side[0];
    const copyRow = (row) => ({ s: row.s.slice(), b: row.b.slice() });
    const keys = new WeakMap(); // row -> its key, made once (rows never change)
    function keyOf(row) {
      let key = keys.get(row);
      if (key === undefined) {
        key = row.s.map((side) => side[0] + '-' + side[1]).join(',');
        keys.set(row, key);
      }
      return key;
    }
    // Does the row hold anything of translation t's alignment (its original or t's sentences)?
    const holds = (row, t) => !isEmpty(row.s[0]) || !isEmpty(row.s[t + 1]);

    function initialRows() {
      return D.rows.map((r) => {
        const s = [];
        const b = [];
        for (let c = 0; c < NT; c++) s.push([r[2 * c], r[2 * c + 1]]);
        for (let t = 0; t < NTR; t++) b.push([r[2 * NT + 2 * t], r[2 * NT + 2 * t + 1]]);
        return { s: s, b: b };
      });
    }

    // The rows the aligner's output already marks verified: every bead of the row carries it.
    function initialVerified(list) {
      const keys = [];
      for (const row of list) {
        let some = false;
        let all = true;
        row.b.forEach((range, t) => {
          for (let i = range[0]; i < range[1]; i++) {
            some = true;
            if (!((D.beads[t][i][5] || 0) & VERIFIED)) all = false;
          }
        });
        if (some && all) keys.push(keyOf(row));
      }
      return keys;
    }

    let rows = initialRows();
    let done = []; // patches applied, oldest first
    let undone = []; // patches undone, the next to redo last
    const initialMarks = initialVerified(rows);
    let verified = new Set(initialMarks); // keys of verified rows, in the order marked
    const isVerified = (row) => verified.size > 0 && verified.has(keyOf(row));

    // The nonempty ranges of `list`, checked to follow each other: [first, end], or null if none.
    function cover(list) {
      let first = null;
      let end = null;
      for (const range of list) {
        if (range[0] === range[1]) continue;
        if (range[0] > range[1] || (end !== null && range[0] !== end)) return 'broken';
        if (first === null) first = range[0];
        end = range[1];
      }
      return first === null ? null : [first, end];
    }

    const same = (a, b) => String(a) === String(b);

    function checkRow(row) {
      if (row.s.every(isEmpty)) throw new Error('an edit would leave an empty row');
      row.b.forEach((range, t) => {
        if (range === null) return;
        const beads = D.beads[t].slice(range[0], range[1]);
        const src = cover(beads.map((x) => [x[0], x[1]]));
        const tgt = cover(beads.map((x) => [x[2], x[3]]));
        if (!same(src, cover([row.s[0]])) || !same(tgt, cover([row.s[t + 1]]))) {
          throw new Error('a row and its beads disagree');
        }
      });
    }

    // The check every edit passes: the new rows hold exactly the sentences of the rows they
    // replace, each text's in order, none twice, none lost, and no row is empty.
    function checkPatch(oldRows, newRows) {
      for (let c = 0; c < NT; c++) {
        const before = cover(oldRows.map((r) => r.s[c]));
        const after = cover(newRows.map((r) => r.s[c]));
        if (before === 'broken' || after === 'broken' || !same(before, after)) {
          throw new Error(TEXTS[c].title + ' would lose a sentence or get one twice');
        }
      }
      newRows.forEach(checkRow);
    }

    // The same check over the whole page: every sentence of every text once, in order.
    function checkAll() {
      for (let c = 0; c < NT; c++) {
        const n = TEXTS[c].sentences.length;
        if (!same(cover(rows.map((r) => r.s[c])), n ? [0, n] : null)) {
          throw new Error(TEXTS[c].title + ' is not covered once, in order');
        }
      }
      rows.forEach(checkRow);
    }

    // The row's confidence for translation t: its lowest bead's (null: none, or edited).
    function confidence(row, t) {
      const range = row.b[t];
      if (range === null || range[0] === range[1]) return null;
      let low = Infinity;
      for (let i = range[0]; i < range[1]; i++) low = Math.min(low, D.beads[t][i][4]);
      return low;
    }

    // The row's lowest confidence over the translations, or null when none has one (edited).
    function rowConfidence(row) {
      let low = null;
      for (let t = 0; t < NTR; t++) {
        const c = confidence(row, t);
        if (c !== null && (low === null || c < low)) low = c;
      }
      return low;
    }

    // The expected number of wrong beads in the row: the sum of 1 - confidence (edited: none).
    function expectedWrong(row) {
      let sum = 0;
      row.b.forEach((range, t) => {
        if (range !== null) for (let i = range[0]; i < range[1]; i++) sum += 1 - D.beads[t][i][4];
      });
      return sum;
    }

    const isEdited = (row, t) => row.b[t] === null && holds(row, t);
    const anyEdited = (row) => row.b.some((range, t) => isEdited(row, t));
    const lowFor = (row, t) => {
      const c = confidence(row, t);
      return c !== null && c < D.threshold;
    };
    const isLow = (row) => !isVerified(row) && rowConfidence(row) !== null &&
      rowConfidence(row) < D.threshold;
    // Reviewed: verified, or changed by the user (the aligner's confidence no longer applies).
    const isReviewed = (row) => isVerified(row) || anyEdited(row);

    // Mark text c of a fresh row copy as changed: its beads are the row itself from now on.
    function touch(row, c) {
      if (c === 0) row.b = row.b.map(() => null);
      else row.b[c - 1] = null;
    }

    // A new row holding `side` of text c and nothing else.
    function loneRow(c, side) {
      const s = TEXTS.map(() => NO_BEADS);
      s[c] = side;
      const b = [];
      for (let t = 0; t < NTR; t++) b.push(c === 0 || c === t + 1 ? null : NO_BEADS);
      return { s: s, b: b };
    }

    function join(a, b) {
      if (isEmpty(a)) return b;
      if (isEmpty(b)) return a;
      return [a[0], b[1]];
    }

    class Refusal extends Error {}

    // ---------------------------------------------------------------------------------------
    // Edits. Each builds the rows that replace rows[at .. at+count) and commits them.

    function mergeNext(k) {
      if (k + 1 >= rows.length) throw new Refusal('This is the last row: there is no next row.');
      const a = rows[k];
      const z = rows[k + 1];
      const b = a.b.map((range, t) => {
        if (holds(a, t) && holds(z, t)) return null;
        return holds(z, t) ? z.b[t] : range; // one row brings nothing of t: the other's beads stand
      });
      const merged = { s: a.s.map((side, c) => join(side, z.s[c])), b: b };
      const message = 'Merged rows ' + (k + 1) + ' and ' + (k + 2) + '.';
      commit(k, 2, [merged], k, message);
      return message;
    }

    // Text c's sentences of row k from `point` on (below) or before it (above) go to a new row.
    function splitAt(k, c, point, below) {
      const row = rows[k];
      const side = row.s[c];
      const moved = below ? [point, side[1]] : [side[0], point];
      if (isEmpty(side) || isEmpty(moved)) {
        throw new Refusal('No ' + TEXTS[c].title + ' sentence in row ' + (k + 1) + ' to split off.');
      }
      const rest = copyRow(row);
      rest.s[c] = below ? [side[0], point] : [point, side[1]];
      touch(rest, c);
      if (rest.s.every(isEmpty)) {
        throw new Refusal('Row ' + (k + 1) + ' holds nothing else: there is nothing to split.');
      }
      const fresh = loneRow(c, moved);
      const n = sideLength(moved);
      const what = (n === 1 ? 'One sentence' : n + ' sentences') + ' of ' + TEXTS[c].title;
      const own = ' now in a row of ' + (n === 1 ? 'its' : 'their') + ' own, ';
      const message = what + own + (below ? 'below.' : 'above.');
      commit(k, 1, below ? [rest, fresh] : [fresh, rest], below ? k : k + 1, message);
      return message;
    }

    // Move `block` (the first sentences of text c's side in row `from` when going up, the last
    // when going down) into row `to`; the rows between must hold nothing of text c.
    function moveTo(from, c, block, to) {
      const up = to < from;
      const side = rows[from].s[c];
      if (to < 0 || to >= rows.length) {
        throw new Refusal('There is no row ' + (up ? 'above' : 'below') + ' to move to.');
      }
      if (isEmpty(side)) {
        throw new Refusal('No ' + TEXTS[c].title + ' sentence in row ' + (from + 1) + ' to move.');
      }
      const inside = side[0] <= block[0] && block[1] <= side[1];
      if (!inside || (up ? block[0] !== side[0] : block[1] !== side[1])) {
        throw new Refusal('Only the first sentences of a cell can go up, the last ones down.');
      }
      const lo = Math.min(from, to);
      const hi = Math.max(from, to);
      for (let k = lo + 1; k < hi; k++) {
        if (!isEmpty(rows[k].s[c])) {
          throw new Refusal(
            'Row ' + (k + 1) + ' holds ' + TEXTS[c].title + ' sentences in between: the order ' +
              'of a text cannot change.'
          );
        }
      }
      const source = copyRow(rows[from]);
      source.s[c] = up ? [block[1], side[1]] : [side[0], block[0]];
      touch(source, c);
      const target = copyRow(rows[to]);
      const there = target.s[c];
      target.s[c] = isEmpty(there) ? block : up ? [there[0], block[1]] : [block[0], there[1]];
      touch(target, c);
      const middle = rows.slice(lo + 1, hi);
      const kept = source.s.every(isEmpty) ? [] : [source];
      const newRows = up ? [target, ...middle, ...kept] : [...kept, ...middle, target];
      const landing = up ? lo : lo + kept.length + middle.length;
      const n = sideLength(block);
      const message = 'Moved ' + (n === 1 ? 'one sentence' : n + ' sentences') + ' of ' +
        TEXTS[c].title + ' to row ' + (landing + 1) + '.';
      commit(lo, hi - lo + 1, newRows, landing, message);
      return message;
    }

    function commit(at, count, newRows, select, message) {
      const oldRows = rows.slice(at, at + count);
      try {
        checkPatch(oldRows, newRows);
      } catch (error) {
        throw new Refusal('Refused: ' + error.message + '.');
      }
      const patch = { at: at, del: oldRows, ins: newRows, what: message };
      replace(at, count, newRows);
      done.push(patch);
      undone = [];
      save();
      selectRow(select, col, null);
    }

    function undo() {
      const patch = done.pop();
      if (!patch) throw new Refusal('Nothing to undo.');
      replace(patch.at, patch.ins.length, patch.del);
      undone.push(patch);
      save();
      selectRow(patch.at, col, null);
      return 'Undone: ' + (patch.what || 'an edit');
    }

    function redo() {
      const patch = undone.pop();
      if (!patch) throw new Refusal('Nothing to redo.');
      replace(patch.at, patch.del.length, patch.ins);
      done.push(patch);
      save();
      selectRow(patch.at, col, null);
      return 'Redone: ' + (patch.what || 'an edit');
    }

    // Verification is not an edit: it has its own record (the set), untouched by undo and redo.
    function toggleVerified(k) {
      const row = rows[k];
      const key = keyOf(row);
      const was = verified.has(key);
      tally(row, -1);
      if (was) verified.delete(key);
      else verified.add(key);
      tally(row, 1);
      const lowNow = isLow(row);
      const node = els[k];
      node.classList.toggle('ok', !was);
      node.classList.toggle('low', lowNow);
      refreshView(k - 2, k + 2);
      save();
      showProgress();
      return !was ? 'Row ' + (k + 1) + ' verified.' : 'Row ' + (k + 1) + ' no longer verified.';
    }

    // ---------------------------------------------------------------------------------------
    // Counters: verified and reviewed rows, the expected wrong rows left among the unreviewed,
    // doubtful rows per translation. Kept as rows come and go, not recounted over the book.

    const counts = { verified: 0, reviewed: 0, wrongLeft: 0, doubtful: new Array(NTR).fill(0) };

    // Add (sign 1) or take away (sign -1) one row's share of the counters.
    function tally(row, sign) {
      if (isVerified(row)) counts.verified += sign;
      if (isReviewed(row)) counts.reviewed += sign;
      else counts.wrongLeft += sign * expectedWrong(row);
      if (!isVerified(row)) countDoubtful(row, sign);
    }

    function countDoubtful(row, sign) {
      for (let t = 0; t < NTR; t++) if (lowFor(row, t)) counts.doubtful[t] += sign;
    }

    function recount() {
      counts.verified = 0;
      counts.reviewed = 0;
      counts.wrongLeft = 0;
      counts.doubtful.fill(0);
      for (const row of rows) tally(row, 1);
    }

    const doubtfulCells = Array.from(document.querySelectorAll('[data-doubtful]'));

    function showProgress() {
      const n = rows.length;
      progressEl.setAttribute('data-verified-count', String(counts.verified));
      progressEl.setAttribute('data-reviewed-count', String(counts.reviewed));
      progressEl.setAttribute('data-rows', String(n));
      const left = Math.max(0, counts.wrongLeft);
      progressEl.setAttribute('data-expected-wrong-left', left.toFixed(3));
      progressEl.textContent = 'Reviewed ' + counts.reviewed + ' of ' + n + ' rows (' +
        counts.verified + ' verified) · expected wrong rows left among the unreviewed: ' +
        left.toFixed(1) + ' · doubtful: ' + counts.doubtful.join(' / ');
      doubtfulCells.forEach((cell, t) => {
        cell.textContent = String(counts.doubtful[t]);
      });
    }

    // ---------------------------------------------------------------------------------------
    // Persistence: the two patch stacks and the verified rows, under the page's signature.

    let unsaved = ''; // why the browser did not keep the last edits, shown with every message
    let savedDone = 0; // how many of `done` the browser holds

    function store(value) {
      // Full: make room by dropping other pages' entries, oldest first, trying again each time.
      let others = null;
      for (;;) {
        try {
          localStorage.setItem(STORE, value);
          return null;
        } catch (error) {
          if (others === null) others = otherEntries().sort((a, b) => a[1] - b[1]);
          if (!others.length) return error;
          try {
            localStorage.removeItem(others.shift()[0]);
          } catch (failure) {
            return error;
          }
        }
      }
    }

    // Saved entries of other pages: [name, when saved (0 if unknown)].
    function otherEntries() {
      const out = [];
      for (let k = 0; k < localStorage.length; k++) {
        const name = localStorage.key(k);
        if (!name || !name.startsWith(PREFIX) || name === STORE) continue;
        let saved = 0;
        try {
          saved = Number(JSON.parse(localStorage.getItem(name)).saved) || 0;
        } catch (error) {
          saved = 0;
        }
        out.push([name, saved]);
      }
      return out;
    }

    function save() {
      const marks = Array.from(verified);
      const unchanged = marks.length === initialMarks.length &&
        initialMarks.every((k) => verified.has(k));
      let error = null;
      try {
        if (!done.length && !undone.length && unchanged) localStorage.removeItem(STORE);
        else {
          error = store(JSON.stringify({
            saved: Date.now(), done: done, undone: undone, verified: marks,
          }));
        }
      } catch (failure) {
        error = failure;
      }
      if (!error) {
        unsaved = '';
        savedDone = done.length;
        return;
      }
      const lost = done.slice(Math.min(savedDone, done.length)).map((p) => p.what || 'an edit');
      const what = lost.length ? 'not saved: ' + lost.join(' ') : 'the verified rows are not saved.';
      unsaved = 'This browser does not keep the edits (' + error.name + '), ' + what +
        ' Export them before closing.';
    }

    // Drop saved entries of other pages untouched for `age` ms.
    function cleanStorage(age) {
      try {
        const now = Date.now();
        for (const [name, saved] of otherEntries()) {
          if (now - saved >= age) localStorage.removeItem(name);
        }
      } catch (error) {
        // A browser that refuses localStorage: nothing to clean.
      }
    }

    // `start` with saved patches applied in order, each checked to fit where it goes.
    function replay(start, patches) {
      let list = start;
      const plain = (r) => JSON.stringify(r.map((x) => ({ s: x.s, b: x.b })));
      for (const patch of patches) {
        const here = list.slice(patch.at, patch.at + patch.del.length);
        if (plain(here) !== plain(patch.del)) throw new Error('a saved edit does not fit');
        checkPatch(patch.del, patch.ins);
        list = list.slice(0, patch.at).concat(patch.ins, list.slice(patch.at + patch.del.length));
      }
      return list;
    }

    function restore() {
      let saved = null;
      try {
        saved = JSON.parse(localStorage.getItem(STORE) || 'null');
      } catch (error) {
        return '';
      }
      if (!saved) return '';
      try {
        rows = replay(rows, saved.done);
        checkAll();
        done = saved.done;
        replay(rows, saved.undone.slice().reverse()); // the redo stack must fit too
        undone = saved.undone;
        if (Array.isArray(saved.verified)) verified = new Set(saved.verified.map(String));
      } catch (error) {
        rows = initialRows();
        done = [];
        undone = [];
        verified = new Set(initialMarks);
        return 'Edits saved earlier did not fit this page and were left out.';
      }
      savedDone = done.length;
      if (!done.length && !verified.size) return '';
      return 'Restored ' + done.length + ' edits and ' + verified.size + ' verified rows kept by ' +
        'this browser; Reset drops them.';
    }

    function reset() {
      if (!done.length && !undone.length && !verified.size) {
        throw new Refusal('There are no edits to drop.');
      }
      if (!window.confirm('Drop every edit of this page and go back to the aligner’s rows?')) {
        return 'Nothing dropped.';
      }
      rows = initialRows();
      done = [];
      undone = [];
      verified = new Set(initialMarks);
      save();
      renderAll();
      selectRow(-1, col, null);
      return 'Back to the aligner’s rows.';
    }

    // ---------------------------------------------------------------------------------------
    // Rendering: the same markup as aligner/html.py writes, so a row looks the same either way.
    // Rows sit in blocks of D.block rows, each block laid out only when on screen
    // (content-visibility: auto): the browser then decides for a few hundred blocks, not for
    // every row, what is on screen.

    function element(tag, attributes) {
      const node = document.createElement(tag);
      for (const name of Object.keys(attributes)) node.setAttribute(name, attributes[name]);
      return node;
    }

    function bucket(c) {
      const k = D.bounds.findIndex((bound) => c < bound);
      return k < 0 ? D.bounds.length : k;
    }

    function cellNode(row, c) {
      const side = row.s[c];
      const classes = ['c'];
      if (isEmpty(side)) classes.push('e');
      else if (STARTS[c].has(side[0])) classes.push('p');
      let note = null;
      if (c > 0) {
        const t = c - 1;
        const kind = sideLength(row.s[0]) + '-' + sideLength(side);
        const conf = confidence(row, t);
        if (isEdited(row, t)) {
          classes.push('ed');
          note = kind + ' · edited';
        } else if (conf !== null) {
          const q = bucket(conf);
          if (q < D.bounds.length) classes.push('q' + q);
          note = kind + ' · ' + pyFixed(conf, 2);
        }
      }
      const text = TEXTS[c];
      const cell = element('div', {
        class: classes.join(' '), role: 'cell', lang: text.lang, dir: text.dir,
      });
      if (note !== null) cell.appendChild(element('small', {})).textContent = note;
      for (let i = side[0]; i < side[1]; i++) {
        if (i > side[0]) cell.appendChild(document.createTextNode(' '));
        const span = element('span', STARTS[c].has(i) ? { class: 'p' } : {});
        span.setAttribute('data-i', String(i));
        span.textContent = text.sentences[i];
        cell.appendChild(span);
      }
      return cell;
    }

    function rowNode(k) {
      const row = rows[k];
      let classes = 'row';
      if (isLow(row)) classes += ' low';
      if (anyEdited(row)) classes += ' ed';
      if (isVerified(row)) classes += ' ok';
      const number = String(k + 1);
      const node = element('div', {
        class: classes, role: 'row', id: 'r' + number, 'data-bead': String(k),
      });
      const label = node.appendChild(element('div', { class: 'n', role: 'rowheader' }));
      label.appendChild(element('a', { href: '#r' + number })).textContent = number;
      const merge = element('button', {
        class: 'mg', 'data-action': 'merge-next', title: 'Merge with the next row (m)',
      });
      label.appendChild(merge).textContent = '\u2913';
      for (let c = 0; c < NT; c++) node.appendChild(cellNode(row, c));
      return node;
    }

    // The row elements, in order (rows[k] is drawn by els[k]), inside their blocks.
    let els = Array.from(rowsEl.querySelectorAll('.row:not(.head)'));
    const rowEl = (k) => els[k];

    // Give rows from `from` on their index again (the data-bead hook, the id and the number):
    // RENUMBER_NOW rows at once, the rest of a long book in slices once the edit is painted
    // (renumbering 23,000 rows took most of a merge's time), finished before any next action.
    const RENUMBER_NOW = 600;
    const RENUMBER_SLICE = 2000;
    let pending = -1; // the first row still to renumber, or -1
    let timer = 0;

    function renumber(from) {
      pending = pending < 0 ? from : Math.min(pending, from);
      renumberUpTo(from + RENUMBER_NOW);
      // The rest after the next frame is out (a task queued now could run before the paint).
      if (pending >= 0 && !timer) {
        timer = -1;
        requestAnimationFrame(() => {
          timer = setTimeout(renumberLater, 0);
        });
      }
    }

    function renumberLater() {
      timer = 0;
      renumberUpTo(pending + RENUMBER_SLICE);
      if (pending >= 0) timer = setTimeout(renumberLater, 0);
    }

    function flushRenumber() {
      if (pending >= 0) renumberUpTo(els.length);
    }

    function renumberUpTo(end) {
      if (pending < 0) return;
      const from = pending;
      const to = Math.min(end, els.length);
      pending = to >= els.length ? -1 : to;
      for (let k = from; k < to; k++) {
        const node = els[k];
        const number = String(k + 1);
        node.id = 'r' + number;
        node.setAttribute('data-bead', String(k));
        const link = node.firstElementChild.firstElementChild;
        link.setAttribute('href', '#r' + number);
        link.firstChild.data = number;
      }
    }

    function blockNode() {
      return element('div', { class: 'blk', role: 'rowgroup' });
    }

    // Replace `count` rows at `at` by `newRows`, in the model, the counters and on the page.
    function replace(at, count, newRows) {
      for (let k = at; k < at + count; k++) tally(rows[k], -1);
      rows.splice(at, count, ...newRows);
      for (const row of newRows) tally(row, 1);
      const old = els.slice(at, at + count);
      // The new rows go where the first old one was (into its block), or after the row before.
      let parent;
      let before;
      if (old.length) {
        parent = old[0].parentNode;
        before = old[0];
      } else {
        parent = at > 0 ? els[at - 1].parentNode : rowsEl.querySelector('.blk');
        before = at > 0 ? els[at - 1].nextSibling : parent.firstChild;
      }
      const fresh = [];
      const fragment = document.createDocumentFragment();
      for (let k = at; k < at + newRows.length; k++) {
        const node = rowNode(k);
        fresh.push(node);
        fragment.appendChild(node);
      }
      parent.insertBefore(fragment, before);
      for (const node of old) {
        const block = node.parentNode;
        node.remove();
        if (block !== parent && !block.firstChild) block.remove();
      }
      els.splice(at, count, ...fresh);
      if (count !== newRows.length) renumber(at + newRows.length);
      refreshView(at - 2, at + newRows.length + 1);
      showProgress();
      updateButtons();
    }

    function renderAll() {
      const blocks = document.createDocumentFragment();
      els = [];
      let block = null;
      for (let k = 0; k < rows.length; k++) {
        if (k % D.block === 0) block = blocks.appendChild(blockNode());
        const node = rowNode(k);
        els.push(node);
        block.appendChild(node);
      }
      rowsEl.replaceChildren(rowsEl.firstElementChild, blocks);
      recount();
      refreshView(0, rows.length);
      showProgress();
      updateButtons();
    }

    // ---------------------------------------------------------------------------------------
    // Views: every row, the doubtful rows with the rows around them, or rows of some kinds.

    const viewEl = document.getElementById('view');
    const onlyLow = document.getElementById('only-low');
    let view = 'all';

    // Does translation t's part of the row pair other than one sentence with one sentence?
    function kindOf(row, t) {
      return sideLength(row.s[0]) + '-' + sideLength(row.s[t + 1]);
    }

    function passes(k) {
      const row = rows[k];
      if (onlyLow.checked) {
        const near = (j) => j >= 0 && j < rows.length && isLow(rows[j]);
        if (!near(k) && !near(k - 1) && !near(k + 1)) return false;
      }
      if (view === 'not-1-1') {
        let other = false;
        for (let t = 0; t < NTR; t++) if (holds(row, t) && kindOf(row, t) !== '1-1') other = true;
        return other;
      }
      if (view === 'one-empty') {
        let lone = false;
        for (let t = 0; t < NTR; t++) {
          if (holds(row, t) && (isEmpty(row.s[0]) || isEmpty(row.s[t + 1]))) lone = true;
        }
        return lone;
      }
      return true;
    }

    const filtering = () => onlyLow.checked || view !== 'all';
    const visible = (k) => !filtering() || passes(k);

    // Show or hide rows lo..hi (clamped) as the view says.
    function refreshView(lo, hi) {
      const on = filtering();
      for (let k = Math.max(0, lo); k <= Math.min(hi, rows.length - 1); k++) {
        els[k].classList.toggle('out', on && !passes(k));
      }
    }

    function changeView() {
      view = viewEl.value;
      refreshView(0, rows.length - 1);
      let shown = 0;
      for (let k = 0; k < rows.length; k++) if (visible(k)) shown += 1;
      if (sel >= 0 && !visible(sel)) selectRow(-1, col, null);
      status(filtering() ? 'Showing ' + shown + ' of ' + rows.length + ' rows.' : describe());
    }

    // ---------------------------------------------------------------------------------------
    // Exports: one file per translation, in the formats of aligner/formats.py.

    // Python's format(x, '.Nf'): the exact binary value rounded half to even. toFixed(100) gives
    // that exact value for the numbers written here (in [2**-48, 1e21)); JavaScript's own
    // toFixed(N) rounds ties up, so it would differ from the aligner's files on exact ties.
    function pyFixed(x, digits) {
      const parts = x.toFixed(100).split('.');
      const scaled = BigInt(parts[0] + parts[1]); // x * 10**100, exactly
      const unit = 10n ** BigInt(100 - digits);
      let q = scaled / unit;
      const r = scaled % unit;
      if (r * 2n > unit || (r * 2n === unit && q % 2n === 1n)) q += 1n;
      const s = q.toString().padStart(digits + 1, '0');
      return digits ? s.slice(0, -digits) + '.' + s.slice(-digits) : s;
    }

    // A float as Python's json writes it (repr): 1.0, not 1. Enough for [1e-4, 1e16) and 0.
    class PyFloat {
      constructor(x) {
        this.x = x;
      }
    }
    const pyRound = (x, digits) => new PyFloat(Number(pyFixed(x, digits)));

    function pyJson(value) {
      if (value === null) return 'null';
      if (value instanceof PyFloat) {
        return Number.isInteger(value.x) ? value.x.toFixed(1) : String(value.x);
      }
      if (Array.isArray(value)) return '[' + value.map(pyJson).join(', ') + ']';
      if (typeof value === 'object') {
        const items = Object.keys(value).map((k) => pyJson(k) + ': ' + pyJson(value[k]));
        return '{' + items.join(', ') + '}';
      }
      // Line-based readers split at U+2028/U+2029, so they stay escaped (as formats.py does).
      return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
    }

    const ids = (side) => Array.from({ length: sideLength(side) }, (_, k) => side[0] + k);
    const joined = (c, side) => ids(side).map((i) => TEXTS[c].sentences[i]).join(' ');

    // Translation t's alignment as the page holds it: beads with src/tgt sides, the aligner's
    // confidence (null when edited), and the user's marks. An edited row is one bead; with an
    // empty side it is one bead per sentence, as the aligner writes deletions and insertions.
    function beadsOf(t) {
      const out = [];
      for (const row of rows) {
        const ok = isVerified(row);
        const bead = (src, tgt, conf, pinned) => out.push({
          src: src, tgt: tgt, conf: conf, edited: conf === null, pinned: pinned, verified: ok,
        });
        const range = row.b[t];
        if (range !== null) {
          for (const x of D.beads[t].slice(range[0], range[1])) {
            bead([x[0], x[1]], [x[2], x[3]], x[4], ((x[5] || 0) & PINNED) !== 0);
          }
          continue;
        }
        const src = row.s[0];
        const tgt = row.s[t + 1];
        if (!isEmpty(src) && !isEmpty(tgt)) {
          bead(src, tgt, null, false);
          continue;
        }
        for (const i of ids(src)) bead([i, i + 1], NO_BEADS, null, false);
        for (const j of ids(tgt)) bead(NO_BEADS, [j, j + 1], null, false);
      }
      return out;
    }

    const signature = (t) => D.signatures[t];

    function writeJsonl(t) {
      const beads = beadsOf(t);
      const counts = {};
      for (const x of beads) {
        const kind = sideLength(x.src) + '-' + sideLength(x.tgt);
        counts[kind] = (counts[kind] || 0) + 1;
      }
      const sorted = {};
      for (const kind of Object.keys(counts).sort()) sorted[kind] = counts[kind];
      const scored = beads.filter((x) => x.conf !== null);
      let sum = 0;
      for (const x of scored) sum += x.conf; // in order, as Python's sum() of floats (3.10, 3.11)
      // Quality and coverage as Alignment.quality / .coverage: over beads with both sides; an
      // edited bead has no score and counts for coverage only.
      const paired = beads.filter((x) => sideLength(x.src) > 0 && sideLength(x.tgt) > 0);
      const pairedScored = paired.filter((x) => x.conf !== null);
      let pairedSum = 0;
      for (const x of pairedScored) pairedSum += x.conf;
      let doubt = 0; // Alignment.expected_wrong: 1 - confidence summed in order
      for (const x of scored) doubt += 1 - x.conf;
      let srcPaired = 0;
      let tgtPaired = 0;
      for (const x of paired) {
        srcPaired += sideLength(x.src);
        tgtPaired += sideLength(x.tgt);
      }
      const nSrc = TEXTS[0].sentences.length;
      const nTgt = TEXTS[t + 1].sentences.length;
      const header = {
        aligner: {
          version: D.version,
          signature: signature(t),
          src_lang: TEXTS[0].lang,
          tgt_langs: [TEXTS[t + 1].lang],
          src_sentences: TEXTS[0].sentences.length,
          tgt_sentences: [TEXTS[t + 1].sentences.length],
          bead_counts: [sorted],
          mean_confidence: [pyRound(scored.length ? sum / scored.length : 0, 4)],
          quality: [pyRound(pairedScored.length ? pairedSum / pairedScored.length : 0, 4)],
          expected_wrong: [pyRound(doubt, 4)],
          coverage: [
            {
              src: pyRound(nSrc ? srcPaired / nSrc : 0, 4),
              tgt: pyRound(nTgt ? tgtPaired / nTgt : 0, 4),
            },
          ],
        },
      };
      const lines = [pyJson(header)];
      for (const x of beads) {
        const record = {
          src_ids: ids(x.src),
          tgt_ids: ids(x.tgt),
          src: joined(0, x.src),
          tgt: joined(t + 1, x.tgt),
          score: x.conf === null ? null : pyRound(x.conf, 3),
          src_lang: TEXTS[0].lang,
          tgt_lang: TEXTS[t + 1].lang,
        };
        if (x.edited) record.edited = true;
        if (x.pinned) record.pinned = true;
        if (x.verified) record.verified = true;
        lines.push(pyJson(record));
      }
      return lines.join('\n') + '\n';
    }

    // Characters that would split a TSV line, as formats.py replaces them.
    const LINE_BREAKS = /[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;

    function writeTsv(t) {
      return beadsOf(t)
        .map((x) =>
          [
            joined(0, x.src).replace(LINE_BREAKS, ' '),
            joined(t + 1, x.tgt).replace(LINE_BREAKS, ' '),
            x.conf === null ? '' : pyFixed(x.conf, 3),
            ids(x.src).join(','),
            ids(x.tgt).join(','),
          ].join('\t') + '\n'
        )
        .join('');
    }

    // Characters XML 1.0 forbids (the u flag: lone surrogates only, pairs are characters).
    const XML_INVALID = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/gu;
    const XML_NS = 'http://www.w3.org/XML/1998/namespace';

    // Whitespace as Python's ElementTree.indent(space='  ') lays it out.
    function indent(node, level) {
      const kids = Array.from(node.children);
      if (!kids.length) return;
      const doc = node.ownerDocument;
      node.insertBefore(doc.createTextNode('\n' + '  '.repeat(level + 1)), kids[0]);
      kids.forEach((kid, k) => {
        indent(kid, level + 1);
        const pad = k === kids.length - 1 ? level : level + 1;
        node.insertBefore(doc.createTextNode('\n' + '  '.repeat(pad)), kid.nextSibling);
      });
    }

    function writeTmx(t) {
      const doc = document.implementation.createDocument(null, 'tmx', null);
      const root = doc.documentElement;
      const add = (parent, tag, attributes, text) => {
        const node = parent.appendChild(doc.createElement(tag));
        for (const name of Object.keys(attributes)) {
          if (name === 'xml:lang') node.setAttributeNS(XML_NS, name, attributes[name]);
          else node.setAttribute(name, attributes[name]);
        }
        if (text !== undefined) node.textContent = text;
        return node;
      };
      root.setAttribute('version', '1.4');
      const header = add(root, 'header', {
        creationtool: 'aligner',
        creationtoolversion: D.version,
        segtype: 'sentence',
        'o-tmf': 'aligner',
        adminlang: 'en',
        srclang: TEXTS[0].lang,
        datatype: 'plaintext',
      });
      add(header, 'prop', { type: 'x-aligner-signature' }, signature(t));
      const body = add(root, 'body', {});
      let skipped = 0;
      beadsOf(t).forEach((x, k) => {
        const sides = [
          [TEXTS[0].lang, joined(0, x.src)],
          [TEXTS[t + 1].lang, joined(t + 1, x.tgt)],
        ];
        if (!sides[0][1] || !sides[1][1]) {
          skipped += 1;
          return;
        }
        const tu = add(body, 'tu', { tuid: String(k + 1) });
        if (x.conf !== null) add(tu, 'prop', { type: 'x-score' }, pyFixed(x.conf, 3));
        if (x.edited) add(tu, 'prop', { type: 'x-edited' }, 'true');
        if (x.verified) add(tu, 'prop', { type: 'x-verified' }, 'true');
        for (const side of sides) {
          const tuv = add(tu, 'tuv', { 'xml:lang': side[0] });
          add(tuv, 'seg', {}, side[1].replace(XML_INVALID, ''));
        }
      });
      add(header, 'prop', { type: 'x-skipped-beads' }, String(skipped));
      indent(root, 0);
      const declaration = "<?xml version='1.0' encoding='utf-8'?>\n"; // as ElementTree writes it
      return declaration + new XMLSerializer().serializeToString(root) + '\n';
    }

    const WRITERS = {
      jsonl: [writeJsonl, 'application/jsonl'],
      tsv: [writeTsv, 'text/tab-separated-values'],
      tmx: [writeTmx, 'application/x-tmx+xml'],
    };

    function fileName(t, extension) {
      const lang = TEXTS[t + 1].lang;
      const twin = TEXTS.slice(1).filter((x) => x.lang === lang).length > 1;
      const pair = TEXTS[0].lang + '-' + lang + (twin ? '.' + (t + 1) : '');
      return D.name + '.' + pair + '.' + extension;
    }

    function download(name, text, type) {
      const url = URL.createObjectURL(new Blob([text], { type: type + ';charset=utf-8' }));
      const link = element('a', { href: url, download: name });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    }

    function exportAll(format) {
      const names = [];
      for (let t = 0; t < NTR; t++) {
        const name = fileName(t, format);
        download(name, WRITERS[format][0](t), WRITERS[format][1]);
        names.push(name);
      }
      return 'Exported ' + names.join(', ') + '.';
    }


    // ---------------------------------------------------------------------------------------
    // The user interface: selection (row, text, sentence), moving by picking, keys and buttons.

    let sel = -1; // selected row
    let col = 0; // selected text (column)
    let sent = null; // selected sentence of that text in that row, or null for the whole cell
    let picked = null; // {k, c, i}: what "Move to…" carries, waiting for its row
    let marked = []; // the nodes that show the selection now

    function status(message) {
      statusEl.textContent = unsaved ? message + ' ' + unsaved : message;
    }

    function describe() {
      if (sel < 0) return 'Select a row: click it, or press j (r: the next row to review).';
      const row = rows[sel];
      let text = 'Row ' + (sel + 1) + ' of ' + rows.length + ' · ' + TEXTS[col].title;
      if (sent !== null) text += ', sentence ' + sent;
      const c = rowConfidence(row);
      if (c !== null) text += ' · confidence ' + pyFixed(c, 2);
      if (isVerified(row)) text += ' · verified';
      else if (anyEdited(row)) text += ' · edited';
      return text;
    }

    function marks() {
      for (const node of marked) {
        node.classList.remove('sel', 'cur', 'on');
        node.removeAttribute('aria-selected');
      }
      marked = [];
      if (sel < 0) return;
      const node = rowEl(sel);
      node.classList.add('sel');
      node.setAttribute('aria-selected', 'true');
      const cell = node.children[col + 1];
      cell.classList.add('cur');
      marked.push(node, cell);
      if (sent !== null) {
        const span = cell.querySelector('span[data-i="' + sent + '"]');
        span.classList.add('on');
        marked.push(span);
      }
    }

    function selectRow(k, c, sentence) {
      sel = Math.min(k, rows.length - 1);
      col = Math.max(0, Math.min(c, NT - 1));
      sent = sentence;
      if (sel >= 0 && sent !== null) {
        const side = rows[sel].s[col];
        if (sent < side[0] || sent >= side[1]) sent = null;
      }
      marks();
      updateButtons();
    }

    function reveal() {
      if (sel >= 0) rowEl(sel).scrollIntoView({ block: 'nearest' });
    }

    function need() {
      if (sel < 0) throw new Refusal('Select a row first: click it, or press j.');
      return sel;
    }

    function step(delta) {
      let k = sel < 0 ? (delta > 0 ? -1 : rows.length) : sel;
      for (k += delta; k >= 0 && k < rows.length; k += delta) {
        if (visible(k)) {
          selectRow(k, col, null);
          reveal();
          return null;
        }
      }
      return null;
    }

    // The first (delta 1) or last (delta -1) visible row.
    function jump(delta) {
      selectRow(-1, col, null);
      return step(delta);
    }

    function go(k, c, sentence) {
      if (picked) cancelPick();
      if (filtering() && !visible(k)) {
        onlyLow.checked = false;
        viewEl.value = 'all';
        changeView();
      }
      selectRow(k, c, sentence);
      reveal();
    }

    function nextDoubtful(delta) {
      const n = rows.length;
      const from = sel < 0 ? (delta > 0 ? -1 : 0) : sel;
      for (let m = 1; m <= n; m++) {
        const k = (((from + delta * m) % n) + n) % n;
        if (isLow(rows[k])) {
          selectRow(k, col, null);
          reveal();
          return null;
        }
      }
      throw new Refusal('No doubtful row left: every row is confident or verified.');
    }

    // The review walk: rows not reviewed yet, least confident first (ties: in page order). From
    // an unreviewed selected row, the next one after it in that order (so a row can be skipped).
    function reviewNext() {
      const order = (k) => {
        const c = rowConfidence(rows[k]);
        return c === null ? 2 : c;
      };
      const here = sel >= 0 && !isReviewed(rows[sel]) ? [order(sel), sel] : null;
      let best = -1;
      let bestKey = null;
      let first = -1;
      let firstKey = null;
      for (let k = 0; k < rows.length; k++) {
        if (isReviewed(rows[k])) continue;
        const key = [order(k), k];
        const less = (a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
        if (first < 0 || less(key, firstKey)) {
          first = k;
          firstKey = key;
        }
        if (here && less(here, key) && (best < 0 || less(key, bestKey))) {
          best = k;
          bestKey = key;
        }
      }
      const k = best >= 0 ? best : first;
      if (k < 0) throw new Refusal('Every row is reviewed: verified or edited.');
      go(k, col > 0 ? col : Math.min(1, NT - 1), null);
      return describe() + '. v: verify it; r: the next one.';
    }

    // ---------------------------------------------------------------------------------------
    // Find (text in any of the texts) and jump to a row number.

    const findEl = document.getElementById('find');
    const jumpEl = document.getElementById('jump');
    let folded = null; // each text's sentences in lower case, made on the first search

    function matches(k, needle) {
      const found = [];
      for (let c = 0; c < NT; c++) {
        const side = rows[k].s[c];
        for (let i = side[0]; i < side[1]; i++) {
          if (folded[c][i].includes(needle)) found.push([c, i]);
        }
      }
      return found;
    }

    function find(delta) {
      const needle = findEl.value.trim().toLowerCase();
      if (!needle) {
        findEl.focus();
        throw new Refusal('Type the words to find in the box, then press Enter (Shift+Enter: back).');
      }
      if (!folded) folded = TEXTS.map((t) => t.sentences.map((x) => x.toLowerCase()));
      const n = rows.length;
      // Matches of the selected row after (or before) the selected sentence come first.
      if (sel >= 0) {
        const here = matches(sel, needle).filter(([c, i]) =>
          delta > 0 ? c > col || (c === col && sent !== null && i > sent) :
            c < col || (c === col && sent !== null && i < sent));
        if (here.length) {
          const [c, i] = delta > 0 ? here[0] : here[here.length - 1];
          go(sel, c, i);
          return foundMessage(needle);
        }
      }
      const from = sel < 0 ? (delta > 0 ? -1 : n) : sel;
      for (let m = 1; m <= n; m++) {
        const k = (((from + delta * m) % n) + n) % n;
        const found = matches(k, needle);
        if (found.length) {
          const [c, i] = delta > 0 ? found[0] : found[found.length - 1];
          go(k, c, i);
          return foundMessage(needle);
        }
      }
      throw new Refusal('“' + findEl.value.trim() + '” is in none of the texts.');
    }

    function foundMessage(needle) {
      let total = 0;
      let before = 0;
      for (let k = 0; k < rows.length; k++) {
        const n = matches(k, needle).length;
        total += n;
        if (k < sel) before += n;
      }
      const here = matches(sel, needle).filter(([c, i]) => c < col || (c === col && i <= sent));
      return 'Match ' + (before + here.length) + ' of ' + total + ': row ' + (sel + 1) + ', ' +
        TEXTS[col].title + ', sentence ' + sent + '.';
    }

    function jumpTo() {
      const n = Number(jumpEl.value);
      if (!Number.isInteger(n) || n < 1 || n > rows.length) {
        jumpEl.focus();
        throw new Refusal('Type a row number from 1 to ' + rows.length + ' in the box.');
      }
      go(n - 1, col, null);
      return describe();
    }

    // ---------------------------------------------------------------------------------------
    // Moving a sentence by picking it, then its row.

    function pickedNodes() {
      if (!picked) return [];
      const cell = rowEl(picked.k).children[picked.c + 1];
      return picked.i === null ? [cell] : [cell.querySelector('span[data-i="' + picked.i + '"]')];
    }

    function cancelPick() {
      pickedNodes().forEach((node) => node.classList.remove('pk'));
      picked = null;
      document.body.classList.remove('picking');
    }

    function startPick() {
      const k = need();
      const side = rows[k].s[col];
      if (isEmpty(side)) {
        throw new Refusal('No ' + TEXTS[col].title + ' sentence in this row to move.');
      }
      picked = { k: k, c: col, i: sent };
      pickedNodes().forEach((node) => node.classList.add('pk'));
      document.body.classList.add('picking');
      const what = sent === null ? 'this ' + TEXTS[col].title + ' cell' : 'this sentence';
      return 'Moving ' + what + ': click the row it belongs to (or go there with j/k and press ' +
        'x). Esc cancels.';
    }

    function drop(target) {
      const p = picked;
      cancelPick();
      if (target === p.k) return 'Move cancelled.';
      const side = rows[p.k].s[p.c];
      const up = target < p.k;
      const block = p.i === null ? side : up ? [side[0], p.i + 1] : [p.i, side[1]];
      col = p.c;
      return moveTo(p.k, p.c, block, target);
    }

    // The block the move-up/down and split buttons work on: the selected sentence, else one end.
    function pointOf(side, below) {
      if (sent !== null) return below ? sent : sent + 1;
      return below ? side[1] - 1 : side[0] + 1;
    }

    const ACTIONS = {
      'merge-next': () => mergeNext(need()),
      'split-last': () => splitAt(need(), col, pointOf(rows[sel].s[col], true), true),
      'split-first': () => splitAt(need(), col, pointOf(rows[sel].s[col], false), false),
      'move-up': () => {
        const side = rows[need()].s[col];
        return moveTo(sel, col, [side[0], pointOf(side, false)], sel - 1);
      },
      'move-down': () => {
        const side = rows[need()].s[col];
        return moveTo(sel, col, [pointOf(side, true), side[1]], sel + 1);
      },
      pick: () => (!picked ? startPick() : drop(need())),
      verify: () => toggleVerified(need()),
      'review-next': reviewNext,
      undo: undo,
      redo: redo,
      reset: reset,
      export: () => exportAll('jsonl'),
      'export-tsv': () => exportAll('tsv'),
      'export-tmx': () => exportAll('tmx'),
      help: () => toggleHelp(),
      'find-next': () => find(1),
      'find-previous': () => find(-1),
      'find-focus': () => {
        findEl.focus();
        findEl.select();
        return 'Type the words to find, then Enter (Shift+Enter: back); Esc leaves the box.';
      },
      jump: jumpTo,
      'jump-focus': () => {
        jumpEl.focus();
        jumpEl.select();
        return 'Type a row number, then Enter.';
      },
      next: () => step(1),
      previous: () => step(-1),
      first: () => jump(1),
      last: () => jump(-1),
      left: () => selectRow(sel, col - 1, null),
      right: () => selectRow(sel, col + 1, null),
      'next-doubtful': () => nextDoubtful(1),
      'previous-doubtful': () => nextDoubtful(-1),
      escape: () => {
        if (picked) {
          cancelPick();
          return 'Move cancelled.';
        }
        if (!helpEl.hidden) return toggleHelp();
        selectRow(sel, col, null);
        return null;
      },
    };
    // Actions that keep a pending "Move to…" (the others cancel it).
    const KEEP_PICK = new Set([
      'pick', 'help', 'next', 'previous', 'first', 'last', 'next-doubtful', 'previous-doubtful',
    ]);

    function act(name) {
      const action = ACTIONS[name];
      if (!action) return;
      flushRenumber();
      if (picked && !KEEP_PICK.has(name)) cancelPick();
      try {
        const message = action();
        status(typeof message === 'string' ? message : describe());
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        status(error.message);
      }
    }

    function toggleHelp() {
      helpEl.hidden = !helpEl.hidden;
      for (const button of document.querySelectorAll('[data-action="help"]')) {
        button.setAttribute('aria-expanded', String(!helpEl.hidden));
      }
      if (!helpEl.hidden) helpEl.scrollIntoView({ block: 'nearest' });
      return null;
    }

    // Buttons that act on the selected row (the others always can act).
    const ON_ROW = new Set([
      'merge-next', 'split-last', 'split-first', 'move-up', 'move-down', 'pick', 'verify',
    ]);
    const barButtons = Array.from(document.querySelectorAll('.bar [data-action]'));
    const resetButton = document.querySelector('.tools [data-action="reset"]');

    function updateButtons() {
      const has = sel >= 0;
      for (const button of barButtons) {
        const name = button.dataset.action;
        if (name === 'undo') button.disabled = !done.length;
        else if (name === 'redo') button.disabled = !undone.length;
        else if (ON_ROW.has(name)) button.disabled = !has;
      }
      if (resetButton) resetButton.disabled = !done.length && !undone.length && !verified.size;
    }

    // Keys: letters as in vi (j/k rows, h/l texts), the arrows too; docs/editor.md lists them.
    const KEYS = {
      j: 'next', ArrowDown: 'next', k: 'previous', ArrowUp: 'previous', Home: 'first', End: 'last',
      h: 'left', ArrowLeft: 'left', l: 'right', ArrowRight: 'right',
      n: 'next-doubtful', N: 'previous-doubtful', m: 'merge-next', s: 'split-last', S: 'split-first',
      J: 'move-down', K: 'move-up', x: 'pick', v: 'verify', r: 'review-next', u: 'undo',
      U: 'redo', '?': 'help', '/': 'find-focus', g: 'jump-focus', Escape: 'escape',
    };

    function command(event) {
      const key = event.key;
      if (event.ctrlKey || event.metaKey) {
        if (event.altKey) return null;
        if (key === 'z' || key === 'Z') return event.shiftKey ? 'redo' : 'undo';
        if (key === 'y' || key === 'Y') return 'redo';
        return null;
      }
      if (event.altKey) return null;
      if (event.shiftKey && key === 'ArrowDown') return 'move-down';
      if (event.shiftKey && key === 'ArrowUp') return 'move-up';
      if (key === 'Enter' && picked) return 'pick';
      return Object.prototype.hasOwnProperty.call(KEYS, key) ? KEYS[key] : null;
    }

    function onKey(event) {
      if (event.defaultPrevented && !event.queued) return;
      if (event.isComposing) return;
      const target = event.target;
      if (target === findEl || target === jumpEl) {
        if (event.key === 'Enter') {
          event.preventDefault();
          act(target === jumpEl ? 'jump' : event.shiftKey ? 'find-previous' : 'find-next');
        } else if (event.key === 'Escape') {
          target.blur();
        }
        return;
      }
      // Keys typed into a text field are the field's.
      const typing = /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
        (target.tagName === 'INPUT' && target.type !== 'checkbox');
      if (target.isContentEditable || typing) return;
      if (target.tagName === 'BUTTON' && (event.key === 'Enter' || event.key === ' ')) return;
      const name = command(event);
      if (!name) return;
      event.preventDefault();
      act(name);
    }

    function onRowClick(event) {
      const node = event.target.closest('.row');
      if (!node || node.classList.contains('head') || event.target.closest('a')) return;
      flushRenumber();
      const k = Number(node.getAttribute('data-bead'));
      const button = event.target.closest('[data-action]');
      if (button) {
        if (picked) cancelPick();
        selectRow(k, col, null);
        act(button.getAttribute('data-action'));
        return;
      }
      if (picked) {
        dropOn(k);
        return;
      }
      const cell = event.target.closest('.c');
      const c = cell ? Array.prototype.indexOf.call(node.children, cell) - 1 : col;
      const span = event.target.closest('span[data-i]');
      selectRow(k, c, span ? Number(span.getAttribute('data-i')) : null);
      status(describe());
    }

    function dropOn(k) {
      selectRow(k, picked.c, null);
      try {
        status(drop(k));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        status(error.message);
      }
    }

    // One listener for every click: a row's (cells, its merge button) or a control's.
    function onClick(event) {
      if (rowsEl.contains(event.target)) {
        onRowClick(event);
        return;
      }
      const button = event.target.closest('[data-action]');
      if (button) act(button.getAttribute('data-action'));
    }

    // The bar at the bottom may wrap to several lines (a phone): the rows keep room under it.
    function fitBar() {
      const bar = document.querySelector('.bar');
      root.style.setProperty('--bar-room', Math.ceil(bar.getBoundingClientRect().height + 8) + 'px');
    }

    // Start: the editing controls appear only when this script runs.
    document.body.classList.add('js');
    for (const node of document.querySelectorAll('[data-js]')) node.hidden = false;
    cleanStorage(STALE_MS);
    const restored = restore();
    if (done.length) renderAll();
    else {
      // The rows are Python's; only the marks kept by the browser may differ.
      const changed = verified.size !== initialMarks.length ||
        !initialMarks.every((k) => verified.has(k));
      if (changed) {
        rows.forEach((row, k) => {
          els[k].classList.toggle('ok', isVerified(row));
          els[k].classList.toggle('low', isLow(row));
        });
      }
      recount();
      showProgress();
    }
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    viewEl.addEventListener('change', changeView);
    onlyLow.addEventListener('change', changeView);
    if (window.ResizeObserver) new ResizeObserver(fitBar).observe(document.querySelector('.bar'));
    updateButtons();
    status(restored || describe());
    root.classList.remove('loading');
    // What the user did while the page loaded, in order.
    for (const event of early) {
      if (event.type === 'keydown') {
        event.queued = true;
        onKey(event);
      } else if (event.target instanceof Element && document.contains(event.target)) {
        onClick(event);
      }
    }
  }
})();
