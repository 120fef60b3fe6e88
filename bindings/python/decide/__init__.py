"""Python binding of libdecide: decide French administrative benefits from rule sets
written from the law.

A ctypes binding over the shared library ``libdecide.so`` (standard library only, no
compile step). Load a rule set, evaluate case records against it at a date, and get
a decision -- GRANTED, DENIED or REVIEW -- with its exact amount and its motivation::

    import decimal, decide
    rs = decide.RuleSet("rulesets/fr/allocations-familiales.xml")
    d = rs.evaluate({"date": "2025-06-01", "ressources": decimal.Decimal("45000"), ...})
    d.outcome, d.amount          # ('GRANTED', Decimal('151.80'))
    print(d.motivation(lang="en"))

Finding the library: the environment variable ``DECIDE_LIBRARY`` (path to
libdecide.so) first, then ``ctypes.util.find_library("decide")`` (an installed
library), then ``build/libdecide.so`` at the root of the source tree this package
lives in.

Exactness: amounts are never binary floating point. Amounts come back as
``decimal.Decimal`` built from integer cents; in case records, give amounts as
``Decimal``, ``int`` or decimal strings -- a ``float`` is rejected with a TypeError.

Threads: a loaded RuleSet is immutable and may be shared by any number of threads,
each evaluating its own cases at once; ctypes releases the GIL during every library
call, so evaluations really run in parallel. A Decision belongs to the thread using
it (its rendering methods are serialised by a lock, so sharing one is safe but not
parallel).

Memory: every C handle is owned by exactly one Python object and freed when that
object is closed (``close()`` or ``with``) or garbage-collected, whichever comes
first. A Decision keeps its rule set alive, so the library never sees a case or a
result outlive the rule set it was read against.
"""

import ctypes
import ctypes.util
import datetime
import decimal
import json
import os
import threading
from collections import namedtuple
from dataclasses import dataclass, field

__all__ = [
    "RuleSet", "Decision", "Diagnostic", "Missing", "Conflict",
    "DecideError", "LoadError", "CaseError", "EvaluationError",
    "library_version", "LIBRARY_PATH",
]

# ------------------------------------------------------------------ the library

_OK, _ENOMEM, _EMISUSE, _EIO, _ELOAD, _ECASE, _EEVAL, _EDATE = 0, -1, -2, -3, -4, -5, -6, -7
_WARNING, _ERROR = 1, 2
_TRACE_LEVELS = {"none": 0, "summary": 1, "full": 2}
_FORMATS = {"text": 0, "json": 1, "html": 2}
_OUTCOMES = {1: "GRANTED", 2: "DENIED", 3: "REVIEW"}


def _find_library():
    explicit = os.environ.get("DECIDE_LIBRARY")
    if explicit:
        if os.sep in explicit and not os.path.exists(explicit):
            raise ImportError("DECIDE_LIBRARY=%r: no such file (it must be the path to "
                              "libdecide.so)" % explicit)
        return explicit
    found = ctypes.util.find_library("decide")
    if found:
        return found
    # bindings/python/decide/ -> the source tree's build directory.
    here = os.path.dirname(os.path.abspath(__file__))
    local = os.path.normpath(os.path.join(here, "..", "..", "..", "build", "libdecide.so"))
    if os.path.exists(local):
        return local
    raise ImportError("libdecide not found: set DECIDE_LIBRARY to the path of "
                      "libdecide.so, install libdecide, or build it in %s"
                      % os.path.dirname(local))


LIBRARY_PATH = _find_library()
try:
    _lib = ctypes.CDLL(LIBRARY_PATH)
except OSError as e:
    raise ImportError("cannot load libdecide from %r: %s" % (LIBRARY_PATH, e)) from e


class _Diag(ctypes.Structure):
    _fields_ = [("severity", ctypes.c_int), ("code", ctypes.c_char_p),
                ("message", ctypes.c_char_p), ("file", ctypes.c_char_p),
                ("line", ctypes.c_uint), ("column", ctypes.c_uint),
                ("rule", ctypes.c_char_p), ("article", ctypes.c_char_p)]


class _Missing(ctypes.Structure):
    _fields_ = [("input", ctypes.c_char_p), ("label", ctypes.c_char_p),
                ("reason", ctypes.c_char_p), ("detail", ctypes.c_char_p),
                ("needed_by", ctypes.POINTER(ctypes.c_char_p)),
                ("n_needed_by", ctypes.c_size_t)]


class _Conflict(ctypes.Structure):
    _fields_ = [("variable", ctypes.c_char_p), ("rules", ctypes.c_char_p * 2),
                ("articles", ctypes.c_char_p * 2)]


