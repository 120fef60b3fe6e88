/* case_internal.h — helpers shared by the two case readers (case_json.c, case_xml.c)
 * and implemented in case.c. Not part of any public contract: only the readers use
 * them, so that both report the same problems in the same words. */
#ifndef DC_CASE_INTERNAL_H
#define DC_CASE_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include "case.h"

/* Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). */
bool dc_utf8_valid(const char *s, size_t n);
/* Text shown in a message: cut after ~60 bytes on a character boundary, control
 * characters and invalid bytes replaced by '?'. */
void dc_case_show_text(dc_buf *out, const char *s, size_t n);
/* Closest name within edit distance 3 among `names` (NULL entries skipped), or NULL. */
const char *dc_case_suggest(const char *given, const char *const *names, size_t n_names);
/* Best suggestion for an undeclared field name: among the inputs of `entity` (-1: top
 * level inputs and the entity plural names). NULL when nothing is close. */
const char *dc_case_suggest_field(const dc_ruleset *rs, int32_t entity, const char *given);
/* Declared input named `name` in scope `entity` (-1 top level); -1 if none. */
int32_t dc_case_find_input(const dc_ruleset *rs, int32_t entity, const char *name, size_t len);
/* Entity whose plural is `name`; -1 if none. */
int32_t dc_case_find_list(const dc_ruleset *rs, const char *name, size_t len);
/* Sizes c->lists[e] for `count` records (facts missing, ids NULL). -1 on OOM. */
int dc_case_list_alloc(dc_case *c, int32_t e, size_t count);
/* Marks a fact invalid with a formatted reason (in the case arena). */
void dc_case_set_invalid(dc_case *c, dc_fact *f, const dc_input *in, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "a date (YYYY-MM-DD)", "an amount", …: what a value of the input's type looks like. */
const char *dc_case_type_phrase(dc_type_kind t);
#endif
