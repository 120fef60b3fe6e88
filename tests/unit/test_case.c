/* test_case.c — case records (JSON and XML) read against a small rule set model built
 * by hand, the way the loader lays it out: inputs in document order, top-level slots
 * 0..n_top_inputs-1, entity field slots 0..n-1. Expected values are worked out by hand:
 * dates as days since 1970-01-01, money in cents, decimals × 10^9. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <pcre2.h>
#include "case.h"

/* 2025-01-01 is day 20089 (2024-01-01 = 19723, plus 366); June 1st adds
 * 31+28+31+30+31 = 151. 2010-01-01 is 14610; March 4th adds 31+28+3 = 62. */
#define DAY_2025_06_01 20240
#define DAY_2010_03_04 14672
#define DAY_2000_01_01 10957

static const char *residences[] = { "metropole", "guadeloupe", "guyane" };
static const char *prises[] = { "effective_permanente", "partielle" };

enum { IN_RESIDENCE, IN_RESSOURCES, IN_CHARGE, IN_DATE_NAISSANCE, IN_REMUNERATION, IN_PRISE,
       IN_DEJA_AF, IN_TAUX, IN_COEF, IN_NIR, IN_NB_MOIS, IN_DATE_DEPOT, N_INPUTS };
/* top-level slots */
enum { S_RESIDENCE, S_RESSOURCES, S_CHARGE, S_TAUX, S_COEF, S_NIR, S_NB_MOIS, S_DATE_DEPOT,
       N_TOP };
/* enfant field slots */
enum { F_DATE_NAISSANCE, F_REMUNERATION, F_PRISE, F_DEJA_AF, N_ENFANT_FIELDS };

static dc_input make_input(const char *name, dc_type_kind t, int32_t entity, uint32_t slot)
{
    dc_input in;
    memset(&in, 0, sizeof in);
    in.name = name;
    in.label = name;
    in.type = t;
    in.entity = entity;
    in.slot = slot;
    return in;
}

static int setup_rs(void **state)
{
    dc_ruleset *rs = calloc(1, sizeof *rs);
    assert_non_null(rs);
    dc_arena_init(&rs->arena, 0);
    rs->inputs = dc_arena_zalloc(&rs->arena, N_INPUTS * sizeof *rs->inputs);
    rs->entities = dc_arena_zalloc(&rs->arena, sizeof *rs->entities);
    rs->n_inputs = N_INPUTS;
    rs->n_top_inputs = N_TOP;
    rs->n_entities = 1;
    rs->entities[0].name = "enfant";
    rs->entities[0].plural = "enfants";
    rs->entities[0].label = "enfants du foyer";
    rs->entities[0].first_input = IN_DATE_NAISSANCE;
    rs->entities[0].n_inputs = N_ENFANT_FIELDS;

    dc_input *in = rs->inputs;
    in[IN_RESIDENCE] = make_input("residence", DC_T_ENUM, -1, S_RESIDENCE);
    in[IN_RESIDENCE].enum_values = residences;
    in[IN_RESIDENCE].n_enum_values = 3;
    in[IN_RESSOURCES] = make_input("ressources", DC_T_MONEY, -1, S_RESSOURCES);
    in[IN_RESSOURCES].has_min = true;
    in[IN_RESSOURCES].min = dc_v_make(DC_T_MONEY, 0);
    in[IN_CHARGE] = make_input("charge_par_parent", DC_T_BOOL, -1, S_CHARGE);
    in[IN_DATE_NAISSANCE] = make_input("date_naissance", DC_T_DATE, 0, F_DATE_NAISSANCE);
    in[IN_DATE_NAISSANCE].max_is_eval_date = true;
    in[IN_REMUNERATION] = make_input("remuneration_mensuelle", DC_T_MONEY, 0, F_REMUNERATION);
    in[IN_REMUNERATION].has_min = true;
    in[IN_REMUNERATION].min = dc_v_make(DC_T_MONEY, 0);
    in[IN_PRISE] = make_input("prise_en_charge", DC_T_ENUM, 0, F_PRISE);
    in[IN_PRISE].enum_values = prises;
    in[IN_PRISE].n_enum_values = 2;
    in[IN_DEJA_AF] = make_input("a_deja_ouvert_droit_af", DC_T_BOOL, 0, F_DEJA_AF);
    in[IN_TAUX] = make_input("taux_incapacite", DC_T_RATE, -1, S_TAUX);
    in[IN_TAUX].has_min = in[IN_TAUX].has_max = true;
    in[IN_TAUX].min = dc_v_make(DC_T_RATE, 0);
    in[IN_TAUX].max = dc_v_make(DC_T_RATE, 1000000000);   /* 100 % */
    in[IN_COEF] = make_input("coefficient", DC_T_DECIMAL, -1, S_COEF);
    in[IN_NIR] = make_input("nir", DC_T_TEXT, -1, S_NIR);
    in[IN_NIR].pattern = "^[12][0-9]{12}$";
    int errcode;
    PCRE2_SIZE erroff;
    in[IN_NIR].pattern_code = pcre2_compile((PCRE2_SPTR)in[IN_NIR].pattern, PCRE2_ZERO_TERMINATED,
                                            PCRE2_UTF, &errcode, &erroff, NULL);
    assert_non_null(in[IN_NIR].pattern_code);
    in[IN_NB_MOIS] = make_input("nb_mois", DC_T_INT, -1, S_NB_MOIS);
    in[IN_NB_MOIS].has_min = in[IN_NB_MOIS].has_max = true;
    in[IN_NB_MOIS].min = dc_v_make(DC_T_INT, 0);
    in[IN_NB_MOIS].max = dc_v_make(DC_T_INT, 12);
    in[IN_DATE_DEPOT] = make_input("date_depot", DC_T_DATE, -1, S_DATE_DEPOT);
    in[IN_DATE_DEPOT].has_min = true;
    in[IN_DATE_DEPOT].min = dc_v_make(DC_T_DATE, DAY_2000_01_01);
    *state = rs;
    return 0;
}

