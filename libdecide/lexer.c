/* lexer.c — turns expression text into tokens (rulesets/LANGUAGE.md §3): names,
 * keywords, exact literals with their units (%, €, EUR), dates, quoted texts and the
 * operators, with line and column (in code points) of every token. */
#include "lexer.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const token_spellings[] = {
#define X(name, str) str,
    DC_TOKENS(X)
#undef X
};

const char *dc_token_kind_spelling(dc_token_kind k)
{
    return (unsigned)k < DC_TK_COUNT_ ? token_spellings[k] : "?";
}

void dc_lex_init(dc_lexer *lx, const char *text, uint32_t line, uint32_t column)
{
    lx->p = text ? text : "";
    lx->line = line ? line : 1;
    lx->column = column ? column : 1;
}

/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF): the length of the
 * sequence at s, or 0 when it is invalid. A NUL ends every sequence early. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    int n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

static void advance(dc_lexer *lx, size_t n)
{
    for (size_t i = 0; i < n && *lx->p; i++, lx->p++) {
        unsigned char c = (unsigned char)*lx->p;
        if (c == '\n') { lx->line++; lx->column = 1; }
        else if ((c & 0xC0) != 0x80) lx->column++;
    }
}

/* Length of a horizontal space at p (0 if none). French typography puts a no-break
 * space (U+00A0) or a narrow one (U+202F) before '%' and '€'; authors copy it in. */
static size_t hspace_len(const char *p)
{
    if (*p == ' ' || *p == '\t') return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) return 2;
    if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xAF)
        return 3;
    return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

static void set_error(dc_token *tok, dc_diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_error(dc_token *tok, dc_diag_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tok->err, sizeof tok->err, fmt, ap);
    va_end(ap);
    tok->kind = DC_TK_ERROR;
    tok->err_code = code;
}

static const struct { const char *word; dc_token_kind kind; } keywords[] = {
    { "if", DC_TK_IF }, { "then", DC_TK_THEN }, { "else", DC_TK_ELSE },
    { "and", DC_TK_AND }, { "or", DC_TK_OR }, { "not", DC_TK_NOT }, { "in", DC_TK_IN },
    { "where", DC_TK_WHERE }, { "true", DC_TK_TRUE }, { "false", DC_TK_FALSE },
};

/* The token text quoted in literal errors is capped: a 10 kB run of digits should
 * not make a 10 kB message. */
#define QUOTE_MAX 40
static int quote_len(size_t n) { return n > QUOTE_MAX ? QUOTE_MAX : (int)n; }

/* DDDD-DD-DD not followed by another name or number character. */
static int looks_like_date(const char *s)
{
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) { if (s[i] != '-') return 0; }
        else if (!is_digit(s[i])) return 0;
    }
    return !is_ident_char(s[10]) && s[10] != '.';
}

