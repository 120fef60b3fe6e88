/* test_statute.c — statute corpora (LEGI + Akoma Ntoso fixtures), version lookups,
 * number extraction from the real article texts, and the word diff. Run from the
 * repository root (CTest does). Dates are days since 1970-01-01, worked out by hand:
 *   2008-04-30 = 13999   2015-07-01 = 16617   2020-01-01 = 18262   2026-03-01 = 20513 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "statute.h"
#include "textdiff.h"
#include "value.h"

#define D2008_04_30 13999
#define D2015_07_01 16617
#define D2020_01_01 18262
#define D2026_03_01 20513
#define CSS "LEGITEXT000006073189"
#define E9 INT64_C(1000000000)

static const char *const real_dir[] = { "rulesets/fr/statutes" };
static const char *const legi_only_files[] = {
    "rulesets/fr/statutes/LEGIARTI000029963006.xml",   /* L521-1 */
    "rulesets/fr/statutes/LEGIARTI000030680318.xml",   /* D521-1 */
    "rulesets/fr/statutes/LEGIARTI000044809227.xml",   /* D521-3 */
};
static const char *const akn_dir[] = { "rulesets/fr/statutes/akn" };
static const char *const planted_dir[] = { "tests/unit/fixtures/statutes" };

static dc_statute_corpus *load(const char *const *paths, size_t n, dc_diag_list *diags)
{
    dc_statute_corpus *c = NULL;
    dc_diag_list_init(diags);
    assert_int_equal(dc_statute_corpus_load(&c, paths, n, diags), 0);
    assert_non_null(c);
    return c;
}

static const dc_diag *diag_for(const dc_diag_list *l, const char *file_suffix)
{
    for (size_t i = 0; i < l->count; i++) {
        const char *f = l->items[i].file;
        size_t fl = f ? strlen(f) : 0, sl = strlen(file_suffix);
        if (f && fl >= sl && strcmp(f + fl - sl, file_suffix) == 0) return &l->items[i];
    }
    return NULL;
}

/* ------------------------------------------------------------------ real corpus */

static void test_real_corpus_loads_every_article(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_statute_corpus *c = load(real_dir, 1, &diags);
    /* 19 LEGI versions (af.md §2/§3); the 3 AKN twins are the same versions. */
    assert_int_equal(diags.count, 0);
    assert_int_equal(c->n_articles, 19);
    assert_int_equal(c->n_duplicates, 3);
    static const char *const nums[] = { "L512-3", "R512-2", "L521-1", "L521-2", "L521-3", "R521-1",
                                        "R521-2", "R521-3", "R521-4", "D521-1", "D521-2", "D521-3",
                                        "L551-1", "L751-1", "L755-3", "L755-11", "L755-12", "D755-5",
                                        "R755-0-2" };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        const dc_statute_article **v = NULL;
        size_t n = 0;
        assert_int_equal(dc_statute_versions(c, CSS, nums[i], &v, &n), 1);
        assert_int_equal(n, 1);
        assert_string_equal(v[0]->code_short, "CSS");
        assert_string_equal(v[0]->code_title, "Code de la sécurité sociale.");
        assert_int_equal(v[0]->format, DC_STATUTE_LEGI);
        free(v);
    }
    dc_statute_corpus_free(c);
    dc_diag_list_free(&diags);
}

