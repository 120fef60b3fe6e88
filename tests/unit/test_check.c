/* test_check.c — the static checker (check.c): name resolution and record frames, the
 * typing table of LANGUAGE.md §3, templates, cycles and warnings. Each test builds a
 * small rule set model by hand, with expressions parsed by the real parser at known
 * lines, so every diagnostic position below is worked out from the expression text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"
#include "parser.h"

/* ------------------------------------------------------------------ model builder */

#define CAP 32

typedef struct fixture {
    dc_ruleset *rs;
    dc_diag_list diags;
} fixture;

static dc_ruleset *rs_new(void)
{
    dc_ruleset *rs = calloc(1, sizeof *rs);
    assert_non_null(rs);
    dc_arena_init(&rs->arena, 1 << 14);
    rs->file = "t.xml";
    rs->entities = dc_arena_zalloc(&rs->arena, CAP * sizeof *rs->entities);
    rs->inputs = dc_arena_zalloc(&rs->arena, CAP * sizeof *rs->inputs);
    rs->params = dc_arena_zalloc(&rs->arena, CAP * sizeof *rs->params);
    rs->computeds = dc_arena_zalloc(&rs->arena, CAP * sizeof *rs->computeds);
    rs->articles = dc_arena_zalloc(&rs->arena, 2 * sizeof *rs->articles);
    rs->articles[0].id = "art-1";
    rs->n_articles = 1;
    rs->eligible = -1;
    rs->amount = -1;
    return rs;
}

static void fx_init(fixture *f)
{
    f->rs = rs_new();
    dc_diag_list_init(&f->diags);
}

static void fx_free(fixture *f)
{
    dc_arena_free(&f->rs->arena);
    free(f->rs);
    dc_diag_list_free(&f->diags);
}

static int32_t entity(dc_ruleset *rs, const char *name, const char *plural)
{
    dc_entity *e = &rs->entities[rs->n_entities];
    e->name = name;
    e->plural = plural;
    e->label = plural;
    e->first_input = rs->n_inputs;
    return (int32_t)rs->n_entities++;
}

/* Inputs of an entity must be added right after it (they are contiguous). */
static int32_t input(dc_ruleset *rs, int32_t ent, const char *name, dc_type_kind type)
{
    dc_input *in = &rs->inputs[rs->n_inputs];
    in->name = name;
    in->label = name;
    in->type = type;
    in->entity = ent;
    in->line = 10 + rs->n_inputs;
    in->column = 5;
    if (ent >= 0) in->slot = rs->entities[ent].n_inputs++;
    else in->slot = rs->n_top_inputs++;
    return (int32_t)rs->n_inputs++;
}

static int32_t enum_input(dc_ruleset *rs, int32_t ent, const char *name, int n, ...)
{
    int32_t i = input(rs, ent, name, DC_T_ENUM);
    const char **v = dc_arena_zalloc(&rs->arena, (size_t)n * sizeof *v);
    va_list ap;
    va_start(ap, n);
    for (int k = 0; k < n; k++) v[k] = va_arg(ap, const char *);
    va_end(ap);
    rs->inputs[i].enum_values = v;
    rs->inputs[i].n_enum_values = (uint32_t)n;
    return i;
}

static int32_t param(dc_ruleset *rs, const char *name, dc_type_kind type)
{
    dc_param *p = &rs->params[rs->n_params];
    p->name = name;
    p->label = name;
    p->type = type;
    p->line = 50 + rs->n_params;
    p->column = 5;
    return (int32_t)rs->n_params++;
}

/* Parses `text` as if it started at line:1 of t.xml; the test fails on a syntax error. */
static dc_expr *px(dc_ruleset *rs, const char *text, uint32_t line)
{
    if (!text) return NULL;
    dc_diag_list d;
    dc_diag_list_init(&d);
    dc_expr *e = dc_parse_expr(&rs->arena, text, rs->file, line, 1, &d, NULL, NULL);
    if (!e)
        for (size_t i = 0; i < d.count; i++) fprintf(stderr, "parse: %s\n", d.items[i].message);
    dc_diag_list_free(&d);
    assert_non_null(e);
    return e;
}

static dc_rule *new_rules(dc_ruleset *rs)
{
    return dc_arena_zalloc(&rs->arena, 8 * sizeof(dc_rule));
}

static void rule_init(dc_ruleset *rs, dc_rule *r, const char *id, const char *cond,
                      const char *then, uint32_t line, int32_t owner)
{
    r->id = id;
    r->source.article = 0;
    r->cond = cond ? px(rs, cond, line) : NULL;
    r->then = px(rs, then, cond ? line + 1 : line);
    r->cond_text = cond;
    r->then_text = then;
    r->valid_from = DC_NO_DATE_FROM;
    r->valid_to = DC_NO_DATE_TO;
    r->owner = owner;
    r->line = line;
    r->column = 3;
}

/* A computed value in rule form, without rules yet. */
static int32_t variable(dc_ruleset *rs, const char *name, dc_type_kind type, int32_t ent, uint32_t line)
{
    dc_computed *c = &rs->computeds[rs->n_computeds];
    c->name = name;
    c->label = name;
    c->type = type;
    c->enum_of = -1;
    c->entity = ent;
    c->slot = ent >= 0 ? rs->n_computeds : rs->n_top_computeds++;
    c->rules = new_rules(rs);
    c->line = line;
    c->column = 3;
    return (int32_t)rs->n_computeds++;
}

/* <define name=… type=… [of=…]>EXPR</define>, the expression on line `line`. */
static int32_t define(dc_ruleset *rs, const char *name, dc_type_kind type, int32_t ent,
                      const char *expr, uint32_t line)
{
    int32_t ci = variable(rs, name, type, ent, line);
    dc_computed *c = &rs->computeds[ci];
    c->simple = true;
    rule_init(rs, &c->rules[0], NULL, NULL, expr, line, ci);
    c->n_rules = 1;
    return ci;
}

/* A <rule> with <if> on `line` and <then> on line + 1 (or <then> on `line`). */
static dc_rule *rule(dc_ruleset *rs, int32_t ci, const char *id, const char *cond,
                     const char *then, uint32_t line)
{
    dc_computed *c = &rs->computeds[ci];
    dc_rule *r = &c->rules[c->n_rules++];
    rule_init(rs, r, id, cond, then, line, ci);
    return r;
}

static dc_rule *exception(dc_ruleset *rs, dc_rule *parent, const char *id, const char *cond,
                          const char *then, uint32_t line)
{
    if (!parent->exceptions) parent->exceptions = new_rules(rs);
    dc_rule *r = &parent->exceptions[parent->n_exceptions++];
    rule_init(rs, r, id, cond, then, line, parent->owner);
    return r;
}

static void otherwise(dc_ruleset *rs, int32_t ci, const char *then, uint32_t line)
{
    dc_computed *c = &rs->computeds[ci];
    c->otherwise = dc_arena_zalloc(&rs->arena, sizeof(dc_rule));
    rule_init(rs, c->otherwise, NULL, NULL, then, line, ci);
}

