/* test_ruleset_xml.c — the loader (ruleset_xml.c) and model helpers (model.c): a valid
 * rule set gives the expected model; each kind of broken one gives its diagnostic at the
 * right line. Runs from the repository root (fixtures in tests/unit/fixtures/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "model.h"

#ifndef FIXTURES
#define FIXTURES "tests/unit/fixtures/"
#endif

/* Days since 1970-01-01, counted the slow way so as not to share code with value.c. */
static int32_t days(int y, int m, int d)
{
    static const int month_days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int32_t n = 0;
    for (int yy = 1970; yy < y; yy++)
        n += ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0) ? 366 : 365;
    for (int mm = 1; mm < m; mm++)
        n += month_days[mm - 1] + (mm == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return n + d - 1;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return data;
}

static dc_ruleset *load_file(const char *name, dc_diag_list *diags)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    size_t len;
    char *data = read_file(path, &len);
    dc_ruleset *rs = dc_ruleset_read_xml(data, len, name, diags);
    free(data);
    return rs;
}

static dc_ruleset *load_str(const char *xml, dc_diag_list *diags)
{
    return dc_ruleset_read_xml(xml, strlen(xml), "t.xml", diags);
}

/* The first diagnostic with `code` on `line` (0: any line) whose message contains
 * `text` (NULL: any), or NULL. */
static const dc_diag *find_text(const dc_diag_list *l, dc_diag_code code, uint32_t line,
                                const char *text)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].code == code && (line == 0 || l->items[i].line == line) &&
            (!text || strstr(l->items[i].message, text)))
            return &l->items[i];
    return NULL;
}
#define find(l, code, line) find_text((l), (code), (line), NULL)

static void dump(const dc_diag_list *l)
{
    dc_buf b;
    dc_buf_init(&b);
    for (size_t i = 0; i < l->count; i++) {
        dc_buf_clear(&b);
        dc_diag_format(&b, &l->items[i]);
        fprintf(stderr, "  %s\n", b.data);
    }
    dc_buf_free(&b);
}

/* Asserts that a diagnostic `code` sits on `line` and its message contains `text`. */
#define EXPECT(l, code, line, text) expect_diag((l), (code), (line), (text), __LINE__)
static const dc_diag *expect_diag(const dc_diag_list *l, dc_diag_code code, uint32_t line,
                                  const char *text, int test_line)
{
    const dc_diag *d = find_text(l, code, line, text);
    if (!d) {
        fprintf(stderr, "test line %d: no %s diagnostic on line %u containing \"%s\"; got:\n",
                test_line, dc_diag_code_name(code), line, text ? text : "");
        dump(l);
        fail();
    }
    return d;
}

static char *cite(const dc_article *a, const char *lang)
{
    dc_buf b;
    dc_buf_init(&b);
    dc_article_cite(&b, a, lang);
    return dc_buf_take(&b);
}

#define ASSERT_CITE(a, lang, want) do { \
        char *got_ = cite((a), (lang)); \
        assert_string_equal(got_, (want)); \
        free(got_); \
    } while (0)

/* ---------------------------------------------------------------- a valid rule set */

