/* diag_codes.h — the one table of diagnostic codes (X-macro). Each entry:
 * X(NAME, "kebab-code", default severity). Used by the loader, checker, case readers
 * and the public API (DECIDE_DIAG_* in decide.h are generated from it). */
#ifndef DC_DIAG_CODES_H
#define DC_DIAG_CODES_H
#define DC_DIAG_CODES(X) \
    X(XML_SYNTAX,        "xml-syntax",        ERROR) \
    X(SCHEMA,            "schema",            ERROR) \
    X(EXPR_SYNTAX,       "expr-syntax",       ERROR) \
    X(EXPR_TOO_DEEP,     "expr-too-deep",     ERROR) \
    X(BAD_LITERAL,       "bad-literal",       ERROR) \
    X(UNKNOWN_NAME,      "unknown-name",      ERROR) \
    X(DUPLICATE_NAME,    "duplicate-name",    ERROR) \
    X(TYPE,              "type",              ERROR) \
    X(UNKNOWN_SOURCE,    "unknown-source",    ERROR) \
    X(MISSING_SOURCE,    "missing-source",    ERROR) \
    X(CYCLE,             "cycle",             ERROR) \
    X(BAD_PATTERN,       "bad-pattern",       ERROR) \
    X(TABLE_ORDER,       "table-order",       ERROR) \
    X(TABLE_OVERLAP,     "table-overlap",     ERROR) \
    X(TABLE_GAP,         "table-gap",         ERROR) \
    X(BAD_DATE,          "bad-date",          ERROR) \
    X(BAD_DECISION,      "bad-decision",      ERROR) \
    X(BAD_TEMPLATE,      "bad-template",      ERROR) \
    X(UNUSED_INPUT,      "unused-input",      WARNING) \
    X(UNUSED_VALUE,      "unused-value",      WARNING) \
    X(NO_EXPLAIN,        "no-explain",        WARNING) \
    X(SAME_CONDITION,    "same-condition",    WARNING) \
    X(CASE_SYNTAX,       "case-syntax",       ERROR) \
    X(CASE_INVALID,      "case-invalid",      WARNING) \
    X(CASE_UNKNOWN_FIELD,"case-unknown-field",WARNING) \
    X(IO,                "io",                ERROR) \
    X(NOMEM,             "out-of-memory",     ERROR)
#endif