static void explain(dc_ruleset *rs, dc_rule *r, const char *raw, uint32_t line, uint32_t column)
{
    r->explain = dc_arena_zalloc(&rs->arena, sizeof(dc_template));
    r->explain->raw = raw;
    r->explain->line = line;
    r->explain->column = column;
}

/* ------------------------------------------------------------------ assertions */

static void dump(const dc_diag_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        dc_buf b;
        dc_buf_init(&b);
        dc_diag_format(&b, &l->items[i]);
        fprintf(stderr, "  %s\n", b.data ? b.data : "");
        dc_buf_free(&b);
    }
}

static const dc_diag *find(const dc_diag_list *l, dc_diag_code code, uint32_t line,
                           uint32_t column, const char *substring)
{
    for (size_t i = 0; i < l->count; i++) {
        const dc_diag *d = &l->items[i];
        if (d->code == code && d->line == line && (column == 0 || d->column == column) &&
            (!substring || strstr(d->message, substring)))
            return d;
    }
    return NULL;
}

/* Asserts a diagnostic with this code at line:column whose message contains `substring`. */
#define assert_diag(l, code, line, column, substring) do { \
        if (!find((l), (code), (line), (column), (substring))) { \
            fprintf(stderr, "expected %s at %u:%u containing \"%s\"; got:\n", \
                    dc_diag_code_name(code), (unsigned)(line), (unsigned)(column), \
                    (const char *)(substring) ? (const char *)(substring) : ""); \
            dump(l); \
            fail(); \
        } } while (0)

static size_t count_code(const dc_diag_list *l, dc_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++) n += l->items[i].code == code;
    return n;
}

#define assert_no_errors(l, nerr) do { \
        if ((nerr) != 0 || (l)->errors != 0) { dump(l); fail(); } } while (0)

/* The standard inputs of the typing tests, one of each type. */
static void typed_inputs(dc_ruleset *rs)
{
    input(rs, -1, "i", DC_T_INT);
    input(rs, -1, "d", DC_T_DECIMAL);
    input(rs, -1, "r", DC_T_RATE);
    input(rs, -1, "m", DC_T_MONEY);
    input(rs, -1, "dt", DC_T_DATE);
    input(rs, -1, "b", DC_T_BOOL);
    input(rs, -1, "t", DC_T_TEXT);
    enum_input(rs, -1, "residence", 3, "metropole", "guadeloupe", "guyane");
    enum_input(rs, -1, "lieu", 3, "metropole", "guadeloupe", "guyane");
    enum_input(rs, -1, "statut", 2, "salarie", "independant");
}

/* ------------------------------------------------------------------ 1. names */

static void test_resolves_each_name_kind(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    int32_t ressources = input(rs, -1, "ressources", DC_T_MONEY);
    int32_t enfant = entity(rs, "enfant", "enfants");
    int32_t naissance = input(rs, enfant, "date_naissance", DC_T_DATE);
    int32_t bmaf = param(rs, "bmaf", DC_T_MONEY);
    int32_t age = define(rs, "age", DC_T_INT, enfant, "age_at(date_naissance, date) + position", 100);
    int32_t plafond = define(rs, "plafond", DC_T_MONEY, -1, "bmaf * 12", 101);
    int32_t ok = define(rs, "ok", DC_T_BOOL, -1, "ressources < plafond", 102);
    int32_t n = define(rs, "n", DC_T_INT, -1, "count(enfants where age < 20)", 103);
    rs->eligible = ok;
    (void)n;

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_no_errors(&f.diags, nerr);

    /* age_at(date_naissance, date) + position */
    dc_expr *sum = rs->computeds[age].rules[0].then;
    assert_int_equal(sum->kind, DC_E_BINARY);
    assert_int_equal(sum->type, DC_T_INT);
    dc_expr *call = sum->a;
    assert_int_equal(call->kind, DC_E_CALL);
    assert_int_equal(call->args[0]->kind, DC_E_FIELD);
    assert_int_equal(call->args[0]->ref, naissance);
    assert_int_equal(call->args[0]->frame, 0);
    assert_int_equal(call->args[0]->type, DC_T_DATE);
    assert_int_equal(call->args[1]->kind, DC_E_EVAL_DATE);
    assert_int_equal(sum->b->kind, DC_E_POSITION);
    assert_int_equal(sum->b->frame, 0);

    dc_expr *mul = rs->computeds[plafond].rules[0].then;
    assert_int_equal(mul->a->kind, DC_E_PARAM);
    assert_int_equal(mul->a->ref, bmaf);
    assert_int_equal(mul->type, DC_T_MONEY);

    dc_expr *lt = rs->computeds[ok].rules[0].then;
    assert_int_equal(lt->a->kind, DC_E_INPUT);
    assert_int_equal(lt->a->ref, ressources);
    assert_int_equal(lt->b->kind, DC_E_COMPUTED);
    assert_int_equal(lt->b->ref, plafond);
    assert_int_equal(lt->type, DC_T_BOOL);

    /* count(enfants where age < 20) in a top-level value: the first frame is 0 */
    dc_expr *cnt = rs->computeds[n].rules[0].then;
    assert_int_equal(cnt->kind, DC_E_AGG);
    assert_int_equal(cnt->ref, enfant);
    assert_int_equal(cnt->frame, 0);
    assert_int_equal(cnt->type, DC_T_INT);
    assert_int_equal(cnt->args[0]->kind, DC_E_LIST);
    assert_int_equal(cnt->args[0]->ref, enfant);
    assert_int_equal(cnt->a->a->kind, DC_E_RECORD_COMPUTED);
    assert_int_equal(cnt->a->a->ref, age);
    assert_int_equal(cnt->a->a->frame, 0);

    /* uses: every input, param and value read once; ok is the decision's */
    assert_int_equal(rs->inputs[ressources].uses, 1);
    assert_int_equal(rs->inputs[naissance].uses, 1);
    assert_int_equal(rs->params[bmaf].uses, 1);
    assert_int_equal(rs->computeds[plafond].uses, 1);
    assert_int_equal(rs->computeds[ok].uses, 1);
    assert_int_equal(count_code(&f.diags, DC_DIAG_UNUSED_VALUE), 1);  /* n */
    fx_free(&f);
}

