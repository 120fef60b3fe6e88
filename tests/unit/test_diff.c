/* test_diff.c — the differ's building blocks: impact classification and buckets (values
 * worked out by hand), report sorting by article and severity, and the rule set diff on
 * the planted pair tests/rulesets/engine/semantics.xml → tests/diff/semantics-v2.xml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "decide.h"
#include "diff.h"

static void test_buckets(void **state)
{
    (void)state;
    assert_int_equal(dc_impact_bucket(0), 0);
    assert_int_equal(dc_impact_bucket(-99), 0);      /* 0,99 € */
    assert_int_equal(dc_impact_bucket(100), 1);      /* 1 € is in 1–10 € */
    assert_int_equal(dc_impact_bucket(-999), 1);
    assert_int_equal(dc_impact_bucket(1000), 2);
    assert_int_equal(dc_impact_bucket(4999), 2);
    assert_int_equal(dc_impact_bucket(5000), 3);
    assert_int_equal(dc_impact_bucket(10000), 4);
    assert_int_equal(dc_impact_bucket(INT64_MIN), 4);
}

static void test_directions(void **state)
{
    (void)state;
    dc_impact im;
    dc_impact_init(&im);
    /* granted 152,55 € → denied: the amount paid falls by 152,55 € */
    assert_int_equal(dc_impact_add(&im, DECIDE_GRANTED, 1, 15255, DECIDE_DENIED, 0, 0), DC_IMPACT_GRANTED_TO_DENIED);
    /* denied → granted 3,21 € */
    assert_int_equal(dc_impact_add(&im, DECIDE_DENIED, 0, 0, DECIDE_GRANTED, 1, 321), DC_IMPACT_DENIED_TO_GRANTED);
    /* granted 100 → 150 €: up by 50 € (bucket 50–100) */
    assert_int_equal(dc_impact_add(&im, DECIDE_GRANTED, 1, 10000, DECIDE_GRANTED, 1, 15000), DC_IMPACT_AMOUNT_UP);
    /* granted 100 → 99,50 €: down by 0,50 € */
    assert_int_equal(dc_impact_add(&im, DECIDE_GRANTED, 1, 10000, DECIDE_GRANTED, 1, 9950), DC_IMPACT_AMOUNT_DOWN);
    /* → review and review →: no amount difference (the amount paid is unknown) */
    assert_int_equal(dc_impact_add(&im, DECIDE_GRANTED, 1, 10000, DECIDE_REVIEW, 0, 0), DC_IMPACT_TO_REVIEW);
    assert_int_equal(dc_impact_add(&im, DECIDE_REVIEW, 0, 0, DECIDE_DENIED, 0, 0), DC_IMPACT_FROM_REVIEW);
    /* same outcome, same amount; review stays review */
    assert_int_equal(dc_impact_add(&im, DECIDE_GRANTED, 1, 10000, DECIDE_GRANTED, 1, 10000), DC_IMPACT_UNCHANGED);
    assert_int_equal(dc_impact_add(&im, DECIDE_REVIEW, 0, 0, DECIDE_REVIEW, 0, 0), DC_IMPACT_UNCHANGED);
    assert_int_equal(im.cases, 8);
    assert_int_equal(im.changed, 6);
    assert_int_equal(im.by_direction[DC_IMPACT_UNCHANGED], 2);
    assert_int_equal(im.n_amount_diffs, 4);
    assert_true(im.min_diff == -15255);
    assert_true(im.max_diff == 5000);
    assert_int_equal(im.buckets[0], 1);   /* 0,50 */
    assert_int_equal(im.buckets[1], 1);   /* 3,21 */
    assert_int_equal(im.buckets[2], 0);
    assert_int_equal(im.buckets[3], 1);   /* 50,00 */
    assert_int_equal(im.buckets[4], 1);   /* 152,55 */
}

static void test_sort(void **state)
{
    (void)state;
    dc_diff_report r;
    dc_diff_report_init(&r);
    assert_int_equal(dc_diff_add(&r, DC_DIFF_RULE_EXPLAIN, "b", "article B", "rule x", NULL, "1", "2", NULL), 0);
    assert_int_equal(dc_diff_add(&r, DC_DIFF_RULE_ADDED, "a", "article A", "rule y", NULL, NULL, "true", NULL), 0);
    assert_int_equal(dc_diff_add(&r, DC_DIFF_RULE_REMOVED, "b", "article B", "rule z", NULL, "true", NULL, NULL), 0);
    assert_int_equal(dc_diff_add(&r, DC_DIFF_NOT_CHECKED, "", "texts", "texts", NULL, NULL, NULL, NULL), 0);
    assert_int_equal(dc_diff_count_differences(&r), 3);
    dc_diff_report_sort(&r);
    /* B holds a critical finding: its group comes first, its critical finding first */
    assert_string_equal(r.items[0].subject, "rule z");
    assert_string_equal(r.items[1].subject, "rule x");
    assert_string_equal(r.items[2].subject, "rule y");
    assert_string_equal(r.items[3].subject, "texts");
    dc_buf out;
    dc_buf_init(&out);
    assert_int_equal(dc_diff_render_text(&out, &r), 0);
    assert_non_null(strstr(out.data, "article B [b]\n  ! critical rule z: rule removed: true [rule-removed]\n"));
    dc_buf_free(&out);
    dc_diff_report_free(&r);
}

static dc_ruleset *load(const char *path)
{
    decide_ruleset *rs = NULL;
    assert_int_equal(decide_ruleset_load_file(&rs, NULL, path, NULL), DECIDE_OK);
    return (dc_ruleset *)rs;
}

static const dc_diff_item *find(const dc_diff_report *r, dc_diff_kind k, const char *subject)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].kind == k && !strcmp(r->items[i].subject, subject)) return &r->items[i];
    return NULL;
}

static void test_rulesets(void **state)
{
    (void)state;
    dc_ruleset *a = load("tests/rulesets/engine/semantics.xml");
    dc_ruleset *b = load("tests/diff/semantics-v2.xml");
    dc_diff_report r;
    dc_diff_report_init(&r);
    assert_int_equal(dc_diff_rulesets(&r, a, a), 0);
    assert_int_equal(r.count, 0);
    assert_int_equal(dc_diff_rulesets(&r, a, b), 0);
    const dc_diff_item *it = find(&r, DC_DIFF_RULE_CONDITION, "rule droit.general");
    assert_non_null(it);
    assert_string_equal(it->old_text, "nb_a_charge >= 2");
    assert_string_equal(it->new_text, "nb_a_charge >= 3");
    assert_string_equal(it->group, "t-1");
    it = find(&r, DC_DIFF_RULE_PARENT, "rule base.exception.nord");
    assert_non_null(it);
    assert_string_equal(it->old_text, "base.calcul");
    it = find(&r, DC_DIFF_PARAM_VALUE_CHANGED, "parameter plafond");
    assert_non_null(it);
    assert_string_equal(it->field, "value from 2025-01-01");
    assert_non_null(find(&r, DC_DIFF_RULE_REMOVED, "rule maj.b"));
    assert_non_null(find(&r, DC_DIFF_RULE_ADDED, "rule maj.both"));
    assert_null(find(&r, DC_DIFF_RULE_CONDITION, "rule maj.a"));
    /* the simple-form value "age" did not change */
    assert_null(find(&r, DC_DIFF_RULE_VALUE, "rule age"));
    assert_int_equal(r.count, 15);
    dc_diff_report_free(&r);
    decide_ruleset_free((decide_ruleset *)a);
    decide_ruleset_free((decide_ruleset *)b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buckets),
        cmocka_unit_test(test_directions),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_rulesets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
