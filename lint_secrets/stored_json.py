"""What of an API response goes into the schema cache, read within bounds of memory.

A parsed tree of a JSON text can take tens of times its size in memory (every `{"a":1}` is
a dict of about 200 bytes), so `schemas pull` first counts what a tree would hold (brackets,
colons, commas and quotes: a byte count, at C speed). Where that tree stays within
`TREE_FACTOR` times the response, the response is parsed whole; otherwise it is read as a
stream of JSON tokens, checked against the grammar and copied, compact, into the entry to
store, so that memory stays within a few times its size whatever its shape. Either way the
fields that are never stored (`UNSTORED_FIELDS`) and anything nested deeper than
`MAX_STORED_DEPTH` are dropped, and a small outline of the top levels (`OUTLINE_FIELDS`) is
kept as Python values for the caller to validate the response.

Standard JSON only: NaN and Infinity (which Python's reader takes) and lone surrogate
escapes (which no UTF-8 text can hold) are refused, as is nesting past `MAX_DEPTH`.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, Dict, FrozenSet, List, Mapping, Optional

from lint_secrets.records import Record

#: A response whose parsed tree would take more than this many times its size is streamed.
TREE_FACTOR = 8
#: Larger responses that would need streaming are refused: streaming costs a few seconds a
#: megabyte, and no schema response is that dense.
MAX_STREAMED_BYTES = 8 * 2**20
#: Containers nested deeper than this are dropped before the entry is stored.
MAX_STORED_DEPTH = 32
#: Deeper than this, a response is refused: no schema response nests anywhere near it.
MAX_DEPTH = 1000
#: Fields that may hold someone's input values (a prediction shown as the model's example):
#: never stored in the cache, which is meant to be committed.
UNSTORED_FIELDS = frozenset({"default_example"})
#: The fields of the top two levels a caller needs to validate a response, by top-level key.
OUTLINE_FIELDS: Mapping[str, FrozenSet[str]] = {
    "latest_version": frozenset({"id", "openapi_schema"}),
    "openapi_schema": frozenset(),
    "current_release": frozenset({"model", "version"}),
}

_TOKEN = re.compile(
    rb"[ \t\n\r]*(?:"
    # 1: a string, as an unrolled loop: no two ways to match a run, so no runaway backtracking
    rb'("[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*")'
    rb"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"  # 2: a number
    rb"|(true|false|null)"  # 3: a literal
    rb"|([{}\[\]:,])"  # 4: punctuation
    rb")"
)
_SPACE = re.compile(rb"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_NOT_JSON_CONSTANT = re.compile(rb"-?(?:NaN|Infinity)")
_UNSTORED_TOKENS = frozenset(json.dumps(name).encode() for name in UNSTORED_FIELDS)

# What comes next.
_VALUE, _FIRST_ITEM, _FIRST_KEY, _KEY, _COLON, _AFTER_VALUE, _END = range(7)
_OBJECT, _ARRAY = 0, 1


class NotStoredJson(ValueError):
    """A response that is not standard JSON, or nested past `MAX_DEPTH`: the one-line reason."""


@dataclass(frozen=True, repr=False, eq=False)
class StoredResponse(Record):
    """The entry to write (compact JSON and a newline) and the outline of its top levels."""

    stored: bytes
    outline: Dict[str, Any]


def _decode_string(token: bytes) -> str:
    """A string token's text; NotStoredJson for a lone surrogate escape."""
    text: str = json.loads(token) if b"\\" in token else token[1:-1].decode("utf-8")
    if _SURROGATE_ESCAPE.search(token):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise NotStoredJson(
                f"not valid JSON: a lone surrogate \\u{ord(text[exc.start]):04x}, which is not text"
            ) from None
    return text