static void test_unknown_names(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    input(rs, -1, "ressources", DC_T_MONEY);
    int32_t enfant = entity(rs, "enfant", "enfants");
    input(rs, enfant, "a_charge", DC_T_BOOL);
    define(rs, "age", DC_T_INT, enfant, "3", 99);
    define(rs, "x", DC_T_BOOL, -1, "ressource > 0 €", 100);
    define(rs, "y", DC_T_BOOL, -1, "zzzzzzzzzz", 101);
    define(rs, "z", DC_T_INT, -1, "enfants", 102);
    define(rs, "w", DC_T_BOOL, -1, "age > 3", 103);
    define(rs, "v", DC_T_INT, -1, "count(enfant)", 104);
    define(rs, "u", DC_T_INT, -1, "1 + count(enfants where enfant.a_charge)", 105);
    define(rs, "p", DC_T_INT, -1, "position", 106);

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_int_equal(nerr, 7);
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 106, 1, "'position' is the rank of a record");
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 100, 1, "unknown name 'ressource'; did you mean 'ressources'?");
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 101, 1, "unknown name 'zzzzzzzzzz'");
    assert_null(strstr(find(&f.diags, DC_DIAG_UNKNOWN_NAME, 101, 1, NULL)->message, "did you mean"));
    assert_diag(&f.diags, DC_DIAG_TYPE, 102, 1, "'enfants' is a list");
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 103, 1,
                "'age' is a value of each enfant; use it inside count(enfants …) or an of=\"enfant\" value");
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 104, 7, "did you mean 'enfants'?");
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 105, 25, "'enfant' names a record only inside an of=\"enfant\" value");
    /* diagnostics carry the file, the value's name as rule and the rule's article */
    const dc_diag *d = find(&f.diags, DC_DIAG_UNKNOWN_NAME, 100, 1, NULL);
    assert_string_equal(d->file, "t.xml");
    assert_string_equal(d->rule, "x");
    assert_string_equal(d->article, "art-1");
    fx_free(&f);
}

/* ------------------------------------------------------------------ frames */

static void test_frames_of_value_and_aggregation(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    int32_t enfant = entity(rs, "enfant", "enfants");
    int32_t naissance = input(rs, enfant, "date_naissance", DC_T_DATE);
    int32_t age = define(rs, "age", DC_T_INT, enfant, "age_at(date_naissance, date)", 100);
    /* rank among the children: the bare `age` is the iterated child (frame 1),
       enfant.age the child the value is computed for (frame 0) */
    int32_t rang = define(rs, "rang", DC_T_INT, enfant, "1 + count(enfants where age > enfant.age)", 101);
    /* binder form: e.age is the iterated child, bare age keeps its outer meaning */
    int32_t aines = define(rs, "aines", DC_T_INT, enfant, "count(e in enfants where e.age > age)", 102);
    int32_t total = define(rs, "total", DC_T_INT, -1, "sum(enfants, rang + aines)", 103);
    rs->eligible = define(rs, "ok", DC_T_BOOL, -1, "total > 0", 104);

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_no_errors(&f.diags, nerr);

    dc_expr *cnt = rs->computeds[rang].rules[0].then->b;
    assert_int_equal(cnt->kind, DC_E_AGG);
    assert_int_equal(cnt->frame, 1);
    dc_expr *gt = cnt->a;
    assert_int_equal(gt->a->kind, DC_E_RECORD_COMPUTED);
    assert_int_equal(gt->a->ref, age);
    assert_int_equal(gt->a->frame, 1);
    assert_int_equal(gt->b->kind, DC_E_RECORD_COMPUTED);
    assert_int_equal(gt->b->ref, age);
    assert_int_equal(gt->b->frame, 0);

    dc_expr *bcnt = rs->computeds[aines].rules[0].then;
    assert_int_equal(bcnt->kind, DC_E_AGG);
    assert_int_equal(bcnt->frame, 1);
    assert_int_equal(bcnt->a->a->kind, DC_E_RECORD_COMPUTED);
    assert_int_equal(bcnt->a->a->frame, 1);
    assert_int_equal(bcnt->a->b->kind, DC_E_RECORD_COMPUTED);
    assert_int_equal(bcnt->a->b->frame, 0);

    dc_expr *sum = rs->computeds[total].rules[0].then;
    assert_int_equal(sum->frame, 0);
    assert_int_equal(sum->type, DC_T_INT);
    assert_int_equal(sum->b->a->frame, 0);
    assert_int_equal(rs->inputs[naissance].uses, 1);
    fx_free(&f);
}

static void test_frame_errors(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    int32_t enfant = entity(rs, "enfant", "enfants");
    input(rs, enfant, "a_charge", DC_T_BOOL);
    define(rs, "age", DC_T_INT, enfant, "3", 100);
    /* in the binder form bare names are not the iterated record */
    define(rs, "x", DC_T_INT, -1, "count(e in enfants where age > 3)", 101);
    /* a field the entity does not have */
    define(rs, "y", DC_T_INT, -1, "count(e in enfants where e.ag > 3)", 102);
    /* nine nested aggregations: one record frame too many */
    define(rs, "z", DC_T_INT, -1,
           "count(enfants where count(enfants where count(enfants where count(enfants where "
           "count(enfants where count(enfants where count(enfants where count(enfants where "
           "count(enfants) > 0) > 0) > 0) > 0) > 0) > 0) > 0) > 0)", 103);

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_int_equal(nerr, 3);
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 101, 26, "'age' is a value of each enfant; inside this aggregation write e.age");
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 102, 26, "enfant has no field 'ag'; did you mean 'age'?");
    /* the ninth count starts at column 1 + 8 × 20 = 161 */
    assert_diag(&f.diags, DC_DIAG_EXPR_TOO_DEEP, 103, 161, "at most 8");
    fx_free(&f);
}

/* ------------------------------------------------------------------ 2. types */

typedef struct typing_case {
    const char *expr;
    int type;                 /* expected type, or -1 for an error */
    uint32_t column;          /* error: column of the offending node */
    const char *message;      /* error: substring */
} typing_case;

