/* test_parser.c — the expression language front end: tokens, precedence, literals,
 * aggregations, calls, positions of nodes and of errors, limits (depth, huge numbers,
 * bad bytes), and the canonical printer / structural equality of ast.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ast.h"
#include "model.h"
#include "parser.h"

typedef struct fixture {
    dc_arena arena;
    dc_diag_list diags;
    dc_buf out;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    dc_arena_init(&f->arena, 0);
    dc_diag_list_init(&f->diags);
    dc_buf_init(&f->out);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    dc_arena_free(&f->arena);
    dc_diag_list_free(&f->diags);
    dc_buf_free(&f->out);
    free(f);
    return 0;
}

static dc_expr *parse_at(fixture *f, const char *text, uint32_t line, uint32_t column)
{
    return dc_parse_expr(&f->arena, text, "t.xml", line, column, &f->diags, "r1", "art1");
}

/* Parses text that must be valid (no diagnostic). */
static dc_expr *parse_ok(fixture *f, const char *text)
{
    size_t before = f->diags.count;
    dc_expr *e = parse_at(f, text, 1, 1);
    if (!e || f->diags.count != before) {
        print_error("unexpected failure parsing \"%s\": %s\n", text,
                    f->diags.count > before ? f->diags.items[before].message : "(no diagnostic)");
        fail();
    }
    return e;
}

static const char *print(fixture *f, const dc_expr *e)
{
    dc_buf_clear(&f->out);
    dc_expr_print(&f->out, e, NULL);
    return f->out.data ? f->out.data : "";
}

/* Prints `text` canonically, checks it is `expected`, and that the printed form parses
 * back into the same tree. */
static void check_print(fixture *f, const char *text, const char *expected)
{
    dc_expr *e = parse_ok(f, text);
    const char *printed = print(f, e);
    assert_string_equal(printed, expected);
    char *copy = strdup(printed);
    assert_non_null(copy);
    dc_expr *again = parse_ok(f, copy);
    assert_true(dc_expr_equal(e, again));
    free(copy);
}

/* Parses text that must fail with exactly one diagnostic. */
static void check_error(fixture *f, const char *text, uint32_t line, uint32_t column,
                        dc_diag_code code, const char *message)
{
    size_t before = f->diags.count;
    dc_expr *e = parse_at(f, text, 1, 1);
    assert_null(e);
    assert_int_equal(f->diags.count, before + 1);
    const dc_diag *d = &f->diags.items[before];
    if (strcmp(d->message, message) != 0)
        print_error("text \"%s\": message \"%s\"\n", text, d->message);
    assert_string_equal(d->message, message);
    assert_int_equal(d->code, code);
    assert_int_equal(d->severity, DC_SEV_ERROR);
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, column);
}

static void check_literal(fixture *f, const char *text, dc_type_kind type, int64_t value)
{
    dc_expr *e = parse_ok(f, text);
    assert_int_equal(e->kind, DC_E_LITERAL);
    assert_int_equal(e->lit.type, type);
    assert_int_equal(e->lit.known, 1);
    assert_true(e->lit.u.i == value);
}

/* ---- precedence and associativity ---- */

static void test_precedence_arithmetic(void **state)
{
    fixture *f = *state;
    dc_expr *e = parse_ok(f, "a + b * c");
    assert_int_equal(e->kind, DC_E_BINARY);
    assert_int_equal(e->op, DC_OP_ADD);
    assert_int_equal(e->a->kind, DC_E_NAME);
    assert_string_equal(e->a->name, "a");
    assert_int_equal(e->b->op, DC_OP_MUL);
    assert_string_equal(e->b->a->name, "b");

    /* left associativity: (a - b) - c */
    e = parse_ok(f, "a - b - c");
    assert_int_equal(e->op, DC_OP_SUB);
    assert_int_equal(e->a->kind, DC_E_BINARY);
    assert_string_equal(e->b->name, "c");
    e = parse_ok(f, "a / b * c");
    assert_int_equal(e->op, DC_OP_MUL);
    assert_int_equal(e->a->op, DC_OP_DIV);

    /* unary minus binds tighter than '*' */
    e = parse_ok(f, "-a * b");
    assert_int_equal(e->op, DC_OP_MUL);
    assert_int_equal(e->a->kind, DC_E_UNARY);
    assert_int_equal(e->a->op, DC_UN_NEG);

    check_print(f, "a+b*c", "a + b * c");
    check_print(f, "(a + b) * c", "(a + b) * c");
    check_print(f, "((a)) * ((b))", "a * b");
    check_print(f, "a - b - c", "a - b - c");
    check_print(f, "a - (b - c)", "a - (b - c)");
    check_print(f, "(a - b) - c", "a - b - c");
    check_print(f, "a / (b * c)", "a / (b * c)");
    check_print(f, "-(a + b)", "-(a + b)");
    check_print(f, "a * -b", "a * -b");
    check_print(f, "a - -b", "a - -b");
    check_print(f, "--a", "--a");
    check_print(f, "round_cent(bmaf * 32 %)", "round_cent(bmaf * 32 %)");
}