static void lex_number(dc_lexer *lx, dc_token *tok)
{
    const char *s = lx->p;
    if (looks_like_date(s)) {
        int32_t days;
        advance(lx, 10);
        tok->len = 10;
        if (dc_parse_date(s, 10, &days) != DC_VOK) {
            set_error(tok, DC_DIAG_BAD_LITERAL, "invalid date '%.10s' (not a day of the calendar)", s);
            return;
        }
        tok->kind = DC_TK_DATE;
        tok->value = dc_v_make(DC_T_DATE, days);
        return;
    }
    size_t n = 0;
    int has_point = 0;
    while (is_digit(s[n])) n++;
    if (s[n] == '.') {
        if (!is_digit(s[n + 1])) {
            tok->len = n + 1;
            set_error(tok, DC_DIAG_BAD_LITERAL, "digits expected after the decimal point in '%.*s'",
                      quote_len(n + 1), s);
            return;
        }
        has_point = 1;
        n++;
        while (is_digit(s[n])) n++;
    }
    /* the unit may follow directly or after horizontal spaces */
    size_t u = n, sp;
    while ((sp = hspace_len(s + u)) > 0) u += sp;
    dc_token_kind kind = has_point ? DC_TK_DECIMAL : DC_TK_INT;
    size_t unit_len = 0;
    if (s[u] == '%') { kind = DC_TK_RATE; unit_len = 1; }
    else if ((unsigned char)s[u] == 0xE2 && (unsigned char)s[u + 1] == 0x82 && (unsigned char)s[u + 2] == 0xAC) {
        kind = DC_TK_MONEY; unit_len = 3;
    } else if (strncmp(s + u, "EUR", 3) == 0 && !is_ident_char(s[u + 3])) {
        kind = DC_TK_MONEY; unit_len = 3;
    }
    size_t total = unit_len ? u + unit_len : n;
    tok->len = total;
    if (!unit_len && (is_ident_char(s[n]) || s[n] == '.')) {
        size_t m = n;
        while (is_ident_char(s[m]) || s[m] == '.') m++;
        tok->len = m;
        set_error(tok, DC_DIAG_BAD_LITERAL, "invalid number '%.*s'", quote_len(m), s);
        return;
    }
    advance(lx, total);
    int64_t v = 0;
    int rc;
    switch (kind) {
    case DC_TK_INT:
        rc = dc_parse_int(s, n, &v);
        if (rc != DC_VOK) {
            set_error(tok, DC_DIAG_BAD_LITERAL, "integer out of range: '%.*s'", quote_len(n), s);
            return;
        }
        tok->value = dc_v_make(DC_T_INT, v);
        break;
    case DC_TK_DECIMAL:
        rc = dc_parse_decimal(s, n, &v);
        if (rc == DC_VERR_PRECISION) {
            set_error(tok, DC_DIAG_BAD_LITERAL, "decimal '%.*s' has more than %d fractional digits",
                      quote_len(n), s, DC_DEC_DIGITS);
            return;
        }
        if (rc != DC_VOK) {
            set_error(tok, DC_DIAG_BAD_LITERAL, "decimal out of range: '%.*s'", quote_len(n), s);
            return;
        }
        tok->value = dc_v_make(DC_T_DECIMAL, v);
        break;
    case DC_TK_RATE:
        /* a percentage keeps 7 fractional digits so that the fraction keeps 9 */
        rc = dc_parse_decimal(s, n, &v);
        if (rc == DC_VERR_PRECISION || (rc == DC_VOK && v % 100 != 0)) {
            set_error(tok, DC_DIAG_BAD_LITERAL, "rate '%.*s' has more than %d fractional digits",
                      quote_len(total), s, DC_DEC_DIGITS - 2);
            return;
        }
        if (rc != DC_VOK) {
            set_error(tok, DC_DIAG_BAD_LITERAL, "rate out of range: '%.*s'", quote_len(total), s);
            return;
        }
        tok->value = dc_v_make(DC_T_RATE, v / 100);
        break;
    default: /* DC_TK_MONEY */
        rc = dc_parse_money(s, n, &v);
        if (rc == DC_VERR_PRECISION) {
            set_error(tok, DC_DIAG_BAD_LITERAL,
                      "amount '%.*s' has more than 2 decimals (money is counted in cents)",
                      quote_len(total), s);
            return;
        }
        if (rc != DC_VOK) {
            set_error(tok, DC_DIAG_BAD_LITERAL, "amount out of range: '%.*s'", quote_len(total), s);
            return;
        }
        tok->value = dc_v_make(DC_T_MONEY, v);
        break;
    }
    tok->kind = kind;
}

/* 'text' with '' for a quote; the parser unescapes it. Single line, valid UTF-8. */
static void lex_string(dc_lexer *lx, dc_token *tok)
{
    const char *s = lx->p;
    size_t n = 1;
    for (;;) {
        unsigned char c = (unsigned char)s[n];
        if (c == '\'') {
            if (s[n + 1] == '\'') { n += 2; continue; }
            n++;
            break;
        }
        if (c == '\0' || c == '\n' || c == '\r') {
            tok->len = n;
            set_error(tok, DC_DIAG_EXPR_SYNTAX,
                      "unterminated text literal: the closing ' is missing on this line");
            return;
        }
        uint32_t cp;
        int k = utf8_decode((const unsigned char *)s + n, &cp);
        if (!k) {
            /* report the bad byte itself, not the start of the string */
            advance(lx, n);
            tok->line = lx->line;
            tok->column = lx->column;
            tok->start = s + n;
            tok->len = 1;
            set_error(tok, DC_DIAG_EXPR_SYNTAX, "invalid UTF-8 byte 0x%02X in a text literal", c);
            return;
        }
        n += (size_t)k;
    }
    tok->len = n;
    tok->kind = DC_TK_STRING;
    advance(lx, n);
}