static void test_real_corpus_dates_states_paragraphs(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_statute_corpus *c = load(real_dir, 1, &diags);

    const dc_statute_article *l521_1 = dc_statute_find_by_id(c, "LEGIARTI000029963006");
    assert_non_null(l521_1);
    assert_string_equal(l521_1->num, "L521-1");
    assert_string_equal(l521_1->code_id, CSS);
    assert_int_equal(l521_1->state, DC_STATUTE_VIGUEUR);
    assert_int_equal(l521_1->date_debut, D2015_07_01);
    assert_int_equal(l521_1->date_fin, DC_STATUTE_OPEN_END);
    assert_int_equal(l521_1->n_paragraphs, 6);
    assert_string_equal(l521_1->paragraphs[0], "Les allocations familiales sont dues à partir du deuxième enfant à charge.");
    assert_string_equal(l521_1->paragraphs[3], "Le montant des allocations familiales varie en fonction du nombre d'enfants à charge.");
    assert_int_equal(l521_1->n_nota, 0);
    assert_true(l521_1->source_line > 0);

    /* R521-1 (2008 wording): superseded on 2026-03-01; NOTA kept apart from the text. */
    const dc_statute_article *r521_1 = dc_statute_find_by_id(c, "LEGIARTI000018735853");
    assert_non_null(r521_1);
    assert_int_equal(r521_1->state, DC_STATUTE_MODIFIE);
    assert_string_equal(r521_1->state_text, "MODIFIE");
    assert_int_equal(r521_1->date_debut, D2008_04_30);
    assert_int_equal(r521_1->date_fin, D2026_03_01);
    assert_int_equal(r521_1->n_paragraphs, 2);
    assert_string_equal(r521_1->paragraphs[0],
                        "L'âge mentionné au premier alinéa de l'article L. 521-3 à partir duquel les enfants "
                        "ouvrent droit à la majoration des allocations familiales est fixé à 14 ans.");
    assert_int_equal(r521_1->n_nota, 1);
    assert_true(strncmp(r521_1->nota[0], "Décret n° 2008-409 du 28 avril 2008", 36) == 0);
    for (size_t i = 0; i < r521_1->n_paragraphs; i++) assert_null(strstr(r521_1->paragraphs[i], "NOTA"));

    /* D521-1: <p> and <br/> both end an alinéa: I, 1°, a), b), majoration × 3, II × 2. */
    const dc_statute_article *d521_1 = dc_statute_find_by_id(c, "LEGIARTI000030680318");
    assert_non_null(d521_1);
    assert_int_equal(d521_1->n_paragraphs, 15);
    assert_string_equal(d521_1->paragraphs[0],
                        "I.-Pour l'application de l'article L. 521-1 , le montant des allocations familiales et "
                        "de la majoration pour âge prévue à l'article L. 521-3 est défini selon le barème suivant :");
    assert_string_equal(d521_1->paragraphs[2], "a) 32 % pour le deuxième enfant à charge ;");
    assert_string_equal(d521_1->paragraphs[3], "b) 41 % pour le troisième enfant à charge et chacun des suivants.");
    assert_string_equal(d521_1->paragraphs[4],
                        "La majoration pour âge est fixée à 16 % de la base mensuelle de calcul des prestations familiales ;");
    assert_string_equal(d521_1->paragraphs[7], "b) 20,5 % pour le troisième enfant à charge et chacun des suivants.");
    assert_string_equal(d521_1->paragraphs[11], "b) 10,25 % pour le troisième enfant à charge et chacun des suivants.");
    assert_string_equal(d521_1->paragraphs[14],
                        "Ce complément dégressif est égal, pour chaque mois, au douzième de la différence entre, "
                        "d'une part, ce plafond de ressources majoré de la somme définie à l'alinéa précédent et, "
                        "d'autre part, le montant des ressources.");
    assert_int_equal(d521_1->n_links, 1);
    assert_string_equal(d521_1->links[0].type, "MODIFICATION");
    assert_string_equal(d521_1->links[0].sens, "cible");
    assert_string_equal(d521_1->links[0].text, "Décret n°2015-611 du 3 juin 2015 - art. 1");

    const dc_statute_article *l512_3 = dc_statute_find_by_id(c, "LEGIARTI000041979743");
    assert_non_null(l512_3);
    assert_int_equal(l512_3->n_paragraphs, 5);
    assert_int_equal(l512_3->n_nota, 1);
    assert_string_equal(l512_3->paragraphs[1], "1°) tout enfant jusqu'à la fin de l'obligation scolaire ;");

    assert_null(dc_statute_find_by_id(c, "LEGIARTI000000000000"));
    assert_null(dc_statute_find_by_id(c, "LEGIARTI000018735860"));   /* listed in VERSIONS, no file */
    dc_statute_corpus_free(c);
    dc_diag_list_free(&diags);
}