static const typing_case TYPING[] = {
    /* §3.1 arithmetic */
    { "i + i", DC_T_INT, 0, NULL },
    { "i * i - i", DC_T_INT, 0, NULL },
    { "i / i", DC_T_DECIMAL, 0, NULL },
    { "i + d", DC_T_DECIMAL, 0, NULL },
    { "d * d", DC_T_DECIMAL, 0, NULL },
    { "d - d", DC_T_DECIMAL, 0, NULL },
    { "r + r", DC_T_RATE, 0, NULL },
    { "r - r", DC_T_RATE, 0, NULL },
    { "r * i", DC_T_RATE, 0, NULL },
    { "i * r", DC_T_RATE, 0, NULL },
    { "r * d", DC_T_DECIMAL, 0, NULL },
    { "m + m", DC_T_MONEY, 0, NULL },
    { "m - 100 €", DC_T_MONEY, 0, NULL },
    { "m * i", DC_T_MONEY, 0, NULL },
    { "i * m", DC_T_MONEY, 0, NULL },
    { "m * d", DC_T_DECIMAL, 0, NULL },
    { "m * r", DC_T_DECIMAL, 0, NULL },
    { "m * 32 %", DC_T_DECIMAL, 0, NULL },
    { "m / i", DC_T_DECIMAL, 0, NULL },
    { "m / d", DC_T_DECIMAL, 0, NULL },
    { "m / m", DC_T_DECIMAL, 0, NULL },
    { "-m", DC_T_MONEY, 0, NULL },
    { "-r", DC_T_RATE, 0, NULL },
    { "m + d", -1, 1, "cannot add money and decimal: round to the cent first: round_cent(…)" },
    { "d + m", -1, 1, "round to the cent first: round_cent(…)" },
    { "m - r", -1, 1, "cannot subtract money and rate: round to the cent first" },
    { "m + 100", -1, 1, "cannot add money and int: write the amount as money: 100 €" },
    { "1 + m - i", -1, 1, "write the amount as money: 100 €" },
    { "m * m", -1, 1, "cannot multiply money by money" },
    { "i / m", -1, 1, "cannot divide int by money" },
    { "b + i", -1, 1, "cannot add bool and int" },
    { "-b", -1, 1, "unary minus needs a number, not bool" },
    { "i + (dt - i)", -1, 6, "cannot subtract date and int" },
    /* logic */
    { "not b and (b or i > 2)", DC_T_BOOL, 0, NULL },
    { "not i", -1, 5, "the operand of 'not' must be bool, not int" },
    { "b and i", -1, 7, "an operand of 'and' must be bool, not int" },
    { "i or b", -1, 1, "an operand of 'or' must be bool, not int" },
    /* comparisons */
    { "i < d", DC_T_BOOL, 0, NULL },
    { "m >= 100", DC_T_BOOL, 0, NULL },
    { "r = 0.32", DC_T_BOOL, 0, NULL },
    { "dt <= date", DC_T_BOOL, 0, NULL },
    { "t = 'abc'", DC_T_BOOL, 0, NULL },
    { "b != true", DC_T_BOOL, 0, NULL },
    { "residence = lieu", DC_T_BOOL, 0, NULL },
    { "dt < i", -1, 1, "'<' compares numbers or dates, not date and int" },
    { "t < 'abc'", -1, 1, "'<' compares numbers or dates, not text and text" },
    { "residence > 'guyane'", -1, 1, "'>' compares numbers or dates" },
    { "b = i", -1, 1, "cannot compare bool with int" },
    { "t = i", -1, 1, "cannot compare text with int" },
    { "residence = t", -1, 1, "cannot compare enum with text" },
    { "residence = statut", -1, 1, "the values of residence and statut are different lists" },
    { "residence = 'metropol'", -1, 13,
      "'metropol' is not a value of residence (metropole, guadeloupe, guyane); did you mean 'metropole'?" },
    { "'outremer' != residence", -1, 1, "'outremer' is not a value of residence" },
    /* in */
    { "residence in ('guadeloupe', 'guyane')", DC_T_BOOL, 0, NULL },
    { "i in (1, 2, 3)", DC_T_BOOL, 0, NULL },
    { "t in ('a', 'b')", DC_T_BOOL, 0, NULL },
    { "residence in ('guyane', 'reunion')", -1, 25, "'reunion' is not a value of residence" },
    { "i in (1, 'a')", -1, 10, "candidate of type text in a list of int values" },
    { "i in (1, i)", -1, 10, "the candidates of 'in' must be literals" },
    { "dt in (1)", -1, 1, "'in' tests an enum, text or int value, not date" },
    /* if */
    { "if b then i else d", DC_T_DECIMAL, 0, NULL },
    { "if b then m else 0 €", DC_T_MONEY, 0, NULL },
    { "if i then b else b", -1, 4, "the condition of 'if' must be bool, not int" },
    { "if b then m else d", -1, 1, "the branches of 'if' have different types: money and decimal" },
    /* dates and durations */
    { "dt + years(1)", DC_T_DATE, 0, NULL },
    { "dt - months(3) + days(2)", DC_T_DATE, 0, NULL },
    { "years(i)", DC_T_DURATION, 0, NULL },
    { "dt + dt", -1, 1, "cannot add date and date" },
    /* §3.5 functions */
    { "min(i, i)", DC_T_INT, 0, NULL },
    { "max(i, d, 2)", DC_T_DECIMAL, 0, NULL },
    { "min(m, 100 €)", DC_T_MONEY, 0, NULL },
    { "abs(d)", DC_T_DECIMAL, 0, NULL },
    { "abs(m)", DC_T_MONEY, 0, NULL },
    { "round_cent(m * r)", DC_T_MONEY, 0, NULL },
    { "trunc_cent(m / 3)", DC_T_MONEY, 0, NULL },
    { "round_cent(m)", DC_T_MONEY, 0, NULL },
    { "round(d)", DC_T_INT, 0, NULL },
    { "round(d, 2)", DC_T_DECIMAL, 0, NULL },
    { "trunc(i / 3, 0)", DC_T_DECIMAL, 0, NULL },
    { "age_at(dt, date)", DC_T_INT, 0, NULL },
    { "add_days(dt, 3)", DC_T_DATE, 0, NULL },
    { "add_months(dt, i)", DC_T_DATE, 0, NULL },
    { "add_years(dt, 1)", DC_T_DATE, 0, NULL },
    { "first_day_of_month(dt)", DC_T_DATE, 0, NULL },
    { "first_day_of_next_month(date)", DC_T_DATE, 0, NULL },
    { "days_between(dt, date)", DC_T_INT, 0, NULL },
    { "min(m, i)", -1, 8, "min needs numbers of compatible types (money only with money): money and int" },
    { "max(i, dt)", -1, 8, "max needs numbers" },
    { "abs(dt)", -1, 5, "argument 1 of abs must be a number, not date" },
    { "round_cent(i)", -1, 12, "argument 1 of round_cent must be decimal or money, not int" },
    { "round(m)", -1, 7, "argument 1 of round must be a decimal, not money" },
    { "round(d, i)", -1, 10, "the number of decimals of round must be a literal integer from 0 to 9" },
    { "trunc(d, 10)", -1, 10, "the number of decimals of trunc must be a literal integer from 0 to 9" },
    { "age_at(dt, i)", -1, 12, "argument 2 of age_at must be a date, not int" },
    { "add_days(i, 3)", -1, 10, "argument 1 of add_days must be a date, not int" },
    { "add_months(dt, d)", -1, 16, "argument 2 of add_months must be an int, not decimal" },
    { "first_day_of_month(i)", -1, 20, "must be a date" },
    { "days_between(dt, 3)", -1, 18, "argument 2 of days_between must be a date" },
    { "years(d)", -1, 7, "argument 1 of years must be an int, not decimal" },
};

static void test_typing_table(void **state)
{
    (void)state;
    size_t n = sizeof TYPING / sizeof TYPING[0];
    for (size_t k = 0; k < n; k++) {
        const typing_case *tc = &TYPING[k];
        fixture f;
        fx_init(&f);
        typed_inputs(f.rs);
        /* declare the value with the expected type so only the expression is judged */
        dc_type_kind declared = tc->type >= 0 ? (dc_type_kind)tc->type : DC_T_BOOL;
        int32_t ci = define(f.rs, "x", declared, -1, tc->expr, 7);
        size_t nerr = dc_ruleset_check(f.rs, &f.diags);
        dc_expr *e = f.rs->computeds[ci].rules[0].then;
        if (tc->type >= 0) {
            if (nerr || e->type != tc->type) {
                fprintf(stderr, "%s: expected %s, got %s\n", tc->expr, dc_type_name(tc->type),
                        e->type < DC_T_COUNT_ ? dc_type_name(e->type) : "error");
                dump(&f.diags);
                fail();
            }
        } else {
            if (nerr != 1) {
                fprintf(stderr, "%s: expected 1 error, got %zu\n", tc->expr, nerr);
                dump(&f.diags);
                fail();
            }
            assert_diag(&f.diags, f.diags.items[0].code, 7,
                        tc->column, tc->message);
        }
        fx_free(&f);
    }
}