class _LoadOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("warnings_are_errors", ctypes.c_int)]
    VERSION = 1


class _EvalOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("date", ctypes.c_char_p), ("trace", ctypes.c_int)]
    VERSION = 1


class _RenderOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("format", ctypes.c_int),
                ("lang", ctypes.c_char_p), ("verbose", ctypes.c_int)]
    VERSION = 1


_p = ctypes.c_void_p
_pp = ctypes.POINTER(ctypes.c_void_p)
_s = ctypes.c_char_p
_sz = ctypes.c_size_t
_int = ctypes.c_int

# Every function used, with its exact signature: an undeclared restype is int and would
# truncate 64-bit pointers.
for _name, _res, _args in [
    ("decide_last_error", _s, []),
    ("decide_strerror", _s, [_int]),
    ("decide_free", None, [_p]),
    ("decide_version", _s, []),
    ("decide_diagnostics_count", _sz, [_p]),
    ("decide_diagnostics_errors", _sz, [_p]),
    ("decide_diagnostics_get", ctypes.POINTER(_Diag), [_p, _sz]),
    ("decide_diag_format", _p, [ctypes.POINTER(_Diag)]),
    ("decide_diagnostics_free", None, [_p]),
    ("decide_ruleset_load_file", _int, [_pp, _pp, _s, ctypes.POINTER(_LoadOptions)]),
    ("decide_ruleset_load_memory", _int,
     [_pp, _pp, _s, _sz, _s, ctypes.POINTER(_LoadOptions)]),
    ("decide_ruleset_free", None, [_p]),
    ("decide_ruleset_id", _s, [_p]),
    ("decide_ruleset_version", _s, [_p]),
    ("decide_ruleset_title", _s, [_p]),
    ("decide_case_read_json", _int, [_pp, _pp, _p, _s, _sz, _s]),
    ("decide_case_free", None, [_p]),
    ("decide_result_new", _int, [_pp]),
    ("decide_result_free", None, [_p]),
    ("decide_evaluate", _int, [_p, _p, _p, ctypes.POINTER(_EvalOptions)]),
    ("decide_result_outcome", _int, [_p]),
    ("decide_result_date", _s, [_p]),
    ("decide_result_amount", _int, [_p, ctypes.POINTER(ctypes.c_int64)]),
    ("decide_result_value_count", _sz, [_p]),
    ("decide_result_value_name", _s, [_p, _sz]),
    ("decide_result_value_text", _s, [_p, _sz]),
    ("decide_result_missing_count", _sz, [_p]),
    ("decide_result_missing", ctypes.POINTER(_Missing), [_p, _sz]),
    ("decide_result_conflict_count", _sz, [_p]),
    ("decide_result_conflict", ctypes.POINTER(_Conflict), [_p, _sz]),
    ("decide_result_error", _s, [_p]),
    ("decide_result_render", _int, [ctypes.POINTER(_p), ctypes.POINTER(_sz), _p,
                                    ctypes.POINTER(_RenderOptions)]),
]:
    _f = getattr(_lib, _name)
    _f.restype = _res
    _f.argtypes = _args


def _text(b):
    return None if b is None else b.decode("utf-8")


def _last_error(status):
    # decide_last_error is thread-local and ctypes calls run on the calling thread, so
    # this reads the message of the call that just failed.
    msg = _text(_lib.decide_last_error())
    return msg or _text(_lib.decide_strerror(status))


def library_version():
    """The version string of the loaded libdecide ("0.1.0")."""
    return _text(_lib.decide_version())


# ------------------------------------------------------------------ handles

class _Handle:
    """Owns one C pointer and frees it exactly once. `keep` holds what the pointer
    depends on (a case depends on its rule set), so those outlive it."""

    __slots__ = ("ptr", "_free", "_keep")

    def __init__(self, ptr, free, keep=()):
        self.ptr = ptr
        self._free = free   # bound here: module globals may be gone at shutdown
        self._keep = keep

    def release(self):
        ptr, self.ptr = self.ptr, None
        if ptr:
            self._free(ptr)
        self._keep = ()

    def __del__(self):
        self.release()


# ------------------------------------------------------------------ records

