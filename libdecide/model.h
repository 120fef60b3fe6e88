/* model.h — a loaded rule set: what ruleset_xml.c builds, check.c resolves and types,
 * and eval.c runs. Immutable once decide_ruleset_load returns, so any number of threads
 * may evaluate it at once. Every string and array lives in `arena`; indexes, never
 * pointers between tables, so the structure is easy to walk and to diff. */
#ifndef DC_MODEL_H
#define DC_MODEL_H
#include <stdbool.h>
#include <stdint.h>
#include "ast.h"
#include "diag.h"
#include "value.h"

#define DC_NO_DATE_FROM INT32_MIN   /* open start */
#define DC_NO_DATE_TO   INT32_MAX   /* open end */

typedef enum dc_article_kind { DC_ARTICLE_CODE, DC_ARTICLE_TEXTE } dc_article_kind;

typedef struct dc_quote { const char *text; uint32_t alinea; } dc_quote;

typedef struct dc_article {
    const char *id;            /* what source="…" names */
    dc_article_kind kind;
    const char *code;          /* "Code de la sécurité sociale" (kind code) */
    const char *num;           /* "L521-1" */
    const char *title;         /* kind texte: "Décret n° 2002-423 du 29 mars 2002" */
    const char *legi;          /* LEGIARTI… or NULL */
    int32_t version_from, version_to;   /* DC_NO_DATE_* when absent */
    dc_quote *quotes;
    uint32_t n_quotes;
    uint32_t line, column;
} dc_article;

/* A citation: an article and optionally one alinéa (0 = whole article). */
typedef struct dc_source_ref { int32_t article; uint32_t alinea; } dc_source_ref;

typedef struct dc_entity {
    const char *name;          /* singular: "enfant" */
    const char *plural;        /* list name in the case: "enfants" */
    const char *label;
    uint32_t first_input, n_inputs;   /* its inputs are rs->inputs[first_input ..] */
    uint32_t line, column;
} dc_entity;

typedef struct dc_input {
    const char *name, *label;
    dc_type_kind type;
    int32_t entity;            /* -1 top level, else index into rs->entities */
    uint32_t slot;             /* top level: index into dc_case.top; entity: field index */
    const char **enum_values;  /* type enum */
    uint32_t n_enum_values;
    bool has_min, has_max;
    dc_value min, max;         /* bounds as values of the input's type */
    bool max_is_eval_date;     /* max="date": not after the evaluation date (checked at eval) */
    const char *pattern;       /* text: pcre2 pattern source */
    void *pattern_code;        /* pcre2_code *, compiled at load (freed with the rule set) */
    uint32_t line, column;
    uint32_t uses;             /* set by the checker */
} dc_input;

typedef struct dc_param_value {
    int32_t from, to;          /* inclusive days; `to` of a value without to= is the day
                                  before the next value's from, or DC_NO_DATE_TO */
    dc_value value;
    const char *text;          /* the literal as written */
    dc_source_ref source;
    uint32_t line, column;
} dc_param_value;

typedef struct dc_param {
    const char *name, *label;
    dc_type_kind type;
    dc_param_value *values;    /* sorted by from */
    uint32_t n_values;
    uint32_t line, column;
    uint32_t uses;
} dc_param;

/* An <explain> template: literal text and {name} placeholders, resolved by the checker. */
typedef struct dc_tpl_part { const char *text; dc_expr *expr; } dc_tpl_part;
typedef struct dc_template {
    const char *raw;
    dc_tpl_part *parts;
    uint32_t n_parts;
    uint32_t line, column;
} dc_template;

typedef struct dc_rule dc_rule;
struct dc_rule {
    const char *id;            /* rule id; for the simple form and <otherwise>: NULL */
    dc_source_ref source;
    dc_expr *cond;             /* NULL: always applicable */
    dc_expr *then;
    const char *cond_text, *then_text;   /* as written, for traces and diffs */
    dc_template *explain;      /* NULL: a sentence is generated */
    int32_t valid_from, valid_to;        /* DC_NO_DATE_* when absent */
    dc_rule *exceptions;       /* nested rules */
    uint32_t n_exceptions;
    uint32_t index;            /* position in rs->all_rules, for traces */
    int32_t owner;             /* index of the computed value it belongs to */
    uint32_t line, column;
};

