/* diff.h — the jurist's differ: a rule set against another version of itself
 * (diff_rulesets.c), against the statutes it cites (diff_statutes.c), and the impact of
 * a change on a file of cases (the classification and the amount buckets here, the
 * evaluation loop in cli/decide-diff.c).
 *
 * A diff is a flat list of findings. Each finding has a kind (one X-macro table: code,
 * severity, words), the article it belongs to (the group the report is organised by),
 * a subject ("rule af.droit", "parameter bmaf"), and optionally a field, the old and the
 * new text and a detail (a word-level diff). Renderers sort the findings by article,
 * most serious first, and print text for people or JSON for tools
 * (rulesets/schema/diff.schema.json).
 *
 * Ownership: a dc_diff_report owns every string of its findings (one arena); free it
 * with dc_diff_report_free. The rule sets and corpora diffed are only read. */
#ifndef DC_DIFF_H
#define DC_DIFF_H
#include <stddef.h>
#include <stdint.h>
#include "model.h"
#include "statute.h"
#include "util.h"

/* Severity: 1 is the most serious. INFO findings are printed but are not differences
 * (they do not make decide-diff exit 1). */
typedef enum dc_diff_severity {
    DC_DIFF_CRITICAL = 1, DC_DIFF_MAJOR = 2, DC_DIFF_MINOR = 3, DC_DIFF_NOTE = 4,
    DC_DIFF_INFO = 5
} dc_diff_severity;

/* X(NAME, "kebab-code", severity, "words") */
#define DC_DIFF_KINDS(X) \
    /* rule set against rule set */ \
    X(RULE_REMOVED,        "rule-removed",         CRITICAL, "rule removed") \
    X(VALUE_REMOVED,       "value-removed",        CRITICAL, "computed value removed") \
    X(PARAM_REMOVED,       "parameter-removed",    CRITICAL, "parameter removed") \
    X(INPUT_REMOVED,       "input-removed",        CRITICAL, "input removed") \
    X(ARTICLE_REMOVED,     "article-removed",      CRITICAL, "article removed") \
    X(DECISION_CHANGED,    "decision-changed",     CRITICAL, "decision changed") \
    X(RULE_CONDITION,      "rule-condition",       MAJOR,    "condition") \
    X(RULE_VALUE,          "rule-value",           MAJOR,    "value") \
    X(PARAM_VALUE_CHANGED, "parameter-value-changed", MAJOR, "value changed") \
    X(PARAM_VALUE_REMOVED, "parameter-value-removed", MAJOR, "value removed") \
    X(PARAM_VALUE_ADDED,   "parameter-value-added",   MAJOR, "value added") \
    X(PARAM_VALUE_PERIOD,  "parameter-value-period",  MAJOR, "end of validity") \
    X(VALUE_TYPE,          "value-type",           MAJOR,    "type") \
    X(PARAM_TYPE,          "parameter-type",       MAJOR,    "type") \
    X(INPUT_CHANGED,       "input-changed",        MAJOR,    "changed") \
    X(RULE_PARENT,         "rule-parent",          MAJOR,    "exception structure") \
    X(RULE_OWNER,          "rule-owner",           MAJOR,    "defines another value") \
    X(RULE_VALIDITY,       "rule-validity",        MAJOR,    "validity") \
    X(RULE_ADDED,          "rule-added",           MINOR,    "rule added") \
    X(VALUE_ADDED,         "value-added",          MINOR,    "computed value added") \
    X(PARAM_ADDED,         "parameter-added",      MINOR,    "parameter added") \
    X(INPUT_ADDED,         "input-added",          MINOR,    "input added") \
    X(ARTICLE_ADDED,       "article-added",        MINOR,    "article added") \
    X(RULE_SOURCE,         "rule-source",          MINOR,    "source") \
    X(PARAM_VALUE_SOURCE,  "parameter-value-source", MINOR,  "source") \
    X(ARTICLE_LEGI,        "article-legi",         MINOR,    "LEGI id") \
    X(ARTICLE_VERSION,     "article-version",      MINOR,    "version dates") \
    X(ARTICLE_QUOTE,       "article-quote",        MINOR,    "quoted text") \
    X(ARTICLE_CITATION,    "article-citation",     MINOR,    "citation") \
    X(RULE_EXPLAIN,        "rule-explain",         NOTE,     "explanation") \
    X(LABEL_CHANGED,       "label-changed",        NOTE,     "label") \
    /* rule set against statutes */ \
    X(STATUTE_FILE_ERROR,  "statute-file-error",   CRITICAL, "statute file not read") \
    X(ARTICLE_MISSING,     "article-missing",      CRITICAL, "not in the corpus") \
    X(ARTICLE_NOT_IN_FORCE,"article-not-in-force", CRITICAL, "no version in force") \
    X(ARTICLE_ABROGATED,   "article-abrogated",    CRITICAL, "abrogated") \
    X(ARTICLE_AMENDED,     "article-amended",      MAJOR,    "amended since the cited version") \
    X(LEGI_UNKNOWN,        "legi-unknown",         MAJOR,    "cited LEGI id not in the corpus") \
    X(TEXT_CHANGED,        "text-changed",         MAJOR,    "quoted text differs from the corpus") \
    X(LAW_NUMBER_UNMATCHED,"law-number-unmatched", MINOR,    "number of the law with no counterpart in the rules") \
    X(CONSTANT_UNMATCHED,  "constant-unmatched",   MINOR,    "constant of the rules in no cited article") \
    X(ARTICLE_UNCOVERED,   "article-uncovered",    NOTE,     "article cited by no rule") \
    X(ALINEA_UNCOVERED,    "alinea-uncovered",     NOTE,     "alinéa cited by no rule") \
    X(VERSION_TEXT_SAME,   "version-text-same",    INFO,     "newer version, same text") \
    X(NOT_CHECKED,         "not-checked",          INFO,     "not checked")

