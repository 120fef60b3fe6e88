/* util.h — arenas and growable byte buffers, the two memory shapes of libdecide.
 * Anything that lives as long as a load or an evaluation is carved from an arena
 * and freed in one place; text being built (messages, renderings) goes in a dc_buf.
 * Allocation failure is reported (NULL / -1), never ignored. */
#ifndef DC_UTIL_H
#define DC_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef struct dc_arena_block dc_arena_block;
typedef struct dc_arena {
    dc_arena_block *head;   /* current block; older blocks chained behind it */
    size_t block_size;      /* default size of a new block */
    unsigned char *next, *end;   /* the current block's free bytes (NULL: no block) */
} dc_arena;

void  dc_arena_init(dc_arena *a, size_t block_size);
/* dc_arena_alloc when the current block has no room: a new block. */
void *dc_arena_alloc_block(dc_arena *a, size_t size);
/* 16-byte aligned; NULL on OOM. Inline: nearly every allocation fits in the current
 * block, and an evaluation makes a few per unknown value. */
static inline void *dc_arena_alloc(dc_arena *a, size_t size)
{
    size = (size + 15u) & ~(size_t)15u;
    if (size == 0) size = 16;
    if (a->next && size <= (size_t)(a->end - a->next)) {
        void *p = a->next;
        a->next += size;
        return p;
    }
    return dc_arena_alloc_block(a, size);
}
void *dc_arena_zalloc(dc_arena *a, size_t size);
char *dc_arena_strndup(dc_arena *a, const char *s, size_t n);
char *dc_arena_strdup(dc_arena *a, const char *s);
void  dc_arena_reset(dc_arena *a);   /* keeps the first block, frees the rest: no malloc per case */
void  dc_arena_free(dc_arena *a);

typedef struct dc_buf {
    char *data;     /* always NUL-terminated when len > 0 or after any append */
    size_t len, cap;
    int failed;     /* set once an allocation failed; later appends are no-ops */
} dc_buf;

/* Room for element n of a malloc'ed array of *cap elements of `size` bytes: the array
 * itself when n < *cap, else the array reallocated to twice the capacity (`first` when
 * empty), *cap updated. NULL when out of memory: the array and *cap are unchanged. */
void *dc_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

void dc_buf_init(dc_buf *b);
void dc_buf_free(dc_buf *b);
void dc_buf_clear(dc_buf *b);
int  dc_buf_append(dc_buf *b, const char *s, size_t n);
int  dc_buf_puts(dc_buf *b, const char *s);
int  dc_buf_putc(dc_buf *b, char c);
int  dc_buf_printf(dc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int  dc_buf_vprintf(dc_buf *b, const char *fmt, va_list ap);
/* JSON string literal with quotes, escaping control characters, '"' and '\\'. */
int  dc_buf_json_string(dc_buf *b, const char *s);
/* Text for HTML element content or attribute values. */
int  dc_buf_html(dc_buf *b, const char *s);
/* Detaches the data (caller frees with free()); the buffer is left empty. */
char *dc_buf_take(dc_buf *b);

/* Levenshtein distance capped at `cap` (for "did you mean" suggestions). */
size_t dc_edit_distance(const char *a, const char *b, size_t cap);
#endif