def _check_utf8(raw: bytes) -> None:
    """Whether `raw` is UTF-8, a megabyte at a time (no second copy of the whole as text)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    try:
        for start in range(0, len(raw), step):
            decoder.decode(raw[start : start + step])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise NotStoredJson("not valid JSON: not UTF-8") from None


def stored_response(raw: bytes) -> StoredResponse:
    """`raw` (a JSON object) as it is stored: compact, without `UNSTORED_FIELDS` anywhere and
    without containers nested deeper than `MAX_STORED_DEPTH`; NotStoredJson if it is not a
    standard JSON object."""
    estimate = tree_estimate(raw)
    if estimate <= TREE_FACTOR * len(raw):
        try:
            return _from_tree(raw)
        except RecursionError:
            pass  # deeper than Python's reader goes: the stream says how deep is too deep
    elif len(raw) > MAX_STREAMED_BYTES:
        raise NotStoredJson(
            f"{len(raw) / 2**20:.0f} MiB of JSON with {len(raw) and estimate // len(raw)} times its size in "
            f"objects and arrays; no schema response is this dense (at most {MAX_STREAMED_BYTES // 2**20} "
            "MiB of it is read)"
        )
    return streamed_response(raw)


def tree_estimate(raw: bytes) -> int:
    """About how many bytes `json.loads(raw)` would take (over, rather than under): a dict per
    `{`, a list per `[`, a slot per `:` and `,`, a string per pair of quotes that is no key.
    Measured on CPython 3.11: 190 bytes a small dict, 90 a nested list, 8-10 an item. Within
    `TREE_FACTOR`, a pull peaks at about 10 times the response; a stream at about 4."""
    objects, arrays, colons = raw.count(b"{"), raw.count(b"["), raw.count(b":")
    values = max(raw.count(b'"') // 2 - colons, 0)  # keys are shared by the reader
    items = 10 * raw.count(b",") + 30 * raw.count(b".")  # a float is 24 bytes
    return 200 * objects + 90 * arrays + 30 * colons + items + 60 * values + len(raw)


class _Number(str):
    """A JSON number too large for a float, kept as written: `1e400` stays `1e400` (Python
    would read it as inf and write it back as `Infinity`, which is not JSON)."""


def _parse_float(text: str) -> Any:
    value = float(text)
    return _Number(text) if math.isinf(value) else value


def _from_tree(raw: bytes) -> StoredResponse:
    try:
        document = json.loads(raw, parse_constant=_no_constant, parse_float=_parse_float)
    except UnicodeDecodeError:
        raise NotStoredJson("not valid JSON: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise NotStoredJson(f"not valid JSON: {exc.msg} at byte {exc.pos}") from None
    if not isinstance(document, dict):
        raise NotStoredJson("not a JSON object")
    _prune(document, 0)
    outline: Dict[str, Any] = {}
    for top, fields in OUTLINE_FIELDS.items():
        if top in document:
            value = document[top]
            if isinstance(value, dict):
                outline[top] = {field: _outlined(value[field]) for field in fields if field in value}
            else:
                outline[top] = _outlined(value)
    out = bytearray()
    _write_emptying(document, out)
    out += b"\n"
    return StoredResponse(bytes(out), outline)


def _outlined(value: Any) -> Any:
    if isinstance(value, _Number):
        return float(value)
    return {} if isinstance(value, dict) else [] if isinstance(value, list) else value


def _no_constant(name: str) -> Any:
    raise NotStoredJson("not standard JSON: NaN and Infinity are not JSON values")


def _write_emptying(value: Any, out: bytearray) -> None:
    """Append `value` to `out` as compact JSON, emptying its containers on the way, so the
    tree shrinks as the text grows (a second full copy would double what a pull holds)."""
    if isinstance(value, (dict, list)):
        items = value.values() if isinstance(value, dict) else value
        if not any(isinstance(item, (dict, list, _Number)) for item in items):
            # Only plain values inside: one call of the C encoder writes them all.
            _write_encoded(json.dumps(value, ensure_ascii=False, separators=(",", ":")), out)
            value.clear()
            return
    if isinstance(value, dict):
        out += b"{"
        for index, key in enumerate(list(value)):
            item = value.pop(key)
            if index:
                out += b","
            _write_text(key, out)
            out += b":"
            _write_emptying(item, out)
        out += b"}"
    elif isinstance(value, list):
        out += b"["
        value.reverse()
        first = True
        while value:
            if not first:
                out += b","
            first = False
            _write_emptying(value.pop(), out)
        out += b"]"
    elif isinstance(value, str) and not isinstance(value, _Number):
        _write_text(value, out)
    elif value is None or isinstance(value, bool):
        out += b"null" if value is None else b"true" if value else b"false"
    else:  # int, float (its shortest exact form), or a _Number as written
        out += (str(value) if isinstance(value, _Number) else repr(value)).encode("ascii")


def _write_text(text: str, out: bytearray) -> None:
    _write_encoded(encode_basestring(text), out)


def _write_encoded(text: str, out: bytearray) -> None:
    try:
        out += text.encode("utf-8")
    except UnicodeEncodeError:
        lone = next(char for char in text if "\ud800" <= char <= "\udfff")
        raise NotStoredJson(
            f"not valid JSON: a lone surrogate \\u{ord(lone):04x}, which is not text"
        ) from None


def _prune(value: Any, depth: int) -> None:
    """Drop, in place, `UNSTORED_FIELDS` and containers nested deeper than `MAX_STORED_DEPTH`
    (`value` is at `depth`; the response itself at 0). Recurses at most that deep."""
    if isinstance(value, dict):
        for key in [
            k
            for k, v in value.items()
            if k in UNSTORED_FIELDS or (depth >= MAX_STORED_DEPTH and isinstance(v, (dict, list)))
        ]:
            del value[key]
        children: Any = value.values()
    elif isinstance(value, list):
        if depth >= MAX_STORED_DEPTH:
            value[:] = [item for item in value if not isinstance(item, (dict, list))]
        children = value
    else:
        return
    for child in children:
        if isinstance(child, (dict, list)):
            _prune(child, depth + 1)


def streamed_response(raw: bytes) -> StoredResponse:
    """`stored_response`, reading `raw` token by token: slower, but no tree is ever built."""
    _check_utf8(raw)
    out = bytearray()
    stack = bytearray()  # _OBJECT or _ARRAY per open container
    emitted = bytearray()  # per open container: 1 once a member was written
    keys: List[Optional[str]] = []  # per open container: the key being read (top two levels)
    outline: Dict[str, Any] = {}
    skip_below = -1  # while dropping a container: the stack depth it was opened at
    expect = _VALUE
    pending_key = b""
    position, length, start = 0, len(raw), 0
    token_match = _TOKEN.match

    def after_space(at: int) -> int:
        space = _SPACE.match(raw, at)
        return space.end() if space is not None else at

    def fail(what: str, at: Optional[int] = None) -> NotStoredJson:
        where = after_space(position) if at is None else at
        if _NOT_JSON_CONSTANT.match(raw, where):
            return NotStoredJson("not standard JSON: NaN and Infinity are not JSON values")
        return NotStoredJson(f"not valid JSON: {what} at byte {where}")

    while True:
        match = token_match(raw, position)
        if match is None:
            at_end = after_space(position) == length
            if expect == _END and at_end:
                break
            raise fail("unexpected end" if at_end else "bad token")
        kind = match.lastindex  # 1 string, 2 number, 3 literal, 4 punctuation
        token = match.group(kind)  # type: ignore[arg-type]
        start, position = match.start(kind), match.end()  # type: ignore[arg-type]
        if kind == 4:
            if token == b",":
                if expect != _AFTER_VALUE:
                    raise fail("unexpected ','", start)
                expect = _KEY if stack[-1] == _OBJECT else _VALUE
                continue
            if token == b":":
                if expect != _COLON:
                    raise fail("unexpected ':'", start)
                expect = _VALUE
                continue
            if token == b"]" or token == b"}":
                closes, empty = (_ARRAY, _FIRST_ITEM) if token == b"]" else (_OBJECT, _FIRST_KEY)
                if not stack or stack[-1] != closes or expect not in (_AFTER_VALUE, empty):
                    raise fail(f"unexpected {token.decode()!r}", start)
                stack.pop()
                emitted.pop()
                keys.pop()
                if skip_below == len(stack):
                    skip_below = -1
                elif skip_below < 0:
                    out += token
                expect = _AFTER_VALUE if stack else _END
                continue
        elif kind == 1 and expect in (_FIRST_KEY, _KEY):
            pending_key = token
            if len(stack) <= 2:
                keys[-1] = _decode_string(token)
            elif b"\\" in token and _SURROGATE_ESCAPE.search(token):
                _decode_string(token)
            expect = _COLON
            continue
        # A value: a scalar, or "{" or "[" opening a container.
        if expect not in (_VALUE, _FIRST_ITEM):
            raise fail("unexpected value", start)
        depth = len(stack)
        opens = kind == 4
        if depth == 0 and token != b"{":
            raise NotStoredJson("not a JSON object")
        if opens and depth >= MAX_DEPTH:
            raise NotStoredJson(f"nested deeper than {MAX_DEPTH} levels; not a schema response")
        if kind == 1 and b"\\" in token and _SURROGATE_ESCAPE.search(token):
            _decode_string(token)
        in_object = depth > 0 and stack[-1] == _OBJECT
        keep = skip_below < 0 and not (opens and depth > MAX_STORED_DEPTH)
        if (
            keep
            and in_object
            and (
                pending_key in _UNSTORED_TOKENS
                or (b"\\" in pending_key and _decode_string(pending_key) in UNSTORED_FIELDS)
            )
        ):
            keep = False
        if keep:
            if depth > 0:
                if emitted[-1]:
                    out += b","
                emitted[-1] = 1
                if in_object:
                    out += pending_key
                    out += b":"
            out += token
        if 1 <= depth <= 2:
            _note_outline(outline, keys, depth, token, opens)
        if opens:
            if not keep and skip_below < 0:
                skip_below = depth
            container = _OBJECT if token == b"{" else _ARRAY
            stack.append(container)
            emitted.append(0)
            keys.append(None)
            expect = _FIRST_KEY if container == _OBJECT else _FIRST_ITEM
        else:
            expect = _AFTER_VALUE if stack else _END
    out += b"\n"
    return StoredResponse(bytes(out), outline)


def _note_outline(
    outline: Dict[str, Any], keys: List[Optional[str]], depth: int, token: bytes, opens: bool
) -> None:
    """Keep the value at keys[0] (and keys[0].keys[1]) when OUTLINE_FIELDS asks for it:
    scalars as they are, containers as an empty dict or list (filled in below them)."""
    top = keys[0]
    if top is None or top not in OUTLINE_FIELDS:
        return
    if opens:
        value: Any = {} if token == b"{" else []
    else:
        value = json.loads(token)
    if depth == 1:
        outline[top] = value
        return
    field = keys[1]
    parent = outline.get(top)
    if isinstance(parent, dict) and field in OUTLINE_FIELDS[top]:
        parent[field] = value