typedef enum dc_diff_kind {
#define X(name, code, sev, words) DC_DIFF_##name,
    DC_DIFF_KINDS(X)
#undef X
    DC_DIFF_KIND_COUNT_
} dc_diff_kind;

const char *dc_diff_kind_code(dc_diff_kind k);
const char *dc_diff_kind_words(dc_diff_kind k);
dc_diff_severity dc_diff_kind_severity(dc_diff_kind k);
const char *dc_diff_severity_name(dc_diff_severity s);   /* "critical", … */

typedef struct dc_diff_item {
    dc_diff_kind kind;
    const char *group;        /* article id the finding belongs to; "" none */
    const char *group_label;  /* "article L. 521-1 du code de la sécurité sociale" or a
                                 heading ("inputs", "decision") */
    const char *subject;      /* "rule af.droit", "parameter bmaf", … */
    const char *field;        /* refines the kind ("value from 2025-04-01"), or NULL */
    const char *old_text, *new_text;   /* NULL when not applicable */
    const char *detail;       /* multi-line detail (word-level diff …), or NULL */
    uint32_t seq;             /* insertion order, for a stable sort */
} dc_diff_item;

typedef struct dc_diff_report {
    dc_diff_item *items;
    size_t count, cap;
    int failed;               /* an allocation failed: the report is incomplete */
    dc_arena arena;
} dc_diff_report;

void dc_diff_report_init(dc_diff_report *r);
void dc_diff_report_free(dc_diff_report *r);
/* Copies every string into the report's arena. group NULL = "". Returns 0 or -1. */
int dc_diff_add(dc_diff_report *r, dc_diff_kind kind, const char *group,
                const char *group_label, const char *subject, const char *field,
                const char *old_text, const char *new_text, const char *detail);
/* Findings that count as differences (severity above INFO). */
size_t dc_diff_count_differences(const dc_diff_report *r);
/* Groups by article, groups ordered by their most serious finding then by group label;
 * inside a group, most serious first then insertion order. */
void dc_diff_report_sort(dc_diff_report *r);
/* Group id and label of an article of rs (the label is its French citation). Strings
 * in the report's arena. A negative index gives the "" group with `fallback` label. */
