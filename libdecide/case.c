/* case.c — what both case readers share: the case object and its arena, the typed
 * conversion of one field from its text (bounds, enum values, patterns included), the
 * "did you mean" suggestions and the provenance path of a fact. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "case.h"
#include "case_internal.h"
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ the case object */

dc_case *dc_case_new(const dc_ruleset *rs)
{
    dc_case *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    /* The first block holds a household of a few records and its strings: cases read
     * together then sit close in memory (an evaluation reads the facts of one case
     * after the other; a block far larger than the case spreads a caseload over pages
     * the processor must map, one per case). A larger case takes more blocks. */
    size_t block = 256 + rs->n_top_inputs * sizeof(dc_fact) + rs->n_entities * sizeof(dc_case_list);
    for (uint32_t e = 0; e < rs->n_entities; e++)
        block += 4 * (rs->entities[e].n_inputs * sizeof(dc_fact) + sizeof(char *));
    dc_arena_init(&c->arena, block);
    c->rs = rs;
    if (rs->n_top_inputs) {
        c->top = dc_arena_zalloc(&c->arena, rs->n_top_inputs * sizeof *c->top);
        if (!c->top) goto oom;
    }
    if (rs->n_entities) {
        c->lists = dc_arena_zalloc(&c->arena, rs->n_entities * sizeof *c->lists);
        if (!c->lists) goto oom;
        for (uint32_t e = 0; e < rs->n_entities; e++) c->lists[e].count = -1;
    }
    /* a missing fact still carries its type, so the evaluator can type "unknown" */
    for (uint32_t i = 0; i < rs->n_inputs; i++) {
        const dc_input *in = &rs->inputs[i];
        if (in->entity < 0 && in->slot < rs->n_top_inputs)
            c->top[in->slot].value = dc_v_unknown(in->type);
    }
    return c;
oom:
    dc_case_free(c);
    return NULL;
}

void dc_case_free(dc_case *c)
{
    if (!c) return;
    dc_arena_free(&c->arena);
    free(c);
}

int dc_case_list_alloc(dc_case *c, int32_t e, size_t count)
{
    const dc_entity *ent = &c->rs->entities[e];
    dc_case_list *l = &c->lists[e];
    if (count > INT32_MAX) return -1;
    l->count = 0;
    l->facts = NULL;
    l->ids = NULL;
    if (count == 0) return 0;
    if (ent->n_inputs) {
        if (count > SIZE_MAX / sizeof(dc_fact) / ent->n_inputs) return -1;
        l->facts = dc_arena_zalloc(&c->arena, count * ent->n_inputs * sizeof *l->facts);
        if (!l->facts) return -1;
        for (size_t r = 0; r < count; r++)
            for (uint32_t k = 0; k < ent->n_inputs; k++) {
                const dc_input *in = &c->rs->inputs[ent->first_input + k];
                l->facts[r * ent->n_inputs + in->slot].value = dc_v_unknown(in->type);
            }
    }
    l->ids = dc_arena_zalloc(&c->arena, count * sizeof *l->ids);
    if (!l->ids) return -1;
    l->count = (int32_t)count;
    return 0;
}

void dc_case_fact_path(dc_buf *out, const dc_ruleset *rs, int32_t input, int32_t record)
{
    if (input < 0 || (uint32_t)input >= rs->n_inputs) return;
    const dc_input *in = &rs->inputs[input];
    if (in->entity < 0)
        dc_buf_puts(out, in->name);
    else
        dc_buf_printf(out, "%s[%ld].%s", rs->entities[in->entity].plural, (long)record,
                      in->name);
}

/* ------------------------------------------------------------------ names */

int32_t dc_case_find_input(const dc_ruleset *rs, int32_t entity, const char *name, size_t len)
{
    uint32_t from = 0, to = rs->n_inputs;
    if (entity >= 0) {
        from = rs->entities[entity].first_input;
        to = from + rs->entities[entity].n_inputs;
    }
    for (uint32_t i = from; i < to; i++) {
        const dc_input *in = &rs->inputs[i];
        if (in->entity == entity && strlen(in->name) == len && memcmp(in->name, name, len) == 0)
            return (int32_t)i;
    }
    return -1;
}

