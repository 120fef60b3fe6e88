/* decide.h — the public API of libdecide.
 *
 * Load a rule set written from the law (every rule cites its article), read case
 * records against it, evaluate them at a date and get a decision — GRANTED, DENIED or
 * REVIEW — with its motivation. Missing or invalid data never produce a negative
 * decision: they produce REVIEW, listing what is missing and which articles need it.
 *
 * Conventions
 *  - Functions return int: 0 (DECIDE_OK) on success, a negative DECIDE_E* code on
 *    error; decide_last_error() then gives a message (thread-local). "The case needs
 *    human review" is not an error: it is an outcome.
 *  - Out-parameters come first. Handles are opaque.
 *  - Ownership: what a decide_*_new/_load/_read/_render function hands out belongs to
 *    the caller, who frees it with the matching decide_*_free (or decide_free for
 *    strings). Pointers returned by accessors are borrowed from the handle they were
 *    read from and stay valid until that handle is freed or reused.
 *  - Threads: a loaded decide_ruleset is immutable; any number of threads may read
 *    cases against it and evaluate with it at once. A decide_case may be shared
 *    read-only too. A decide_result is used by one thread at a time.
 *  - Dates are "YYYY-MM-DD" strings; amounts are exact: integer cents or decimal text.
 */
#ifndef DECIDE_H
#define DECIDE_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DECIDE_VERSION_MAJOR 0
#define DECIDE_VERSION_MINOR 1
#define DECIDE_VERSION_PATCH 0
#define DECIDE_VERSION_STRING "0.1.0"

/* Status codes. */
#define DECIDE_OK       0
#define DECIDE_ENOMEM  -1   /* out of memory */
#define DECIDE_EMISUSE -2   /* API misuse: NULL handle, wrong option version, … */
#define DECIDE_EIO     -3   /* a file could not be read or written */
#define DECIDE_ELOAD   -4   /* the rule set has errors (see its diagnostics) */
#define DECIDE_ECASE   -5   /* the case record is not well-formed (see diagnostics) */
#define DECIDE_EEVAL   -6   /* evaluation error: overflow, division by zero (the message
                               names the rule and the article) */
#define DECIDE_EDATE   -7   /* no evaluation date (none given, none in the case) */

/* Message of the last error on this thread ("" when none). Borrowed; valid until the
 * next libdecide call on this thread. */
const char *decide_last_error(void);
/* Static description of a status code. */
const char *decide_strerror(int status);
/* Frees a string or buffer returned by libdecide (decide_result_render, …). */
void decide_free(void *p);
const char *decide_version(void);

/* ---------------------------------------------------------------- diagnostics */

typedef enum decide_severity { DECIDE_WARNING = 1, DECIDE_ERROR = 2 } decide_severity;

/* One diagnostic, shaped like libxml2's error record. Strings are borrowed from the
 * decide_diagnostics list; any of file/rule/article may be NULL, line/column 0. */
typedef struct decide_diag {
    decide_severity severity;
    const char *code;       /* stable kebab-case code, e.g. "unknown-source" */
    const char *message;
    const char *file;
    unsigned line, column;  /* 1-based */
    const char *rule;       /* rule id or value name */
    const char *article;    /* article id */
} decide_diag;

typedef struct decide_diagnostics decide_diagnostics;

size_t decide_diagnostics_count(const decide_diagnostics *d);
size_t decide_diagnostics_errors(const decide_diagnostics *d);
/* i < count; NULL otherwise. Borrowed. */
const decide_diag *decide_diagnostics_get(const decide_diagnostics *d, size_t i);
/* "file:line:col: error: message [code] (rule R, article A)"; caller frees (decide_free). */
char *decide_diag_format(const decide_diag *diag);
void decide_diagnostics_free(decide_diagnostics *d);

/* ---------------------------------------------------------------- rule sets */

typedef struct decide_ruleset decide_ruleset;