void dc_lex_next(dc_lexer *lx, dc_token *tok)
{
    memset(tok, 0, sizeof *tok);
    uint32_t end_line = lx->line, end_column = lx->column;
    for (;;) {
        size_t sp = hspace_len(lx->p);
        if (sp) advance(lx, sp);
        else if (*lx->p == '\n' || *lx->p == '\r') advance(lx, 1);
        else break;
    }
    const char *s = lx->p;
    tok->start = s;
    tok->line = lx->line;
    tok->column = lx->column;
    tok->len = 1;
    unsigned char c = (unsigned char)*s;
    if (c == '\0') {
        /* "unexpected end" is best shown right after the last token */
        tok->kind = DC_TK_EOF;
        tok->len = 0;
        tok->line = end_line;
        tok->column = end_column;
        return;
    }
    if (is_ident_start((char)c)) {
        size_t n = 1;
        while (is_ident_char(s[n])) n++;
        tok->len = n;
        tok->kind = DC_TK_IDENT;
        for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
            if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, s, n) == 0)
                tok->kind = keywords[i].kind;
        advance(lx, n);
        return;
    }
    if (is_digit((char)c)) { lex_number(lx, tok); return; }
    if (c == '\'') { lex_string(lx, tok); return; }
    dc_token_kind k = DC_TK_ERROR;
    size_t n = 1;
    switch (c) {
    case '+': k = DC_TK_PLUS; break;
    case '-': k = DC_TK_MINUS; break;
    case '*': k = DC_TK_STAR; break;
    case '/': k = DC_TK_SLASH; break;
    case '(': k = DC_TK_LPAREN; break;
    case ')': k = DC_TK_RPAREN; break;
    case ',': k = DC_TK_COMMA; break;
    case '.': k = DC_TK_DOT; break;
    case '=':
        if (s[1] == '=') {
            tok->len = 2;
            set_error(tok, DC_DIAG_EXPR_SYNTAX, "'==' is not an operator: equality is written '='");
            return;
        }
        k = DC_TK_EQ;
        break;
    case '!':
        if (s[1] != '=') {
            set_error(tok, DC_DIAG_EXPR_SYNTAX, "unexpected character '!' (negation is written 'not')");
            return;
        }
        k = DC_TK_NE; n = 2;
        break;
    case '<':
        if (s[1] == '=') { k = DC_TK_LE; n = 2; } else k = DC_TK_LT;
        break;
    case '>':
        if (s[1] == '=') { k = DC_TK_GE; n = 2; } else k = DC_TK_GT;
        break;
    default: {
        uint32_t cp;
        int len = utf8_decode((const unsigned char *)s, &cp);
        if (!len) {
            set_error(tok, DC_DIAG_EXPR_SYNTAX, "invalid UTF-8 byte 0x%02X", c);
            return;
        }
        if (cp == 0x2260) { k = DC_TK_NE; n = 3; break; }   /* ≠ */
        if (cp == 0x2264) { k = DC_TK_LE; n = 3; break; }   /* ≤ */
        if (cp == 0x2265) { k = DC_TK_GE; n = 3; break; }   /* ≥ */
        tok->len = (size_t)len;
        if (cp < 0x20 || cp == 0x7F)
            set_error(tok, DC_DIAG_EXPR_SYNTAX, "unexpected control character 0x%02X", (unsigned)cp);
        else if (cp == '"')
            set_error(tok, DC_DIAG_EXPR_SYNTAX, "unexpected character '\"' (texts are written in single quotes)");
        else
            set_error(tok, DC_DIAG_EXPR_SYNTAX, "unexpected character '%.*s' (U+%04X)", len, s, (unsigned)cp);
        return;
    }
    }
    tok->kind = k;
    tok->len = n;
    advance(lx, n);
}
