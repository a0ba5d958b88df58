#!/usr/bin/env python3
"""Writes the data tables of the core's CLIP tokenizer (core/src/text/).

CLIP's reference tokenizer cleans a text with Python's html.unescape and
str.lower, then splits it with the pattern

    <|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+

To give the same ids in C++ (natively and in WebAssembly) the core needs the
Unicode facts behind those calls. They are generated here, once, from data
files rather than written by hand:

  core/src/text/unicode_tables.cpp   from Debian's unicode-data package
                                     (/usr/share/unicode, Unicode 15.0 in Debian 12):
      letters (general category L*), numbers (N*), White_Space (the `regex`
      module's \\s), Python's str.isspace() set (bidirectional class WS, B or S,
      or category Zs: what str.strip() removes), Cased and Case_Ignorable (for
      str.lower()'s final sigma) and the full lowercase mapping (UnicodeData's
      simple mapping, replaced by SpecialCasing's unconditional one where it has
      one, as CPython builds str.lower()).
  core/src/text/html_entities.cpp    from the running Python's html module:
      the HTML5 named character references (html.entities.html5) and the
      numeric references html.unescape() replaces or drops.

    apt-get install unicode-data        # once
    python3 scripts/make-text-tables.py # rewrites both files
"""
import html
import html.entities
import os
import re
import sys

UNICODE = os.environ.get("LOOKALIKE_UNICODE_DIR", "/usr/share/unicode")
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "core", "src", "text")
MAX_CODE_POINT = 0x10FFFF


def data_lines(name):
    path = os.path.join(UNICODE, name)
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: install Debian's unicode-data package (or set LOOKALIKE_UNICODE_DIR)")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [field.strip() for field in line.split(";")]


def unicode_version():
    with open(os.path.join(UNICODE, "ReadMe.txt"), encoding="utf-8") as f:
        found = re.search(r"Version (\S+) of the Unicode Standard", f.read())
    return f"Unicode {found.group(1)}" if found else "Unicode, version unknown"


def packed(items, indent="    ", width=118):
    """Items joined by ", " in lines of at most `width` characters (the tables are not clang-formatted)."""
    lines, line = [], ""
    for item in items:
        candidate = f"{line}, {item}" if line else item
        if line and len(indent) + len(candidate) + 1 > width:
            lines.append(indent + line + ",")
            line = item
        else:
            line = candidate
    if line:
        lines.append(indent + line)
    return "\n".join(lines)


def unicode_data():
    """Code point -> (category, bidi class, simple lowercase), with the First/Last ranges expanded."""
    records = {}
    first = None
    for fields in data_lines("UnicodeData.txt"):
        cp = int(fields[0], 16)
        name, category, bidi, lower = fields[1], fields[2], fields[4], fields[13]
        record = (category, bidi, int(lower, 16) if lower else None)
        if name.endswith(", First>"):
            first = cp
            continue
        if name.endswith(", Last>"):
            for c in range(first, cp + 1):
                records[c] = record
            first = None
            continue
        records[cp] = record
    return records


def property_set(file_name, wanted):
    found = set()
    for fields in data_lines(file_name):
        if fields[1] != wanted:
            continue
        if ".." in fields[0]:
            a, b = (int(x, 16) for x in fields[0].split(".."))
            found.update(range(a, b + 1))
        else:
            found.add(int(fields[0], 16))
    return found


def ranges(code_points):
    out = []
    for c in sorted(code_points):
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def range_table(name, code_points, why):
    rows = ranges(code_points)
    body = packed(f"{{0x{a:X}, 0x{b:X}}}" for a, b in rows)
    return (f"// {why}: {len(code_points)} code points in {len(rows)} ranges.\n"
            f"const CodeRange k{name}Ranges[] = {{\n{body}}};\n"
            f"const CodeRangeTable k{name} = {{k{name}Ranges, sizeof(k{name}Ranges) / sizeof(CodeRange)}};\n")


def lowercase_tables(records):
    special = {}
    for fields in data_lines("SpecialCasing.txt"):
        # code; lower; title; upper; (condition_list;)? Conditional mappings
        # (Final_Sigma, language-specific ones) are not in str.lower()'s data.
        if len(fields) > 4 and fields[4]:
            continue
        cp = int(fields[0], 16)
        lower = [int(x, 16) for x in fields[1].split()]
        if lower != [cp]:
            special[cp] = lower
    simple = []
    for cp in sorted(records):
        lower = records[cp][2]
        if cp in special or lower is None or lower == cp:
            continue
        simple.append((cp, lower))
    multi = sorted((cp, lower) for cp, lower in special.items() if len(lower) > 1)
    single_special = [(cp, lower[0]) for cp, lower in special.items() if len(lower) == 1]
    simple = sorted(simple + single_special)
    simple_body = packed(f"{{0x{a:X}, 0x{b:X}}}" for a, b in simple)
    for cp, lower in multi:
        if len(lower) > 3:
            sys.exit(f"U+{cp:04X} lowercases to {len(lower)} code points; the table holds 3")
    multi_body = packed(
        "{0x%X, {%s}}" % (cp, ", ".join(f"0x{c:X}" for c in lower + [0] * (3 - len(lower)))) for cp, lower in multi)
    return (f"// str.lower() of the code points it changes into one code point ({len(simple)}).\n"
            f"const SimpleLowercase kSimpleLowercaseEntries[] = {{\n{simple_body}}};\n"
            f"const SimpleLowercaseTable kSimpleLowercase = {{kSimpleLowercaseEntries, "
            f"sizeof(kSimpleLowercaseEntries) / sizeof(SimpleLowercase)}};\n\n"
            f"// str.lower() of the code points it changes into several ({len(multi)}; unused places are 0).\n"
            f"const LongLowercase kLongLowercaseEntries[] = {{\n{multi_body}}};\n"
            f"const LongLowercaseTable kLongLowercase = {{kLongLowercaseEntries, "
            f"sizeof(kLongLowercaseEntries) / sizeof(LongLowercase)}};\n")


