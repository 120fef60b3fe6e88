/* diag.c — diagnostic lists (see diag.h). */
#include "diag.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const code_names[] = {
#define X(name, str, sev) str,
    DC_DIAG_CODES(X)
#undef X
};
static const dc_severity code_sev[] = {
#define X(name, str, sev) DC_SEV_##sev,
    DC_DIAG_CODES(X)
#undef X
};

const char *dc_diag_code_name(dc_diag_code c) { return (unsigned)c < DC_DIAG_COUNT_ ? code_names[c] : "?"; }
dc_severity dc_diag_code_severity(dc_diag_code c) { return (unsigned)c < DC_DIAG_COUNT_ ? code_sev[c] : DC_SEV_ERROR; }

void dc_diag_list_init(dc_diag_list *l)
{
    memset(l, 0, sizeof *l);
    dc_arena_init(&l->arena, 4096);
}

void dc_diag_list_free(dc_diag_list *l)
{
    free(l->items);
    dc_arena_free(&l->arena);
    memset(l, 0, sizeof *l);
}

void dc_diag_addv(dc_diag_list *l, dc_severity sev, dc_diag_code code, const char *file,
                  uint32_t line, uint32_t column, const char *rule, const char *article,
                  const char *fmt, va_list ap)
{
    dc_diag *items = dc_grow(l->items, &l->cap, l->count, sizeof *items, 16);
    if (!items) return; /* the count of errors below still tells the caller */
    l->items = items;
    dc_buf msg;
    dc_buf_init(&msg);
    dc_buf_vprintf(&msg, fmt, ap);
    dc_diag *d = &l->items[l->count++];
    d->seq = (uint32_t)(l->count - 1);
    d->severity = sev;
    d->code = code;
    d->message = dc_arena_strdup(&l->arena, msg.data ? msg.data : "");
    d->file = file ? dc_arena_strdup(&l->arena, file) : NULL;
    d->line = line;
    d->column = column;
    d->rule = rule ? dc_arena_strdup(&l->arena, rule) : NULL;
    d->article = article ? dc_arena_strdup(&l->arena, article) : NULL;
    dc_buf_free(&msg);
    if (sev == DC_SEV_ERROR) l->errors++; else l->warnings++;
}

void dc_diag_add(dc_diag_list *l, dc_diag_code code, const char *file, uint32_t line,
                 uint32_t column, const char *rule, const char *article, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dc_diag_addv(l, dc_diag_code_severity(code), code, file, line, column, rule, article, fmt, ap);
    va_end(ap);
}

static int diag_cmp(const void *pa, const void *pb)
{
    const dc_diag *a = pa, *b = pb;
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->column != b->column) return a->column < b->column ? -1 : 1;
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

void dc_diag_list_sort(dc_diag_list *l)
{
    if (l->count < 2) return;
    qsort(l->items, l->count, sizeof *l->items, diag_cmp);
}

void dc_diag_format_fields(dc_buf *out, const char *file, uint32_t line, uint32_t column,
                          int is_error, const char *message, const char *code,
                          const char *rule, const char *article)
{
    if (file) dc_buf_printf(out, "%s:", file);
    if (line) dc_buf_printf(out, "%u:%u:", line, column);
    dc_buf_printf(out, "%s%s: %s [%s]", (file || line) ? " " : "",
                  is_error ? "error" : "warning", message, code);
    if (rule || article) {
        dc_buf_puts(out, " (");
        if (rule) dc_buf_printf(out, "rule %s", rule);
        if (rule && article) dc_buf_puts(out, ", ");
        if (article) dc_buf_printf(out, "article %s", article);
        dc_buf_puts(out, ")");
    }
}

void dc_diag_format(dc_buf *out, const dc_diag *d)
{
    dc_diag_format_fields(out, d->file, d->line, d->column, d->severity == DC_SEV_ERROR,
                          d->message, dc_diag_code_name(d->code), d->rule, d->article);
}
