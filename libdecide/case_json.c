/* case_json.c — reads a JSON case record (json-c) against a rule set's declared
 * inputs. Numbers are taken from their original text, never through a double, so
 * 0.1 is one tenth and 45000.00 is 4 500 000 cents. A malformed record is an error
 * with line:column; a bad or undeclared field is a warning and the case stays usable. */
#include "case.h"
#include "case_internal.h"
#include <json-c/json.h>
#include <limits.h>
#include <string.h>

/* Deeper than any case record needs (object > list > record > value), low enough
 * that a nesting bomb is refused long before it costs anything. */
#define JSON_MAX_DEPTH 64

typedef struct reader {
    dc_case *c;
    dc_diag_list *diags;
    const char *file;
} reader;

/* 1-based line and column of byte `offset`; columns count characters, not bytes, as
 * an editor shows them. */
static void position_of(const char *data, size_t offset, uint32_t *line, uint32_t *column)
{
    uint32_t l = 1, col = 1;
    for (size_t i = 0; i < offset; i++) {
        unsigned char b = (unsigned char)data[i];
        if (b == '\n') { l++; col = 1; }
        else if ((b & 0xC0u) != 0x80u) col++;
    }
    *line = l;
    *column = col;
}

static bool is_json_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* JSON allows exponents ("1e5", "2.5E-3"); the exact parsers take plain decimals, so
 * the exponent is applied by moving the decimal point in the digit string. NULL when
 * the result would not fit `cap` (far beyond any representable value anyway). */
static const char *plain_number(char *buf, size_t cap, const char *s)
{
    const char *e = strpbrk(s, "eE");
    if (!e) return s;
    const char *p = s;
    bool neg = *p == '-';
    if (neg) p++;
    char digits[64];
    size_t nd = 0, int_digits = 0;
    bool seen_point = false;
    for (; p < e; p++) {
        if (*p == '.') { seen_point = true; continue; }
        if (*p < '0' || *p > '9' || nd >= sizeof digits) return NULL;
        digits[nd++] = *p;
        if (!seen_point) int_digits++;
    }
    long exp = 0;
    const char *q = e + 1;
    bool exp_neg = false;
    if (*q == '+' || *q == '-') exp_neg = *q++ == '-';
    if (!*q) return NULL;
    for (; *q; q++) {
        if (*q < '0' || *q > '9') return NULL;
        exp = exp * 10 + (*q - '0');
        if (exp > 64) return NULL;
    }
    long point = (long)int_digits + (exp_neg ? -exp : exp);
    /* worst case: sign, "0.", 64 zeros, 64 digits, NUL */
    if (cap < 2 * sizeof digits + 8) return NULL;
    size_t o = 0;
    if (neg) buf[o++] = '-';
    if (point <= 0) {
        buf[o++] = '0';
        buf[o++] = '.';
        for (long k = 0; k < -point; k++) buf[o++] = '0';
        memcpy(buf + o, digits, nd);
        o += nd;
    } else if ((size_t)point >= nd) {
        memcpy(buf + o, digits, nd);
        o += nd;
        for (size_t k = nd; k < (size_t)point; k++) buf[o++] = '0';
    } else {
        memcpy(buf + o, digits, (size_t)point);
        o += (size_t)point;
        buf[o++] = '.';
        memcpy(buf + o, digits + point, nd - (size_t)point);
        o += nd - (size_t)point;
    }
    buf[o] = 0;
    /* "1.5e3" gives "1500" but "15e-1" gives "1.5"; leading zeros of the integer part
     * are dropped so the exact parsers see an ordinary literal */
    size_t start = neg ? 1 : 0, z = start;
    while (buf[z] == '0' && buf[z + 1] >= '0' && buf[z + 1] <= '9') z++;
    if (z > start) memmove(buf + start, buf + z, o - z + 1);
    return buf;
}

static const char *json_kind_phrase(json_type t)
{
    switch (t) {
    case json_type_boolean: return "true/false";
    case json_type_int: case json_type_double: return "a number";
    case json_type_string: return "a text";
    case json_type_object: return "an object";
    case json_type_array: return "a list";
    default: return "null";
    }
}

/* The field's path ("enfants[1].date_naissance") is built only for a warning: most
 * fields are valid, and formatting a path per field costs more than reading it. */
static void warn_invalid(reader *rd, int32_t input, int32_t record, const char *why)
{
    dc_buf path;
    dc_buf_init(&path);
    dc_case_fact_path(&path, rd->c->rs, input, record);
    dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, 0, 0, NULL, NULL, "%s: %s",
                path.data ? path.data : "?", why ? why : "invalid value");
    dc_buf_free(&path);
}