static void test_in_force_around_boundaries(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_statute_corpus *c = load(real_dir, 1, &diags);
    const dc_statute_article *a;
    assert_null(dc_statute_in_force(c, "R521-1", D2008_04_30 - 1));
    a = dc_statute_in_force(c, "R521-1", D2008_04_30);
    assert_non_null(a);
    assert_string_equal(a->version_id, "LEGIARTI000018735853");
    a = dc_statute_in_force(c, "R521-1", D2026_03_01 - 1);   /* 2026-02-28: last day */
    assert_non_null(a);
    assert_null(dc_statute_in_force(c, "R521-1", D2026_03_01));  /* new text not in the corpus */
    assert_null(dc_statute_in_force(c, "D521-1", D2015_07_01 - 1)); /* 2008 version not shipped */
    a = dc_statute_in_force(c, "D521-1", D2015_07_01);
    assert_non_null(a);
    assert_string_equal(a->version_id, "LEGIARTI000030680318");
    assert_non_null(dc_statute_in_force(c, "D521-1", INT32_MAX - 1));
    assert_null(dc_statute_in_force(c, "Z999-9", D2015_07_01));
    dc_statute_corpus_free(c);
    dc_diag_list_free(&diags);
}

static void test_akn_twins_match_legi(void **state)
{
    (void)state;
    dc_diag_list d1, d2;
    dc_statute_corpus *legi = load(legi_only_files, 3, &d1);
    dc_statute_corpus *akn = load(akn_dir, 1, &d2);
    assert_int_equal(d1.count, 0);
    assert_int_equal(d2.count, 0);
    assert_int_equal(legi->n_articles, 3);
    assert_int_equal(akn->n_articles, 3);
    static const char *const ids[] = { "LEGIARTI000029963006", "LEGIARTI000030680318", "LEGIARTI000044809227" };
    for (size_t k = 0; k < 3; k++) {
        const dc_statute_article *l = dc_statute_find_by_id(legi, ids[k]);
        const dc_statute_article *a = dc_statute_find_by_id(akn, ids[k]);
        assert_non_null(l);
        assert_non_null(a);
        assert_int_equal(a->format, DC_STATUTE_AKN);
        assert_string_equal(a->num, l->num);
        assert_string_equal(a->code_id, CSS);
        assert_string_equal(a->code_short, "CSS");
        assert_int_equal(a->state, l->state);
        assert_int_equal(a->date_debut, l->date_debut);
        assert_int_equal(a->date_fin, l->date_fin);
        assert_int_equal(a->n_paragraphs, l->n_paragraphs);
        for (size_t i = 0; i < l->n_paragraphs; i++) assert_string_equal(a->paragraphs[i], l->paragraphs[i]);
    }
    assert_int_equal(dc_statute_find_by_id(akn, "LEGIARTI000044809227")->n_paragraphs, 3);
    dc_statute_corpus_free(legi);
    dc_statute_corpus_free(akn);
    dc_diag_list_free(&d1);
    dc_diag_list_free(&d2);
}

/* ------------------------------------------------------------------ planted files */

