/* fuzz_expr.c — libFuzzer target: any bytes as an expression (parser and printer). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    dc_arena arena;
    dc_arena_init(&arena, 4096);
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_expr *e = dc_parse_expr(&arena, text, "fuzz", 1, 1, &diags, NULL, NULL);
    if (e) {
        dc_buf b;
        dc_buf_init(&b);
        dc_expr_print(&b, e, NULL);
        dc_buf_free(&b);
    }
    dc_diag_list_free(&diags);
    dc_arena_free(&arena);
    free(text);
    return 0;
}