static void test_precedence_logic(void **state)
{
    fixture *f = *state;
    dc_expr *e = parse_ok(f, "a or b and c");
    assert_int_equal(e->op, DC_OP_OR);
    assert_int_equal(e->b->op, DC_OP_AND);

    e = parse_ok(f, "not a and b");
    assert_int_equal(e->op, DC_OP_AND);
    assert_int_equal(e->a->kind, DC_E_UNARY);
    assert_int_equal(e->a->op, DC_UN_NOT);

    /* not is below comparison: not (a = b) */
    e = parse_ok(f, "not a = b");
    assert_int_equal(e->kind, DC_E_UNARY);
    assert_int_equal(e->a->op, DC_OP_EQ);

    e = parse_ok(f, "a + 1 < b * 2 and c");
    assert_int_equal(e->op, DC_OP_AND);
    assert_int_equal(e->a->op, DC_OP_LT);
    assert_int_equal(e->a->a->op, DC_OP_ADD);
    assert_int_equal(e->a->b->op, DC_OP_MUL);

    check_print(f, "a or b and c", "a or b and c");
    check_print(f, "(a or b) and c", "(a or b) and c");
    check_print(f, "a or (b or c)", "a or (b or c)");
    check_print(f, "not (a and b)", "not (a and b)");
    check_print(f, "not not a", "not not a");
    check_print(f, "(a = b) = c", "(a = b) = c");
    check_print(f, "nb_enfants >= 2 and residence in ('dom', 'mayotte')",
                "nb_enfants >= 2 and residence in ('dom', 'mayotte')");
}

static void test_if(void **state)
{
    fixture *f = *state;
    dc_expr *e = parse_ok(f, "if a then 1 else b + 2");
    assert_int_equal(e->kind, DC_E_IF);
    assert_string_equal(e->a->name, "a");
    assert_int_equal(e->b->kind, DC_E_LITERAL);
    assert_int_equal(e->c->op, DC_OP_ADD);   /* else reaches as far as possible */

    e = parse_ok(f, "if a then 1 else if b then 2 else 3");
    assert_int_equal(e->c->kind, DC_E_IF);

    check_print(f, "(if a then 1 else 2) + 3", "(if a then 1 else 2) + 3");
    check_print(f, "if x > 1 then (if y then 1 else 2) else 3", "if x > 1 then if y then 1 else 2 else 3");
    check_print(f, "min(if a then 1 else 2, 3)", "min(if a then 1 else 2, 3)");
    check_error(f, "1 + if a then 1 else 2", 1, 5, DC_DIAG_EXPR_SYNTAX,
                "an 'if' inside an expression must be put in parentheses");
    check_error(f, "if a then b", 1, 12, DC_DIAG_EXPR_SYNTAX,
                "unexpected end of expression: expected 'else' (every 'if' needs one)");
    check_error(f, "if a b", 1, 6, DC_DIAG_EXPR_SYNTAX,
                "expected 'then' after the condition of 'if', found 'b'");
}

static void test_comparisons_do_not_chain(void **state)
{
    fixture *f = *state;
    check_error(f, "a < b < c", 1, 7, DC_DIAG_EXPR_SYNTAX,
                "comparisons cannot be chained: write 'a < b and b < c'");
    check_error(f, "a = b = c", 1, 7, DC_DIAG_EXPR_SYNTAX,
                "comparisons cannot be chained: write 'a < b and b < c'");
    check_error(f, "a in (1) = b", 1, 10, DC_DIAG_EXPR_SYNTAX,
                "comparisons cannot be chained: write 'a < b and b < c'");
}

static void test_in(void **state)
{
    fixture *f = *state;
    dc_expr *e = parse_ok(f, "residence in ('guadeloupe', 'guyane')");
    assert_int_equal(e->kind, DC_E_IN);
    assert_string_equal(e->a->name, "residence");
    assert_int_equal(e->nargs, 2);
    assert_int_equal(e->args[0]->lit.type, DC_T_TEXT);
    assert_string_equal(e->args[0]->lit.u.s, "guadeloupe");
    assert_string_equal(e->args[1]->lit.u.s, "guyane");

    e = parse_ok(f, "rang + 1 in (1, 2)");
    assert_int_equal(e->kind, DC_E_IN);
    assert_int_equal(e->a->op, DC_OP_ADD);
    check_print(f, "rang + 1 in (1,2)", "rang + 1 in (1, 2)");
    check_print(f, "not x in (1)", "not x in (1)");
    check_error(f, "x in enfants", 1, 6, DC_DIAG_EXPR_SYNTAX,
                "expected '(' and a list of values after 'in', found 'enfants'");
    check_error(f, "x in ()", 1, 7, DC_DIAG_EXPR_SYNTAX, "expected an expression, found ')'");
    check_error(f, "x in (1 2)", 1, 9, DC_DIAG_EXPR_SYNTAX,
                "expected ',' or ')' in the list of values after 'in', found '2'");
}

/* ---- literals ---- */