@dataclass(frozen=True)
class Diagnostic:
    """One diagnostic of a rule set load or a case read.

    severity is "error" or "warning"; code a stable kebab-case code
    ("unknown-source", "case-syntax", ...); file, rule and article may be None; line
    and column are 1-based, 0 when unknown. str() gives
    "file:line:col: error: message [code] (rule R, article A)".
    """
    severity: str
    code: str
    message: str
    file: str
    line: int
    column: int
    rule: str
    article: str
    formatted: str = field(default=None, repr=False, compare=False)

    def __str__(self):
        if self.formatted is not None:
            return self.formatted
        where = self.file or "<input>"
        if self.line:
            where += ":%d:%d" % (self.line, self.column)
        s = "%s: %s: %s [%s]" % (where, self.severity, self.message, self.code)
        extra = [k + " " + v for k, v in (("rule", self.rule), ("article", self.article)) if v]
        return s + (" (" + ", ".join(extra) + ")" if extra else "")


Missing = namedtuple("Missing", "input label reason detail needed_by")
Missing.__doc__ = """A fact the decision needs but does not have.

input: case path ("ressources", "enfants[1].date_naissance") or parameter name;
label: the input's label; reason: "missing", "invalid" or "no-value-in-force";
detail: what is wrong with an invalid value, else None; needed_by: tuple of the ids
of the articles whose rules read it."""

Conflict = namedtuple("Conflict", "variable rules articles")
Conflict.__doc__ = """Two applicable rules at the same level giving different values:
variable name, rules (tuple of 2 rule ids), articles (tuple of 2 article ids or None)."""


def _take_diagnostics(ptr):
    """Copies then frees a decide_diagnostics list."""
    if not ptr:
        return []
    try:
        out = []
        for i in range(_lib.decide_diagnostics_count(ptr)):
            dp = _lib.decide_diagnostics_get(ptr, i)
            if not dp:
                continue
            d = dp.contents
            raw = _lib.decide_diag_format(dp)
            try:
                formatted = _text(ctypes.string_at(raw)) if raw else None
            finally:
                _lib.decide_free(raw)
            out.append(Diagnostic("error" if d.severity == _ERROR else "warning",
                                  _text(d.code), _text(d.message), _text(d.file),
                                  d.line, d.column, _text(d.rule), _text(d.article),
                                  formatted))
        return out
    finally:
        _lib.decide_diagnostics_free(ptr)


# ------------------------------------------------------------------ errors

class DecideError(Exception):
    """Base class of libdecide errors. `.status` is the library's status code."""

    def __init__(self, message, status=None, diagnostics=()):
        super().__init__(message)
        self.message = message
        self.status = status
        self.diagnostics = list(diagnostics)

    def __str__(self):
        lines = [self.message] if self.message else []
        lines += [str(d) for d in self.diagnostics if str(d) != self.message]
        return "\n".join(lines)


class LoadError(DecideError):
    """The rule set has errors. `.diagnostics` lists every one (and the warnings),
    each with its file, line and column."""


class CaseError(DecideError):
    """The case record is not well-formed JSON. `.diagnostics` gives line and column."""


class EvaluationError(DecideError):
    """Evaluation failed: arithmetic overflow or division by zero (the message names
    the rule and the article), or no evaluation date."""


def _raise_status(status, message, cls=DecideError, diagnostics=()):
    if status == _ENOMEM:
        raise MemoryError(message)
    raise cls(message, status, diagnostics)


# ------------------------------------------------------------------ case records