void dc_diff_article_group(dc_diff_report *r, const dc_ruleset *rs, int32_t article,
                           const char *fallback, const char **group, const char **label);

/* Rule set against rule set: rules matched by id (otherwise and simple-form rules by
 * their owner's name), definitions and variables by name, parameters by name and their
 * values by `from` date, inputs by entity and name, articles by id. Expressions are
 * compared as printed by dc_expr_print, so layout changes are not differences. Both
 * rule sets must be checked without errors. Returns 0 or -1 (out of memory). */
int dc_diff_rulesets(dc_diff_report *r, const dc_ruleset *old_rs, const dc_ruleset *new_rs);

/* Rule set against statutes (see diff_statutes.c for the rules of matching).
 * `date`: the reference date (days), or DC_NO_DATE_FROM for "the latest version in the
 * corpus". `scope`: restricts the coverage check to corpus articles whose number starts
 * with it or whose code (short or full title) equals it; NULL = the codes the rule set
 * cites. `corpus_diags`: the corpus loader's diagnostics, reported as findings (may be
 * NULL). Returns 0 or -1. */
int dc_diff_statutes(dc_diff_report *r, const dc_ruleset *rs, const dc_statute_corpus *corpus,
                     const dc_diag_list *corpus_diags, int32_t date, const char *scope);

/* Renderers. Text: a header line per article group, one line per finding ("! rule
 * af.droit: condition: A  →  B"), details indented. JSON: the "findings" array items
 * only (the caller writes the envelope). The report must be sorted first. */
int dc_diff_render_text(dc_buf *out, const dc_diff_report *r);
int dc_diff_render_json_findings(dc_buf *out, const dc_diff_report *r);

/* ---- impact of a change on a file of cases ---- */
/* Direction of the change of one case. */
#define DC_IMPACT_DIRECTIONS(X) \
    X(UNCHANGED, "unchanged") X(GRANTED_TO_DENIED, "granted-to-denied") \
    X(DENIED_TO_GRANTED, "denied-to-granted") X(TO_REVIEW, "to-review") \
    X(FROM_REVIEW, "from-review") X(AMOUNT_UP, "amount-up") X(AMOUNT_DOWN, "amount-down")

typedef enum dc_impact_direction {
#define X(name, code) DC_IMPACT_##name,
    DC_IMPACT_DIRECTIONS(X)
#undef X
    DC_IMPACT_DIRECTION_COUNT_
} dc_impact_direction;

/* Buckets of |new − old| amounts, in cents: [0,100) [100,1000) [1000,5000)
 * [5000,10000) [10000,∞) — "< 1 €", "1–10 €", "10–50 €", "50–100 €", "> 100 €"
 * (lower bounds inclusive). */
#define DC_IMPACT_BUCKETS 5

typedef struct dc_impact {
    size_t cases;              /* evaluated with both versions */
    size_t errors;             /* malformed lines and evaluation errors */
    size_t by_direction[DC_IMPACT_DIRECTION_COUNT_];
    size_t changed;            /* cases whose direction is not UNCHANGED */
    size_t n_amount_diffs;     /* cases where both amounts paid are known and differ */
    int64_t min_diff, max_diff;   /* cents, signed (new − old), valid when n_amount_diffs */
    size_t buckets[DC_IMPACT_BUCKETS];
} dc_impact;

const char *dc_impact_direction_code(dc_impact_direction d);
const char *dc_impact_bucket_label(int bucket);
void dc_impact_init(dc_impact *im);
/* Classifies a case from both outcomes (decide_outcome values) and amounts (has_* 0
 * when unknown) and accumulates it. The amount paid is the amount when GRANTED, 0 when
 * DENIED, unknown under REVIEW; a difference is counted when both are known. Returns
 * the direction. */
dc_impact_direction dc_impact_add(dc_impact *im, int old_outcome, int old_has_amount,
                                  int64_t old_cents, int new_outcome, int new_has_amount,
                                  int64_t new_cents);
/* Bucket index of a difference in cents (sign ignored). */
int dc_impact_bucket(int64_t diff_cents);
#endif