static int teardown_rs(void **state)
{
    dc_ruleset *rs = *state;
    pcre2_code_free(rs->inputs[IN_NIR].pattern_code);
    dc_arena_free(&rs->arena);
    free(rs);
    return 0;
}

/* ---- helpers ---- */

typedef struct fixture {
    dc_diag_list diags;
    dc_case *c;
    int rc;
} fixture;

static void read_json(fixture *fx, const dc_ruleset *rs, const char *json)
{
    dc_diag_list_init(&fx->diags);
    fx->rc = dc_case_read_json(&fx->c, rs, json, strlen(json), "case.json", &fx->diags);
}

static void read_xml(fixture *fx, const dc_ruleset *rs, const char *xml)
{
    dc_diag_list_init(&fx->diags);
    fx->rc = dc_case_read_xml(&fx->c, rs, xml, strlen(xml), "case.xml", &fx->diags);
}

static void done(fixture *fx)
{
    dc_case_free(fx->c);
    dc_diag_list_free(&fx->diags);
}

static size_t count_code(const fixture *fx, dc_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < fx->diags.count; i++)
        if (fx->diags.items[i].code == code) n++;
    return n;
}

/* The diagnostic whose message is exactly `msg`, or fails. */
static const dc_diag *diag_with(const fixture *fx, const char *msg)
{
    for (size_t i = 0; i < fx->diags.count; i++)
        if (!strcmp(fx->diags.items[i].message, msg)) return &fx->diags.items[i];
    for (size_t i = 0; i < fx->diags.count; i++)
        print_error("  have: %s\n", fx->diags.items[i].message);
    fail_msg("no diagnostic \"%s\"", msg);
    return NULL;
}

static const dc_diag *diag_containing(const fixture *fx, const char *part)
{
    for (size_t i = 0; i < fx->diags.count; i++)
        if (strstr(fx->diags.items[i].message, part)) return &fx->diags.items[i];
    for (size_t i = 0; i < fx->diags.count; i++)
        print_error("  have: %s\n", fx->diags.items[i].message);
    fail_msg("no diagnostic containing \"%s\"", part);
    return NULL;
}

static const dc_fact *enfant(const fixture *fx, int32_t record, int field)
{
    const dc_case_list *l = &fx->c->lists[0];
    assert_true(record < l->count);
    return &l->facts[(size_t)record * N_ENFANT_FIELDS + (size_t)field];
}

static void assert_present(const dc_fact *f, dc_type_kind t, int64_t v)
{
    assert_int_equal(dc_fact_state_of(f), DC_FACT_PRESENT);
    assert_int_equal(f->value.type, t);
    assert_int_equal(f->value.known, 1);
    assert_int_equal(f->value.u.i, v);
}

static void assert_invalid(const dc_fact *f, const char *why)
{
    assert_int_equal(dc_fact_state_of(f), DC_FACT_INVALID);
    assert_int_equal(f->value.known, 0);
    assert_non_null(dc_fact_why(f));
    assert_string_equal(dc_fact_why(f), why);
}

static const char *example_json =
    "{ \"date\": \"2025-06-01\", \"residence\": \"metropole\", \"ressources\": 45000.00,\n"
    "  \"charge_par_parent\": true,\n"
    "  \"enfants\": [ { \"id\": \"e1\", \"date_naissance\": \"2010-03-04\",\n"
    "      \"remuneration_mensuelle\": 0.00, \"prise_en_charge\": \"effective_permanente\",\n"
    "      \"a_deja_ouvert_droit_af\": true } ] }";

/* ---- JSON ---- */

static void json_valid_case(void **state)
{
    fixture fx;
    read_json(&fx, *state, example_json);
    assert_int_equal(fx.rc, 0);
    assert_non_null(fx.c);
    assert_int_equal(fx.diags.count, 0);
    assert_true(fx.c->has_date);
    assert_int_equal(fx.c->date, DAY_2025_06_01);
    assert_present(&fx.c->top[S_RESIDENCE], DC_T_ENUM, 0);
    assert_present(&fx.c->top[S_RESSOURCES], DC_T_MONEY, 4500000);
    assert_present(&fx.c->top[S_CHARGE], DC_T_BOOL, 1);
    /* declared but absent: missing, still typed */
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_TAUX]), DC_FACT_MISSING);
    assert_int_equal(fx.c->top[S_TAUX].value.type, DC_T_RATE);
    assert_int_equal(fx.c->top[S_TAUX].value.known, 0);
    assert_int_equal(fx.c->lists[0].count, 1);
    assert_string_equal(fx.c->lists[0].ids[0], "e1");
    assert_present(enfant(&fx, 0, F_DATE_NAISSANCE), DC_T_DATE, DAY_2010_03_04);
    assert_present(enfant(&fx, 0, F_REMUNERATION), DC_T_MONEY, 0);
    assert_present(enfant(&fx, 0, F_PRISE), DC_T_ENUM, 0);
    assert_present(enfant(&fx, 0, F_DEJA_AF), DC_T_BOOL, 1);
    done(&fx);
}