/* Sets one declared field from its JSON value; warns when it is invalid. */
static void read_field(reader *rd, dc_fact *f, const dc_input *in, json_object *v,
                       int32_t record)
{
    dc_case *c = rd->c;
    json_type t = json_object_get_type(v);
    switch (t) {
    case json_type_null:
        dc_fact_set_missing(f, in->type);
        return;
    case json_type_boolean:
        if (in->type == DC_T_BOOL) {
            f->value = dc_v_make(DC_T_BOOL, json_object_get_boolean(v) ? 1 : 0);
            return;
        }
        dc_case_set_invalid(c, f, in, "%s where %s is expected",
                            json_object_get_boolean(v) ? "true" : "false",
                            dc_case_type_phrase(in->type));
        break;
    case json_type_int: case json_type_double: {
        /* json-c keeps the original text of a non-integer number; an integer is
         * printed back from int64, which json-c saturates on overflow, so the
         * saturated values are treated as out of range */
        const char *text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
        if (!text) text = "";
        if (in->type != DC_T_INT && in->type != DC_T_DECIMAL && in->type != DC_T_RATE &&
            in->type != DC_T_MONEY) {
            dc_case_set_invalid(c, f, in, "%s: a number where %s is expected", text,
                                dc_case_type_phrase(in->type));
            break;
        }
        if (t == json_type_int &&
            (!strcmp(text, "9223372036854775807") || !strcmp(text, "-9223372036854775808") ||
             !strcmp(text, "18446744073709551615"))) {
            dc_case_set_invalid(c, f, in, "%s: out of range", text);
            break;
        }
        char expanded[160];
        const char *plain = plain_number(expanded, sizeof expanded, text);
        if (!plain) {
            dc_case_set_invalid(c, f, in, "%s: out of range", text);
            break;
        }
        dc_case_set_from_text(c, f, in, plain, strlen(plain));
        break;
    }
    case json_type_string:
        dc_case_set_from_text(c, f, in, json_object_get_string(v),
                              (size_t)json_object_get_string_len(v));
        break;
    default:
        dc_case_set_invalid(c, f, in, "%s where %s is expected", json_kind_phrase(t),
                            dc_case_type_phrase(in->type));
        break;
    }
    if (dc_fact_state_of(f) == DC_FACT_INVALID) warn_invalid(rd, (int32_t)(in - rd->c->rs->inputs), record, dc_fact_why(f));
}

static void warn_unknown(reader *rd, int32_t entity, const char *prefix, const char *key)
{
    dc_buf shown;
    dc_buf_init(&shown);
    if (prefix) dc_buf_puts(&shown, prefix);
    size_t klen = strlen(key);
    dc_case_show_text(&shown, key, klen);
    const char *name = shown.data && !shown.failed ? shown.data : "?";
    const char *suggestion =
        dc_utf8_valid(key, klen) ? dc_case_suggest_field(rd->c->rs, entity, key) : NULL;
    if (suggestion)
        dc_diag_add(rd->diags, DC_DIAG_CASE_UNKNOWN_FIELD, rd->file, 0, 0, NULL, NULL,
                    "unknown field '%s'; did you mean '%s'?", name, suggestion);
    else
        dc_diag_add(rd->diags, DC_DIAG_CASE_UNKNOWN_FIELD, rd->file, 0, 0, NULL, NULL,
                    "unknown field '%s'", name);
    dc_buf_free(&shown);
}

static void read_date(reader *rd, json_object *v)
{
    if (json_object_get_type(v) == json_type_null) return;
    if (json_object_get_type(v) == json_type_string) {
        int32_t days;
        const char *s = json_object_get_string(v);
        size_t n = (size_t)json_object_get_string_len(v);
        if (dc_parse_date(s, n, &days) == DC_VOK) {
            rd->c->has_date = true;
            rd->c->date = days;
            return;
        }
        dc_buf shown;
        dc_buf_init(&shown);
        dc_case_show_text(&shown, s, n);
        dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, 0, 0, NULL, NULL,
                    "date: %s: not a date (expected YYYY-MM-DD)",
                    shown.data && !shown.failed ? shown.data : "");
        dc_buf_free(&shown);
        return;
    }
    dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, 0, 0, NULL, NULL,
                "date: %s where a date (YYYY-MM-DD) is expected",
                json_kind_phrase(json_object_get_type(v)));
}

static void read_id(reader *rd, dc_case_list *l, size_t r, const char *plural, json_object *v)
{
    json_type t = json_object_get_type(v);
    if (t == json_type_null) return;
    if (t == json_type_string) {
        const char *s = json_object_get_string(v);
        size_t n = (size_t)json_object_get_string_len(v);
        if (dc_utf8_valid(s, n) && !memchr(s, '\0', n)) {
            l->ids[r] = dc_arena_strndup(&rd->c->arena, s, n);
            return;
        }
        dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, 0, 0, NULL, NULL,
                    "%s[%zu].id: not valid UTF-8 text; the record has no id", plural, r);
        return;
    }
    dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, 0, 0, NULL, NULL,
                "%s[%zu].id: %s where a text is expected; the record has no id", plural, r,
                json_kind_phrase(t));
}

