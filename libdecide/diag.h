/* diag.h — diagnostic records, shaped like libxml2's error record:
 * {severity, code, message, file, line, column, rule, article}. A load or a case read
 * collects all of them in a dc_diag_list; strings live in the list's arena. */
#ifndef DC_DIAG_H
#define DC_DIAG_H
#include <stdint.h>
#include <stddef.h>
#include "util.h"
#include "diag_codes.h"

typedef enum dc_severity { DC_SEV_WARNING = 1, DC_SEV_ERROR = 2 } dc_severity;

typedef enum dc_diag_code {
#define X(name, str, sev) DC_DIAG_##name,
    DC_DIAG_CODES(X)
#undef X
    DC_DIAG_COUNT_
} dc_diag_code;

typedef struct dc_diag {
    dc_severity severity;
    dc_diag_code code;
    const char *message;
    const char *file;     /* may be NULL (memory buffer without a name) */
    uint32_t line, column;/* 1-based; 0 when unknown */
    const char *rule;     /* rule id or computed value name, or NULL */
    const char *article;  /* article id, or NULL */
    uint32_t seq;         /* insertion order, for a stable sort */
} dc_diag;

typedef struct dc_diag_list {
    dc_diag *items;
    size_t count, cap;
    size_t errors, warnings;
    dc_arena arena;
} dc_diag_list;

void dc_diag_list_init(dc_diag_list *l);
void dc_diag_list_free(dc_diag_list *l);
const char *dc_diag_code_name(dc_diag_code code);
dc_severity dc_diag_code_severity(dc_diag_code code);
/* Adds a diagnostic with the code's default severity. */
void dc_diag_add(dc_diag_list *l, dc_diag_code code, const char *file, uint32_t line,
                 uint32_t column, const char *rule, const char *article,
                 const char *fmt, ...) __attribute__((format(printf, 8, 9)));
void dc_diag_addv(dc_diag_list *l, dc_severity sev, dc_diag_code code, const char *file,
                  uint32_t line, uint32_t column, const char *rule, const char *article,
                  const char *fmt, va_list ap);
/* Sorts by file, line, column (stable), as users read them. */
void dc_diag_list_sort(dc_diag_list *l);
/* "file:line:col: error: message [code] (rule R, article A)" */
void dc_diag_format(dc_buf *out, const dc_diag *d);
void dc_diag_format_fields(dc_buf *out, const char *file, uint32_t line, uint32_t column,
                          int is_error, const char *message, const char *code,
                          const char *rule, const char *article);
#endif