static void test_literals(void **state)
{
    fixture *f = *state;
    check_literal(f, "20", DC_T_INT, 20);
    check_literal(f, "0", DC_T_INT, 0);
    check_literal(f, "9223372036854775807", DC_T_INT, INT64_MAX);
    check_literal(f, "12.345", DC_T_DECIMAL, INT64_C(12345000000));
    check_literal(f, "0.5", DC_T_DECIMAL, INT64_C(500000000));
    check_literal(f, "0.000000001", DC_T_DECIMAL, 1);
    check_literal(f, "32 %", DC_T_RATE, INT64_C(320000000));
    check_literal(f, "32%", DC_T_RATE, INT64_C(320000000));
    check_literal(f, "20.234 %", DC_T_RATE, INT64_C(202340000));
    check_literal(f, "0.0000001 %", DC_T_RATE, 1);
    check_literal(f, "32\xC2\xA0%", DC_T_RATE, INT64_C(320000000));       /* no-break space */
    check_literal(f, "5595 \xE2\x82\xAC", DC_T_MONEY, 559500);
    check_literal(f, "466.44 \xE2\x82\xAC", DC_T_MONEY, 46644);
    check_literal(f, "466.4\xE2\x82\xAC", DC_T_MONEY, 46640);
    check_literal(f, "466.44 EUR", DC_T_MONEY, 46644);
    check_literal(f, "1EUR", DC_T_MONEY, 100);
    check_literal(f, "466.44\xE2\x80\xAF\xE2\x82\xAC", DC_T_MONEY, 46644); /* narrow nbsp */
    /* 2026-01-01 is 56 years after 1970 with 14 leap days between: 20454; + 31 + 28 */
    check_literal(f, "2026-03-01", DC_T_DATE, 20513);
    check_literal(f, "2000-01-01", DC_T_DATE, 10957);
    check_literal(f, "2024-02-29", DC_T_DATE, 19782);
    check_literal(f, "1970-01-01", DC_T_DATE, 0);
    check_literal(f, "true", DC_T_BOOL, 1);
    check_literal(f, "false", DC_T_BOOL, 0);

    dc_expr *e = parse_ok(f, "'it''s'");
    assert_int_equal(e->kind, DC_E_LITERAL);
    assert_int_equal(e->lit.type, DC_T_TEXT);
    assert_string_equal(e->lit.u.s, "it's");
    e = parse_ok(f, "''");
    assert_string_equal(e->lit.u.s, "");
    e = parse_ok(f, "'\xC3\xA9t\xC3\xA9'");
    assert_string_equal(e->lit.u.s, "\xC3\xA9t\xC3\xA9");

    /* EUR as the start of a longer word is not a unit */
    check_error(f, "5 EURO", 1, 3, DC_DIAG_EXPR_SYNTAX,
                "expected an operator or the end of the expression, found 'EURO'");
}

static void test_literals_print(void **state)
{
    fixture *f = *state;
    check_print(f, "32%", "32 %");
    check_print(f, "20.234 %", "20.234 %");
    check_print(f, "100 %", "100 %");
    check_print(f, "466.44 EUR", "466.44 \xE2\x82\xAC");
    check_print(f, "5595 \xE2\x82\xAC", "5595.00 \xE2\x82\xAC");
    check_print(f, "0.5", "0.5");
    check_print(f, "2.0", "2.0");
    check_print(f, "2.50", "2.5");
    check_print(f, "0.000000001", "0.000000001");
    check_print(f, "2026-03-01", "2026-03-01");
    check_print(f, "'it''s'", "'it''s'");
    check_print(f, "true and false", "true and false");
    check_print(f, "-3", "-3");
}