static void test_bad_files_reported_and_skipped(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_statute_corpus *c = load(planted_dir, 1, &diags);
    /* abroge.xml (1) + versions.xml (2) load; the four bad files do not; the AKN twin
     * in z_akn_twin/ (read last: paths are sorted) duplicates a version already read. */
    assert_int_equal(c->n_articles, 3);

    const dc_diag *d = diag_for(&diags, "malformed.xml");
    assert_non_null(d);
    assert_int_equal(d->code, DC_DIAG_XML_SYNTAX);
    assert_int_equal(d->severity, DC_SEV_ERROR);
    assert_int_equal(d->line, 12);          /* the truncated last line */
    assert_true(d->column > 0);

    d = diag_for(&diags, "entity.xml");
    assert_non_null(d);
    assert_int_equal(d->code, DC_DIAG_XML_SYNTAX);
    assert_non_null(strstr(d->message, "entity"));
    assert_true(d->line >= 3 && d->line <= 5);

    d = diag_for(&diags, "unrecognised.xml");
    assert_non_null(d);
    assert_int_equal(d->code, DC_DIAG_SCHEMA);
    assert_int_equal(d->line, 3);

    d = diag_for(&diags, "bad_date.xml");
    assert_non_null(d);
    assert_int_equal(d->code, DC_DIAG_BAD_DATE);
    assert_null(dc_statute_find_by_id(c, "LEGIARTI900000000050"));
    assert_null(dc_statute_find_by_id(c, "LEGIARTI900000000040"));   /* entity file */
    assert_true(diags.errors >= 4);
    assert_null(diag_for(&diags, "abroge.xml"));
    assert_null(diag_for(&diags, "versions.xml"));
    assert_int_equal(diags.errors, 4);

    /* z_akn_twin/T100-1.akn.xml repeats LEGIARTI900000000011 with another text: first copy kept. */
    d = diag_for(&diags, "T100-1.akn.xml");
    assert_non_null(d);
    assert_int_equal(d->code, DC_DIAG_DUPLICATE_NAME);
    assert_int_equal(d->severity, DC_SEV_WARNING);
    assert_int_equal(c->n_duplicates, 1);
    assert_int_equal(dc_statute_find_by_id(c, "LEGIARTI900000000011")->format, DC_STATUTE_LEGI);

    const dc_statute_article *ab = dc_statute_find_by_id(c, "LEGIARTI900000000020");
    assert_non_null(ab);
    assert_int_equal(ab->state, DC_STATUTE_ABROGE);
    assert_string_equal(ab->paragraphs[0], "Cet article abrogé fixait un plafond de 1 000 euros.");
    dc_statute_corpus_free(c);
    dc_diag_list_free(&diags);
}

static void test_missing_path_is_io_error(void **state)
{
    (void)state;
    static const char *const paths[] = { "tests/unit/fixtures/statutes/does-not-exist.xml",
                                         "tests/unit/fixtures/statutes/abroge.xml" };
    dc_diag_list diags;
    dc_statute_corpus *c = load(paths, 2, &diags);
    assert_int_equal(diags.count, 1);
    assert_int_equal(diags.items[0].code, DC_DIAG_IO);
    assert_int_equal(c->n_articles, 1);
    dc_statute_corpus_free(c);
    dc_diag_list_free(&diags);
}

static void test_two_versions_of_one_article(void **state)
{
    (void)state;
    static const char *const paths[] = { "tests/unit/fixtures/statutes/versions.xml" };
    dc_diag_list diags;
    dc_statute_corpus *c = load(paths, 1, &diags);
    assert_int_equal(diags.count, 0);
    const dc_statute_article **v = NULL;
    size_t n = 0;
    assert_int_equal(dc_statute_versions(c, NULL, "T100-1", &v, &n), 2);
    assert_string_equal(v[0]->version_id, "LEGIARTI900000000010");
    assert_string_equal(v[1]->version_id, "LEGIARTI900000000011");
    assert_int_equal(v[0]->date_fin, D2020_01_01);
    assert_int_equal(v[1]->date_debut, D2020_01_01);
    assert_int_equal(v[0]->state, DC_STATUTE_MODIFIE);
    assert_string_equal(v[0]->paragraphs[1], "Il est versé chaque mois.");   /* spaces folded */
    assert_int_equal(v[1]->n_paragraphs, 3);                                /* <br/> split */
    assert_string_equal(v[1]->paragraphs[2], "Il est arrondi au centime.");
    free(v);
    assert_int_equal(dc_statute_versions(c, "LEGITEXT000006073189", "T100-1", &v, &n), 0);
    assert_null(v);
    assert_string_equal(dc_statute_in_force(c, "T100-1", D2020_01_01 - 1)->version_id, "LEGIARTI900000000010");
    assert_string_equal(dc_statute_in_force(c, "T100-1", D2020_01_01)->version_id, "LEGIARTI900000000011");
    dc_statute_corpus_free(c);
    dc_diag_list_free(&diags);
}