int32_t dc_case_find_list(const dc_ruleset *rs, const char *name, size_t len)
{
    for (uint32_t e = 0; e < rs->n_entities; e++) {
        const char *p = rs->entities[e].plural;
        if (p && strlen(p) == len && memcmp(p, name, len) == 0) return (int32_t)e;
    }
    return -1;
}

#define SUGGEST_MAX_DISTANCE 3

/* Within 3 edits, and no more edits than half the word: "id" is not a misspelt "nir". */
static bool close_enough(const char *given, size_t distance)
{
    return distance <= SUGGEST_MAX_DISTANCE && 2 * distance <= strlen(given);
}

const char *dc_case_suggest(const char *given, const char *const *names, size_t n_names)
{
    const char *best = NULL;
    size_t best_d = SUGGEST_MAX_DISTANCE + 1;
    for (size_t i = 0; i < n_names; i++) {
        if (!names[i]) continue;
        size_t d = dc_edit_distance(given, names[i], SUGGEST_MAX_DISTANCE);
        if (d < best_d && close_enough(given, d)) { best_d = d; best = names[i]; }
    }
    return best;
}

static void consider(const char *given, const char *name, const char **best, size_t *best_d)
{
    if (!name) return;
    size_t d = dc_edit_distance(given, name, SUGGEST_MAX_DISTANCE);
    if (d < *best_d && close_enough(given, d)) { *best_d = d; *best = name; }
}

const char *dc_case_suggest_field(const dc_ruleset *rs, int32_t entity, const char *given)
{
    const char *best = NULL;
    size_t best_d = SUGGEST_MAX_DISTANCE + 1;
    for (uint32_t i = 0; i < rs->n_inputs; i++)
        if (rs->inputs[i].entity == entity) consider(given, rs->inputs[i].name, &best, &best_d);
    if (entity < 0)
        for (uint32_t e = 0; e < rs->n_entities; e++)
            consider(given, rs->entities[e].plural, &best, &best_d);
    return best;
}

/* ------------------------------------------------------------------ text */

bool dc_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) { i++; continue; }
        size_t need;
        uint32_t cp;
        if (b >= 0xC2 && b <= 0xDF) { need = 1; cp = b & 0x1Fu; }
        else if (b >= 0xE0 && b <= 0xEF) { need = 2; cp = b & 0x0Fu; }
        else if (b >= 0xF0 && b <= 0xF4) { need = 3; cp = b & 0x07u; }
        else return false;
        if (n - i - 1 < need) return false;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0u) != 0x80u) return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += need + 1;
    }
    return true;
}

#define SHOW_MAX 60

void dc_case_show_text(dc_buf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        size_t clen = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (i >= SHOW_MAX) { dc_buf_puts(out, "\xE2\x80\xA6"); return; }   /* … */
        if (b < 0x20 || b == 0x7F || clen > n - i || !dc_utf8_valid(s + i, clen)) {
            dc_buf_putc(out, '?');
            i++;
            continue;
        }
        dc_buf_append(out, s + i, clen);
        i += clen;
    }
}

const char *dc_case_type_phrase(dc_type_kind t)
{
    switch (t) {
    case DC_T_BOOL: return "true or false";
    case DC_T_INT: return "a whole number";
    case DC_T_DECIMAL: return "a number";
    case DC_T_RATE: return "a rate (0.32 or \"32 %\")";
    case DC_T_MONEY: return "an amount";
    case DC_T_DATE: return "a date (YYYY-MM-DD)";
    case DC_T_ENUM: return "one of the listed values";
    case DC_T_TEXT: return "a text";
    default: return "a value this reader cannot take";
    }
}

void dc_case_set_invalid(dc_case *c, dc_fact *f, const dc_input *in, const char *fmt, ...)
{
    dc_buf b;
    dc_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    dc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* on OOM the reason is lost but the fact is still invalid, never silently present */
    const char *why = (b.data && !b.failed) ? dc_arena_strndup(&c->arena, b.data, b.len) : NULL;
    dc_fact_set_invalid(f, in->type, why ? why : "invalid value");
    dc_buf_free(&b);
}