static void test_enum_literals_are_converted(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    int32_t residence = enum_input(rs, -1, "residence", 3, "metropole", "guadeloupe", "guyane");
    int32_t dom = define(rs, "dom", DC_T_BOOL, -1, "residence in ('guadeloupe', 'guyane')", 100);
    int32_t guyane = define(rs, "en_guyane", DC_T_BOOL, -1, "'guyane' = residence", 101);
    /* an enum value takes its list of values from its rules, and its literals too */
    int32_t zone = variable(rs, "zone", DC_T_ENUM, -1, 102);
    rule(rs, zone, "z.dom", "dom", "'guadeloupe'", 103);
    otherwise(rs, zone, "residence", 105);
    int32_t z2 = define(rs, "en_metropole", DC_T_BOOL, -1, "zone = 'metropole'", 106);
    (void)guyane; (void)z2;

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_no_errors(&f.diags, nerr);
    dc_expr *in = rs->computeds[dom].rules[0].then;
    assert_int_equal(in->kind, DC_E_IN);
    assert_int_equal(in->args[0]->lit.type, DC_T_ENUM);
    assert_int_equal(in->args[0]->lit.u.i, 1);
    assert_int_equal(in->args[0]->type, DC_T_ENUM);
    assert_int_equal(in->args[0]->enum_of, residence);
    assert_int_equal(in->args[1]->lit.u.i, 2);
    dc_expr *eq = rs->computeds[guyane].rules[0].then;
    assert_int_equal(eq->a->lit.type, DC_T_ENUM);
    assert_int_equal(eq->a->lit.u.i, 2);
    assert_int_equal(rs->computeds[zone].enum_of, residence);
    dc_expr *lit = rs->computeds[zone].rules[0].then;
    assert_int_equal(lit->lit.type, DC_T_ENUM);
    assert_int_equal(lit->lit.u.i, 1);
    assert_int_equal(lit->enum_of, residence);
    dc_expr *eq2 = rs->computeds[z2].rules[0].then;
    assert_int_equal(eq2->a->enum_of, residence);
    assert_int_equal(eq2->b->lit.u.i, 0);
    fx_free(&f);
}

static void test_min_max_over_lists_become_aggregations(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    input(rs, -1, "a", DC_T_MONEY);
    int32_t enfant = entity(rs, "enfant", "enfants");
    input(rs, enfant, "revenu", DC_T_MONEY);
    int32_t lo = define(rs, "plus_petit", DC_T_MONEY, -1, "min(enfants, revenu)", 100);
    int32_t hi = define(rs, "plus_grand", DC_T_MONEY, -1, "max(enfants, revenu * 2)", 101);
    int32_t sc = define(rs, "scalaire", DC_T_MONEY, -1, "max(a, 0 €)", 102);
    define(rs, "bad", DC_T_MONEY, -1, "max(enfants, position = 1)", 103);
    define(rs, "bad2", DC_T_MONEY, -1, "min(enfants, revenu, a)", 104);

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_int_equal(nerr, 2);
    assert_diag(&f.diags, DC_DIAG_TYPE, 104, 1, "min over a list takes the list and one expression");
    assert_diag(&f.diags, DC_DIAG_TYPE, 103, 14, "max over enfants needs a number, not bool");
    dc_expr *e = rs->computeds[lo].rules[0].then;
    assert_int_equal(e->kind, DC_E_AGG);
    assert_int_equal(e->op, DC_AGG_AMIN);
    assert_null(e->a);
    assert_int_equal(e->b->kind, DC_E_FIELD);
    assert_int_equal(e->b->frame, 0);
    assert_int_equal(e->args[0]->kind, DC_E_LIST);
    assert_int_equal(e->nargs, 1);
    assert_int_equal(e->ref, enfant);
    assert_int_equal(e->type, DC_T_MONEY);
    e = rs->computeds[hi].rules[0].then;
    assert_int_equal(e->kind, DC_E_AGG);
    assert_int_equal(e->op, DC_AGG_AMAX);
    assert_int_equal(e->b->type, DC_T_MONEY);
    e = rs->computeds[sc].rules[0].then;
    assert_int_equal(e->kind, DC_E_CALL);
    assert_int_equal(e->op, DC_FN_MAX);
    fx_free(&f);
}

static void test_aggregation_types(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    int32_t enfant = entity(rs, "enfant", "enfants");
    input(rs, enfant, "a_charge", DC_T_BOOL);
    input(rs, enfant, "revenu", DC_T_MONEY);
    input(rs, enfant, "part", DC_T_RATE);
    int32_t any = define(rs, "un", DC_T_BOOL, -1, "any(enfants where a_charge)", 100);
    int32_t all = define(rs, "tous", DC_T_BOOL, -1, "all(enfants where a_charge, revenu < 100 €)", 101);
    int32_t sum = define(rs, "parts", DC_T_RATE, -1, "sum(enfants where a_charge, part)", 102);
    define(rs, "e1", DC_T_INT, -1, "count(enfants where revenu)", 103);
    define(rs, "e2", DC_T_BOOL, -1, "all(enfants, revenu)", 104);
    define(rs, "e3", DC_T_MONEY, -1, "sum(enfants, a_charge)", 105);

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_int_equal(nerr, 3);
    assert_diag(&f.diags, DC_DIAG_TYPE, 103, 21, "the 'where' condition must be bool, not money");
    assert_diag(&f.diags, DC_DIAG_TYPE, 104, 14, "the condition of any/all must be bool, not money");
    assert_diag(&f.diags, DC_DIAG_TYPE, 105, 14, "sum over enfants needs a number, not bool");
    assert_int_equal(rs->computeds[any].rules[0].then->type, DC_T_BOOL);
    assert_int_equal(rs->computeds[all].rules[0].then->type, DC_T_BOOL);
    assert_int_equal(rs->computeds[sum].rules[0].then->type, DC_T_RATE);
    fx_free(&f);
}