#define DECIDE_LOAD_OPTIONS_VERSION 1
typedef struct decide_load_options {
    int version;               /* DECIDE_LOAD_OPTIONS_VERSION */
    int warnings_are_errors;   /* non-zero: a warning fails the load */
} decide_load_options;
#define DECIDE_LOAD_OPTIONS_INIT { DECIDE_LOAD_OPTIONS_VERSION, 0 }

/* Loads, validates (RELAX NG, embedded) and checks a rule set. On success *out is a
 * rule set the caller frees with decide_ruleset_free. Every diagnostic (errors and
 * warnings) goes to *diags when diags is not NULL — also on success — and the caller
 * frees it with decide_diagnostics_free. Returns DECIDE_ELOAD when there are errors
 * (*out is then NULL). opts may be NULL. XML external entities, DTD loading and
 * network access are off. */
int decide_ruleset_load_file(decide_ruleset **out, decide_diagnostics **diags,
                             const char *path, const decide_load_options *opts);
/* Same from memory; `name` (may be NULL) is used as the file name in diagnostics. The
 * buffer is not retained. */
int decide_ruleset_load_memory(decide_ruleset **out, decide_diagnostics **diags,
                               const char *data, size_t len, const char *name,
                               const decide_load_options *opts);
void decide_ruleset_free(decide_ruleset *rs);
/* Borrowed strings of the rule set. */
const char *decide_ruleset_id(const decide_ruleset *rs);
const char *decide_ruleset_version(const decide_ruleset *rs);
const char *decide_ruleset_title(const decide_ruleset *rs);

/* ---------------------------------------------------------------- cases */

typedef struct decide_case decide_case;

/* Reads a case record (JSON object, or XML <case> element) against a rule set's
 * declared inputs. Malformed JSON/XML: DECIDE_ECASE with an error diagnostic giving
 * line and column. Field-level problems (invalid value, undeclared field with a "did
 * you mean") are warnings: the case is still returned, with invalid fields unknown.
 * The case keeps a reference to rs: free the case before the rule set. */
int decide_case_read_json(decide_case **out, decide_diagnostics **diags,
                          const decide_ruleset *rs, const char *data, size_t len,
                          const char *name);
int decide_case_read_xml(decide_case **out, decide_diagnostics **diags,
                         const decide_ruleset *rs, const char *data, size_t len,
                         const char *name);
/* Reads a file; ".xml" → XML, anything else → JSON. */
int decide_case_read_file(decide_case **out, decide_diagnostics **diags,
                          const decide_ruleset *rs, const char *path);
void decide_case_free(decide_case *c);

/* ---------------------------------------------------------------- evaluation */

typedef enum decide_outcome {
    DECIDE_GRANTED = 1,   /* eligible, amount known */
    DECIDE_DENIED = 2,    /* not eligible, established from known facts only */
    DECIDE_REVIEW = 3     /* depends on missing, invalid or conflicting facts */
} decide_outcome;

typedef enum decide_trace_level {
    DECIDE_TRACE_NONE = 0,     /* outcome, amount, values, missing, conflicts */
    DECIDE_TRACE_SUMMARY = 1,  /* + the rules applied, with their articles */
    DECIDE_TRACE_FULL = 2      /* + every input and parameter read, with provenance, and
                                  the rules considered that did not apply */
} decide_trace_level;

#define DECIDE_EVAL_OPTIONS_VERSION 1
typedef struct decide_eval_options {
    int version;               /* DECIDE_EVAL_OPTIONS_VERSION */
    const char *date;          /* "YYYY-MM-DD"; NULL: the case's "date" field */
    decide_trace_level trace;
} decide_eval_options;
#define DECIDE_EVAL_OPTIONS_INIT { DECIDE_EVAL_OPTIONS_VERSION, NULL, DECIDE_TRACE_NONE }

typedef struct decide_result decide_result;

/* A result holds one evaluation. Reuse it across evaluations: its memory is kept and
 * reset, so evaluating without a trace allocates nothing per case in steady state.
 * A result borrows from the rule set and the case it evaluated (its trace and values
 * point into them): free the case and the rule set only after the last use of the
 * result (accessors, decide_result_render). */