/* The reason for a rejected literal, worded per type and per parse error. */
static const char *parse_error_reason(dc_type_kind t, int rc)
{
    if (rc == DC_VERR_OVERFLOW || (rc == DC_VERR_RANGE && t != DC_T_DATE)) return "out of range";
    switch (t) {
    case DC_T_BOOL: return "not true or false";
    case DC_T_INT: return "not a whole number";
    case DC_T_DECIMAL:
        return rc == DC_VERR_PRECISION ? "more than 9 decimals for a number" : "not a number";
    case DC_T_RATE:
        return rc == DC_VERR_PRECISION ? "too many decimals for a rate"
                                       : "not a rate (expected 0.32 or 32 %)";
    case DC_T_MONEY:
        return rc == DC_VERR_PRECISION ? "more than 2 decimals for an amount" : "not an amount";
    case DC_T_DATE:
        return rc == DC_VERR_RANGE ? "not a date: no such day in the calendar"
                                   : "not a date (expected YYYY-MM-DD)";
    default: return "cannot be read from text";
    }
}

static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

static dc_fact_state set_enum(dc_case *c, dc_fact *f, const dc_input *in, const char *text,
                              size_t len, const char *shown)
{
    while (len && is_space(*text)) { text++; len--; }
    while (len && is_space(text[len - 1])) len--;
    for (uint32_t k = 0; k < in->n_enum_values; k++) {
        const char *v = in->enum_values[k];
        if (strlen(v) == len && memcmp(v, text, len) == 0) {
            f->value = dc_v_make(DC_T_ENUM, (int64_t)k);
            return DC_FACT_PRESENT;
        }
    }
    dc_buf values;
    dc_buf_init(&values);
    for (uint32_t k = 0; k < in->n_enum_values; k++) {
        if (k) dc_buf_puts(&values, ", ");
        dc_buf_puts(&values, in->enum_values[k]);
    }
    char *given = dc_arena_strndup(&c->arena, text, len);
    const char *suggestion =
        given ? dc_case_suggest(given, (const char *const *)in->enum_values, in->n_enum_values)
              : NULL;
    if (suggestion)
        dc_case_set_invalid(c, f, in, "%s: not one of %s; did you mean '%s'?", shown,
                            values.data ? values.data : "", suggestion);
    else
        dc_case_set_invalid(c, f, in, "%s: not one of %s", shown, values.data ? values.data : "");
    dc_buf_free(&values);
    return DC_FACT_INVALID;
}

static dc_fact_state set_text(dc_case *c, dc_fact *f, const dc_input *in, const char *text,
                              size_t len, const char *shown)
{
    if (memchr(text, '\0', len)) {
        dc_case_set_invalid(c, f, in, "%s: contains a NUL character", shown);
        return DC_FACT_INVALID;
    }
    if (in->pattern_code) {
        pcre2_code *code = in->pattern_code;
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
        if (!md) {
            dc_case_set_invalid(c, f, in, "%s: out of memory while checking the pattern", shown);
            return DC_FACT_INVALID;
        }
        int rc = pcre2_match(code, (PCRE2_SPTR)text, len, 0, 0, md, NULL);
        pcre2_match_data_free(md);
        if (rc == PCRE2_ERROR_NOMATCH) {
            dc_case_set_invalid(c, f, in, "%s: does not have the expected form %s", shown,
                                in->pattern ? in->pattern : "");
            return DC_FACT_INVALID;
        }
        if (rc < 0) {
            PCRE2_UCHAR msg[120];
            if (pcre2_get_error_message(rc, msg, sizeof msg) < 0) msg[0] = 0;
            dc_case_set_invalid(c, f, in, "%s: could not be checked against the pattern (%s)",
                                shown, (const char *)msg);
            return DC_FACT_INVALID;
        }
    }
    char *copy = dc_arena_strndup(&c->arena, text, len);
    if (!copy) {
        dc_case_set_invalid(c, f, in, "out of memory");
        return DC_FACT_INVALID;
    }
    f->value = dc_v_unknown(DC_T_TEXT);
    f->value.known = 1;
    f->value.u.s = copy;
    return DC_FACT_PRESENT;
}