static void test_declared_types_and_conditions(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    typed_inputs(rs);
    define(rs, "a", DC_T_DECIMAL, -1, "i", 100);      /* int accepted for decimal */
    define(rs, "b2", DC_T_RATE, -1, "2", 101);        /* int accepted for rate */
    define(rs, "c", DC_T_RATE, -1, "d / 2", 102);     /* decimal accepted for rate */
    define(rs, "e", DC_T_MONEY, -1, "m * r", 103);    /* decimal is not money */
    define(rs, "g", DC_T_INT, -1, "d", 104);          /* nor an int */
    int32_t h = variable(rs, "h", DC_T_MONEY, -1, 105);
    rule(rs, h, "h.1", "i", "m", 106);                /* condition not bool */
    dc_rule *r2 = rule(rs, h, "h.2", "b", "i", 108);   /* then not money */
    exception(rs, r2, "h.2.x", "b and i > 1", "true", 110);
    otherwise(rs, h, "0.5", 112);
    int32_t k = variable(rs, "k", DC_T_ENUM, -1, 113);
    rule(rs, k, "k.1", "b", "residence", 114);
    rule(rs, k, "k.2", "not b", "statut", 116);       /* another list of values */

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_diag(&f.diags, DC_DIAG_TYPE, 103, 1, "e is declared money but this gives decimal");
    assert_diag(&f.diags, DC_DIAG_TYPE, 104, 1, "g is declared int but this gives decimal");
    assert_diag(&f.diags, DC_DIAG_TYPE, 106, 1, "a condition must be bool, not int");
    assert_diag(&f.diags, DC_DIAG_TYPE, 109, 1, "h is declared money but this gives int");
    assert_diag(&f.diags, DC_DIAG_TYPE, 111, 1, "h is declared money but this gives bool");
    assert_diag(&f.diags, DC_DIAG_TYPE, 112, 1, "h is declared money but this gives decimal");
    assert_diag(&f.diags, DC_DIAG_TYPE, 117, 1, "k takes the values of statut here but of residence elsewhere");
    assert_int_equal(nerr, 7);
    /* the rule id names the rule, not the value */
    assert_string_equal(find(&f.diags, DC_DIAG_TYPE, 109, 1, NULL)->rule, "h.2");
    assert_string_equal(find(&f.diags, DC_DIAG_TYPE, 111, 1, NULL)->rule, "h.2.x");
    assert_string_equal(find(&f.diags, DC_DIAG_TYPE, 112, 1, NULL)->rule, "h");
    fx_free(&f);
}

/* ------------------------------------------------------------------ 3. templates */

static void test_templates(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    int32_t n = input(rs, -1, "nb_enfants", DC_T_INT);
    int32_t enfant = entity(rs, "enfant", "enfants");
    int32_t naissance = input(rs, enfant, "date_naissance", DC_T_DATE);
    int32_t ok = variable(rs, "ok", DC_T_BOOL, -1, 100);
    rs->eligible = ok;
    dc_rule *r1 = rule(rs, ok, "r1", "nb_enfants >= 2", "true", 101);
    explain(rs, r1, "Vous avez {nb_enfants} enfant(s) {{sic}} ; {nb_enfants + 1} en tout.", 103, 16);
    dc_rule *r2 = rule(rs, ok, "r2", "nb_enfants = 1", "false", 104);
    explain(rs, r2, "Il manque {nb_enfant", 106, 16);
    dc_rule *r3 = rule(rs, ok, "r3", "nb_enfants = 0", "false", 107);
    explain(rs, r3, "Éléments : {rien} et\n  {nb_enfants}{enfants}", 109, 16);
    int32_t age = variable(rs, "age", DC_T_INT, enfant, 110);
    dc_rule *r4 = rule(rs, age, "r4", NULL, "age_at(date_naissance, date)", 111);
    explain(rs, r4, "Né le {date_naissance}.", 112, 16);
    (void)age;

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_int_equal(nerr, 3);
    /* good template: 5 parts, the braces doubled are literal */
    dc_template *t = r1->explain;
    assert_int_equal(t->n_parts, 5);
    assert_string_equal(t->parts[0].text, "Vous avez ");
    assert_int_equal(t->parts[1].expr->kind, DC_E_INPUT);
    assert_int_equal(t->parts[1].expr->ref, n);
    assert_string_equal(t->parts[2].text, " enfant(s) {sic} ; ");
    assert_int_equal(t->parts[3].expr->type, DC_T_INT);
    assert_string_equal(t->parts[4].text, " en tout.");
    /* unclosed brace, at the brace: "Il manque " is 10 characters after column 16 */
    assert_diag(&f.diags, DC_DIAG_BAD_TEMPLATE, 106, 26, "unclosed '{'");
    /* unknown name: 'É' counts as one column; {rien} opens at 16 + 11, the name at 28 */
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 109, 28, "unknown name 'rien'");
    assert_string_equal(find(&f.diags, DC_DIAG_UNKNOWN_NAME, 109, 28, NULL)->rule, "r3");
    /* after the newline: "  {nb_enfants}" then {enfants} at column 16 of line 110 */
    assert_diag(&f.diags, DC_DIAG_TYPE, 110, 16, "'enfants' is a list");
    /* a per-record rule's template sees the record's fields */
    assert_int_equal(r4->explain->parts[1].expr->kind, DC_E_FIELD);
    assert_int_equal(r4->explain->parts[1].expr->ref, naissance);
    fx_free(&f);
}

/* ------------------------------------------------------------------ 4. validity */

static void test_validity_dates(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    int32_t x = variable(rs, "x", DC_T_INT, -1, 100);
    rs->eligible = -1;
    dc_rule *r1 = rule(rs, x, "x.1", NULL, "1", 101);
    explain(rs, r1, "un", 102, 1);
    r1->valid_from = 20000;
    r1->valid_to = 19999;
    dc_rule *r2 = rule(rs, x, "x.2", NULL, "2", 103);
    explain(rs, r2, "deux", 104, 1);
    r2->valid_from = 20000;
    r2->valid_to = 20000;   /* a single day is fine */
    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_int_equal(nerr, 1);
    assert_diag(&f.diags, DC_DIAG_BAD_DATE, 101, 3, "valid-from is after valid-to");
    fx_free(&f);
}

/* ------------------------------------------------------------------ 5. cycles */

static void test_cycles(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    define(rs, "a", DC_T_INT, -1, "b + 1", 100);
    define(rs, "b", DC_T_INT, -1, "a * 2", 101);
    define(rs, "p", DC_T_INT, -1, "r", 102);
    int32_t q = variable(rs, "q", DC_T_INT, -1, 103);
    rule(rs, q, "q.1", "p > 0", "1", 104);
    otherwise(rs, q, "0", 106);
    define(rs, "r", DC_T_INT, -1, "q", 107);
    define(rs, "s", DC_T_INT, -1, "s + 1", 108);
    /* a template reading itself is not a cycle */
    int32_t t = variable(rs, "t", DC_T_INT, -1, 109);
    explain(rs, rule(rs, t, "t.1", NULL, "1", 110), "t vaut {t}", 111, 1);
    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_int_equal(nerr, 3);
    assert_int_equal(count_code(&f.diags, DC_DIAG_CYCLE), 3);
    assert_diag(&f.diags, DC_DIAG_CYCLE, 100, 3, "cycle: a -> b -> a");
    assert_diag(&f.diags, DC_DIAG_CYCLE, 102, 3, "cycle: p -> r -> q -> p");
    assert_diag(&f.diags, DC_DIAG_CYCLE, 108, 3, "cycle: s -> s");
    fx_free(&f);
}