static void test_state_names(void **state)
{
    (void)state;
    assert_int_equal(dc_statute_state_from_text("VIGUEUR_DIFF"), DC_STATUTE_VIGUEUR_DIFF);
    assert_int_equal(dc_statute_state_from_text("TRANSFERE"), DC_STATUTE_TRANSFERE);
    assert_int_equal(dc_statute_state_from_text("vigueur"), DC_STATUTE_STATE_OTHER);
    assert_int_equal(dc_statute_state_from_text(NULL), DC_STATUTE_STATE_OTHER);
    assert_string_equal(dc_statute_state_name(DC_STATUTE_ABROGE), "ABROGE");
}

/* ------------------------------------------------------------------ numbers */

typedef struct expect { int64_t value; dc_statute_number_kind kind; } expect;

static void check_numbers(const char *text, const expect *want, size_t n_want)
{
    dc_statute_number *got = NULL;
    size_t n = 0;
    assert_int_equal(dc_statute_numbers(text, &got, &n), 0);
    for (size_t i = 0; i < n && i < n_want; i++) {
        if (got[i].value != want[i].value || got[i].kind != want[i].kind)
            print_error("number %zu: got %lld (%s) at %zu, want %lld (%s)\n", i, (long long)got[i].value,
                        dc_statute_number_kind_name(got[i].kind), got[i].offset, (long long)want[i].value,
                        dc_statute_number_kind_name(want[i].kind));
        assert_int_equal(got[i].value, want[i].value);
        assert_int_equal(got[i].kind, want[i].kind);
    }
    if (n != n_want)
        for (size_t i = 0; i < n; i++)
            print_error("  got %lld %s '%.*s'\n", (long long)got[i].value, dc_statute_number_kind_name(got[i].kind),
                        (int)got[i].length, text + got[i].offset);
    assert_int_equal(n, n_want);
    free(got);
}

/* The article's paragraphs joined by spaces, for number extraction over a whole text. */
static char *joined(const dc_statute_article *a)
{
    dc_buf b;
    dc_buf_init(&b);
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        if (i) dc_buf_putc(&b, ' ');
        dc_buf_puts(&b, a->paragraphs[i]);
    }
    return dc_buf_take(&b);
}

