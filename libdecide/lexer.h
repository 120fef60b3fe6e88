/* lexer.h — tokens of the expression language (rulesets/LANGUAGE.md §3), internal to
 * parser.c. The lexer is a small value type: copying it is how the parser looks ahead.
 * Lexical errors come back as DC_TK_ERROR tokens carrying their message, so that a
 * look-ahead never reports anything and the parser reports each error once. */
#ifndef DC_LEXER_H
#define DC_LEXER_H
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "value.h"

/* X(NAME, "spelling") — the spelling is what messages quote. */
#define DC_TOKENS(X) \
    X(EOF, "end of expression") X(ERROR, "invalid token") X(IDENT, "name") \
    X(INT, "integer") X(DECIMAL, "decimal") X(RATE, "rate") X(MONEY, "money") \
    X(DATE, "date") X(STRING, "text") \
    X(IF, "if") X(THEN, "then") X(ELSE, "else") X(AND, "and") X(OR, "or") \
    X(NOT, "not") X(IN, "in") X(WHERE, "where") X(TRUE, "true") X(FALSE, "false") \
    X(PLUS, "+") X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(LPAREN, "(") \
    X(RPAREN, ")") X(COMMA, ",") X(DOT, ".") X(EQ, "=") X(NE, "!=") X(LT, "<") \
    X(LE, "<=") X(GT, ">") X(GE, ">=")

typedef enum dc_token_kind {
#define X(name, str) DC_TK_##name,
    DC_TOKENS(X)
#undef X
    DC_TK_COUNT_
} dc_token_kind;

typedef struct dc_token {
    dc_token_kind kind;
    const char *start;      /* the token as written (strings: with their quotes) */
    size_t len;
    uint32_t line, column;  /* of the first character; EOF: just after the last token */
    dc_value value;         /* INT, DECIMAL, RATE, MONEY, DATE: the converted literal */
    dc_diag_code err_code;  /* ERROR: EXPR_SYNTAX or BAD_LITERAL */
    char err[160];          /* ERROR: the message */
} dc_token;

typedef struct dc_lexer {
    const char *p;          /* next byte to read */
    uint32_t line, column;  /* position of *p; columns count code points */
} dc_lexer;

void dc_lex_init(dc_lexer *lx, const char *text, uint32_t line, uint32_t column);
/* Reads the next token. At the end it keeps returning EOF; after an ERROR the position
 * is unspecified (the parser stops at the first error). */
void dc_lex_next(dc_lexer *lx, dc_token *tok);
const char *dc_token_kind_spelling(dc_token_kind k);
#endif