def write_source(name, origin, tables):
    """Writes core/src/text/<name>.cpp: the tables, unformatted, in the text namespace; returns its path."""
    text = f"""// Generated by scripts/make-text-tables.py {origin} Do not edit: run the script.
#include "text/{name}.h"

namespace lookalike::text {{

// clang-format off
{tables}
// clang-format on

}}  // namespace lookalike::text
"""
    path = os.path.join(OUT, f"{name}.cpp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def write_unicode_tables():
    records = unicode_data()
    letters = {c for c, r in records.items() if r[0].startswith("L")}
    numbers = {c for c, r in records.items() if r[0].startswith("N")}
    python_space = {c for c, r in records.items() if r[1] in ("WS", "B", "S") or r[0] == "Zs"}
    white_space = property_set("PropList.txt", "White_Space")
    cased = property_set("DerivedCoreProperties.txt", "Cased")
    ignorable = property_set("DerivedCoreProperties.txt", "Case_Ignorable")
    tables = "\n".join([
        range_table("Letter", letters, "General category L (Lu, Ll, Lt, Lm, Lo): the pattern's \\p{L}"),
        range_table("Number", numbers, "General category N (Nd, Nl, No): the pattern's \\p{N}"),
        range_table("WhiteSpace", white_space, "White_Space (PropList.txt): the regex module's \\s"),
        range_table("PythonSpace", python_space,
                    "Bidirectional class WS, B or S, or category Zs: str.isspace(), what str.strip() removes"),
        range_table("Cased", cased, "Cased (DerivedCoreProperties.txt), for the final sigma"),
        range_table("CaseIgnorable", ignorable, "Case_Ignorable (DerivedCoreProperties.txt), for the final sigma"),
        lowercase_tables(records),
    ])
    return write_source("unicode_tables", f"""from Debian's unicode-data
// ({unicode_version()}).""", tables)


def c_string(value):
    out = []
    for byte in value.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append("\\%03o" % byte)  # octal: never runs into a following digit like \x would
    return '"' + "".join(out) + '"'


def write_html_entities():
    names = sorted(html.entities.html5, key=lambda n: n.encode("utf-8"))
    entities = packed(f"{{{c_string(n)}, {c_string(html.entities.html5[n])}}}" for n in names)
    longest = max(len(n) for n in names)
    invalid_refs = sorted(html._invalid_charrefs.items())  # noqa: SLF001 (the module's own table)
    refs = packed(f"{{0x{k:X}, {c_string(v)}}}" for k, v in invalid_refs)
    dropped = packed(f"0x{c:X}" for c in sorted(html._invalid_codepoints))  # noqa: SLF001
    tables = f"""// {len(names)} names sorted by their bytes, with the text each stands for; the
// legacy names are also listed without their ';' (the longest name has {longest} characters).
const HtmlEntity kHtmlEntityEntries[] = {{
{entities}}};
const HtmlEntityTable kHtmlEntities = {{kHtmlEntityEntries, sizeof(kHtmlEntityEntries) / sizeof(HtmlEntity)}};

// Numeric references replaced by another text (html._invalid_charrefs: NUL,
// CR and the Windows-1252 meanings of 0x80-0x9F).
const NumericReplacement kNumericReplacementEntries[] = {{
{refs}}};
const NumericReplacementTable kNumericReplacements = {{kNumericReplacementEntries,
    sizeof(kNumericReplacementEntries) / sizeof(NumericReplacement)}};

// Numeric references dropped (html._invalid_codepoints: controls and non-characters).
const std::uint32_t kDroppedCodePointEntries[] = {{
{dropped}}};
const DroppedCodePointTable kDroppedCodePoints = {{kDroppedCodePointEntries,
    sizeof(kDroppedCodePointEntries) / sizeof(std::uint32_t)}};"""
    return write_source("html_entities", f"""from Python {sys.version_info[0]}.{sys.version_info[1]}'s html module
// (html.entities.html5: the HTML5 named character references; html.unescape's
// tables of numeric references).""", tables)


def main():
    os.makedirs(OUT, exist_ok=True)
    paths = [write_unicode_tables(), write_html_entities()]
    for p in paths:
        print(f"wrote {os.path.relpath(p, ROOT)} ({os.path.getsize(p)} bytes)")


if __name__ == "__main__":
    main()