static int read_list(reader *rd, int32_t e, json_object *v)
{
    const dc_ruleset *rs = rd->c->rs;
    const dc_entity *ent = &rs->entities[e];
    json_type t = json_object_get_type(v);
    if (t == json_type_null) return 0;   /* an unknown list, as when it is absent */
    if (t != json_type_array) {
        dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, 0, 0, NULL, NULL,
                    "%s: %s where a list of records is expected; the list is unknown",
                    ent->plural, json_kind_phrase(t));
        return 0;
    }
    size_t n = json_object_array_length(v);
    if (dc_case_list_alloc(rd->c, e, n) != 0) return -1;
    dc_case_list *l = &rd->c->lists[e];
    dc_buf path;
    dc_buf_init(&path);
    for (size_t r = 0; r < n; r++) {
        json_object *rec = json_object_array_get_idx(v, r);
        if (json_object_get_type(rec) != json_type_object) {
            dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, 0, 0, NULL, NULL,
                        "%s[%zu]: %s where a record (object) is expected; all its fields "
                        "are unknown", ent->plural, r,
                        json_kind_phrase(json_object_get_type(rec)));
            continue;
        }
        json_object_object_foreach(rec, key, val) {
            if (!strcmp(key, "id")) {
                read_id(rd, l, r, ent->plural, val);
                continue;
            }
            int32_t i = dc_case_find_input(rs, e, key, strlen(key));
            if (i < 0) {
                dc_buf_clear(&path);
                dc_buf_printf(&path, "%s[%zu].", ent->plural, r);
                warn_unknown(rd, e, path.data, key);
                continue;
            }
            const dc_input *in = &rs->inputs[i];
            read_field(rd, &l->facts[r * ent->n_inputs + in->slot], in, val, (int32_t)r);
        }
    }
    int failed = path.failed;
    dc_buf_free(&path);
    return failed ? -1 : 0;
}

static int read_record(reader *rd, json_object *root)
{
    const dc_ruleset *rs = rd->c->rs;
    json_object_object_foreach(root, key, val) {
        size_t klen = strlen(key);
        if (!strcmp(key, "date")) {
            read_date(rd, val);
            continue;
        }
        if (!strcmp(key, "id")) continue;   /* the case's identifier, for the caller's use */
        int32_t i = dc_case_find_input(rs, -1, key, klen);
        if (i >= 0) {
            const dc_input *in = &rs->inputs[i];
            read_field(rd, &rd->c->top[in->slot], in, val, -1);
            continue;
        }
        int32_t e = dc_case_find_list(rs, key, klen);
        if (e >= 0) {
            if (read_list(rd, e, val) != 0) return -1;
            continue;
        }
        warn_unknown(rd, -1, NULL, key);
    }
    return 0;
}

static int syntax_error(dc_diag_list *diags, const char *file, const char *data, size_t offset,
                        const char *what)
{
    uint32_t line, column;
    position_of(data, offset, &line, &column);
    dc_diag_add(diags, DC_DIAG_CASE_SYNTAX, file, line, column, NULL, NULL,
                "malformed JSON case record: %s", what);
    return -1;
}

int dc_case_read_json(dc_case **out, const dc_ruleset *rs, const char *data, size_t len,
                      const char *filename, dc_diag_list *diags)
{
    *out = NULL;
    size_t start = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) start = 3;   /* a UTF-8 BOM */
    if (len - start > (size_t)INT_MAX - 1) {
        dc_diag_add(diags, DC_DIAG_CASE_SYNTAX, filename, 0, 0, NULL, NULL,
                    "case record too large (%zu bytes)", len);
        return -1;
    }
    struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH);
    if (!tok) {
        dc_diag_add(diags, DC_DIAG_NOMEM, filename, 0, 0, NULL, NULL, "out of memory");
        return -1;
    }
    /* strict: standard JSON only (no trailing commas, comments or leading zeros) */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *root = json_tokener_parse_ex(tok, data + start, (int)(len - start));
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t end = start + json_tokener_get_parse_end(tok);
    json_tokener_free(tok);

    size_t first = start;
    while (first < len && is_json_space(data[first])) first++;
    int rc = 0;
    if (!root && err == json_tokener_continue) {
        if (first < len && data[first] != '{')
            rc = syntax_error(diags, filename, data, 0, "the case record must be a JSON object");
        else
            rc = syntax_error(diags, filename, data, len, "unexpected end of the data");
    } else if (!root && err != json_tokener_success) {
        rc = syntax_error(diags, filename, data, end, json_tokener_error_desc(err));
    } else if (json_object_get_type(root) != json_type_object) {
        rc = syntax_error(diags, filename, data, 0, "the case record must be a JSON object");
    } else {
        while (end < len && is_json_space(data[end])) end++;
        if (end < len)
            rc = syntax_error(diags, filename, data, end, "unexpected text after the case record");
    }
    if (rc != 0) {
        json_object_put(root);
        return -1;
    }

    dc_case *c = dc_case_new(rs);
    if (!c) {
        json_object_put(root);
        dc_diag_add(diags, DC_DIAG_NOMEM, filename, 0, 0, NULL, NULL, "out of memory");
        return -1;
    }
    reader rd = { c, diags, filename };
    rc = read_record(&rd, root);
    json_object_put(root);
    if (rc != 0) {
        dc_case_free(c);
        dc_diag_add(diags, DC_DIAG_NOMEM, filename, 0, 0, NULL, NULL, "out of memory");
        return -1;
    }
    *out = c;
    return 0;
}