static void test_valid_model(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_file("ruleset_small.xml", &diags);
    if (diags.count) dump(&diags);
    assert_non_null(rs);
    assert_int_equal(diags.count, 0);

    assert_string_equal(rs->id, "test.af");
    assert_string_equal(rs->version, "2025-04");
    assert_string_equal(rs->lang, "fr");
    assert_string_equal(rs->title, "Allocations familiales (test)");
    assert_string_equal(rs->file, "ruleset_small.xml");

    /* articles, with the start of a two-line start tag */
    assert_int_equal(rs->n_articles, 4);
    const dc_article *l521 = &rs->articles[0];
    assert_string_equal(l521->id, "css-L521-1");
    assert_int_equal(l521->kind, DC_ARTICLE_CODE);
    assert_string_equal(l521->legi, "LEGIARTI000029963006");
    assert_int_equal(l521->version_from, days(2015, 7, 1));
    assert_int_equal(l521->version_from, 16617);
    assert_int_equal(l521->version_to, DC_NO_DATE_TO);
    assert_int_equal(l521->line, 8);
    assert_int_equal(l521->column, 5);
    assert_int_equal(l521->n_quotes, 2);
    assert_string_equal(l521->quotes[0].text,
                        "Les allocations familiales sont dues à partir du deuxième enfant à charge.");
    assert_int_equal(l521->quotes[0].alinea, 1);
    assert_string_equal(l521->quotes[1].text, "Deuxième alinéa.");
    assert_int_equal(l521->quotes[1].alinea, 2);
    assert_int_equal(rs->articles[1].version_to, days(2030, 12, 31));
    assert_int_equal(rs->articles[1].quotes[0].alinea, 3);
    assert_int_equal(rs->articles[2].kind, DC_ARTICLE_TEXTE);
    assert_null(rs->articles[2].num);

    /* inputs: document order, entity fields contiguous, slots per scope */
    assert_int_equal(rs->n_inputs, 5);
    assert_int_equal(rs->n_top_inputs, 3);
    assert_int_equal(rs->n_entities, 1);
    const dc_entity *enfant = &rs->entities[0];
    assert_string_equal(enfant->name, "enfant");
    assert_string_equal(enfant->plural, "enfants");
    assert_int_equal(enfant->first_input, 1);
    assert_int_equal(enfant->n_inputs, 2);
    const char *names[] = { "ressources", "date_naissance", "lien", "residence", "nir" };
    const int32_t entity[] = { -1, 0, 0, -1, -1 };
    const uint32_t slot[] = { 0, 0, 1, 1, 2 };
    for (int i = 0; i < 5; i++) {
        assert_string_equal(rs->inputs[i].name, names[i]);
        assert_int_equal(rs->inputs[i].entity, entity[i]);
        assert_int_equal(rs->inputs[i].slot, slot[i]);
    }
    assert_int_equal(rs->inputs[0].type, DC_T_MONEY);
    assert_true(rs->inputs[0].has_min);
    assert_int_equal(rs->inputs[0].min.u.i, 0);
    assert_false(rs->inputs[0].has_max);
    assert_true(rs->inputs[1].max_is_eval_date);
    assert_false(rs->inputs[1].has_max);
    assert_int_equal(rs->inputs[2].n_enum_values, 3);   /* "fils  fille autre" */
    assert_string_equal(rs->inputs[2].enum_values[0], "fils");
    assert_string_equal(rs->inputs[2].enum_values[1], "fille");
    assert_string_equal(rs->inputs[2].enum_values[2], "autre");
    assert_string_equal(rs->inputs[4].pattern, "^[12][0-9]{12}$");
    assert_non_null(rs->inputs[4].pattern_code);
    assert_int_equal(dc_rs_find_input(rs, -1, "residence"), 3);
    assert_int_equal(dc_rs_find_input(rs, 0, "lien"), 2);
    assert_int_equal(dc_rs_find_input(rs, -1, "lien"), -1);
    assert_int_equal(dc_rs_find_entity(rs, "enfant"), 0);
    assert_int_equal(dc_rs_find_entity(rs, "enfants"), 0);
    assert_int_equal(dc_rs_find_entity(rs, "parent"), -1);

    /* a dated table: each value lasts until the day before the next one */
    assert_int_equal(rs->n_params, 2);
    assert_int_equal(dc_rs_find_param(rs, "taux"), 1);
    const dc_param *bmaf = &rs->params[0];
    assert_int_equal(bmaf->n_values, 3);
    assert_int_equal(bmaf->values[0].from, days(2024, 4, 1));
    assert_int_equal(bmaf->values[0].to, days(2025, 3, 31));
    assert_int_equal(bmaf->values[1].to, days(2026, 3, 31));
    assert_int_equal(bmaf->values[2].to, days(2026, 12, 31));
    assert_int_equal(bmaf->values[0].value.u.i, 46644);
    assert_int_equal(bmaf->values[2].value.u.i, 47816);
    assert_string_equal(bmaf->values[1].text, "474.37");
    assert_int_equal(bmaf->values[1].source.article, 2);
    assert_int_equal(bmaf->values[1].line, 33);
    assert_int_equal(dc_param_value_at(bmaf, days(2024, 3, 31)), -1);
    assert_int_equal(dc_param_value_at(bmaf, days(2024, 4, 1)), 0);
    assert_int_equal(dc_param_value_at(bmaf, days(2025, 3, 31)), 0);
    assert_int_equal(dc_param_value_at(bmaf, days(2025, 4, 1)), 1);
    assert_int_equal(dc_param_value_at(bmaf, days(2026, 12, 31)), 2);
    assert_int_equal(dc_param_value_at(bmaf, days(2027, 1, 1)), -1);
    const dc_param *taux = &rs->params[1];
    assert_int_equal(taux->values[0].value.u.i, 320000000);   /* 32 % = 0.32 */
    assert_int_equal(taux->values[0].to, DC_NO_DATE_TO);
    assert_int_equal(taux->values[0].source.alinea, 1);
    assert_int_equal(dc_param_value_at(taux, days(2999, 1, 1)), 0);

    /* computed values */
    assert_int_equal(rs->n_computeds, 4);
    assert_int_equal(rs->n_top_computeds, 3);
    assert_int_equal(rs->n_record_computeds[0], 1);
    const dc_computed *age = &rs->computeds[0];
    assert_string_equal(age->name, "age");
    assert_string_equal(age->label, "age");
    assert_int_equal(age->entity, 0);
    assert_int_equal(age->slot, 0);
    assert_true(age->simple);
    assert_false(age->is_variable);
    assert_int_equal(age->enum_of, -1);
    assert_int_equal(age->n_rules, 1);
    assert_null(age->rules[0].id);
    assert_null(age->rules[0].cond);
    assert_non_null(age->rules[0].then);
    assert_string_equal(age->rules[0].then_text, "age_at(date_naissance, date)");
    assert_int_equal(age->rules[0].source.article, 0);
    assert_int_equal(age->rules[0].source.alinea, 2);
    /* the expression starts right after the start tag: line 40, column 76 */
    assert_int_equal(age->rules[0].then->line, 40);
    assert_int_equal(age->rules[0].then->column, 76);
    assert_int_equal(rs->computeds[1].slot, 0);
    assert_string_equal(rs->computeds[1].label, "nombre d'enfants");

    const dc_computed *droit = &rs->computeds[2];
    assert_true(droit->is_variable);
    assert_false(droit->simple);
    assert_int_equal(droit->slot, 1);
    assert_int_equal(droit->n_rules, 2);
    const dc_rule *r = &droit->rules[0];
    assert_string_equal(r->id, "af.droit");
    assert_int_equal(r->line, 43);
    assert_int_equal(r->column, 5);
    assert_string_equal(r->cond_text, "nb_enfants >= 2");
    assert_int_equal(r->cond->line, 44);
    assert_int_equal(r->cond->column, 11);
    assert_string_equal(r->then_text, "true");
    assert_int_equal(r->source.article, 0);
    assert_int_equal(r->source.alinea, 1);
    assert_non_null(r->explain);
    assert_string_equal(r->explain->raw,
                        "Dues à partir du deuxième enfant ; vous avez {nb_enfants} enfant(s).");
    assert_int_equal(r->explain->line, 46);
    assert_int_equal(r->explain->column, 16);
    assert_int_equal(r->explain->n_parts, 0);
    assert_int_equal(r->valid_from, DC_NO_DATE_FROM);
    /* exceptions nest: af.droit > af.droit.dom > af.droit.dom.guyane */
    assert_int_equal(r->n_exceptions, 1);
    const dc_rule *dom = &r->exceptions[0];
    assert_string_equal(dom->id, "af.droit.dom");
    assert_int_equal(dom->valid_from, days(2020, 1, 1));
    assert_int_equal(dom->valid_to, DC_NO_DATE_TO);
    assert_int_equal(dom->source.article, 1);
    assert_int_equal(dom->source.alinea, 3);
    assert_null(dom->explain);
    assert_int_equal(dom->n_exceptions, 1);
    assert_string_equal(dom->exceptions[0].id, "af.droit.dom.guyane");
    assert_int_equal(dom->exceptions[0].n_exceptions, 0);
    assert_null(droit->rules[1].cond);            /* no <if>: always applicable */
    assert_non_null(droit->otherwise);
    assert_null(droit->otherwise->id);
    assert_string_equal(droit->otherwise->then_text, "false");
    assert_int_equal(droit->otherwise->line, 61);

    const dc_computed *montant = &rs->computeds[3];
    assert_int_equal(montant->slot, 2);
    assert_int_equal(montant->rules[0].valid_to, days(2026, 12, 31));
    assert_int_equal(montant->rules[0].source.article, 2);

    /* every rule, pre-order, otherwise last within its value */
    assert_int_equal(rs->n_all_rules, 8);
    const dc_rule *order[] = { &age->rules[0], &rs->computeds[1].rules[0], r, dom,
                               &dom->exceptions[0], &droit->rules[1], droit->otherwise,
                               &montant->rules[0] };
    for (uint32_t i = 0; i < 8; i++) {
        assert_ptr_equal(rs->all_rules[i], order[i]);
        assert_int_equal(rs->all_rules[i]->index, i);
    }
    assert_int_equal(dom->owner, 2);
    assert_int_equal(droit->otherwise->owner, 2);
    assert_int_equal(age->rules[0].owner, 0);

    assert_int_equal(rs->eligible, 2);
    assert_int_equal(rs->amount, 3);
    assert_int_equal(rs->period, DC_PERIOD_MONTH);
    assert_int_equal(dc_rs_find_computed(rs, "montant"), 3);
    assert_int_equal(dc_rs_find_computed(rs, "ressources"), -1);
    assert_int_equal(dc_rs_find_article(rs, "decret-2002"), 3);
    assert_int_equal(dc_rs_find_article(rs, "nope"), -1);

    /* citations as LANGUAGE.md §1.1 renders them */
    ASSERT_CITE(&rs->articles[0], "fr", "article L. 521-1 du code de la sécurité sociale");
    ASSERT_CITE(&rs->articles[0], "en", "article L. 521-1 of the Code de la sécurité sociale");
    ASSERT_CITE(&rs->articles[1], "fr", "article R. 755-0-2 du code de la sécurité sociale");
    ASSERT_CITE(&rs->articles[2], "fr",
                "Instruction interministérielle n° DSS/2B/2025/32 du 2 avril 2025");
    ASSERT_CITE(&rs->articles[2], "en",
                "Instruction interministérielle n° DSS/2B/2025/32 du 2 avril 2025");
    ASSERT_CITE(&rs->articles[3], "fr", "article 7 du décret n° 2002-423 du 29 mars 2002");
    ASSERT_CITE(&rs->articles[3], "en", "article 7 of Décret n° 2002-423 du 29 mars 2002");

    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_cite_forms(void **state)
{
    (void)state;
    dc_article a = { 0 };
    a.kind = DC_ARTICLE_CODE;
    a.code = "Code de la sécurité sociale";
    a.num = "D521-3";
    ASSERT_CITE(&a, "fr", "article D. 521-3 du code de la sécurité sociale");
    a.num = "521-3";   /* no letter prefix: kept */
    ASSERT_CITE(&a, "fr", "article 521-3 du code de la sécurité sociale");
    a.num = "L.521-1";  /* already abbreviated */
    ASSERT_CITE(&a, "en", "article L. 521-1 of the Code de la sécurité sociale");
    a.kind = DC_ARTICLE_TEXTE;
    a.title = "Instruction n° DSS/2B/2024/43 du 20 mars 2024";
    a.num = "2";
    ASSERT_CITE(&a, "fr", "article 2 de l'instruction n° DSS/2B/2024/43 du 20 mars 2024");
    a.title = "Arrêté du 1er avril 2025";
    ASSERT_CITE(&a, "fr", "article 2 de l'arrêté du 1er avril 2025");
}

/* ---------------------------------------------------------------- XML level */

#define NS "xmlns=\"urn:libdecide:ruleset:1\""

static void test_truncated(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_str("<ruleset " NS " id=\"t\" version=\"1\">\n"
                              "<title>t</title>\n"
                              "<sources><article id=\"a\" code=\"Code\"", &diags);
    assert_null(rs);
    const dc_diag *d = EXPECT(&diags, DC_DIAG_XML_SYNTAX, 3, NULL);
    assert_string_equal(d->file, "t.xml");
    assert_int_equal(d->severity, DC_SEV_ERROR);
    dc_diag_list_free(&diags);
}

static void test_not_xml_at_all(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    assert_null(load_str("", &diags));
    assert_true(diags.errors >= 1);
    dc_diag_list_free(&diags);
    dc_diag_list_init(&diags);
    assert_null(load_str("<ruleset " NS " id=\"t\">\n</rulset>\n", &diags));
    EXPECT(&diags, DC_DIAG_XML_SYNTAX, 2, NULL);
    dc_diag_list_free(&diags);
}

static void test_wrong_namespace(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    assert_null(load_str("<?xml version=\"1.0\"?>\n<ruleset xmlns=\"urn:other\" id=\"t\"/>\n",
                         &diags));
    EXPECT(&diags, DC_DIAG_SCHEMA, 2, "urn:other");
    dc_diag_list_free(&diags);
    dc_diag_list_init(&diags);
    assert_null(load_str("<ruleset id=\"t\"/>", &diags));
    EXPECT(&diags, DC_DIAG_SCHEMA, 1, "no namespace");
    dc_diag_list_free(&diags);
}

/* Lines 1-5 of the inline rule sets below; what follows starts on line 6. */
#define HEAD \
    "<ruleset " NS " id=\"t\" version=\"1\">\n" \
    "<title>t</title>\n" \
    "<sources><article id=\"css-L521-1\" code=\"Code de la sécurité sociale\" num=\"L521-1\"><quote>a</quote></article>\n" \
    "<article id=\"instr\" kind=\"texte\" title=\"Instruction\"/></sources>\n" \
    "<inputs><input name=\"n\" type=\"int\" label=\"n\"/></inputs>\n"
#define TAIL \
    "<define name=\"ok\" type=\"bool\" source=\"instr\">true</define>\n" \
    "<decision eligible=\"ok\" period=\"month\"/></ruleset>\n"

static void test_minimal_valid(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_str(HEAD TAIL, &diags);
    if (diags.count) dump(&diags);
    assert_non_null(rs);
    assert_int_equal(diags.count, 0);
    assert_int_equal(rs->n_params, 0);
    assert_int_equal(rs->amount, -1);
    assert_string_equal(rs->lang, "fr");   /* no xml:lang: French */
    assert_int_equal(rs->computeds[0].line, 6);
    assert_int_equal(rs->computeds[0].column, 1);
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_schema_violation(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    assert_null(load_str(
        "<ruleset " NS " id=\"t\" version=\"1\">\n"
        "<title>t</title>\n"
        "<sources><article id=\"instr\" kind=\"texte\" title=\"Instruction\"/></sources>\n"
        "<inputs>\n"
        "  <input name=\"n\" type=\"euros\" label=\"n\"/>\n"
        "</inputs>\n"
        TAIL, &diags));
    const dc_diag *d = EXPECT(&diags, DC_DIAG_SCHEMA, 5, "euros");
    assert_int_equal(d->column, 3);
    /* libxml2's summary without a line ("failed to validate attributes") is dropped */
    for (size_t i = 0; i < diags.count; i++) assert_int_not_equal(diags.items[i].line, 0);
    dc_diag_list_free(&diags);

    dc_diag_list_init(&diags);
    assert_null(load_str(HEAD
                         "<variable name=\"v\" type=\"bool\">\n"
                         "  <rule id=\"r\" source=\"instr\"><if>true</if></rule>\n"
                         "</variable>\n"
                         TAIL, &diags));
    EXPECT(&diags, DC_DIAG_SCHEMA, 7, NULL);   /* the rule without <then> */
    dc_diag_list_free(&diags);

    dc_diag_list_init(&diags);
    assert_null(load_str(HEAD
                         "<parameters><parameter name=\"p\" type=\"int\">\n"
                         "<value from=\"2025-01-01\" source=\"instr\">1</value></parameter></parameters>\n"
                         "<define name=\"v\" type=\"bool\" source=\"instr\">true</define>\n"
                         "<decision eligible=\"v\" period=\"week\"/></ruleset>\n", &diags));
    EXPECT(&diags, DC_DIAG_SCHEMA, 6, "<parameter> lacks the required attribute label=");
    EXPECT(&diags, DC_DIAG_SCHEMA, 9, "period=\"week\" is not one of: month year once");
    dc_diag_list_free(&diags);
}

static void test_entity_expansion_refused(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    const char *laughs =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE ruleset [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<ruleset " NS " id=\"t\" version=\"1\"><title>&lol9;</title></ruleset>\n";
    clock_t start = clock();
    assert_null(load_str(laughs, &diags));
    assert_true(clock() - start < CLOCKS_PER_SEC);
    /* refused at the first declaration, line 3 */
    EXPECT(&diags, DC_DIAG_XML_SYNTAX, 3, "entity declarations are not allowed");
    assert_int_equal(diags.errors, 1);
    dc_diag_list_free(&diags);
}

static void test_external_entity_not_read(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    assert_null(load_str("<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE ruleset [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                         "<ruleset " NS " id=\"t\" version=\"1\"><title>&xxe;</title></ruleset>\n",
                         &diags));
    EXPECT(&diags, DC_DIAG_XML_SYNTAX, 2, "entity 'xxe'");
    for (size_t i = 0; i < diags.count; i++) assert_null(strstr(diags.items[i].message, "root:"));
    dc_diag_list_free(&diags);

    /* an external DTD is not loaded either: the document just loads without it */
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_str("<!DOCTYPE ruleset SYSTEM \"file:///nonexistent/x.dtd\">\n" HEAD TAIL,
                              &diags);
    if (diags.count) dump(&diags);
    assert_non_null(rs);
    assert_int_equal(diags.errors, 0);
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    /* "é" written in Latin-1 (0xE9) in a document declared UTF-8 */
    assert_null(load_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<ruleset " NS " id=\"t\" version=\"1\">\n"
                         "<title>Allocations familiales d\xe9" "cid\xe9" "es</title>\n"
                         "</ruleset>\n", &diags));
    EXPECT(&diags, DC_DIAG_XML_SYNTAX, 3, "UTF-8");
    dc_diag_list_free(&diags);
}

/* ---------------------------------------------------------------- model level */

static void test_sources(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_str(HEAD
        "<variable name=\"v\" type=\"bool\">\n"                                    /* 6 */
        "  <rule id=\"no.source\"><then>true</then></rule>\n"                       /* 7 */
        "  <rule id=\"typo\" source=\"css-L521-2\"><then>true</then></rule>\n"      /* 8 */
        "  <rule id=\"far\" source=\"décret-1789\"><then>true</then></rule>\n"      /* 9 */
        "  <rule id=\"alinea\" source=\"css-L521-1\" alinea=\"4\"><then>true</then></rule>\n" /* 10 */
        "  <otherwise>false</otherwise>\n"                                          /* 11 */
        "</variable>\n"
        "<define name=\"simple\" type=\"int\">1</define>\n"                         /* 13 */
        TAIL, &diags);
    assert_non_null(rs);   /* a model, with its errors */
    const dc_diag *d = EXPECT(&diags, DC_DIAG_MISSING_SOURCE, 7, "rule 'no.source'");
    assert_string_equal(d->rule, "no.source");
    assert_int_equal(d->column, 3);
    d = EXPECT(&diags, DC_DIAG_UNKNOWN_SOURCE, 8, "did you mean 'css-L521-1'?");
    assert_string_equal(d->rule, "typo");
    assert_string_equal(d->article, "css-L521-2");
    d = EXPECT(&diags, DC_DIAG_UNKNOWN_SOURCE, 9, "unknown article 'décret-1789'");
    assert_null(strstr(d->message, "did you mean"));
    EXPECT(&diags, DC_DIAG_UNKNOWN_SOURCE, 10, "has no alinéa 4");
    d = EXPECT(&diags, DC_DIAG_MISSING_SOURCE, 11, "otherwise");
    assert_string_equal(d->rule, "v");
    d = EXPECT(&diags, DC_DIAG_MISSING_SOURCE, 13, "'simple'");
    assert_string_equal(d->rule, "simple");
    assert_int_equal(diags.errors, 6);
    assert_int_equal(rs->computeds[0].rules[1].source.article, -1);
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_duplicates(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_str(
        "<ruleset " NS " id=\"t\" version=\"1\">\n"
        "<title>t</title>\n"
        "<sources><article id=\"instr\" kind=\"texte\" title=\"I\"/>\n"
        "<article id=\"instr\" kind=\"texte\" title=\"J\"/></sources>\n"              /* 4 */
        "<inputs><input name=\"n\" type=\"int\" label=\"n\"/>\n"
        "<entity name=\"enfant\" plural=\"enfants\" label=\"e\">\n"
        "  <input name=\"n\" type=\"int\" label=\"n\"/>\n"                            /* 7: ok */
        "  <input name=\"n\" type=\"int\" label=\"n\"/>\n"                            /* 8 */
        "</entity></inputs>\n"
        "<parameters><parameter name=\"n\" type=\"int\" label=\"n\">\n"               /* 10 */
        "  <value from=\"2020-01-01\" source=\"instr\">1</value></parameter></parameters>\n"
        "<define name=\"x\" type=\"int\" source=\"instr\">1</define>\n"
        "<define name=\"x\" type=\"int\" source=\"instr\">2</define>\n"                /* 13 */
        "<define name=\"n\" of=\"enfant\" type=\"int\" source=\"instr\">2</define>\n"  /* 14 */
        "<variable name=\"v\" type=\"bool\">\n"
        "  <rule id=\"r\" source=\"instr\"><then>true</then>\n"
        "    <rule id=\"r\" source=\"instr\"><then>true</then></rule></rule>\n"        /* 17 */
        "</variable>\n"
        "<define name=\"Bad-Name\" type=\"int\" source=\"instr\">1</define>\n"         /* 19 */
        "<define name=\"date\" type=\"int\" source=\"instr\">1</define>\n"             /* 20 */
        "<decision eligible=\"v\" period=\"year\"/></ruleset>\n", &diags);
    assert_non_null(rs);
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 4, "'instr'");
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 8, "'n'");
    assert_null(find(&diags, DC_DIAG_DUPLICATE_NAME, 7));
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 10, "already declared as an input at line 5");
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 13, "'x'");
    /* a per-record value clashes with the top-level input n and with the field n */
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 14, "field of entity 'enfant'");
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 17, "'r'");
    EXPECT(&diags, DC_DIAG_SCHEMA, 19, "invalid name 'Bad-Name' for a value");
    EXPECT(&diags, DC_DIAG_SCHEMA, 20, "reserved word");
    assert_int_equal(rs->period, DC_PERIOD_YEAR);
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_tables(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_str(HEAD
        "<parameters>\n"                                                               /* 6 */
        "<parameter name=\"order\" type=\"int\" label=\"o\">\n"
        "  <value from=\"2025-01-01\" source=\"instr\">1</value>\n"
        "  <value from=\"2024-01-01\" source=\"instr\">2</value></parameter>\n"        /* 9 */
        "<parameter name=\"overlap\" type=\"int\" label=\"o\">\n"
        "  <value from=\"2025-01-01\" to=\"2025-06-30\" source=\"instr\">1</value>\n"  /* 11 */
        "  <value from=\"2025-06-30\" source=\"instr\">2</value></parameter>\n"
        "<parameter name=\"gap\" type=\"money\" label=\"g\">\n"
        "  <value from=\"2025-04-01\" to=\"2025-12-31\" source=\"instr\">1 €</value>\n" /* 14 */
        "  <value from=\"2026-04-01\" source=\"instr\">2</value></parameter>\n"
        "<parameter name=\"exact\" type=\"date\" label=\"e\">\n"
        "  <value from=\"2025-04-01\" to=\"2025-12-31\" source=\"instr\">2012-03-01</value>\n"
        "  <value from=\"2026-01-01\" source=\"instr\">2013-03-01</value></parameter>\n"
        "<parameter name=\"literal\" type=\"money\" label=\"l\">\n"
        "  <value from=\"2025-04-01\" source=\"instr\">1.005</value></parameter>\n"    /* 20 */
        "</parameters>\n"
        TAIL, &diags);
    assert_non_null(rs);
    EXPECT(&diags, DC_DIAG_TABLE_ORDER, 9, "2024-01-01");
    EXPECT(&diags, DC_DIAG_TABLE_OVERLAP, 11, "overlap");
    const dc_diag *d = EXPECT(&diags, DC_DIAG_TABLE_GAP, 14, "gap between 2025-12-31 and 2026-04-01");
    assert_string_equal(d->rule, "gap");
    EXPECT(&diags, DC_DIAG_BAD_LITERAL, 20, "1.005");
    assert_int_equal(diags.errors, 4);
    const dc_param *exact = &rs->params[3];
    assert_int_equal(exact->values[0].to, days(2025, 12, 31));
    assert_int_equal(exact->values[1].value.u.i, days(2013, 3, 1));
    assert_int_equal(rs->params[2].values[0].value.u.i, 100);   /* 1 € */
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_dates_patterns_decision(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_str(
        "<ruleset " NS " id=\"t\" version=\"1\" xml:lang=\"en\">\n"
        "<title>t</title>\n"
        "<sources><article id=\"instr\" kind=\"texte\" title=\"I\" version-from=\"2025-02-30\"/></sources>\n" /* 3 */
        "<inputs><input name=\"nir\" type=\"text\" pattern=\"^(ab\" label=\"n\"/>\n"   /* 4 */
        "<input name=\"e\" type=\"enum\" label=\"e\"/></inputs>\n"                      /* 5 */
        "<define name=\"b\" type=\"int\" source=\"instr\" valid-from=\"2025-13-01\">1</define>\n" /* 6 */
        "<define name=\"m\" type=\"bool\" source=\"instr\">1 +</define>\n"              /* 7 */
        "<decision eligible=\"b\" amount=\"m\" period=\"once\"/></ruleset>\n",          /* 8 */
        &diags);
    assert_non_null(rs);
    assert_string_equal(rs->lang, "en");
    const dc_diag *d = EXPECT(&diags, DC_DIAG_BAD_DATE, 3, "2025-02-30");
    assert_string_equal(d->article, "instr");
    d = EXPECT(&diags, DC_DIAG_BAD_PATTERN, 4, "offset 4");
    assert_int_equal(d->column, 9);
    assert_null(rs->inputs[0].pattern_code);
    EXPECT(&diags, DC_DIAG_SCHEMA, 5, "values=");
    d = EXPECT(&diags, DC_DIAG_BAD_DATE, 6, "2025-13-01");
    assert_string_equal(d->rule, "b");
    /* an expression error is the parser's diagnostic, in the file's coordinates */
    d = EXPECT(&diags, DC_DIAG_EXPR_SYNTAX, 7, NULL);
    assert_string_equal(d->rule, "m");
    EXPECT(&diags, DC_DIAG_BAD_DECISION, 8, "eligible=\"b\" must name a bool");
    EXPECT(&diags, DC_DIAG_BAD_DECISION, 8, "amount=\"m\" must name a money");
    assert_int_equal(rs->period, DC_PERIOD_ONCE);
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);

    dc_diag_list_init(&diags);
    rs = load_str(HEAD "<decision eligible=\"nope\" period=\"month\"/></ruleset>\n", &diags);
    assert_non_null(rs);
    EXPECT(&diags, DC_DIAG_BAD_DECISION, 6, "eligible=\"nope\" names no");
    assert_int_equal(rs->eligible, -1);
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

static void test_all_errors_reported(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_diag_list_init(&diags);
    dc_ruleset *rs = load_file("ruleset_errors.xml", &diags);
    assert_non_null(rs);
    EXPECT(&diags, DC_DIAG_BAD_DATE, 7, "2015-02-29");
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 10, "css-L521-1");
    EXPECT(&diags, DC_DIAG_BAD_PATTERN, 14, NULL);
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 17, "'nb'");
    EXPECT(&diags, DC_DIAG_TABLE_GAP, 18, "gap between 2024-12-31 and 2025-04-01");
    EXPECT(&diags, DC_DIAG_MISSING_SOURCE, 23, "r1");
    EXPECT(&diags, DC_DIAG_UNKNOWN_SOURCE, 26, "did you mean 'css-L521-1'?");
    EXPECT(&diags, DC_DIAG_DUPLICATE_NAME, 29, "'r1'");
    EXPECT(&diags, DC_DIAG_UNKNOWN_SOURCE, 29, "no alinéa 2");
    EXPECT(&diags, DC_DIAG_BAD_DECISION, 33, "droits");
    assert_int_equal(diags.errors, 10);
    assert_int_equal(diags.warnings, 0);
    for (size_t i = 0; i < diags.count; i++)
        assert_string_equal(diags.items[i].file, "ruleset_errors.xml");
    dc_ruleset_free(rs);
    dc_diag_list_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_model),
        cmocka_unit_test(test_cite_forms),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_not_xml_at_all),
        cmocka_unit_test(test_wrong_namespace),
        cmocka_unit_test(test_minimal_valid),
        cmocka_unit_test(test_schema_violation),
        cmocka_unit_test(test_entity_expansion_refused),
        cmocka_unit_test(test_external_entity_not_read),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_dates_patterns_decision),
        cmocka_unit_test(test_all_errors_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