/* ------------------------------------------------------------------ 6. warnings */

static void test_warnings(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    input(rs, -1, "n", DC_T_INT);
    input(rs, -1, "inutile", DC_T_INT);
    param(rs, "seuil", DC_T_INT);
    int32_t ok = variable(rs, "ok", DC_T_BOOL, -1, 100);
    rs->eligible = ok;
    dc_rule *r1 = rule(rs, ok, "r1", "n >= seuil", "true", 101);
    explain(rs, r1, "ok", 103, 1);
    dc_rule *r2 = rule(rs, ok, "r2", "n >= seuil", "false", 104);  /* same condition as r1 */
    explain(rs, r2, "ok", 106, 1);
    exception(rs, r1, "r1.a", "n = 3", "false", 107);              /* no explain */
    exception(rs, r1, "r1.b", "n = 4", "false", 109);              /* no explain, other cond */
    /* the same condition in two periods is a change of the law, not a mistake */
    dc_rule *r3 = rule(rs, ok, "r3", "n = 7", "true", 111);
    explain(rs, r3, "ok", 113, 1);
    r3->valid_to = 100;
    dc_rule *r4 = rule(rs, ok, "r4", "n = 7", "false", 114);
    explain(rs, r4, "ok", 116, 1);
    r4->valid_from = 101;
    otherwise(rs, ok, "false", 117);
    int32_t amount = define(rs, "montant", DC_T_MONEY, -1, "100 €", 118);
    rs->amount = amount;
    define(rs, "orphelin", DC_T_INT, -1, "n + 1", 119);

    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_no_errors(&f.diags, nerr);
    assert_int_equal(f.diags.warnings, 5);
    assert_diag(&f.diags, DC_DIAG_UNUSED_INPUT, 11, 5, "input 'inutile' is never used");
    assert_diag(&f.diags, DC_DIAG_UNUSED_VALUE, 119, 3, "value 'orphelin' is never used");
    assert_diag(&f.diags, DC_DIAG_NO_EXPLAIN, 107, 3, "rule 'r1.a' has no <explain>");
    assert_diag(&f.diags, DC_DIAG_NO_EXPLAIN, 109, 3, "rule 'r1.b'");
    assert_diag(&f.diags, DC_DIAG_SAME_CONDITION, 104, 3, "rules 'r1' and 'r2' have the same condition");
    assert_int_equal(f.diags.items[0].severity, DC_SEV_WARNING);
    assert_int_equal(rs->inputs[0].uses, 7);
    assert_int_equal(rs->params[0].uses, 2);
    assert_int_equal(rs->computeds[ok].uses, 1);
    assert_int_equal(rs->computeds[amount].uses, 1);
    fx_free(&f);
}

/* ------------------------------------------------------------------ all at once */

static void test_reports_every_error_in_one_run(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    typed_inputs(rs);
    define(rs, "a", DC_T_MONEY, -1, "m + d", 100);
    define(rs, "b2", DC_T_BOOL, -1, "inconnu > 3 and residence = 'paris'", 101);
    define(rs, "c", DC_T_INT, -1, "c", 102);
    int32_t v = variable(rs, "v", DC_T_INT, -1, 103);
    dc_rule *r = rule(rs, v, "v.1", "i", "d", 104);
    explain(rs, r, "{", 106, 1);
    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_int_equal(nerr, 7);
    assert_diag(&f.diags, DC_DIAG_TYPE, 100, 1, "round_cent");
    assert_diag(&f.diags, DC_DIAG_UNKNOWN_NAME, 101, 1, "'inconnu'");
    assert_diag(&f.diags, DC_DIAG_TYPE, 101, 29, "'paris'");
    assert_diag(&f.diags, DC_DIAG_CYCLE, 102, 3, "cycle: c -> c");
    assert_diag(&f.diags, DC_DIAG_TYPE, 104, 1, "a condition must be bool");
    assert_diag(&f.diags, DC_DIAG_TYPE, 105, 1, "v is declared int but this gives decimal");
    assert_diag(&f.diags, DC_DIAG_BAD_TEMPLATE, 106, 1, "unclosed");
    fx_free(&f);
}

/* ------------------------------------------------------------------ 7. depth */

static void test_max_depth(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    dc_ruleset *rs = f.rs;
    input(rs, -1, "i", DC_T_INT);
    define(rs, "a", DC_T_INT, -1, "i", 100);                       /* depth 1 */
    rs->eligible = define(rs, "b", DC_T_BOOL, -1, "(i + 1) * 2 > a", 101); /* > * + i: 4 */
    size_t nerr = dc_ruleset_check(rs, &f.diags);
    assert_no_errors(&f.diags, nerr);
    assert_int_equal(rs->max_depth, 4);
    fx_free(&f);
}

/* ------------------------------------------------------------------ XML fixtures */

/* Loads tests/unit/fixtures/NAME (the tests run from the source tree) and checks it;
 * the loader itself must find nothing wrong. */