/* json-c keeps the original text of the numbers it parses: what the exactness of
 * case amounts relies on. */
static void json_c_keeps_number_text(void **state)
{
    (void)state;
    const char *doc = "[0.1, 45000.00, 1e5, 2.50]";
    json_object *a = json_tokener_parse(doc);
    assert_non_null(a);
    assert_string_equal(json_object_to_json_string_ext(json_object_array_get_idx(a, 0), JSON_C_TO_STRING_PLAIN), "0.1");
    assert_string_equal(json_object_to_json_string_ext(json_object_array_get_idx(a, 1), JSON_C_TO_STRING_PLAIN), "45000.00");
    assert_string_equal(json_object_to_json_string_ext(json_object_array_get_idx(a, 2), JSON_C_TO_STRING_PLAIN), "1e5");
    assert_string_equal(json_object_to_json_string_ext(json_object_array_get_idx(a, 3), JSON_C_TO_STRING_PLAIN), "2.50");
    json_object_put(a);
}

static void json_numbers_are_exact(void **state)
{
    struct { const char *json; int slot; dc_type_kind t; int64_t v; } cases[] = {
        { "{\"ressources\": 45000.00}", S_RESSOURCES, DC_T_MONEY, 4500000 },
        { "{\"ressources\": \"45000.00\"}", S_RESSOURCES, DC_T_MONEY, 4500000 },
        { "{\"ressources\": 45000}", S_RESSOURCES, DC_T_MONEY, 4500000 },
        { "{\"ressources\": 1e5}", S_RESSOURCES, DC_T_MONEY, 10000000 },
        { "{\"ressources\": 4.5E+4}", S_RESSOURCES, DC_T_MONEY, 4500000 },
        { "{\"ressources\": 0.1}", S_RESSOURCES, DC_T_MONEY, 10 },
        { "{\"coefficient\": 0.1}", S_COEF, DC_T_DECIMAL, 100000000 },
        { "{\"coefficient\": 1e5}", S_COEF, DC_T_DECIMAL, INT64_C(100000000000000) },
        { "{\"coefficient\": 25e-3}", S_COEF, DC_T_DECIMAL, 25000000 },
        { "{\"coefficient\": -0.000000001}", S_COEF, DC_T_DECIMAL, -1 },
        { "{\"taux_incapacite\": 0.32}", S_TAUX, DC_T_RATE, 320000000 },
        { "{\"taux_incapacite\": \"0.32\"}", S_TAUX, DC_T_RATE, 320000000 },
        { "{\"taux_incapacite\": \"32 %\"}", S_TAUX, DC_T_RATE, 320000000 },
        { "{\"taux_incapacite\": 1}", S_TAUX, DC_T_RATE, 1000000000 },
        { "{\"nb_mois\": 12}", S_NB_MOIS, DC_T_INT, 12 },
        { "{\"nb_mois\": \"3\"}", S_NB_MOIS, DC_T_INT, 3 },
        { "{\"charge_par_parent\": \"false\"}", S_CHARGE, DC_T_BOOL, 0 },
        { "{\"charge_par_parent\": false}", S_CHARGE, DC_T_BOOL, 0 },
        { "{\"date_depot\": \"2025-06-01\"}", S_DATE_DEPOT, DC_T_DATE, DAY_2025_06_01 },
        { "{\"residence\": \"guyane\"}", S_RESIDENCE, DC_T_ENUM, 2 },
        { "{\"residence\": \" guadeloupe \"}", S_RESIDENCE, DC_T_ENUM, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture fx;
        read_json(&fx, *state, cases[i].json);
        assert_int_equal(fx.rc, 0);
        if (fx.diags.count) fail_msg("%s: %s", cases[i].json, fx.diags.items[0].message);
        assert_present(&fx.c->top[cases[i].slot], cases[i].t, cases[i].v);
        done(&fx);
    }
}

static void json_missing_null_invalid(void **state)
{
    fixture fx;
    read_json(&fx, *state,
              "{\"charge_par_parent\": null, \"residence\": \"metropol\", \"nir\": \"1850512345678\"}");
    assert_int_equal(fx.rc, 0);
    assert_false(fx.c->has_date);
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_RESSOURCES]), DC_FACT_MISSING);   /* absent */
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_CHARGE]), DC_FACT_MISSING);       /* null */
    assert_invalid(&fx.c->top[S_RESIDENCE],
                   "metropol: not one of metropole, guadeloupe, guyane; did you mean 'metropole'?");
    const dc_diag *d = diag_with(&fx, "residence: metropol: not one of metropole, guadeloupe, "
                                      "guyane; did you mean 'metropole'?");
    assert_int_equal(d->code, DC_DIAG_CASE_INVALID);
    assert_int_equal(d->severity, DC_SEV_WARNING);
    assert_string_equal(d->file, "case.json");
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_NIR]), DC_FACT_PRESENT);
    assert_string_equal(fx.c->top[S_NIR].value.u.s, "1850512345678");
    assert_int_equal(fx.diags.count, 1);
    assert_int_equal(fx.diags.errors, 0);
    /* enum far from every value: no suggestion */
    done(&fx);
    read_json(&fx, *state, "{\"residence\": \"martinique\"}");
    assert_invalid(&fx.c->top[S_RESIDENCE], "martinique: not one of metropole, guadeloupe, guyane");
    done(&fx);
}