typedef struct dc_computed {
    const char *name, *label;
    dc_type_kind type;
    int32_t enum_of;           /* enum-typed: input whose values it takes, else -1 */
    bool is_variable;          /* <variable> rather than <define> */
    int32_t entity;            /* -1 top level; else per-record (of="…") */
    uint32_t slot;             /* top level: memo index; per-record: index among the
                                  entity's per-record values */
    dc_rule *rules;            /* top-level rules of the tree (simple form: one rule,
                                  cond NULL, id NULL) */
    uint32_t n_rules;
    dc_rule *otherwise;        /* NULL when absent */
    bool simple;               /* written as <define …>EXPR</define> */
    uint32_t line, column;
    uint32_t uses;             /* set by the checker: references, explain templates included */
    uint32_t reads;            /* set by the checker: references in expressions (and as the
                                  decision's eligible or amount value), templates excluded */
} dc_computed;

typedef enum dc_period { DC_PERIOD_MONTH, DC_PERIOD_YEAR, DC_PERIOD_ONCE } dc_period;

typedef struct dc_ruleset {
    dc_arena arena;
    const char *file;          /* path or the name given for a memory buffer */
    const char *id, *version, *lang, *title;
    dc_article *articles;   uint32_t n_articles;
    dc_entity *entities;    uint32_t n_entities;
    dc_input *inputs;       uint32_t n_inputs;      /* document order; `slot` says where
                                                       a case stores each one */
    uint32_t n_top_inputs;
    dc_param *params;       uint32_t n_params;
    dc_computed *computeds; uint32_t n_computeds;   /* document order */
    uint32_t n_top_computeds;
    uint32_t *n_record_computeds;                   /* [n_entities] */
    dc_rule **all_rules;    uint32_t n_all_rules;   /* every rule incl. otherwise/simple */
    int32_t eligible;          /* computed index (bool) */
    int32_t amount;            /* computed index (money) or -1 */
    dc_period period;
    uint32_t max_depth;        /* deepest expression, sizes the evaluator's stack */
    struct dc_program *program;   /* compiled fast path (compile.h), NULL: none */
    struct dc_program *program_traced;   /* the same recording a trace, NULL: none */
} dc_ruleset;

/* Lookups by name (linear; used at load/check time and by tools, not on the hot path). */
int32_t dc_rs_find_article(const dc_ruleset *rs, const char *id);
int32_t dc_rs_find_input(const dc_ruleset *rs, int32_t entity, const char *name);
int32_t dc_rs_find_param(const dc_ruleset *rs, const char *name);
int32_t dc_rs_find_computed(const dc_ruleset *rs, const char *name);
int32_t dc_rs_find_entity(const dc_ruleset *rs, const char *name_or_plural);
/* Index of the parameter value in force at `date`, or -1. */
int32_t dc_param_value_at(const dc_param *p, int32_t date);

/* "article L. 521-1 du code de la sécurité sociale" / "article L. 521-1 of the Code de
 * la sécurité sociale" / texte: its title (with "article N du/of" when num is set). */
void dc_article_cite(dc_buf *out, const dc_article *a, const char *lang);

/* ---- the pipeline stages (each in its own file) ---- */
/* ruleset_xml.c: parse + RELAX NG validate + build the model, expressions parsed.
 * Returns NULL only when nothing could be built (XML unreadable, OOM); otherwise a
 * model, possibly with errors recorded in diags (the caller then frees it). */
dc_ruleset *dc_ruleset_read_xml(const char *data, size_t len, const char *filename,
                                dc_diag_list *diags);
/* check.c: resolve names, type, templates, cycles, warnings. Returns the number of
 * errors added. */
size_t dc_ruleset_check(dc_ruleset *rs, dc_diag_list *diags);
void dc_ruleset_free(dc_ruleset *rs);
#endif
