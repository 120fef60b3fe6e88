/* case.h — a case record read against a rule set's declared inputs (case_json.c,
 * case_xml.c). Each declared input becomes a fact: present (with a typed value),
 * missing, or invalid (with the reason). Undeclared fields are warnings with a "did you
 * mean" suggestion. A case is bound to the rule set it was read against. */
#ifndef DC_CASE_H
#define DC_CASE_H
#include <stdbool.h>
#include <stdint.h>
#include "diag.h"
#include "model.h"

typedef enum dc_fact_state { DC_FACT_MISSING = 0, DC_FACT_PRESENT, DC_FACT_INVALID } dc_fact_state;

/* A fact is its value alone, 16 bytes: a caseload's facts are read by the million, and
 * half the size is half the cache lines. Its state is in the value:
 *   present  value.known = 1: the typed value;
 *   missing  value.known = 0, value.aux = DC_FACT_MISSING (all bits zero is a missing fact);
 *   invalid  value.known = 0, value.aux = DC_FACT_INVALID, value.u.s what is wrong (in the
 *            case arena), e.g. "« 2025-02-30 » n'est pas une date".
 * Read the state and the reason, and set a fact unknown, with the functions below. */
typedef struct dc_fact {
    dc_value value;
} dc_fact;

static inline dc_fact_state dc_fact_state_of(const dc_fact *f)
{
    return f->value.known ? DC_FACT_PRESENT : f->value.aux == DC_FACT_INVALID ? DC_FACT_INVALID : DC_FACT_MISSING;
}
/* INVALID: what is wrong; else NULL */
static inline const char *dc_fact_why(const dc_fact *f)
{
    return dc_fact_state_of(f) == DC_FACT_INVALID ? f->value.u.s : NULL;
}
static inline void dc_fact_set_missing(dc_fact *f, dc_type_kind t) { f->value = dc_v_unknown(t); }
static inline void dc_fact_set_invalid(dc_fact *f, dc_type_kind t, const char *why)
{
    f->value = dc_v_unknown(t);
    f->value.aux = DC_FACT_INVALID;
    f->value.u.s = why;
}

typedef struct dc_case_list {
    int32_t count;             /* -1: the list itself is missing (unknown) */
    dc_fact *facts;            /* count × entity->n_inputs, record-major */
    const char **ids;          /* record ids ("id" field) or NULL each */
} dc_case_list;

typedef struct dc_case {
    dc_arena arena;
    const dc_ruleset *rs;
    bool has_date;             /* the record's "date" field */
    int32_t date;
    dc_fact *top;              /* [rs->n_top_inputs] */
    dc_case_list *lists;       /* [rs->n_entities] */
} dc_case;

/* The fact of input `input` for record (ignored for a top-level input): a record's
 * facts follow each other, its entity's inputs in order. */
static inline const dc_fact *dc_case_fact(const dc_case *c, int32_t input, int32_t record)
{
    const dc_input *in = &c->rs->inputs[input];
    if (in->entity < 0) return &c->top[in->slot];
    return &c->lists[in->entity].facts[(size_t)record * c->rs->entities[in->entity].n_inputs + in->slot];
}

/* Read a JSON / XML case record. Returns 0 and *out on success (field-level problems
 * are warnings in diags: the case is still usable). Returns -1 when the text is not
 * well-formed JSON/XML or is not an object/record (an error diagnostic with line and
 * column is added, *out is NULL). `filename` may be NULL. */
int dc_case_read_json(dc_case **out, const dc_ruleset *rs, const char *data, size_t len,
                      const char *filename, dc_diag_list *diags);
int dc_case_read_xml(dc_case **out, const dc_ruleset *rs, const char *data, size_t len,
                     const char *filename, dc_diag_list *diags);
/* Shared by both readers: set a fact from its text form / check bounds and patterns.
 * Returns the fact state; `why` set in the case arena when invalid. */
dc_fact_state dc_case_set_from_text(dc_case *c, dc_fact *f, const dc_input *in,
                                    const char *text, size_t len);
dc_case *dc_case_new(const dc_ruleset *rs);
void dc_case_free(dc_case *c);
/* Path of a fact for provenance: "ressources", "enfants[1].date_naissance". */
void dc_case_fact_path(dc_buf *out, const dc_ruleset *rs, int32_t input, int32_t record);
#endif