def _plain(obj, path="case"):
    """Turns a case given as Python data into what json.dumps writes exactly:
    Decimal -> decimal string, date -> "YYYY-MM-DD"; floats are refused."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        raise TypeError("%s: float %r refused: binary floating point cannot represent "
                        "amounts exactly; use decimal.Decimal, int or a decimal string"
                        % (path, obj))
    if isinstance(obj, decimal.Decimal):
        if not obj.is_finite():
            raise ValueError("%s: %s is not a finite decimal" % (path, obj))
        return format(obj, "f")   # never exponent notation
    if isinstance(obj, (datetime.date, datetime.datetime)):
        return (obj.date() if isinstance(obj, datetime.datetime) else obj).isoformat()
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError("%s: key %r is not a string" % (path, k))
            out[k] = _plain(v, "%s.%s" % (path, k) if path != "case" else k)
        return out
    if isinstance(obj, (list, tuple)):
        return [_plain(v, "%s[%d]" % (path, i)) for i, v in enumerate(obj)]
    raise TypeError("%s: %s values cannot go into a case record" % (path, type(obj).__name__))


def _case_bytes(case):
    if isinstance(case, (bytes, bytearray, memoryview)):
        return bytes(case)
    if isinstance(case, str):
        return case.encode("utf-8")
    if isinstance(case, dict):
        return json.dumps(_plain(case), ensure_ascii=False).encode("utf-8")
    raise TypeError("a case is a dict or a JSON string/bytes, not %s" % type(case).__name__)


def _date_arg(date):
    if date is None:
        return None
    if isinstance(date, datetime.datetime):
        date = date.date()
    if isinstance(date, datetime.date):
        date = date.isoformat()
    if not isinstance(date, str):
        raise TypeError("date must be a 'YYYY-MM-DD' string or a datetime.date")
    return date.encode("ascii")


# ------------------------------------------------------------------ rule sets

class _Closable:
    """`with` support for objects holding a library handle: close() on exit."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class RuleSet(_Closable):
    """A loaded, validated rule set (immutable; may be shared across threads).

    RuleSet(path, warnings_are_errors=False) loads a file; RuleSet.from_string(xml)
    loads from memory. Errors raise LoadError with every diagnostic; the warnings of
    a successful load are in `.warnings`. Use as a context manager, or call close(),
    to free it deterministically; decisions still alive keep it in memory.
    """

    def __init__(self, path, warnings_are_errors=False):
        path = os.fspath(path)
        self._load(lambda out, diags, opts: _lib.decide_ruleset_load_file(
            out, diags, os.fsencode(path), opts), warnings_are_errors)

    @classmethod
    def from_string(cls, xml, name=None, warnings_are_errors=False):
        """Loads a rule set from an XML string or bytes; `name` is the file name used
        in diagnostics."""
        data = xml.encode("utf-8") if isinstance(xml, str) else bytes(xml)
        self = cls.__new__(cls)
        self._load(lambda out, diags, opts: _lib.decide_ruleset_load_memory(
            out, diags, data, len(data), None if name is None else name.encode("utf-8"),
            opts), warnings_are_errors)
        return self

    def _load(self, call, warnings_are_errors):
        self._handle = None
        out, diags = ctypes.c_void_p(), ctypes.c_void_p()
        opts = _LoadOptions(_LoadOptions.VERSION, 1 if warnings_are_errors else 0)
        status = call(ctypes.byref(out), ctypes.byref(diags), ctypes.byref(opts))
        message = _last_error(status) if status != _OK else ""
        diagnostics = _take_diagnostics(diags.value)
        if status != _OK:
            if out.value:
                _lib.decide_ruleset_free(out.value)
            if status == _EIO:
                raise OSError(message)
            _raise_status(status, message, LoadError, diagnostics)
        self._handle = _Handle(out.value, _lib.decide_ruleset_free)
        self.warnings = diagnostics
        self.id = _text(_lib.decide_ruleset_id(out.value))
        self.version = _text(_lib.decide_ruleset_version(out.value))
        self.title = _text(_lib.decide_ruleset_title(out.value))

    def close(self):
        """Releases the rule set (freed once no Decision uses it any more)."""
        self._handle = None

    def __repr__(self):
        return "<decide.RuleSet %s version %s>" % (self.id, self.version)

    def _ptr(self):
        if self._handle is None:
            raise ValueError("the rule set is closed")
        return self._handle

    def evaluate(self, case, date=None, trace="full", name=None):
        """Evaluates a case record and returns its Decision.

        case: a dict (amounts as decimal.Decimal, int or decimal strings; floats are
        refused with TypeError) or a JSON document as str/bytes. date: "YYYY-MM-DD" or
        datetime.date; None uses the case's "date" field. trace: "full" (needed for
        the data and parameters sections of the motivation), "summary" or "none"
        (fastest). name: the case's name in diagnostics.

        Raises CaseError (malformed JSON, with line and column) and EvaluationError
        (overflow, division by zero, no date). Field-level problems are not errors:
        they are in decision.warnings and make the outcome REVIEW when they matter.
        """
        handle = self._ptr()
        if trace not in _TRACE_LEVELS:
            raise ValueError("trace must be one of %s" % ", ".join(_TRACE_LEVELS))
        data = _case_bytes(case)
        date_b = _date_arg(date)
        name_b = (name or "<case>").encode("utf-8")

        out, diags = ctypes.c_void_p(), ctypes.c_void_p()
        status = _lib.decide_case_read_json(ctypes.byref(out), ctypes.byref(diags),
                                            handle.ptr, data, len(data), name_b)
        message = _last_error(status) if status != _OK else ""
        warnings = _take_diagnostics(diags.value)
        if status != _OK:
            if out.value:
                _lib.decide_case_free(out.value)
            _raise_status(status, message, CaseError, warnings)
        case_h = _Handle(out.value, _lib.decide_case_free, (handle,))

        res = ctypes.c_void_p()
        status = _lib.decide_result_new(ctypes.byref(res))
        if status != _OK:
            _raise_status(status, _last_error(status))
        # The result may borrow from the case and the rule set: it is freed first.
        result_h = _Handle(res.value, _lib.decide_result_free, (case_h, handle))
        opts = _EvalOptions(_EvalOptions.VERSION, date_b, _TRACE_LEVELS[trace])
        status = _lib.decide_evaluate(result_h.ptr, handle.ptr, case_h.ptr, ctypes.byref(opts))
        if status != _OK:
            detail = _text(_lib.decide_result_error(result_h.ptr)) or _last_error(status)
            result_h.release()
            _raise_status(status, detail, EvaluationError)
        return Decision(self, result_h, warnings)