static dc_ruleset *load_fixture(const char *name, dc_diag_list *diags, size_t *check_errors)
{
    char path[256];
    snprintf(path, sizeof path, "tests/unit/fixtures/%s", name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static const size_t max = 1 << 16;
    char *data = malloc(max);
    assert_non_null(data);
    size_t len = fread(data, 1, max, fp);
    fclose(fp);
    dc_diag_list_init(diags);
    dc_ruleset *rs = dc_ruleset_read_xml(data, len, path, diags);
    free(data);
    assert_non_null(rs);
    if (diags->errors) { dump(diags); fail(); }
    *check_errors = dc_ruleset_check(rs, diags);
    return rs;
}

static dc_expr *then_of(const dc_ruleset *rs, const char *computed)
{
    int32_t ci = dc_rs_find_computed(rs, computed);
    assert_true(ci >= 0);
    return rs->computeds[ci].rules[0].then;
}

static void test_xml_rule_set_without_errors(void **state)
{
    (void)state;
    dc_diag_list diags;
    size_t nerr;
    dc_ruleset *rs = load_fixture("check_ok.xml", &diags, &nerr);
    assert_no_errors(&diags, nerr);
    const char *file = "tests/unit/fixtures/check_ok.xml";
    int32_t enfant = dc_rs_find_entity(rs, "enfants");
    int32_t age = dc_rs_find_computed(rs, "age");
    int32_t residence = dc_rs_find_input(rs, -1, "residence");

    /* 1 + count(enfants where age > enfant.age): iterated child frame 1, own child 0 */
    dc_expr *cnt = then_of(rs, "rang")->b;
    assert_int_equal(cnt->kind, DC_E_AGG);
    assert_int_equal(cnt->ref, enfant);
    assert_int_equal(cnt->frame, 1);
    assert_int_equal(cnt->a->a->kind, DC_E_RECORD_COMPUTED);
    assert_int_equal(cnt->a->a->ref, age);
    assert_int_equal(cnt->a->a->frame, 1);
    assert_int_equal(cnt->a->b->ref, age);
    assert_int_equal(cnt->a->b->frame, 0);
    /* count(e in enfants where e.age < age): e.age frame 1, bare age frame 0 */
    cnt = then_of(rs, "cadets");
    assert_int_equal(cnt->frame, 1);
    assert_int_equal(cnt->a->a->frame, 1);
    assert_int_equal(cnt->a->b->frame, 0);
    /* top level: the aggregation is frame 0 */
    assert_int_equal(then_of(rs, "nb_enfants")->frame, 0);
    dc_expr *mn = then_of(rs, "plus_jeune");
    assert_int_equal(mn->kind, DC_E_AGG);
    assert_int_equal(mn->op, DC_AGG_AMIN);
    assert_int_equal(mn->type, DC_T_INT);
    dc_expr *mx = then_of(rs, "inutile");
    assert_int_equal(mx->op, DC_AGG_AMAX);
    assert_int_equal(then_of(rs, "revenus")->type, DC_T_MONEY);
    /* zone takes residence's values; its 'guyane' branch is value 2 */
    int32_t zone = dc_rs_find_computed(rs, "zone");
    assert_int_equal(rs->computeds[zone].enum_of, residence);
    dc_expr *z = then_of(rs, "zone");
    assert_int_equal(z->type, DC_T_ENUM);
    assert_int_equal(z->c->lit.type, DC_T_ENUM);
    assert_int_equal(z->c->lit.u.i, 2);
    assert_int_equal(z->a->b->lit.u.i, 0);
    /* zone in ('guadeloupe', 'guyane') */
    int32_t droit = dc_rs_find_computed(rs, "droit");
    dc_rule *dom = &rs->computeds[droit].rules[1];
    assert_int_equal(dom->then->kind, DC_E_IN);
    assert_int_equal(dom->then->args[0]->lit.u.i, 1);
    assert_int_equal(dom->then->args[1]->lit.u.i, 2);
    /* template: {{ }} are literal braces */
    dc_template *t = rs->computeds[droit].rules[0].explain;
    assert_int_equal(t->n_parts, 3);
    assert_string_equal(t->parts[0].text, "Vous avez ");
    assert_int_equal(t->parts[1].expr->kind, DC_E_COMPUTED);
    assert_string_equal(t->parts[2].text, " enfants ({au moins deux}).");
    assert_int_equal(dom->explain->parts[1].expr->type, DC_T_ENUM);
    /* deepest: if > round_cent > bmaf * taux > bmaf, and 1 + count > where > age */
    assert_int_equal(rs->max_depth, 4);

    assert_int_equal(diags.warnings, 4);
    assert_diag(&diags, DC_DIAG_UNUSED_INPUT, 13, 5, "'telephone'");
    assert_diag(&diags, DC_DIAG_UNUSED_VALUE, 33, 3, "'inutile'");
    assert_diag(&diags, DC_DIAG_NO_EXPLAIN, 40, 7, "'droit.deux.riche'");
    assert_diag(&diags, DC_DIAG_SAME_CONDITION, 45, 5, "rules 'droit.deux' and 'droit.dom'");
    assert_string_equal(find(&diags, DC_DIAG_UNUSED_INPUT, 13, 5, NULL)->file, file);
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

/* Checking is idempotent: a second run over the resolved trees finds the same. */
static void test_xml_check_twice(void **state)
{
    (void)state;
    dc_diag_list diags;
    size_t nerr;
    dc_ruleset *rs = load_fixture("check_ok.xml", &diags, &nerr);
    assert_no_errors(&diags, nerr);
    size_t warnings = diags.warnings;
    int32_t rang = dc_rs_find_computed(rs, "rang");
    int32_t age = dc_rs_find_computed(rs, "age");
    uint32_t uses = rs->computeds[age].uses;
    dc_diag_list again;
    dc_diag_list_init(&again);
    nerr = dc_ruleset_check(rs, &again);
    assert_no_errors(&again, nerr);
    assert_int_equal(again.warnings, warnings);
    assert_int_equal(rs->computeds[age].uses, uses);
    assert_int_equal(rs->computeds[rang].rules[0].then->b->frame, 1);
    dc_diag_list_free(&again);
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_xml_every_error_reported(void **state)
{
    (void)state;
    dc_diag_list diags;
    size_t nerr;
    dc_ruleset *rs = load_fixture("check_errors.xml", &diags, &nerr);
    assert_int_equal(nerr, 7);
    /* columns: the element's text starts right after its start tag */
    assert_diag(&diags, DC_DIAG_TYPE, 22, 49, "base is declared money but this gives decimal");
    assert_diag(&diags, DC_DIAG_UNKNOWN_NAME, 23, 48, "'age' is a value of each enfant");
    assert_diag(&diags, DC_DIAG_CYCLE, 24, 3, "cycle: droit -> montant -> droit");
    assert_diag(&diags, DC_DIAG_TYPE, 26, 23, "'guyanne' is not a value of residence "
                "(metropole, guadeloupe, guyane); did you mean 'guyane'?");
    /* "Vous résidez en " is 16 characters (é counts once) after column 16 */
    assert_diag(&diags, DC_DIAG_UNKNOWN_NAME, 28, 33, "unknown name 'residense'; did you mean 'residence'?");
    assert_diag(&diags, DC_DIAG_BAD_TEMPLATE, 33, 26, "unclosed '{'");
    assert_diag(&diags, DC_DIAG_TYPE, 37, 66, "cannot add money and decimal: round to the cent first: round_cent(…)");
    const dc_diag *d = find(&diags, DC_DIAG_TYPE, 26, 23, NULL);
    assert_string_equal(d->rule, "droit.dom");
    assert_string_equal(d->article, "art");
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_xml_cycles(void **state)
{
    (void)state;
    dc_diag_list diags;
    size_t nerr;
    dc_ruleset *rs = load_fixture("check_cycles.xml", &diags, &nerr);
    assert_int_equal(nerr, 3);
    assert_diag(&diags, DC_DIAG_CYCLE, 14, 3, "cycle: part -> total -> part");
    assert_diag(&diags, DC_DIAG_CYCLE, 16, 3, "cycle: droit -> seuil -> limite -> droit");
    assert_diag(&diags, DC_DIAG_CYCLE, 26, 3, "cycle: soi -> soi");
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolves_each_name_kind),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_frames_of_value_and_aggregation),
        cmocka_unit_test(test_frame_errors),
        cmocka_unit_test(test_typing_table),
        cmocka_unit_test(test_enum_literals_are_converted),
        cmocka_unit_test(test_min_max_over_lists_become_aggregations),
        cmocka_unit_test(test_aggregation_types),
        cmocka_unit_test(test_declared_types_and_conditions),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_validity_dates),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_reports_every_error_in_one_run),
        cmocka_unit_test(test_max_depth),
        cmocka_unit_test(test_xml_rule_set_without_errors),
        cmocka_unit_test(test_xml_check_twice),
        cmocka_unit_test(test_xml_every_error_reported),
        cmocka_unit_test(test_xml_cycles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
