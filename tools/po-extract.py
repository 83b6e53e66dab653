#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""po-extract.py - hearth's messages (issue 16): extract, merge and check them.

  tools/po-extract.py pot   [--root DIR]   write po/hearth.pot from the C sources and templates
  tools/po-extract.py merge [--root DIR]   pot, then msgmerge it into po/es.po and po/de.po
  tools/po-extract.py check [--root DIR]   fail on an unmarked string, a stale catalogue, an
                                           untranslated or fuzzy entry, or a translation whose
                                           placeholders or tags differ from its message's
  tools/po-extract.py files FILE...        print the messages of these files as a .pot (stdout):
                                           for translating one part at a time
  tools/po-extract.py fill LANG JSON...     write translations into po/LANG.po: each JSON file is
                                           {msgid: msgstr} ({msgid: [one, many]} for a plural;
                                           "context\u0004msgid" for a message in a context);
                                           a message the catalogue lacks is reported, not added

C messages are found by xgettext (Debian's gettext) with hearth's keywords (util/i18n.h and the
domain's problem_* calls). Template messages are {{_}}...{{/_}} blocks; their id is the text with
white space folded, as src/template/template.c makes it. Python's standard library only.
"""
import os
import re
import subprocess
import sys
import tempfile

LANGS = ["es", "de"]
KEYWORDS = ["tr:2", "tr_n:2,3", "tr_p:2c,3", "N_", "problem_invalid:3", "problem_set:5", "problem_add:3"]
# Where human words live in C: pages, emails and pushes, the domain's messages and human times.
C_DIRS = ["src/web", "src/notify", "src/domain", "src/app"]
TEMPLATE_DIR = "templates"
# A C string a person reads: a capital, then words with spaces, ending like a sentence or a label.
HUMAN = re.compile(r"^[A-Z][a-z’']+(?: [A-Za-z0-9’',;:()!?.\-–—…“”%]+)+[.!?…]?$")
# The comment that says a human-looking string is not for translation (a log line, an API message).
NOT_TRANSLATED = "not translated"
# Attributes whose value a person reads or hears.
READ_ATTRS = ("aria-label", "placeholder", "title", "alt")


def fold(s):
    return " ".join(s.split())


def po_quote(s):
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return '"' + out + '"'


def template_files(root):
    d = os.path.join(root, TEMPLATE_DIR)
    return sorted(os.path.join(TEMPLATE_DIR, f) for f in os.listdir(d) if f.endswith(".html"))


def c_files(root):
    out = []
    for d in C_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            out += [os.path.relpath(os.path.join(dirpath, f), root) for f in files if f.endswith(".c")]
    return sorted(out)


BLOCK = re.compile(r"\{\{\s*_(?:\s+([^}]*?))?\s*\}\}(.*?)\{\{\s*/\s*_\s*\}\}", re.S)


def template_messages(root, rel):
    """[(msgid, line)] of one template."""
    text = open(os.path.join(root, rel), encoding="utf-8").read()
    out = []
    for m in BLOCK.finditer(text):
        msgid = fold(m.group(2))
        if msgid:
            out.append(((m.group(1) or "").strip(), msgid, text.count("\n", 0, m.start()) + 1))
    return out


def templates_pot(root, rels):
    entries = {}
    order = []
    for rel in rels:
        for context, msgid, line in template_messages(root, rel):
            key = (context, msgid)
            if key not in entries:
                entries[key] = []
                order.append(key)
            if rel not in entries[key]:
                entries[key].append(rel)  # files, not lines: a moved line changes no catalogue
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for key in order:
        context, msgid = key
        lines.append("#: " + " ".join(entries[key]))
        if "%" in msgid:
            lines.append("#, no-c-format")
        if context:
            lines.append("msgctxt " + po_quote(context))
        lines.append("msgid " + po_quote(msgid))
        lines.append('msgstr ""')
        lines.append("")
    return "\n".join(lines)


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        sys.exit("po-extract: %s failed" % cmd[0])
    return r.stdout


def pot_of(root, cfiles, tfiles, out_path):
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        if cfiles:
            cpot = os.path.join(tmp, "c.pot")
            # with its header: without one, xgettext writes non-ASCII messages as ASCII ("Espaol")
            run(["xgettext", "--language=C", "--from-code=UTF-8", "--keyword", "--add-comments=TRANSLATORS:",
                 "--sort-by-file", "--add-location=file", "--no-wrap", "-o", cpot]
                + ["--keyword=" + k for k in KEYWORDS] + cfiles, cwd=root)
            if os.path.exists(cpot):
                body = open(cpot, encoding="utf-8").read().replace("charset=CHARSET", "charset=UTF-8")
                open(cpot, "w", encoding="utf-8").write(body)
                parts.append(cpot)
        if tfiles:
            tpot = os.path.join(tmp, "t.pot")
            open(tpot, "w", encoding="utf-8").write(templates_pot(root, tfiles))
            parts.append(tpot)
        merged = os.path.join(tmp, "all.pot")
        run(["msgcat", "--use-first", "--no-wrap", "--sort-by-file", "--add-location=file", "-o", merged] + parts)
        header = ('# hearth\'s messages (generated by tools/po-extract.py pot: do not edit).\n'
                  '# SPDX-License-Identifier: AGPL-3.0-or-later\n'
                  'msgid ""\nmsgstr ""\n'
                  '"Project-Id-Version: hearth\\n"\n'
                  '"MIME-Version: 1.0\\n"\n'
                  '"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Content-Transfer-Encoding: 8bit\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')
        body = open(merged, encoding="utf-8").read() if os.path.exists(merged) else ""
        # drop msgcat's own header entry: ours above names the plural rule
        body = re.sub(r'\A(?:#.*\n)*msgid ""\nmsgstr (?:".*"\n)+', "", body)
        header += "\n"
        if out_path == "-":
            sys.stdout.write(header + body)
        else:
            open(out_path, "w", encoding="utf-8").write(header + body)


def cmd_pot(root):
    pot_of(root, c_files(root), template_files(root), os.path.join(root, "po", "hearth.pot"))


def cmd_merge(root):
    cmd_pot(root)
    pot = os.path.join(root, "po", "hearth.pot")
    for lang in LANGS:
        po = os.path.join(root, "po", lang + ".po")
        if not os.path.exists(po):
            run(["msginit", "--no-translator", "--no-wrap", "-l", lang, "-i", pot, "-o", po])
            text = open(po, encoding="utf-8").read().split("\n", 1)[1]
            name = {"es": "Spanish", "de": "German"}[lang]
            open(po, "w", encoding="utf-8").write(
                "# hearth's messages in %s (po/GLOSSARY.md keeps the terms).\n" % name + text)
        else:
            run(["msgmerge", "--quiet", "--update", "--backup=off", "--no-wrap", "--no-fuzzy-matching",
                 "--add-location=file", po, pot])


def unmarked_in_template(root, rel):
    """[(line, text)] of words a person reads that are not inside {{_}}...{{/_}}."""
    text = open(os.path.join(root, rel), encoding="utf-8").read()
    problems = []

    def blank(m):  # keep line numbers: replace a match by its newlines
        return "\n" * m.group(0).count("\n")

    t = BLOCK.sub(lambda m: " " * 0 + "\n" * m.group(0).count("\n"), text)
    t = re.sub(r"\{\{!.*?\}\}", blank, t, flags=re.S)
    t = re.sub(r"<(script|style)\b.*?</\1>", blank, t, flags=re.S | re.I)
    t = re.sub(r"<!--.*?-->", blank, t, flags=re.S)
    # attributes a person reads
    for m in re.finditer(r"\b(%s)=\"([^\"]*)\"" % "|".join(READ_ATTRS), t):
        value = re.sub(r"\{\{.*?\}\}", "", m.group(2))
        if re.search(r"[A-Za-z]", value):
            problems.append((t.count("\n", 0, m.start()) + 1, m.group(0)))
    # text between tags
    no_tags = re.sub(r"<[^>]*>", lambda m: "\n" * m.group(0).count("\n") + "\0", t)
    no_values = re.sub(r"\{\{.*?\}\}", lambda m: "\0" + "\n" * m.group(0).count("\n"), no_tags, flags=re.S)
    pos = 0
    for chunk in no_values.split("\0"):
        words = re.sub(r"\bhearth\b", "", chunk).strip()  # the name is the same in every language
        if re.search(r"[A-Za-z]{2,}", words) and not re.fullmatch(r"(&[a-z]+;|[\s·|–—,.:()/])*", words):
            line = no_values.count("\n", 0, pos) + 1 + (len(chunk) - len(chunk.lstrip("\n ")) and
                                                         chunk[:len(chunk) - len(chunk.lstrip())].count("\n"))
            problems.append((line, fold(words)))
        pos += len(chunk) + 1
    return problems


C_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def marked_c_strings(root, cfiles):
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "c.pot")
        pot_of(root, cfiles, [], pot)
        ids = set()
        for m in re.finditer(r'^msgid(?:_plural)? ((?:".*"\n)+)', open(pot, encoding="utf-8").read(), re.M):
            ids.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))))
        return ids


def unmarked_in_c(root, cfiles, marked):
    problems = []
    for rel in cfiles:
        lines = open(os.path.join(root, rel), encoding="utf-8").read().split("\n")
        in_comment = False
        for i, line in enumerate(lines):
            code = line
            if in_comment:
                if "*/" not in code:
                    continue
                code = code.split("*/", 1)[1]
                in_comment = False
            code = re.sub(r"/\*.*?\*/", "", code)
            if "/*" in code:
                code, in_comment = code.split("/*", 1)[0], True
            code = code.split("//", 1)[0]
            if code.lstrip().startswith("#") or NOT_TRANSLATED in line or \
                    (i > 0 and NOT_TRANSLATED in lines[i - 1]):
                continue
            for m in C_STRING.finditer(code):
                s = m.group(1)
                if HUMAN.match(s) and s not in marked:
                    problems.append((rel, i + 1, s))
    return problems


TAG = re.compile(r"\{\{[^}]*\}\}|<[^>]*>|%[-+ #0]*[0-9*]*(?:\.[0-9*]+)?(?:l|ll|z|j|h)?[sdiuxXfgc%]")


def po_entries(path):
    """[(msgid, msgstr list, flags)] of a .po file, header and obsolete entries left out."""
    out = []
    text = open(path, encoding="utf-8").read()
    for block in re.split(r"\n\s*\n", text):
        if block.lstrip().startswith("#~"):
            continue
        flags = " ".join(re.findall(r"^#,(.*)$", block, re.M))

        def field(name):
            m = re.search(r"^%s ((?:\".*\"\n?)+)" % re.escape(name), block + "\n", re.M)
            if not m:
                return None
            return "".join(bytes(p, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
                           for p in re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
        msgid = field("msgid")
        if not msgid:
            continue
        strs = [field("msgstr")] if field("msgstr") is not None else []
        k = 0
        while field("msgstr[%d]" % k) is not None:
            strs.append(field("msgstr[%d]" % k))
            k += 1
        plural = field("msgid_plural")
        out.append((msgid, plural, strs, flags))
    return out


def cmd_check(root):
    failures = []
    tfiles = template_files(root)
    for rel in tfiles:
        for line, words in unmarked_in_template(root, rel):
            failures.append("%s:%d: not marked for translation: %s" % (rel, line, words[:80]))
    cfiles = c_files(root)
    marked = marked_c_strings(root, cfiles)
    for rel, line, s in unmarked_in_c(root, cfiles, marked):
        failures.append("%s:%d: not marked for translation (tr(), N_(), or a '%s' comment): \"%s\"" %
                        (rel, line, NOT_TRANSLATED, s[:80]))
    # the committed template must be what the sources make
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "hearth.pot")
        pot_of(root, cfiles, tfiles, fresh)
        ids = {e[0] for e in po_entries(fresh)}
        committed = os.path.join(root, "po", "hearth.pot")
        if not os.path.exists(committed) or {e[0] for e in po_entries(committed)} != ids:
            failures.append("po/hearth.pot is not what the sources make: run `make po`")
    for lang in LANGS:
        po = os.path.join(root, "po", lang + ".po")
        if not os.path.exists(po):
            failures.append("po/%s.po is missing: run `make po`" % lang)
            continue
        r = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                           capture_output=True, text=True)
        stats = (r.stderr or r.stdout).strip()
        if r.returncode != 0 or "untranslated" in stats or "fuzzy" in stats:
            failures.append("po/%s.po: %s" % (lang, stats.replace("\n", "; ")))
        entries = po_entries(po)
        have = {e[0] for e in entries}
        for msgid in sorted(ids - have):
            failures.append("po/%s.po lacks %r: run `make po` and translate it" % (lang, msgid[:80]))
        for msgid, plural, strs, flags in entries:
            if msgid not in ids:
                continue
            want = sorted(TAG.findall(msgid))
            for k, s in enumerate(strs):
                if not s:
                    continue
                source = plural if (plural and k > 0) else msgid
                want = sorted(TAG.findall(source))
                got = sorted(TAG.findall(s))
                if [w for w in want if w.startswith("{{")] != [g for g in got if g.startswith("{{")]:
                    failures.append("po/%s.po: %r: the translation's {{values}} differ: %s" % (lang, msgid[:60], got))
                if [re.sub(r"\s.*", "", w) for w in want if w.startswith("<")] != \
                        [re.sub(r"\s.*", "", g) for g in got if g.startswith("<")]:
                    failures.append("po/%s.po: %r: the translation's HTML tags differ" % (lang, msgid[:60]))
                if s.count('"') != source.count('"'):
                    failures.append("po/%s.po: %r: the translation has a straight quote its message has not"
                                    % (lang, msgid[:60]))
    for f in failures:
        print(f)
    if failures:
        print("po-extract: %d problem(s)" % len(failures))
        sys.exit(1)
    print("po-extract: every string is marked, and es and de translate every message")


def po_unquote_block(lines):
    return "".join(bytes(p, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
                   for p in re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines)))


def cmd_fill(root, lang, files):
    import json
    want = {}
    for f in files:
        want.update(json.load(open(f, encoding="utf-8")))
    po = os.path.join(root, "po", lang + ".po")
    blocks = open(po, encoding="utf-8").read().split("\n\n")
    seen = set()
    out = []
    for block in blocks:
        lines = block.split("\n")
        ids = [i for i, l in enumerate(lines) if l.startswith("msgid ")]
        if not ids or block.lstrip().startswith("#~"):
            out.append(block)
            continue
        i = ids[0]
        j = i + 1
        while j < len(lines) and lines[j].startswith('"'):
            j += 1
        msgid = po_unquote_block(lines[i:j])
        ctx_lines = [n for n, l in enumerate(lines) if l.startswith("msgctxt ")]
        if ctx_lines:  # a message in a context is keyed "CONTEXT\u0004msgid" in the JSON, as in a .mo
            c = ctx_lines[0] + 1
            while c < len(lines) and lines[c].startswith('"'):
                c += 1
            keyed = po_unquote_block(lines[ctx_lines[0]:c]) + "\x04" + msgid
            if keyed in want or msgid not in want:  # else the plain key serves every context
                msgid = keyed
            else:
                seen.add(keyed)
        if not msgid or msgid not in want:
            out.append(block)
            continue
        seen.add(msgid)
        value = want[msgid]
        head = [l for l in lines[:i] if not (l.startswith("#,") and "fuzzy" in l)]
        rest = lines[i:]
        k = 0
        while k < len(rest) and not rest[k].startswith("msgstr"):
            k += 1
        keep = rest[:k]
        if isinstance(value, list):
            body = ["msgstr[%d] %s" % (n, po_quote(v)) for n, v in enumerate(value)]
        else:
            body = ["msgstr " + po_quote(value)]
        out.append("\n".join(head + keep + body))
    open(po, "w", encoding="utf-8").write("\n\n".join(out))
    plain = {k.split("\x04", 1)[1] for k in seen if "\x04" in k}
    missing = sorted(set(want) - seen - plain)
    for m in missing:
        print("po/%s.po has no message %r (not marked in the sources?)" % (lang, m[:80]))
    print("po-extract: %d translation(s) written into po/%s.po" % (len(seen), lang))


def main(argv):
    root = os.getcwd()
    if "--root" in argv:
        i = argv.index("--root")
        root = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if not argv:
        sys.exit(__doc__)
    cmd = argv[0]
    if cmd == "pot":
        cmd_pot(root)
    elif cmd == "merge":
        cmd_merge(root)
    elif cmd == "check":
        cmd_check(root)
    elif cmd == "fill":
        cmd_fill(root, argv[1], argv[2:])
    elif cmd == "files":
        files = argv[1:]
        pot_of(root, [f for f in files if f.endswith(".c")], [f for f in files if f.endswith(".html")], "-")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