static void test_operators(void **state)
{
    fixture *f = *state;
    static const struct { const char *text; dc_binop op; const char *printed; } cases[] = {
        { "a = b", DC_OP_EQ, "a = b" }, { "a != b", DC_OP_NE, "a != b" },
        { "a \xE2\x89\xA0 b", DC_OP_NE, "a != b" },
        { "a < b", DC_OP_LT, "a < b" }, { "a <= b", DC_OP_LE, "a <= b" },
        { "a \xE2\x89\xA4 b", DC_OP_LE, "a <= b" },
        { "a > b", DC_OP_GT, "a > b" }, { "a >= b", DC_OP_GE, "a >= b" },
        { "a \xE2\x89\xA5 b", DC_OP_GE, "a >= b" },
        { "a + b", DC_OP_ADD, "a + b" }, { "a - b", DC_OP_SUB, "a - b" },
        { "a * b", DC_OP_MUL, "a * b" }, { "a / b", DC_OP_DIV, "a / b" },
        { "a and b", DC_OP_AND, "a and b" }, { "a or b", DC_OP_OR, "a or b" },
        { "a<=b", DC_OP_LE, "a <= b" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dc_expr *e = parse_ok(f, cases[i].text);
        assert_int_equal(e->kind, DC_E_BINARY);
        assert_int_equal(e->op, cases[i].op);
        assert_string_equal(print(f, e), cases[i].printed);
    }
    dc_expr *e = parse_ok(f, "not a");
    assert_int_equal(e->kind, DC_E_UNARY);
    assert_int_equal(e->op, DC_UN_NOT);
    e = parse_ok(f, "-a");
    assert_int_equal(e->kind, DC_E_UNARY);
    assert_int_equal(e->op, DC_UN_NEG);

    e = parse_ok(f, "enfant.date_naissance");
    assert_int_equal(e->kind, DC_E_MEMBER);
    assert_string_equal(e->name, "enfant");
    assert_string_equal(e->field, "date_naissance");
    check_print(f, "enfant . age", "enfant.age");
    e = parse_ok(f, "Montant_EUR");   /* upper case letters are fine in names */
    assert_int_equal(e->kind, DC_E_NAME);
    assert_string_equal(e->name, "Montant_EUR");

    check_error(f, "a == b", 1, 3, DC_DIAG_EXPR_SYNTAX,
                "'==' is not an operator: equality is written '='");
    check_error(f, "!a", 1, 1, DC_DIAG_EXPR_SYNTAX,
                "unexpected character '!' (negation is written 'not')");
    check_error(f, "a.b.c", 1, 4, DC_DIAG_EXPR_SYNTAX,
                "'.' may only join a name and a field, as in enfant.age");
    check_error(f, "abs(x).y", 1, 7, DC_DIAG_EXPR_SYNTAX,
                "'.' may only join a name and a field, as in enfant.age");
    check_error(f, "(a).b", 1, 4, DC_DIAG_EXPR_SYNTAX,
                "'.' may only join a name and a field, as in enfant.age");
    check_error(f, "a. 1", 1, 4, DC_DIAG_EXPR_SYNTAX,
                "expected a field name after 'a.', found '1'");
    check_error(f, "a \"b\"", 1, 3, DC_DIAG_EXPR_SYNTAX,
                "unexpected character '\"' (texts are written in single quotes)");
}

/* ---- aggregations ---- */

static void check_agg(const dc_expr *e, dc_agg op, const char *list, int has_where, int has_body)
{
    assert_int_equal(e->kind, DC_E_AGG);
    assert_int_equal(e->op, op);
    assert_int_equal(e->nargs, 1);
    assert_int_equal(e->args[0]->kind, DC_E_NAME);
    assert_string_equal(e->args[0]->name, list);
    assert_int_equal(e->a != NULL, has_where);
    assert_int_equal(e->b != NULL, has_body);
}

static void test_aggregations(void **state)
{
    fixture *f = *state;
    dc_expr *e = parse_ok(f, "count(enfants)");
    check_agg(e, DC_AGG_COUNT, "enfants", 0, 0);
    assert_int_equal(e->is_agg_binder, 0);
    assert_string_equal(e->name, "count");

    e = parse_ok(f, "count(enfants where a_charge and age < 20)");
    check_agg(e, DC_AGG_COUNT, "enfants", 1, 0);
    assert_int_equal(e->a->op, DC_OP_AND);

    check_agg(parse_ok(f, "any(enfants where age < 3)"), DC_AGG_ANY, "enfants", 1, 0);
    check_agg(parse_ok(f, "any(enfants, age < 3)"), DC_AGG_ANY, "enfants", 0, 1);
    check_agg(parse_ok(f, "any(enfants)"), DC_AGG_ANY, "enfants", 0, 0);
    check_agg(parse_ok(f, "all(enfants, a_charge)"), DC_AGG_ALL, "enfants", 0, 1);
    check_agg(parse_ok(f, "all(enfants where age < 20, a_charge)"), DC_AGG_ALL, "enfants", 1, 1);
    check_agg(parse_ok(f, "sum(enfants, montant)"), DC_AGG_SUM, "enfants", 0, 1);
    check_agg(parse_ok(f, "sum(enfants where a_charge, montant * 2)"), DC_AGG_SUM, "enfants", 1, 1);
    check_agg(parse_ok(f, "min(enfants where a_charge, age)"), DC_AGG_AMIN, "enfants", 1, 1);
    check_agg(parse_ok(f, "max(enfants where a_charge, age)"), DC_AGG_AMAX, "enfants", 1, 1);

    e = parse_ok(f, "max(x in enfants, x.age)");
    check_agg(e, DC_AGG_AMAX, "enfants", 0, 1);
    assert_int_equal(e->is_agg_binder, 1);
    assert_string_equal(e->name, "x");
    assert_int_equal(e->b->kind, DC_E_MEMBER);

    e = parse_ok(f, "count(e in enfants where e.age < enfant.age)");
    check_agg(e, DC_AGG_COUNT, "enfants", 1, 0);
    assert_int_equal(e->is_agg_binder, 1);
    assert_string_equal(e->name, "e");
    assert_int_equal(e->a->op, DC_OP_LT);
    assert_string_equal(e->a->a->name, "e");
    assert_string_equal(e->a->a->field, "age");
    assert_string_equal(e->a->b->name, "enfant");

    /* min/max with plain arguments are the scalar functions */
    e = parse_ok(f, "min(a, b)");
    assert_int_equal(e->kind, DC_E_CALL);
    assert_int_equal(e->op, DC_FN_MIN);
    assert_int_equal(e->nargs, 2);
    e = parse_ok(f, "max(plafond)");
    assert_int_equal(e->kind, DC_E_CALL);
    assert_int_equal(e->op, DC_FN_MAX);
    e = parse_ok(f, "min(x in (1, 2), b)");
    assert_int_equal(e->kind, DC_E_CALL);
    assert_int_equal(e->args[0]->kind, DC_E_IN);

    check_print(f, "count( enfants  where a_charge and age<20 )", "count(enfants where a_charge and age < 20)");
    check_print(f, "count(enfants)", "count(enfants)");
    check_print(f, "all(enfants where age < 20, a_charge)", "all(enfants where age < 20, a_charge)");
    check_print(f, "any(enfants, a_charge)", "any(enfants, a_charge)");
    check_print(f, "sum(enfants, montant)", "sum(enfants, montant)");
    check_print(f, "count(e in enfants where e.age < enfant.age)",
                "count(e in enfants where e.age < enfant.age)");
    check_print(f, "max(x in enfants, x.age) + 1", "max(x in enfants, x.age) + 1");
    check_print(f, "min(enfants where a, age)", "min(enfants where a, age)");
    check_print(f, "min(a, b)", "min(a, b)");

    check_error(f, "sum(enfants)", 1, 12, DC_DIAG_EXPR_SYNTAX,
                "expected ',' and the expression to aggregate, as in sum(enfants, expression), found ')'");
    check_error(f, "all(enfants where a_charge)", 1, 27, DC_DIAG_EXPR_SYNTAX,
                "expected ',' and the condition every record must meet, as in all(enfants, condition), found ')'");
    check_error(f, "count(1 + 2)", 1, 7, DC_DIAG_EXPR_SYNTAX,
                "expected a list name as the first argument of 'count', found '1'");
    check_error(f, "count(enfants, age)", 1, 14, DC_DIAG_EXPR_SYNTAX,
                "expected ')' after arguments of 'count', found ','");
    check_error(f, "min(enfants where a)", 1, 20, DC_DIAG_EXPR_SYNTAX,
                "expected ',' and the expression to aggregate, as in min(enfants, expression), found ')'");
    check_error(f, "count(enfants where)", 1, 20, DC_DIAG_EXPR_SYNTAX,
                "expected an expression, found ')'");
    check_error(f, "count(enfants", 1, 14, DC_DIAG_EXPR_SYNTAX,
                "unexpected end of expression: expected ')' after arguments of 'count'");
}

/* ---- calls ---- */

static void test_calls(void **state)
{
    fixture *f = *state;
    dc_expr *e = parse_ok(f, "round_cent(bmaf * 32 %)");
    assert_int_equal(e->kind, DC_E_CALL);
    assert_int_equal(e->op, DC_FN_ROUND_CENT);
    assert_string_equal(e->name, "round_cent");
    assert_int_equal(e->nargs, 1);
    assert_int_equal(e->args[0]->op, DC_OP_MUL);
    assert_int_equal(e->args[0]->b->lit.type, DC_T_RATE);

    e = parse_ok(f, "round(x, 2)");
    assert_int_equal(e->op, DC_FN_ROUND);
    assert_int_equal(e->nargs, 2);
    e = parse_ok(f, "age_at(enfant.date_naissance, date)");
    assert_int_equal(e->op, DC_FN_AGE_AT);
    assert_string_equal(e->args[1]->name, "date");
    e = parse_ok(f, "min(a, b, c, d)");
    assert_int_equal(e->nargs, 4);
    e = parse_ok(f, "first_day_of_next_month(add_months(date, 3))");
    assert_int_equal(e->op, DC_FN_FIRST_DAY_OF_NEXT_MONTH);
    assert_int_equal(e->args[0]->op, DC_FN_ADD_MONTHS);
    e = parse_ok(f, "date + years(3)");
    assert_int_equal(e->b->op, DC_FN_YEARS);

    check_print(f, "days_between( a ,b )", "days_between(a, b)");
    check_error(f, "abs(a, b)", 1, 1, DC_DIAG_EXPR_SYNTAX, "'abs' takes 1 argument, found 2");
    check_error(f, "x + round()", 1, 5, DC_DIAG_EXPR_SYNTAX, "'round' takes 1 or 2 arguments, found 0");
    check_error(f, "trunc(x)", 1, 1, DC_DIAG_EXPR_SYNTAX, "'trunc' takes 2 arguments, found 1");
    check_error(f, "min()", 1, 1, DC_DIAG_EXPR_SYNTAX, "'min' takes at least 1 argument, found 0");
    check_error(f, "1 + foo(1)", 1, 5, DC_DIAG_EXPR_SYNTAX, "unknown function 'foo'");
    check_error(f, "round_cents(x)", 1, 1, DC_DIAG_EXPR_SYNTAX,
                "unknown function 'round_cents' (did you mean 'round_cent'?)");
    check_error(f, "min(a, b then", 1, 10, DC_DIAG_EXPR_SYNTAX,
                "expected ')' after arguments of 'min', found 'then'");
    check_error(f, "abs(,)", 1, 5, DC_DIAG_EXPR_SYNTAX, "expected an expression, found ','");
}

/* ---- positions ---- */

static void test_positions(void **state)
{
    fixture *f = *state;
    /* element content as the loader hands it over: starts at line 10, column 7 */
    dc_expr *e = parse_at(f, "a +\n  b * c", 10, 7);
    assert_non_null(e);
    assert_int_equal(e->line, 10);
    assert_int_equal(e->column, 7);
    assert_int_equal(e->a->line, 10);
    assert_int_equal(e->a->column, 7);
    assert_int_equal(e->b->line, 11);     /* b * c starts with b */
    assert_int_equal(e->b->column, 3);
    assert_int_equal(e->b->b->line, 11);
    assert_int_equal(e->b->b->column, 7);

    /* columns count characters, not bytes: 'été' is 5 characters, 7 bytes */
    e = parse_ok(f, "'\xC3\xA9t\xC3\xA9' = nom");
    assert_int_equal(e->b->column, 9);

    e = parse_ok(f, "\n\n   count(enfants where age < 3)\n  ");
    assert_int_equal(e->line, 3);
    assert_int_equal(e->column, 4);
    assert_int_equal(e->args[0]->column, 10);
    assert_int_equal(e->a->column, 24);
    e = parse_ok(f, "not (a)");
    assert_int_equal(e->column, 1);
    assert_int_equal(e->a->column, 6);
    e = parse_ok(f, "if a then -b else c");
    assert_int_equal(e->b->column, 11);
    assert_int_equal(e->c->column, 19);
}

static void test_error_positions(void **state)
{
    fixture *f = *state;
    size_t before = f->diags.count;
    /* line 10 starts at column 7 ("  " then montant at 9); line 11 is "    (taux + )" */
    assert_null(parse_at(f, "  montant *\n    (taux + )", 10, 7));
    assert_int_equal(f->diags.count, before + 1);
    const dc_diag *d = &f->diags.items[before];
    assert_string_equal(d->message, "expected an expression, found ')'");
    assert_int_equal(d->line, 11);
    assert_int_equal(d->column, 13);
    assert_string_equal(d->file, "t.xml");
    assert_string_equal(d->rule, "r1");
    assert_string_equal(d->article, "art1");

    /* a bad character after a multi-byte text, on the second line of an indented element */
    before = f->diags.count;
    assert_null(parse_at(f, "x = 1 and\n\t  'd\xC3\xA9j\xC3\xA0' = #", 10, 7));
    d = &f->diags.items[before];
    assert_string_equal(d->message, "unexpected character '#' (U+0023)");
    assert_int_equal(d->line, 11);
    assert_int_equal(d->column, 13);

    /* the end of the expression is reported right after the last token */
    check_error(f, "a +  ", 1, 4, DC_DIAG_EXPR_SYNTAX, "unexpected end of expression");
    check_error(f, "(a + b", 1, 7, DC_DIAG_EXPR_SYNTAX,
                "unexpected end of expression: expected ')' to close the '(' at line 1, column 1");
    check_error(f, "a b", 1, 3, DC_DIAG_EXPR_SYNTAX,
                "expected an operator or the end of the expression, found 'b'");
    check_error(f, "(a))", 1, 4, DC_DIAG_EXPR_SYNTAX,
                "expected an operator or the end of the expression, found ')'");
    check_error(f, "  \n ", 1, 1, DC_DIAG_EXPR_SYNTAX, "empty expression");
    check_error(f, "", 1, 1, DC_DIAG_EXPR_SYNTAX, "empty expression");
    check_error(f, "a + then", 1, 5, DC_DIAG_EXPR_SYNTAX, "expected an expression, found 'then'");
}

/* ---- limits ---- */

static char *repeat(const char *unit, size_t times, const char *tail)
{
    size_t ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(ul * times + tl + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++) memcpy(s + i * ul, unit, ul);
    memcpy(s + ul * times, tail, tl + 1);
    return s;
}

static void check_too_deep(fixture *f, char *text)
{
    size_t before = f->diags.count;
    assert_null(parse_at(f, text, 1, 1));
    assert_int_equal(f->diags.count, before + 1);
    assert_int_equal(f->diags.items[before].code, DC_DIAG_EXPR_TOO_DEEP);
    assert_string_equal(f->diags.items[before].message,
                        "expression nested too deeply (more than 200 levels)");
    free(text);
}

static void test_depth(void **state)
{
    fixture *f = *state;
    check_too_deep(f, repeat("(", 100000, ""));
    check_too_deep(f, repeat("(", 100000, "1"));
    check_too_deep(f, repeat("-", 100000, "1"));
    check_too_deep(f, repeat("not ", 100000, "a"));
    check_too_deep(f, repeat("abs(", 100000, "1"));
    check_too_deep(f, repeat("1 + ", 100000, "1"));   /* a long chain is a deep tree too */
    check_too_deep(f, repeat("if a then 1 else ", 100000, "1"));

    /* the 201st '(' is one level too many: the whole expression is level 1 */
    char *s = repeat("(", 201, "1");
    assert_null(parse_at(f, s, 1, 1));
    assert_int_equal(f->diags.items[f->diags.count - 1].column, 201);
    free(s);

    /* reasonable nesting is fine */
    char *text = malloc(301 + 1);
    assert_non_null(text);
    memset(text, '(', 150);
    text[150] = '1';
    memset(text + 151, ')', 150);
    text[301] = '\0';
    dc_expr *e = parse_ok(f, text);
    assert_int_equal(e->kind, DC_E_LITERAL);
    free(text);
    s = repeat("1 + ", 150, "1");
    e = parse_ok(f, s);
    assert_int_equal(e->op, DC_OP_ADD);
    free(s);
}

static void test_huge_numbers(void **state)
{
    fixture *f = *state;
    check_error(f, "99999999999999999999", 1, 1, DC_DIAG_BAD_LITERAL,
                "integer out of range: '99999999999999999999'");
    check_error(f, "1 + 9223372036854775808", 1, 5, DC_DIAG_BAD_LITERAL,
                "integer out of range: '9223372036854775808'");
    char *s = repeat("9", 5000, "");
    size_t before = f->diags.count;
    assert_null(parse_at(f, s, 1, 1));
    assert_int_equal(f->diags.items[before].code, DC_DIAG_BAD_LITERAL);
    assert_true(strlen(f->diags.items[before].message) < 100);   /* quoted, but capped */
    free(s);
    check_error(f, "99999999999.5", 1, 1, DC_DIAG_BAD_LITERAL, "decimal out of range: '99999999999.5'");
    check_error(f, "0.1234567891", 1, 1, DC_DIAG_BAD_LITERAL,
                "decimal '0.1234567891' has more than 9 fractional digits");
    check_error(f, "466.445 \xE2\x82\xAC", 1, 1, DC_DIAG_BAD_LITERAL,
                "amount '466.445 \xE2\x82\xAC' has more than 2 decimals (money is counted in cents)");
    check_error(f, "x * 1.12345678 %", 1, 5, DC_DIAG_BAD_LITERAL,
                "rate '1.12345678 %' has more than 7 fractional digits");
    check_error(f, "99999999999999999999 EUR", 1, 1, DC_DIAG_BAD_LITERAL,
                "amount out of range: '99999999999999999999 EUR'");
    check_error(f, "12abc", 1, 1, DC_DIAG_BAD_LITERAL, "invalid number '12abc'");
    check_error(f, "12.", 1, 1, DC_DIAG_BAD_LITERAL, "digits expected after the decimal point in '12.'");
    check_error(f, "1.2.3", 1, 1, DC_DIAG_BAD_LITERAL, "invalid number '1.2.3'");
}

static void test_bad_bytes(void **state)
{
    fixture *f = *state;
    check_error(f, "a = \xFF", 1, 5, DC_DIAG_EXPR_SYNTAX, "invalid UTF-8 byte 0xFF");
    check_error(f, "a = \xC0\xAF", 1, 5, DC_DIAG_EXPR_SYNTAX, "invalid UTF-8 byte 0xC0");  /* overlong '/' */
    check_error(f, "a = \xED\xA0\x80", 1, 5, DC_DIAG_EXPR_SYNTAX, "invalid UTF-8 byte 0xED"); /* surrogate */
    check_error(f, "a \xE2\x89", 1, 3, DC_DIAG_EXPR_SYNTAX, "invalid UTF-8 byte 0xE2");     /* truncated */
    check_error(f, "x = 'ab\xC3' ", 1, 8, DC_DIAG_EXPR_SYNTAX, "invalid UTF-8 byte 0xC3 in a text literal");
    check_error(f, "caf\xC3\xA9 = 1", 1, 4, DC_DIAG_EXPR_SYNTAX,
                "unexpected character '\xC3\xA9' (U+00E9)");
    check_error(f, "a\x01", 1, 2, DC_DIAG_EXPR_SYNTAX, "unexpected control character 0x01");
    check_error(f, "a ; b", 1, 3, DC_DIAG_EXPR_SYNTAX, "unexpected character ';' (U+003B)");
}

static void test_strings(void **state)
{
    fixture *f = *state;
    check_error(f, "x = 'abc", 1, 5, DC_DIAG_EXPR_SYNTAX,
                "unterminated text literal: the closing ' is missing on this line");
    check_error(f, "x = 'ab\nc'", 1, 5, DC_DIAG_EXPR_SYNTAX,
                "unterminated text literal: the closing ' is missing on this line");
    check_error(f, "'it''", 1, 1, DC_DIAG_EXPR_SYNTAX,
                "unterminated text literal: the closing ' is missing on this line");
    check_error(f, "'a' 'b'", 1, 5, DC_DIAG_EXPR_SYNTAX,
                "expected an operator or the end of the expression, found a text literal");
}

static void test_bad_dates(void **state)
{
    fixture *f = *state;
    check_error(f, "date >= 2025-02-30", 1, 9, DC_DIAG_BAD_LITERAL,
                "invalid date '2025-02-30' (not a day of the calendar)");
    check_error(f, "2025-13-01", 1, 1, DC_DIAG_BAD_LITERAL,
                "invalid date '2025-13-01' (not a day of the calendar)");
    check_error(f, "2023-02-29", 1, 1, DC_DIAG_BAD_LITERAL,
                "invalid date '2023-02-29' (not a day of the calendar)");
    check_error(f, "0000-01-01", 1, 1, DC_DIAG_BAD_LITERAL,
                "invalid date '0000-01-01' (not a day of the calendar)");
    /* not the DDDD-DD-DD shape: plain arithmetic */
    dc_expr *e = parse_ok(f, "2025-2-3");
    assert_int_equal(e->kind, DC_E_BINARY);
    assert_int_equal(e->op, DC_OP_SUB);
    assert_int_equal(e->a->op, DC_OP_SUB);
    assert_true(e->a->a->lit.u.i == 2025);
    e = parse_ok(f, "2025 - 02 - 03");
    assert_int_equal(e->kind, DC_E_BINARY);
}

/* ---- ast.c ---- */

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(dc_expr_kind_name(DC_E_AGG), "AGG");
    assert_string_equal(dc_expr_kind_name(DC_E_RECORD_COMPUTED), "RECORD_COMPUTED");
    assert_string_equal(dc_expr_kind_name(DC_E_COUNT_), "?");
    assert_string_equal(dc_binop_spelling(DC_OP_LE), "<=");
    assert_string_equal(dc_binop_spelling(DC_OP_AND), "and");
    assert_string_equal(dc_func_name(DC_FN_ROUND_CENT), "round_cent");
    assert_string_equal(dc_func_name(DC_FN_DAYS), "days");
    assert_string_equal(dc_agg_name(DC_AGG_AMIN), "min");
    assert_string_equal(dc_agg_name(DC_AGG_COUNT), "count");
}