static void test_numbers_real_texts(void **state)
{
    (void)state;
    dc_diag_list diags;
    dc_statute_corpus *c = load(real_dir, 1, &diags);

    /* D521-1: rates by bracket (% of BMAF), "deuxième"/"troisième" enfant, "douze fois",
     * "au douzième"; "sixième alinéa" and every article reference left out. */
    char *t = joined(dc_statute_find_by_id(c, "LEGIARTI000030680318"));
    const expect d521_1[] = {
        { 32 * E9, DC_SNUM_PERCENT }, { 2 * E9, DC_SNUM_ORDINAL },
        { 41 * E9, DC_SNUM_PERCENT }, { 3 * E9, DC_SNUM_ORDINAL },
        { 16 * E9, DC_SNUM_PERCENT },
        { 16 * E9, DC_SNUM_PERCENT }, { 2 * E9, DC_SNUM_ORDINAL },
        { 20 * E9 + E9 / 2, DC_SNUM_PERCENT }, { 3 * E9, DC_SNUM_ORDINAL },
        { 8 * E9, DC_SNUM_PERCENT },
        { 8 * E9, DC_SNUM_PERCENT }, { 2 * E9, DC_SNUM_ORDINAL },
        { 10 * E9 + E9 / 4, DC_SNUM_PERCENT }, { 3 * E9, DC_SNUM_ORDINAL },
        { 4 * E9, DC_SNUM_PERCENT },
        { 12 * E9, DC_SNUM_COUNT }, { 12 * E9, DC_SNUM_ORDINAL },
    };
    check_numbers(t, d521_1, sizeof d521_1 / sizeof d521_1[0]);
    free(t);

    /* R512-2: "vingt ans", 55 % of the SMIC, × 169; "deuxième alinéa", "2°",
     * "L. 141-1 à L. 141-9" are references. */
    t = joined(dc_statute_find_by_id(c, "LEGIARTI000006750602"));
    const expect r512_2[] = { { 20 * E9, DC_SNUM_YEARS }, { 55 * E9, DC_SNUM_PERCENT }, { 169 * E9, DC_SNUM_COUNT } };
    check_numbers(t, r512_2, 3);
    free(t);

    /* D521-3: thousands separated by spaces; "1er janvier" is a date. */
    t = joined(dc_statute_find_by_id(c, "LEGIARTI000044809227"));
    const expect d521_3[] = { { 55950 * E9, DC_SNUM_AMOUNT }, { 5595 * E9, DC_SNUM_AMOUNT },
                              { 78300 * E9, DC_SNUM_AMOUNT }, { 5595 * E9, DC_SNUM_AMOUNT } };
    check_numbers(t, d521_3, 4);
    free(t);

    /* D755-5: "p. 100" is a percentage; "2e alinéa" a reference. */
    t = joined(dc_statute_find_by_id(c, "LEGIARTI000006738575"));
    const expect d755_5[] = { { 5880000000, DC_SNUM_PERCENT }, { 3690000000, DC_SNUM_PERCENT },
                              { 11 * E9, DC_SNUM_YEARS }, { 5670000000, DC_SNUM_PERCENT },
                              { 16 * E9, DC_SNUM_YEARS } };
    check_numbers(t, d755_5, 5);
    free(t);

    /* L521-1: "deuxième enfant", "pendant un an"; "deux premiers alinéas" is a reference. */
    t = joined(dc_statute_find_by_id(c, "LEGIARTI000029963006"));
    const expect l521_1[] = { { 2 * E9, DC_SNUM_ORDINAL }, { 1 * E9, DC_SNUM_YEARS } };
    check_numbers(t, l521_1, 2);
    free(t);

    /* R521-1: 14 ans, trois enfants; its NOTA: "onzième anniversaire", dates ignored. */
    const dc_statute_article *r521_1 = dc_statute_find_by_id(c, "LEGIARTI000018735853");
    t = joined(r521_1);
    const expect r521_1_text[] = { { 14 * E9, DC_SNUM_YEARS }, { 3 * E9, DC_SNUM_COUNT } };
    check_numbers(t, r521_1_text, 2);
    free(t);
    const expect r521_1_nota[] = { { 11 * E9, DC_SNUM_ORDINAL } };
    check_numbers(r521_1->nota[0], r521_1_nota, 1);

    /* R521-3: 0,5 and 1 per child; "1°"/"2°" and "R. 521-4" left out. */
    t = joined(dc_statute_find_by_id(c, "LEGIARTI000006750610"));
    const expect r521_3[] = { { E9 / 2, DC_SNUM_COUNT }, { 1 * E9, DC_SNUM_COUNT } };
    check_numbers(t, r521_3, 2);
    free(t);

    dc_statute_corpus_free(c);
    dc_diag_list_free(&diags);
}

static void test_numbers_in_words(void **state)
{
    (void)state;
    const expect w1[] = { { 18 * E9, DC_SNUM_YEARS }, { 21 * E9, DC_SNUM_COUNT }, { 55 * E9, DC_SNUM_COUNT },
                          { 99 * E9, DC_SNUM_COUNT }, { 71 * E9, DC_SNUM_COUNT }, { 100 * E9, DC_SNUM_COUNT },
                          { 1000 * E9, DC_SNUM_COUNT }, { 200 * E9, DC_SNUM_COUNT }, { 3000 * E9, DC_SNUM_COUNT } };
    check_numbers("portant à dix-huit ans ; vingt et un ; cinquante-cinq ; quatre-vingt-dix-neuf ; "
                  "soixante et onze ; cent ; mille ; deux cents ; trois mille", w1, 9);
    const expect w2[] = { { 16 * E9, DC_SNUM_COUNT }, { 14 * E9, DC_SNUM_COUNT }, { 11 * E9, DC_SNUM_COUNT },
                          { 12 * E9, DC_SNUM_COUNT }, { 0, DC_SNUM_COUNT }, { 2 * E9, DC_SNUM_ORDINAL },
                          { 20 * E9, DC_SNUM_PERCENT }, { E9 / 2, DC_SNUM_FRACTION }, { 1 * E9, DC_SNUM_ORDINAL } };
    check_numbers("Seize, quatorze, onze enfants ; douze fois ; zéro ; le deuxième ; vingt pour cent ; "
                  "réduit de moitié ; le premier enfant", w2, 9);
    /* The indefinite article is not a number; "un an" is. */
    const expect w3[] = { { 1 * E9, DC_SNUM_YEARS } };
    check_numbers("une allocation est versée à un parent pendant un an à l'un d'eux", w3, 1);
}