/* Bounds of numeric and date inputs (max="date" is the evaluator's business). */
static dc_fact_state check_bounds(dc_case *c, dc_fact *f, const dc_input *in, const char *shown)
{
    dc_value v = f->value;
    int below = 0, above = 0;
    if (in->type == DC_T_DATE) {
        below = in->has_min && v.u.i < in->min.u.i;
        above = in->has_max && !in->max_is_eval_date && v.u.i > in->max.u.i;
    } else if (in->type == DC_T_INT || in->type == DC_T_DECIMAL || in->type == DC_T_RATE ||
               in->type == DC_T_MONEY) {
        below = in->has_min && dc_num_cmp(v, in->min) < 0;
        above = in->has_max && !in->max_is_eval_date && dc_num_cmp(v, in->max) > 0;
    }
    if (!below && !above) return DC_FACT_PRESENT;
    dc_buf bound;
    dc_buf_init(&bound);
    dc_value_canonical(&bound, below ? in->min : in->max, NULL);
    dc_case_set_invalid(c, f, in, "%s: %s the %s %s", shown, below ? "below" : "above",
                        below ? "minimum" : "maximum", bound.data ? bound.data : "");
    dc_buf_free(&bound);
    return DC_FACT_INVALID;
}

dc_fact_state dc_case_set_from_text(dc_case *c, dc_fact *f, const dc_input *in,
                                    const char *text, size_t len)
{
    if (!text) len = 0, text = "";
    /* fast path for the common case, a well-formed value within its bounds: no
     * display text is built (the slow path below rebuilds everything for messages) */
    if (in->type == DC_T_ENUM) {
        for (uint32_t k = 0; k < in->n_enum_values; k++) {
            if (strlen(in->enum_values[k]) == len && memcmp(in->enum_values[k], text, len) == 0) {
                f->value = dc_v_make(DC_T_ENUM, k);
                return DC_FACT_PRESENT;
            }
        }
    } else if (in->type != DC_T_TEXT && in->type < DC_T_DURATION) {
        dc_value v;
        if (dc_parse_typed(in->type, text, len, &v) == DC_VOK &&
            (!in->has_min || (in->type == DC_T_DATE ? v.u.i >= in->min.u.i : dc_num_cmp(v, in->min) >= 0)) &&
            (!in->has_max || in->max_is_eval_date ||
             (in->type == DC_T_DATE ? v.u.i <= in->max.u.i : dc_num_cmp(v, in->max) <= 0))) {
            f->value = v;
            return DC_FACT_PRESENT;
        }
    }
    if (!dc_utf8_valid(text, len)) {
        dc_case_set_invalid(c, f, in, "not valid UTF-8 text");
        return DC_FACT_INVALID;
    }
    dc_buf shown_buf;
    dc_buf_init(&shown_buf);
    if (len == 0) dc_buf_puts(&shown_buf, "(empty)");
    else dc_case_show_text(&shown_buf, text, len);
    const char *shown = shown_buf.data && !shown_buf.failed ? shown_buf.data : "value";

    dc_fact_state st;
    switch (in->type) {
    case DC_T_ENUM: st = set_enum(c, f, in, text, len, shown); break;
    case DC_T_TEXT: st = set_text(c, f, in, text, len, shown); break;
    case DC_T_BOOL: case DC_T_INT: case DC_T_DECIMAL: case DC_T_RATE: case DC_T_MONEY:
    case DC_T_DATE: {
        dc_value v;
        int rc = dc_parse_typed(in->type, text, len, &v);
        if (rc != DC_VOK) {
            dc_case_set_invalid(c, f, in, "%s: %s", shown, parse_error_reason(in->type, rc));
            st = DC_FACT_INVALID;
            break;
        }
        f->value = v;
        st = check_bounds(c, f, in, shown);
        break;
    }
    default:
        dc_case_set_invalid(c, f, in, "inputs of type %s cannot be read from a case record",
                            dc_type_name(in->type));
        st = DC_FACT_INVALID;
        break;
    }
    dc_buf_free(&shown_buf);
    return st;
}