int decide_result_new(decide_result **out);
void decide_result_free(decide_result *r);

/* Evaluates c with rs into r (r's previous content is discarded). Returns DECIDE_OK
 * whatever the outcome; DECIDE_EEVAL on an arithmetic error in a value the decision
 * rests on, DECIDE_EDATE without a date. c must have been read against rs. opts may be
 * NULL. The decision (eligibility, amount) and its trace are computed here; the other
 * values of the rule set when first asked for (decide_result_value,
 * decide_result_render), where an arithmetic error leaves that value unknown. */
int decide_evaluate(decide_result *r, const decide_ruleset *rs, const decide_case *c,
                    const decide_eval_options *opts);

decide_outcome decide_result_outcome(const decide_result *r);
const char *decide_outcome_name(decide_outcome o);   /* "GRANTED", … */
/* The evaluation date used, "YYYY-MM-DD". Borrowed. */
const char *decide_result_date(const decide_result *r);
/* 1 and *cents when the amount is known, 0 when unknown or when the rule set has no
 * amount. */
int decide_result_amount(const decide_result *r, int64_t *cents);

/* Computed top-level values (variables and definitions, document order). The text is
 * the canonical form ("351.54", "0.32", "2025-04-01", "true", enum name) or NULL when
 * unknown. Borrowed. */
size_t decide_result_value_count(const decide_result *r);
const char *decide_result_value_name(const decide_result *r, size_t i);
const char *decide_result_value_text(const decide_result *r, size_t i);
/* By name: returns 1 and *text (NULL if unknown) when the value exists, 0 otherwise. */
int decide_result_value(const decide_result *r, const char *name, const char **text);

/* A fact the decision needs but does not have. Borrowed. */
typedef struct decide_missing {
    const char *input;         /* case path: "ressources", "enfants[1].date_naissance",
                                  or a parameter name for "no-value-in-force" */
    const char *label;         /* the input's label */
    const char *reason;        /* "missing", "invalid", "no-value-in-force" */
    const char *detail;        /* invalid: what is wrong; else NULL */
    const char *const *needed_by;   /* article ids of the rules that read it */
    size_t n_needed_by;
} decide_missing;
size_t decide_result_missing_count(const decide_result *r);
const decide_missing *decide_result_missing(const decide_result *r, size_t i);

/* Two applicable rules at the same level giving different values. Borrowed. */
typedef struct decide_conflict {
    const char *variable;
    const char *rules[2];
    const char *articles[2];
} decide_conflict;
size_t decide_result_conflict_count(const decide_result *r);
const decide_conflict *decide_result_conflict(const decide_result *r, size_t i);

/* The error message after DECIDE_EEVAL ("" otherwise). Borrowed. */
const char *decide_result_error(const decide_result *r);

/* ---------------------------------------------------------------- rendering */

typedef enum decide_format { DECIDE_FORMAT_TEXT = 0, DECIDE_FORMAT_JSON = 1,
                             DECIDE_FORMAT_HTML = 2 } decide_format;

#define DECIDE_RENDER_OPTIONS_VERSION 1
typedef struct decide_render_options {
    int version;               /* DECIDE_RENDER_OPTIONS_VERSION */
    decide_format format;
    const char *lang;          /* "fr" (default) or "en" */
    int verbose;               /* text/html: also the rules that did not apply */
} decide_render_options;
#define DECIDE_RENDER_OPTIONS_INIT { DECIDE_RENDER_OPTIONS_VERSION, DECIDE_FORMAT_TEXT, "fr", 0 }

/* Renders the decision and its motivation, organised along the four items of CRPA
 * R311-3-1-2. JSON follows rulesets/schema/decision.schema.json. *out is
 * NUL-terminated and owned by the caller (decide_free); *len (may be NULL) its length.
 * The motivation needs the trace: evaluate with DECIDE_TRACE_SUMMARY or FULL for a
 * complete one (FULL for the data and parameters sections). */
int decide_result_render(char **out, size_t *len, const decide_result *r,
                         const decide_render_options *opts);

#ifdef __cplusplus
}
#endif
#endif