static void test_numbers_digits_and_exclusions(void **state)
{
    (void)state;
    const expect d1[] = { { 20234000000, DC_SNUM_PERCENT }, { 5880000000, DC_SNUM_PERCENT },
                          { E9 / 2, DC_SNUM_COUNT }, { 1000000 * E9, DC_SNUM_AMOUNT },
                          { 4 * E9, DC_SNUM_ORDINAL }, { 466 * E9 + 440000000, DC_SNUM_AMOUNT } };
    check_numbers("20,234 % ; 5,88 p. 100 ; 0,5 ; 1 000 000 euros ; le 4e enfant ; 466,44 €", d1, 6);
    /* Nothing here is a quantity of the law. */
    check_numbers("l'article L. 521-1, l'article 7, R. 521-3, au 2° du I, I.-, II.-, le 1er janvier 2022, "
                  "la loi n° 2020-692 du 8 juin 2020, en 2022, décret n°98-1214, article premier, "
                  "au 3° de l'article L521-1, l'article 373-2-9 du code civil, au 2e alinéa",
                  NULL, 0);
    dc_statute_number *got = (void *)1;
    size_t n = 7;
    assert_int_equal(dc_statute_numbers("", &got, &n), 0);
    assert_null(got);
    assert_int_equal(n, 0);
    /* offsets and lengths point at the number itself */
    assert_int_equal(dc_statute_numbers("fixé à 55 950 euros", &got, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].offset, strlen("fixé à "));
    assert_int_equal(got[0].length, 6);
    assert_int_equal(got[0].in_words, 0);
    free(got);
}

/* ------------------------------------------------------------------ word diff */

static void test_diff_planted_rate_change(void **state)
{
    (void)state;
    dc_diag_list diags;
    static const char *const paths[] = { "tests/unit/fixtures/statutes/versions.xml" };
    dc_statute_corpus *c = load(paths, 1, &diags);
    const char *old_text = dc_statute_find_by_id(c, "LEGIARTI900000000010")->paragraphs[0];
    const char *new_text = dc_statute_find_by_id(c, "LEGIARTI900000000011")->paragraphs[0];
    dc_buf out;
    dc_buf_init(&out);
    int changes = -1;
    assert_int_equal(dc_textdiff_words(old_text, new_text, &out, &changes), 0);
    assert_int_equal(changes, 1);
    assert_string_equal(out.data, "Le taux est fixé à [-32-]{+33+} % de la base mensuelle \xE2\x80\xA6");

    dc_textdiff_op *ops = NULL;
    size_t n = 0;
    assert_int_equal(dc_textdiff_ops(old_text, new_text, &ops, &n), 0);
    assert_int_equal(n, 4);
    assert_int_equal(ops[0].kind, DC_TEXTDIFF_EQUAL);
    assert_int_equal(ops[0].n_tokens, 5);
    assert_int_equal(ops[1].kind, DC_TEXTDIFF_DELETE);
    size_t at = strlen("Le taux est fixé à ");
    assert_int_equal(ops[1].old_offset, at);
    assert_int_equal(ops[1].old_length, 2);
    assert_int_equal(ops[2].kind, DC_TEXTDIFF_INSERT);
    assert_int_equal(ops[2].new_offset, at);
    assert_int_equal(ops[2].new_length, 2);
    assert_int_equal(ops[3].kind, DC_TEXTDIFF_EQUAL);
    free(ops);
    dc_buf_free(&out);
    dc_statute_corpus_free(c);
    dc_diag_list_free(&diags);
}

