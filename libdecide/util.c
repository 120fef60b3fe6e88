/* util.c — arena and buffer implementations (see util.h). */
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dc_arena_block {
    dc_arena_block *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

void dc_arena_init(dc_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 16384;
    a->next = a->end = NULL;
}

static dc_arena_block *arena_new_block(size_t size)
{
    dc_arena_block *b = malloc(sizeof *b + size);
    if (!b) return NULL;
    b->next = NULL;
    b->size = size;
    return b;
}

void *dc_arena_alloc_block(dc_arena *a, size_t size)
{
    /* size is rounded by dc_arena_alloc */
    size_t want = size > a->block_size ? size : a->block_size;
    dc_arena_block *nb = arena_new_block(want);
    if (!nb) return NULL;
    dc_arena_block *b = a->head;
    if (b && size > a->block_size) {
        /* a large one-off allocation goes behind the current block so the
         * current block keeps serving small ones */
        nb->next = b->next;
        b->next = nb;
        return nb->data;
    }
    nb->next = b;
    a->head = nb;
    a->next = nb->data + size;
    a->end = nb->data + nb->size;
    return nb->data;
}

void *dc_arena_zalloc(dc_arena *a, size_t size)
{
    void *p = dc_arena_alloc(a, size);
    if (p) memset(p, 0, size);
    return p;
}

char *dc_arena_strndup(dc_arena *a, const char *s, size_t n)
{
    char *p = dc_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *dc_arena_strdup(dc_arena *a, const char *s)
{
    return s ? dc_arena_strndup(a, s, strlen(s)) : NULL;
}

void dc_arena_reset(dc_arena *a)
{
    dc_arena_block *b = a->head;
    if (!b) return;
    /* keep the oldest block (the first one allocated, usually the only one) */
    while (b->next) {
        dc_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = b;
    a->next = b->data;
    a->end = b->data + b->size;
}

void dc_arena_free(dc_arena *a)
{
    dc_arena_block *b = a->head;
    while (b) {
        dc_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->next = a->end = NULL;
}

void *dc_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap) return items;
    size_t c = *cap ? *cap * 2 : first;
    if (c <= n || c > SIZE_MAX / size) return NULL;
    void *p = realloc(items, c * size);
    if (p) *cap = c;
    return p;
}

void dc_buf_init(dc_buf *b) { b->data = NULL; b->len = b->cap = 0; b->failed = 0; }
void dc_buf_free(dc_buf *b) { free(b->data); dc_buf_init(b); }
void dc_buf_clear(dc_buf *b) { b->len = 0; if (b->data) b->data[0] = '\0'; }

static int buf_reserve(dc_buf *b, size_t extra)
{
    if (b->failed) return -1;
    if (b->len + extra + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) { b->failed = 1; return -1; }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) { b->failed = 1; return -1; }
    b->data = p;
    b->cap = cap;
    return 0;
}

int dc_buf_append(dc_buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0) return -1;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int dc_buf_puts(dc_buf *b, const char *s) { return dc_buf_append(b, s, strlen(s)); }
int dc_buf_putc(dc_buf *b, char c) { return dc_buf_append(b, &c, 1); }

int dc_buf_vprintf(dc_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || buf_reserve(b, (size_t)n) < 0) return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int dc_buf_printf(dc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = dc_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return r;
}

int dc_buf_json_string(dc_buf *b, const char *s)
{
    dc_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': dc_buf_puts(b, "\\\""); break;
        case '\\': dc_buf_puts(b, "\\\\"); break;
        case '\n': dc_buf_puts(b, "\\n"); break;
        case '\r': dc_buf_puts(b, "\\r"); break;
        case '\t': dc_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20) dc_buf_printf(b, "\\u%04x", *p);
            else dc_buf_putc(b, (char)*p);
        }
    }
    return dc_buf_putc(b, '"');
}

int dc_buf_html(dc_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': dc_buf_puts(b, "&lt;"); break;
        case '>': dc_buf_puts(b, "&gt;"); break;
        case '&': dc_buf_puts(b, "&amp;"); break;
        case '"': dc_buf_puts(b, "&quot;"); break;
        case '\'': dc_buf_puts(b, "&#39;"); break;
        default: dc_buf_putc(b, *s);
        }
    }
    return b->failed ? -1 : 0;
}

char *dc_buf_take(dc_buf *b)
{
    char *p = b->data;
    if (!p) p = calloc(1, 1);
    dc_buf_init(b);
    return p;
}

size_t dc_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return cap + 1;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = prev[j - 1] + cost;
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            cur[j] = v;
            if (v < row_min) row_min = v;
        }
        if (row_min > cap) return cap + 1;
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}