static void json_wrong_types_and_precision(void **state)
{
    struct { const char *json; int slot; const char *why; } cases[] = {
        { "{\"ressources\": 45000.123}", S_RESSOURCES, "45000.123: more than 2 decimals for an amount" },
        { "{\"ressources\": \"45000.123\"}", S_RESSOURCES, "45000.123: more than 2 decimals for an amount" },
        { "{\"ressources\": true}", S_RESSOURCES, "true where an amount is expected" },
        { "{\"ressources\": [1]}", S_RESSOURCES, "a list where an amount is expected" },
        { "{\"ressources\": {}}", S_RESSOURCES, "an object where an amount is expected" },
        { "{\"ressources\": \"beaucoup\"}", S_RESSOURCES, "beaucoup: not an amount" },
        { "{\"ressources\": 99999999999999999999}", S_RESSOURCES, "18446744073709551615: out of range" },
        { "{\"ressources\": 1e400}", S_RESSOURCES, "1e400: out of range" },
        { "{\"charge_par_parent\": \"yes\"}", S_CHARGE, "yes: not true or false" },
        { "{\"charge_par_parent\": 1}", S_CHARGE, "1: a number where true or false is expected" },
        { "{\"nb_mois\": 2.5}", S_NB_MOIS, "2.5: not a whole number" },
        { "{\"coefficient\": 0.0000000001}", S_COEF, "0.0000000001: more than 9 decimals for a number" },
        { "{\"date_depot\": \"2025-02-30\"}", S_DATE_DEPOT, "2025-02-30: not a date: no such day in the calendar" },
        { "{\"date_depot\": \"01/06/2025\"}", S_DATE_DEPOT, "01/06/2025: not a date (expected YYYY-MM-DD)" },
        { "{\"date_depot\": 20250601}", S_DATE_DEPOT, "20250601: a number where a date (YYYY-MM-DD) is expected" },
        { "{\"residence\": 1}", S_RESIDENCE, "1: a number where one of the listed values is expected" },
        { "{\"nir\": 1850512345678}", S_NIR, "1850512345678: a number where a text is expected" },
        { "{\"taux_incapacite\": \"trente\"}", S_TAUX, "trente: not a rate (expected 0.32 or 32 %)" },
        { "{\"ressources\": \"\"}", S_RESSOURCES, "(empty): not an amount" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture fx;
        read_json(&fx, *state, cases[i].json);
        assert_int_equal(fx.rc, 0);
        const dc_fact *f = &fx.c->top[cases[i].slot];
        if (dc_fact_state_of(f) != DC_FACT_INVALID || strcmp(dc_fact_why(f), cases[i].why))
            fail_msg("%s: state %d why \"%s\"", cases[i].json, dc_fact_state_of(f), dc_fact_why(f) ? dc_fact_why(f) : "");
        assert_int_equal(count_code(&fx, DC_DIAG_CASE_INVALID), 1);
        assert_int_equal(fx.diags.count, 1);
        done(&fx);
    }
}

static void json_bounds(void **state)
{
    fixture fx;
    read_json(&fx, *state,
              "{\"ressources\": -0.01, \"nb_mois\": 13, \"date_depot\": \"1999-12-31\","
              " \"taux_incapacite\": \"150 %\", \"coefficient\": -5}");
    assert_int_equal(fx.rc, 0);
    assert_invalid(&fx.c->top[S_RESSOURCES], "-0.01: below the minimum 0.00");
    assert_invalid(&fx.c->top[S_NB_MOIS], "13: above the maximum 12");
    assert_invalid(&fx.c->top[S_DATE_DEPOT], "1999-12-31: below the minimum 2000-01-01");
    assert_invalid(&fx.c->top[S_TAUX], "150 %: above the maximum 1");
    assert_present(&fx.c->top[S_COEF], DC_T_DECIMAL, INT64_C(-5000000000));   /* no bounds */
    diag_with(&fx, "ressources: -0.01: below the minimum 0.00");
    diag_with(&fx, "nb_mois: 13: above the maximum 12");
    assert_int_equal(count_code(&fx, DC_DIAG_CASE_INVALID), 4);
    done(&fx);
    /* the bounds themselves are allowed */
    read_json(&fx, *state, "{\"ressources\": 0, \"nb_mois\": 12, \"date_depot\": \"2000-01-01\","
                           " \"taux_incapacite\": \"100 %\"}");
    assert_int_equal(fx.diags.count, 0);
    assert_present(&fx.c->top[S_TAUX], DC_T_RATE, 1000000000);
    done(&fx);
}

static void json_pattern(void **state)
{
    fixture fx;
    read_json(&fx, *state, "{\"nir\": \"3850512345678\"}");
    assert_invalid(&fx.c->top[S_NIR], "3850512345678: does not have the expected form ^[12][0-9]{12}$");
    done(&fx);
    read_json(&fx, *state, "{\"nir\": \"185051234567\"}");   /* 12 digits */
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_NIR]), DC_FACT_INVALID);
    done(&fx);
    read_json(&fx, *state, "{\"nir\": \"2850512345678\"}");
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_NIR]), DC_FACT_PRESENT);
    assert_string_equal(fx.c->top[S_NIR].value.u.s, "2850512345678");
    done(&fx);
}

