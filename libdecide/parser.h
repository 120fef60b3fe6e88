/* parser.h — the expression language's lexer and recursive-descent parser (grammar in
 * rulesets/LANGUAGE.md §3). Text in, unresolved dc_expr tree out; every error is a
 * diagnostic with the file position of the offending token. */
#ifndef DC_PARSER_H
#define DC_PARSER_H
#include "ast.h"
#include "diag.h"

#define DC_MAX_EXPR_DEPTH 200

/* Parses `text` (NUL-terminated), which starts at (line, column) of `file`; a newline
 * in the text advances the line and resets the column to 1. `rule`/`article` are
 * copied into diagnostics. Returns NULL (after adding at least one diagnostic) on
 * error. Nodes are allocated in `arena`. */
dc_expr *dc_parse_expr(dc_arena *arena, const char *text, const char *file,
                       uint32_t line, uint32_t column, dc_diag_list *diags,
                       const char *rule, const char *article);
#endif