# ------------------------------------------------------------------ decisions

class Decision(_Closable):
    """The decision on one case.

    Attributes (copied out of the library when the decision is made): outcome
    ("GRANTED", "DENIED" or "REVIEW"), amount (decimal.Decimal, exact to the cent, or
    None when unknown or when the rule set has no amount), date (the
    evaluation date, "YYYY-MM-DD"), missing (list of Missing, REVIEW only),
    conflicts (list of Conflict), values (dict name -> canonical text or None),
    warnings (list of Diagnostic about the case's fields), ruleset.

    motivation(), to_dict() and json() render from the library's result, which the
    Decision holds until close() / the end of a `with` block / garbage collection.
    """

    def __init__(self, ruleset, result_handle, warnings):
        self.ruleset = ruleset
        self.warnings = warnings
        self._handle = result_handle
        self._lock = threading.Lock()
        r = result_handle.ptr
        self.outcome = _OUTCOMES.get(_lib.decide_result_outcome(r), "UNKNOWN")
        self.date = _text(_lib.decide_result_date(r))
        cents = ctypes.c_int64()
        if _lib.decide_result_amount(r, ctypes.byref(cents)):
            self.amount = decimal.Decimal(cents.value).scaleb(-2)
        else:
            self.amount = None
        self.values = {}
        for i in range(_lib.decide_result_value_count(r)):
            self.values[_text(_lib.decide_result_value_name(r, i))] = \
                _text(_lib.decide_result_value_text(r, i))
        self.missing = []
        for i in range(_lib.decide_result_missing_count(r)):
            m = _lib.decide_result_missing(r, i).contents
            self.missing.append(Missing(
                _text(m.input), _text(m.label), _text(m.reason), _text(m.detail),
                tuple(_text(m.needed_by[j]) for j in range(m.n_needed_by))))
        self.conflicts = []
        for i in range(_lib.decide_result_conflict_count(r)):
            c = _lib.decide_result_conflict(r, i).contents
            self.conflicts.append(Conflict(_text(c.variable),
                                           (_text(c.rules[0]), _text(c.rules[1])),
                                           (_text(c.articles[0]), _text(c.articles[1]))))

    def close(self):
        """Frees the library's result (and the case record it was read from)."""
        with self._lock:
            if self._handle is not None:
                self._handle.release()
                self._handle = None

    def __repr__(self):
        return "<decide.Decision %s %s on %s>" % (self.outcome, self.amount, self.date)

    def _render(self, fmt, lang, verbose):
        if lang not in ("fr", "en"):
            raise ValueError("lang must be 'fr' or 'en'")
        opts = _RenderOptions(_RenderOptions.VERSION, _FORMATS[fmt], lang.encode("ascii"),
                              1 if verbose else 0)
        out, length = ctypes.c_void_p(), ctypes.c_size_t()
        with self._lock:   # a decide_result is used by one thread at a time
            if self._handle is None:
                raise ValueError("the decision is closed")
            status = _lib.decide_result_render(ctypes.byref(out), ctypes.byref(length),
                                               self._handle.ptr, ctypes.byref(opts))
            if status != _OK:
                _lib.decide_free(out.value)
                _raise_status(status, _last_error(status))
        try:
            return ctypes.string_at(out.value, length.value).decode("utf-8")
        finally:
            _lib.decide_free(out.value)

    def motivation(self, lang="fr", format="text", verbose=False):
        """The decision and its motivation along the four items of CRPA R311-3-1-2,
        each operation citing its article. lang "fr" or "en"; format "text" or
        "html"; verbose also lists the rules that did not apply. Complete with
        trace="full" (the default of RuleSet.evaluate)."""
        if format not in ("text", "html"):
            raise ValueError("format must be 'text' or 'html'")
        return self._render(format, lang, verbose)

    def json(self, lang="fr"):
        """The JSON rendering (rulesets/schema/decision.schema.json), as text."""
        return self._render("json", lang, False)

    def to_dict(self, lang="fr"):
        """The JSON rendering parsed; decimals that are JSON numbers become
        decimal.Decimal (amounts are already decimal strings)."""
        return json.loads(self.json(lang), parse_float=decimal.Decimal)