static void json_unknown_fields(void **state)
{
    fixture fx;
    read_json(&fx, *state,
              "{\"resources\": 1, \"enfant\": [], \"zzzzzzzzzz\": 1, \"id\": \"x\","
              " \"enfants\": [{\"date_naisance\": \"2010-03-04\", \"id\": \"e1\"}]}");
    assert_int_equal(fx.rc, 0);
    assert_int_equal(count_code(&fx, DC_DIAG_CASE_UNKNOWN_FIELD), 4);
    const dc_diag *d = diag_with(&fx, "unknown field 'resources'; did you mean 'ressources'?");
    assert_int_equal(d->severity, DC_SEV_WARNING);
    diag_with(&fx, "unknown field 'enfant'; did you mean 'enfants'?");
    diag_with(&fx, "unknown field 'zzzzzzzzzz'");
    /* a top-level "id" is the case's identifier (decide-batch copies it): no warning */
    for (size_t k = 0; k < fx.diags.count; k++)
        assert_null(strstr(fx.diags.items[k].message, "'id'"));
    diag_with(&fx, "unknown field 'enfants[0].date_naisance'; did you mean 'date_naissance'?");
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_RESSOURCES]), DC_FACT_MISSING);
    assert_int_equal(fx.c->lists[0].count, 1);
    assert_int_equal(dc_fact_state_of(enfant(&fx, 0, F_DATE_NAISSANCE)), DC_FACT_MISSING);
    done(&fx);
}

static void json_lists(void **state)
{
    fixture fx;
    read_json(&fx, *state, "{}");
    assert_int_equal(fx.rc, 0);
    assert_int_equal(fx.c->lists[0].count, -1);   /* absent: unknown */
    assert_int_equal(fx.diags.count, 0);
    done(&fx);
    read_json(&fx, *state, "{\"enfants\": null}");
    assert_int_equal(fx.c->lists[0].count, -1);
    assert_int_equal(fx.diags.count, 0);
    done(&fx);
    read_json(&fx, *state, "{\"enfants\": []}");
    assert_int_equal(fx.c->lists[0].count, 0);    /* known to be empty */
    assert_int_equal(fx.diags.count, 0);
    done(&fx);
    read_json(&fx, *state, "{\"enfants\": \"deux\"}");
    assert_int_equal(fx.c->lists[0].count, -1);
    diag_with(&fx, "enfants: a text where a list of records is expected; the list is unknown");
    done(&fx);
    read_json(&fx, *state,
              "{\"enfants\": [1, {\"id\": 7, \"date_naissance\": \"2010-13-04\"},"
              " {\"date_naissance\": null, \"prise_en_charge\": \"partielle\"}]}");
    assert_int_equal(fx.c->lists[0].count, 3);
    for (int k = 0; k < N_ENFANT_FIELDS; k++)
        assert_int_equal(dc_fact_state_of(enfant(&fx, 0, k)), DC_FACT_MISSING);
    diag_with(&fx, "enfants[0]: a number where a record (object) is expected; all its fields are unknown");
    diag_with(&fx, "enfants[1].id: a number where a text is expected; the record has no id");
    assert_null(fx.c->lists[0].ids[0]);
    assert_null(fx.c->lists[0].ids[1]);
    assert_null(fx.c->lists[0].ids[2]);   /* no id: not an error */
    assert_invalid(enfant(&fx, 1, F_DATE_NAISSANCE), "2010-13-04: not a date: no such day in the calendar");
    const dc_diag *d = diag_containing(&fx, "enfants[1].date_naissance: 2010-13-04");
    assert_int_equal(d->code, DC_DIAG_CASE_INVALID);
    assert_int_equal(dc_fact_state_of(enfant(&fx, 2, F_DATE_NAISSANCE)), DC_FACT_MISSING);
    assert_present(enfant(&fx, 2, F_PRISE), DC_T_ENUM, 1);
    assert_int_equal(fx.diags.count, 3);
    done(&fx);
}

static void json_case_date(void **state)
{
    fixture fx;
    read_json(&fx, *state, "{\"date\": \"2025-13-01\"}");
    assert_int_equal(fx.rc, 0);
    assert_false(fx.c->has_date);
    const dc_diag *d = diag_with(&fx, "date: 2025-13-01: not a date (expected YYYY-MM-DD)");
    assert_int_equal(d->code, DC_DIAG_CASE_INVALID);
    done(&fx);
    read_json(&fx, *state, "{\"date\": 2025}");
    assert_false(fx.c->has_date);
    diag_with(&fx, "date: a number where a date (YYYY-MM-DD) is expected");
    done(&fx);
}