static void test_equal(void **state)
{
    fixture *f = *state;
    assert_true(dc_expr_equal(parse_ok(f, "a+b*c"), parse_ok(f, "a + (b * c)")));
    assert_true(dc_expr_equal(parse_ok(f, "32%"), parse_ok(f, "32.0 %")));
    assert_true(dc_expr_equal(parse_ok(f, "'x'"), parse_ok(f, "'x'")));
    assert_true(dc_expr_equal(parse_ok(f, "count(enfants where age<3)"),
                              parse_ok(f, "count( enfants where (age < 3) )")));
    assert_false(dc_expr_equal(parse_ok(f, "a + b"), parse_ok(f, "b + a")));
    assert_false(dc_expr_equal(parse_ok(f, "(a + b) * c"), parse_ok(f, "a + b * c")));
    assert_false(dc_expr_equal(parse_ok(f, "32 %"), parse_ok(f, "0.32")));
    assert_false(dc_expr_equal(parse_ok(f, "1"), parse_ok(f, "1.0")));
    assert_false(dc_expr_equal(parse_ok(f, "'x'"), parse_ok(f, "'y'")));
    assert_false(dc_expr_equal(parse_ok(f, "a.b"), parse_ok(f, "a.c")));
    assert_false(dc_expr_equal(parse_ok(f, "min(a, b)"), parse_ok(f, "max(a, b)")));
    assert_false(dc_expr_equal(parse_ok(f, "min(a, b)"), parse_ok(f, "min(a, b, c)")));
    assert_false(dc_expr_equal(parse_ok(f, "any(l where a)"), parse_ok(f, "any(l, a)")));
    assert_false(dc_expr_equal(parse_ok(f, "count(x in l where x.a)"),
                               parse_ok(f, "count(y in l where y.a)")));
    assert_false(dc_expr_equal(parse_ok(f, "if a then 1 else 2"), parse_ok(f, "if a then 1 else 3")));
    assert_false(dc_expr_equal(parse_ok(f, "x in (1, 2)"), parse_ok(f, "x in (1)")));
    assert_true(dc_expr_equal(NULL, NULL));
    assert_false(dc_expr_equal(parse_ok(f, "a"), NULL));
}