static void test_diff_shapes(void **state)
{
    (void)state;
    dc_buf out;
    dc_buf_init(&out);
    int changes = -1;
    /* identical up to apostrophe style and spacing: no change, nothing printed */
    assert_int_equal(dc_textdiff_words("l'article  L. 521-1", "l\xE2\x80\x99" "article L. 521-1", &out, &changes), 0);
    assert_int_equal(changes, 0);
    assert_int_equal(out.len, 0);

    /* a decimal rate is one word; two distant changes keep their own context */
    assert_int_equal(dc_textdiff_words(
        "a) 16 % pour le deuxième enfant ; b) 20,5 % pour le troisième enfant à charge et chacun des suivants , "
        "la majoration pour âge est fixée à 8 % de la base mensuelle",
        "a) 16 % pour le deuxième enfant ; b) 20,6 % pour le troisième enfant à charge et chacun des suivants , "
        "la majoration pour âge est fixée à 9 % de la base mensuelle",
        &out, &changes), 0);
    assert_int_equal(changes, 2);
    assert_string_equal(out.data,
        "\xE2\x80\xA6 deuxième enfant ; b) [-20,5-]{+20,6+} % pour le troisième enfant \xE2\x80\xA6 "
        "pour âge est fixée à [-8-]{+9+} % de la base mensuelle");

    /* pure addition and pure removal */
    dc_buf_clear(&out);
    assert_int_equal(dc_textdiff_words("Il est versé chaque mois.", "Il est versé chaque mois au foyer.", &out, &changes), 0);
    assert_int_equal(changes, 1);
    assert_string_equal(out.data, "Il est versé chaque mois {+au foyer+}.");
    dc_buf_clear(&out);
    assert_int_equal(dc_textdiff_words("à partir de quatorze ans", "", &out, &changes), 0);
    assert_int_equal(changes, 1);
    assert_string_equal(out.data, "[-à partir de quatorze ans-]");
    dc_buf_free(&out);
}

static void test_diff_huge_falls_back(void **state)
{
    (void)state;
    /* 3000 × 3000 tokens in the differing middle exceed DC_TEXTDIFF_MAX_CELLS. */
    dc_buf a, b;
    dc_buf_init(&a);
    dc_buf_init(&b);
    dc_buf_puts(&a, "debut");
    dc_buf_puts(&b, "commencement");
    for (int i = 0; i < 3000; i++) {
        dc_buf_printf(&a, " mot%d", i);
        dc_buf_printf(&b, " mot%d", i);
    }
    dc_buf_puts(&a, " fin");
    dc_buf_puts(&b, " terme");
    dc_textdiff_op *ops = NULL;
    size_t n = 0;
    assert_int_equal(dc_textdiff_ops(a.data, b.data, &ops, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ops[0].kind, DC_TEXTDIFF_DELETE);
    assert_int_equal(ops[0].n_tokens, 3002);
    assert_int_equal(ops[1].kind, DC_TEXTDIFF_INSERT);
    assert_int_equal(ops[1].n_tokens, 3002);
    free(ops);
    /* a small middle still gets a real LCS */
    assert_int_equal(dc_textdiff_ops("debut mot1 mot2 fin", "commencement mot1 mot2 terme", &ops, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(ops[2].kind, DC_TEXTDIFF_EQUAL);
    assert_int_equal(ops[2].n_tokens, 2);
    free(ops);
    dc_buf_free(&a);
    dc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_corpus_loads_every_article),
        cmocka_unit_test(test_real_corpus_dates_states_paragraphs),
        cmocka_unit_test(test_in_force_around_boundaries),
        cmocka_unit_test(test_akn_twins_match_legi),
        cmocka_unit_test(test_bad_files_reported_and_skipped),
        cmocka_unit_test(test_missing_path_is_io_error),
        cmocka_unit_test(test_two_versions_of_one_article),
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_numbers_real_texts),
        cmocka_unit_test(test_numbers_in_words),
        cmocka_unit_test(test_numbers_digits_and_exclusions),
        cmocka_unit_test(test_diff_planted_rate_change),
        cmocka_unit_test(test_diff_shapes),
        cmocka_unit_test(test_diff_huge_falls_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