static void expect_syntax(void **state, const char *json, uint32_t line, uint32_t column,
                          const char *message)
{
    fixture fx;
    dc_diag_list_init(&fx.diags);
    fx.c = (dc_case *)&fx;   /* must be reset to NULL */
    fx.rc = dc_case_read_json(&fx.c, *state, json, strlen(json), NULL, &fx.diags);
    assert_int_equal(fx.rc, -1);
    assert_null(fx.c);
    assert_int_equal(fx.diags.count, 1);
    const dc_diag *d = &fx.diags.items[0];
    assert_int_equal(d->code, DC_DIAG_CASE_SYNTAX);
    assert_int_equal(d->severity, DC_SEV_ERROR);
    if (d->line != line || d->column != column || strcmp(d->message, message))
        fail_msg("%s: got %u:%u %s", json, d->line, d->column, d->message);
    done(&fx);
}

static void json_malformed(void **state)
{
    /* the comma missing after 45000.00 on line 3 is noticed at the next quote: col 26 */
    expect_syntax(state,
                  "{\n"
                  "  \"residence\": \"metropole\",\n"
                  "  \"ressources\": 45000.00 \"charge_par_parent\": true\n"
                  "}\n",
                  3, 26, "malformed JSON case record: object value separator ',' expected");
    /* columns count characters: "é" is two bytes but one column */
    expect_syntax(state, "{\"a\": \"\xc3\xa9\" x}", 1, 11,
                  "malformed JSON case record: object value separator ',' expected");
    expect_syntax(state, "{\"residence\": \"metropole\",", 1, 27,
                  "malformed JSON case record: unexpected end of the data");
    expect_syntax(state, "", 1, 1, "malformed JSON case record: unexpected end of the data");
    expect_syntax(state, "[1, 2]", 1, 1, "malformed JSON case record: the case record must be a JSON object");
    expect_syntax(state, "\"texte\"", 1, 1, "malformed JSON case record: the case record must be a JSON object");
    expect_syntax(state, "  12", 1, 1, "malformed JSON case record: the case record must be a JSON object");
    expect_syntax(state, "null", 1, 1, "malformed JSON case record: the case record must be a JSON object");
    expect_syntax(state, "{} x", 1, 4, "malformed JSON case record: unexpected character");
    expect_syntax(state, "{}\n{}", 2, 1, "malformed JSON case record: unexpected character");
    expect_syntax(state, "{\"a\": 1,}", 1, 9, "malformed JSON case record: unexpected character");
    /* a NUL byte is not JSON text, and ends nothing early either */
    static const char with_nul[] = "{}\0x";
    fixture fz;
    dc_diag_list_init(&fz.diags);
    fz.rc = dc_case_read_json(&fz.c, *state, with_nul, sizeof with_nul - 1, NULL, &fz.diags);
    assert_int_equal(fz.rc, -1);
    assert_int_equal(fz.diags.items[0].column, 3);
    done(&fz);
    /* a UTF-8 byte order mark is tolerated */
    fixture fx;
    read_json(&fx, *state, "\xEF\xBB\xBF{\"nb_mois\": 1}");
    assert_int_equal(fx.rc, 0);
    assert_present(&fx.c->top[S_NB_MOIS], DC_T_INT, 1);
    done(&fx);
}

static void json_nesting_bomb(void **state)
{
    size_t depth = 100000;
    char *bomb = malloc(depth + 16);
    assert_non_null(bomb);
    memcpy(bomb, "{\"a\":", 5);
    memset(bomb + 5, '[', depth);
    bomb[5 + depth] = 0;
    fixture fx;
    read_json(&fx, *state, bomb);
    assert_int_equal(fx.rc, -1);
    assert_null(fx.c);
    assert_int_equal(fx.diags.count, 1);
    assert_int_equal(fx.diags.items[0].code, DC_DIAG_CASE_SYNTAX);
    assert_int_equal(fx.diags.items[0].line, 1);
    /* refused at the 64th level: { then 63 [ fit, the next one does not */
    assert_int_equal(fx.diags.items[0].column, 5 + 63 + 1);
    assert_non_null(strstr(fx.diags.items[0].message, "too deep"));
    done(&fx);
    free(bomb);
}

static void json_invalid_utf8(void **state)
{
    fixture fx;
    read_json(&fx, *state, "{\"nir\": \"1\xff\xfe\", \"residence\": \"m\xc3\", \"r\xe9sidence\": 1,"
                           " \"enfants\": [{\"id\": \"\xc0\xaf\"}]}");
    assert_int_equal(fx.rc, 0);
    assert_invalid(&fx.c->top[S_NIR], "not valid UTF-8 text");
    assert_invalid(&fx.c->top[S_RESIDENCE], "not valid UTF-8 text");
    diag_with(&fx, "nir: not valid UTF-8 text");
    diag_with(&fx, "unknown field 'r?sidence'");   /* shown safely, no suggestion attempted */
    diag_with(&fx, "enfants[0].id: not valid UTF-8 text; the record has no id");
    assert_null(fx.c->lists[0].ids[0]);
    done(&fx);
    /* valid multi-byte text passes, overlong and surrogate encodings do not */
    read_json(&fx, *state, "{\"nir\": \"\xed\xa0\x80\"}");
    assert_invalid(&fx.c->top[S_NIR], "not valid UTF-8 text");
    done(&fx);
}

static void fact_paths(void **state)
{
    const dc_ruleset *rs = *state;
    dc_buf b;
    dc_buf_init(&b);
    dc_case_fact_path(&b, rs, IN_RESSOURCES, 5);
    assert_string_equal(b.data, "ressources");
    dc_buf_clear(&b);
    dc_case_fact_path(&b, rs, IN_DATE_NAISSANCE, 1);
    assert_string_equal(b.data, "enfants[1].date_naissance");
    dc_buf_free(&b);
}