/* The checker rewrites names into indexes; the printer gives them their names back. */
static void test_print_resolved(void **state)
{
    fixture *f = *state;
    dc_ruleset rs;
    memset(&rs, 0, sizeof rs);
    dc_entity entities[1] = { { .name = "enfant", .plural = "enfants" } };
    dc_input inputs[2] = { { .name = "ressources" }, { .name = "age" } };
    dc_param params[1] = { { .name = "bmaf" } };
    dc_computed computeds[2] = { { .name = "nb_enfants" }, { .name = "rang" } };
    const char *values[] = { "metropole", "dom" };
    inputs[0].enum_values = values;
    inputs[0].n_enum_values = 2;
    rs.entities = entities; rs.n_entities = 1;
    rs.inputs = inputs; rs.n_inputs = 2;
    rs.params = params; rs.n_params = 1;
    rs.computeds = computeds; rs.n_computeds = 2;

    dc_expr *e = parse_ok(f, "if a < b then c + d else e");
    e->a->a->kind = DC_E_INPUT;     e->a->a->ref = 0;
    e->a->b->kind = DC_E_PARAM;     e->a->b->ref = 0;
    e->b->a->kind = DC_E_COMPUTED;  e->b->a->ref = 0;
    e->b->b->kind = DC_E_EVAL_DATE;
    e->c->kind = DC_E_POSITION;
    dc_buf_clear(&f->out);
    dc_expr_print(&f->out, e, &rs);
    assert_string_equal(f->out.data, "if ressources < bmaf then nb_enfants + date else position");

    e = parse_ok(f, "count(x in enfants where x.age < enfant.age and rang = 'z')");
    e->args[0]->kind = DC_E_LIST;              e->args[0]->ref = 0;
    e->a->a->a->kind = DC_E_FIELD;             e->a->a->a->ref = 1;   /* x.age */
    e->a->a->b->kind = DC_E_FIELD;             e->a->a->b->ref = 1;   /* enfant.age */
    e->a->a->b->frame = 1;
    e->a->b->a->kind = DC_E_RECORD_COMPUTED;   e->a->b->a->ref = 1;
    e->a->b->b->lit.type = DC_T_ENUM;          e->a->b->b->lit.u.i = 1;
    e->a->b->b->enum_of = 0;
    dc_buf_clear(&f->out);
    dc_expr_print(&f->out, e, &rs);
    assert_string_equal(f->out.data, "count(x in enfants where x.age < enfant.age and rang = 'dom')");
    /* without a rule set the names written by the author are used */
    dc_buf_clear(&f->out);
    dc_expr_print(&f->out, e, NULL);
    assert_string_equal(f->out.data, "count(x in enfants where x.age < enfant.age and rang = '#1')");

    /* resolved references compare by index and record frame, not by spelling */
    assert_false(dc_expr_equal(e->a->a->a, e->a->a->b));   /* frames 0 and 1 */
    e->a->a->b->frame = 0;
    assert_true(dc_expr_equal(e->a->a->a, e->a->a->b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_precedence_arithmetic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence_logic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_if, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comparisons_do_not_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literals_print, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aggregations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_dates, setup, teardown),
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_equal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_resolved, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