static void set_from_text_directly(void **state)
{
    const dc_ruleset *rs = *state;
    dc_case *c = dc_case_new(rs);
    assert_non_null(c);
    assert_int_equal(c->lists[0].count, -1);
    dc_fact f = {0};
    /* the length bounds the text: no NUL needed */
    assert_int_equal(dc_case_set_from_text(c, &f, &rs->inputs[IN_RESSOURCES], "12.34xyz", 5),
                     DC_FACT_PRESENT);
    assert_present(&f, DC_T_MONEY, 1234);
    assert_int_equal(dc_case_set_from_text(c, &f, &rs->inputs[IN_RESSOURCES], "466.44 \xe2\x82\xac", 10),
                     DC_FACT_PRESENT);
    assert_present(&f, DC_T_MONEY, 46644);
    assert_int_equal(dc_case_set_from_text(c, &f, &rs->inputs[IN_NIR], "1234567890123\0", 14),
                     DC_FACT_INVALID);
    assert_int_equal(dc_case_set_from_text(c, &f, &rs->inputs[IN_PRISE], "partiele", 8),
                     DC_FACT_INVALID);
    assert_string_equal(dc_fact_why(&f), "partiele: not one of effective_permanente, partielle; did you mean 'partielle'?");
    /* a long value is cut in the message */
    char longtext[200];
    memset(longtext, 'x', sizeof longtext);
    assert_int_equal(dc_case_set_from_text(c, &f, &rs->inputs[IN_RESSOURCES], longtext, sizeof longtext),
                     DC_FACT_INVALID);
    assert_int_equal(strlen(dc_fact_why(&f)), 60 + 3 + strlen(": not an amount"));
    dc_case_free(c);
}

/* ---- XML ---- */

static const char *example_xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<case date=\"2025-06-01\">\n"
    "  <residence>metropole</residence>\n"
    "  <ressources>45000.00</ressources>\n"
    "  <charge_par_parent>true</charge_par_parent>\n"
    "  <enfants>\n"
    "    <enfant id=\"e1\">\n"
    "      <date_naissance>2010-03-04</date_naissance>\n"
    "      <remuneration_mensuelle>0.00</remuneration_mensuelle>\n"
    "      <prise_en_charge>\n        effective_permanente\n      </prise_en_charge>\n"
    "      <a_deja_ouvert_droit_af>true</a_deja_ouvert_droit_af>\n"
    "    </enfant>\n"
    "  </enfants>\n"
    "</case>\n";

static void xml_valid_case(void **state)
{
    fixture fx;
    read_xml(&fx, *state, example_xml);
    assert_int_equal(fx.rc, 0);
    assert_int_equal(fx.diags.count, 0);
    assert_true(fx.c->has_date);
    assert_int_equal(fx.c->date, DAY_2025_06_01);
    assert_present(&fx.c->top[S_RESIDENCE], DC_T_ENUM, 0);
    assert_present(&fx.c->top[S_RESSOURCES], DC_T_MONEY, 4500000);
    assert_present(&fx.c->top[S_CHARGE], DC_T_BOOL, 1);
    assert_int_equal(fx.c->lists[0].count, 1);
    assert_string_equal(fx.c->lists[0].ids[0], "e1");
    assert_present(enfant(&fx, 0, F_DATE_NAISSANCE), DC_T_DATE, DAY_2010_03_04);
    assert_present(enfant(&fx, 0, F_REMUNERATION), DC_T_MONEY, 0);
    assert_present(enfant(&fx, 0, F_PRISE), DC_T_ENUM, 0);
    assert_present(enfant(&fx, 0, F_DEJA_AF), DC_T_BOOL, 1);
    done(&fx);
}

static void xml_namespace_nil_and_invalid(void **state)
{
    fixture fx;
    read_xml(&fx, *state,
             "<case xmlns=\"urn:libdecide:case:1\">\n"
             "  <residence>metropol</residence>\n"
             "  <ressources nil=\"true\"/>\n"
             "  <coefficient><![CDATA[0.1]]></coefficient>\n"
             "  <nb_mois>13</nb_mois>\n"
             "  <nir>1850512345678</nir>\n"
             "  <nir>2850512345678</nir>\n"
             "  <taux_incapacite><x/></taux_incapacite>\n"
             "  <resources>1</resources>\n"
             "  <enfants>\n"
             "    <enfant><date_naissance>2010-03-04</date_naissance><date_naisance/></enfant>\n"
             "    <enfnat/>\n"
             "    <enfant id=\"e2\"><remuneration_mensuelle>12.345</remuneration_mensuelle></enfant>\n"
             "  </enfants>\n"
             "</case>");
    assert_int_equal(fx.rc, 0);
    assert_false(fx.c->has_date);
    const dc_diag *d = diag_with(&fx, "residence: metropol: not one of metropole, guadeloupe, "
                                      "guyane; did you mean 'metropole'?");
    assert_int_equal(d->line, 2);
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_RESSOURCES]), DC_FACT_MISSING);
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_CHARGE]), DC_FACT_MISSING);
    assert_present(&fx.c->top[S_COEF], DC_T_DECIMAL, 100000000);
    assert_invalid(&fx.c->top[S_NB_MOIS], "13: above the maximum 12");
    assert_invalid(&fx.c->top[S_NIR], "given more than once");
    assert_invalid(&fx.c->top[S_TAUX], "an element with child elements where a rate (0.32 or \"32 %\") is expected");
    d = diag_with(&fx, "unknown field 'resources'; did you mean 'ressources'?");
    assert_int_equal(d->line, 9);
    diag_with(&fx, "unknown field 'enfants[0].date_naisance'; did you mean 'date_naissance'?");
    d = diag_with(&fx, "unknown element 'enfnat' in enfants; did you mean 'enfant'?");
    assert_int_equal(d->line, 12);
    assert_int_equal(fx.c->lists[0].count, 2);
    assert_null(fx.c->lists[0].ids[0]);
    assert_string_equal(fx.c->lists[0].ids[1], "e2");
    assert_present(enfant(&fx, 0, F_DATE_NAISSANCE), DC_T_DATE, DAY_2010_03_04);
    assert_invalid(enfant(&fx, 1, F_REMUNERATION), "12.345: more than 2 decimals for an amount");
    d = diag_with(&fx, "enfants[1].remuneration_mensuelle: 12.345: more than 2 decimals for an amount");
    assert_int_equal(d->line, 13);
    assert_int_equal(fx.diags.errors, 0);
    done(&fx);
}

static void xml_lists(void **state)
{
    fixture fx;
    read_xml(&fx, *state, "<case/>");
    assert_int_equal(fx.rc, 0);
    assert_int_equal(fx.c->lists[0].count, -1);
    done(&fx);
    read_xml(&fx, *state, "<case><enfants nil=\"true\"/></case>");
    assert_int_equal(fx.c->lists[0].count, -1);
    done(&fx);
    read_xml(&fx, *state, "<case><enfants/></case>");
    assert_int_equal(fx.c->lists[0].count, 0);
    assert_int_equal(fx.diags.count, 0);
    done(&fx);
    read_xml(&fx, *state, "<case date=\"2025-02-29\"><date_depot xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/></case>");
    assert_false(fx.c->has_date);
    diag_with(&fx, "date: 2025-02-29: not a date (expected YYYY-MM-DD)");
    assert_int_equal(dc_fact_state_of(&fx.c->top[S_DATE_DEPOT]), DC_FACT_MISSING);
    done(&fx);
}

static void expect_xml_error(void **state, const char *xml, uint32_t line, uint32_t column,
                             const char *part)
{
    fixture fx;
    read_xml(&fx, *state, xml);
    assert_int_equal(fx.rc, -1);
    assert_null(fx.c);
    assert_true(fx.diags.errors >= 1);
    const dc_diag *d = &fx.diags.items[0];
    assert_int_equal(d->code, DC_DIAG_CASE_SYNTAX);
    if (d->line != line || d->column != column || !strstr(d->message, part))
        fail_msg("got %u:%u %s", d->line, d->column, d->message);
    done(&fx);
}

static void xml_malformed_and_hostile(void **state)
{
    /* the end tag is misspelt on line 3: libxml2 points just after it (col 35) */
    expect_xml_error(state,
                     "<case>\n  <ressources>1</ressources>\n  <residence>metropole</residense>\n</case>",
                     3, 35, "Opening and ending tag mismatch: residence line 3 and residense");
    expect_xml_error(state, "", 1, 1, "malformed XML case record");
    expect_xml_error(state, "<case><ressources>1</ressources>", 1, 33, "Premature end of data");
    expect_xml_error(state,
                     "<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE case [\n"
                     " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
                     " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                     " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                     "]>\n"
                     "<case><nir>&c;</nir></case>",
                     3, 63, "entity declarations are not allowed in a case record (entity 'a')");
    expect_xml_error(state,
                     "<!DOCTYPE case [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                     "<case><nir>&x;</nir></case>",
                     1, 55, "entity declarations are not allowed in a case record (entity 'x')");
    expect_xml_error(state, "<dossier/>", 1, 0,
                     "the root element must be <case> (no namespace or urn:libdecide:case:1), not <dossier>");
    expect_xml_error(state, "<case xmlns=\"urn:autre\"/>", 1, 0,
                     "the root element <case> is in namespace 'urn:autre'; expected no namespace or urn:libdecide:case:1");
    /* a DOCTYPE without entities is harmless */
    fixture fx;
    read_xml(&fx, *state, "<!DOCTYPE case><case><nb_mois>1</nb_mois></case>");
    assert_int_equal(fx.rc, 0);
    assert_present(&fx.c->top[S_NB_MOIS], DC_T_INT, 1);
    done(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(json_valid_case, setup_rs, teardown_rs),
        cmocka_unit_test(json_c_keeps_number_text),
        cmocka_unit_test_setup_teardown(json_numbers_are_exact, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_missing_null_invalid, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_wrong_types_and_precision, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_bounds, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_pattern, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_unknown_fields, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_lists, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_case_date, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_malformed, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_nesting_bomb, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(json_invalid_utf8, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(fact_paths, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(set_from_text_directly, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(xml_valid_case, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(xml_namespace_nil_and_invalid, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(xml_lists, setup_rs, teardown_rs),
        cmocka_unit_test_setup_teardown(xml_malformed_and_hostile, setup_rs, teardown_rs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
