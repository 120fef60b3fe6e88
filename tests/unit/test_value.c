/* test_value.c — unit tests of value.c: checked and fixed-point arithmetic, rounding,
 * literal parsing, calendar algorithms, comparison, and the three renderings.
 * Every expected value is worked out by hand (see the comments), not copied. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ops.h"
#include "value.h"

#define E9 INT64_C(1000000000)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int32_t ymd(int y, int m, int d)
{
    assert_true(dc_date_valid_ymd(y, m, d));
    return dc_date_from_ymd(y, m, d);
}

static dc_value duration(int64_t months, int32_t days)
{
    dc_value v = dc_v_make(DC_T_DURATION, months);
    v.aux = days;
    return v;
}

static dc_value text(const char *s)
{
    dc_value v = dc_v_make(DC_T_TEXT, 0);
    v.u.s = s;
    return v;
}

/* ------------------------------------------------------------------ type names */

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(dc_type_name(DC_T_MONEY), "money");
    assert_string_equal(dc_type_name(DC_T_RATE), "rate");
    assert_string_equal(dc_type_name(DC_T_LIST), "list");
    assert_int_equal(dc_type_from_name("decimal"), DC_T_DECIMAL);
    assert_int_equal(dc_type_from_name("duration"), DC_T_DURATION);
    assert_int_equal(dc_type_from_name("float"), DC_T_COUNT_);
    assert_int_equal(dc_type_from_name("Money"), DC_T_COUNT_);
    assert_int_equal(dc_type_from_name(""), DC_T_COUNT_);
    assert_int_equal(dc_type_from_name(NULL), DC_T_COUNT_);
    for (int t = 0; t < DC_T_COUNT_; t++)
        assert_int_equal(dc_type_from_name(dc_type_name((dc_type_kind)t)), t);
}

/* ------------------------------------------------------------------ checked integers */

static void test_i64_checked(void **state)
{
    (void)state;
    int64_t r = 0;
    assert_int_equal(dc_i64_add(2, 3, &r), DC_VOK); assert_int_equal(r, 5);
    assert_int_equal(dc_i64_add(INT64_MAX, 1, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_i64_add(INT64_MIN, -1, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_i64_add(INT64_MAX, INT64_MIN, &r), DC_VOK); assert_int_equal(r, -1);
    assert_int_equal(dc_i64_sub(INT64_MIN, 1, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_i64_sub(0, INT64_MIN, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_i64_sub(-1, INT64_MAX, &r), DC_VOK); assert_true(r == INT64_MIN);
    assert_int_equal(dc_i64_mul(INT64_MIN, -1, &r), DC_VERR_OVERFLOW);
    /* 3037000499^2 = 9223372030926249001 < 2^63 - 1 < 3037000500^2 = 9223372037000250000 */
    assert_int_equal(dc_i64_mul(3037000499, 3037000499, &r), DC_VOK);
    assert_true(r == INT64_C(9223372030926249001));
    assert_int_equal(dc_i64_mul(3037000500, 3037000500, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_i64_mul(-4, 5, &r), DC_VOK); assert_int_equal(r, -20);
}

/* ------------------------------------------------------------------ decimals */

static void test_dec_mul_div(void **state)
{
    (void)state;
    int64_t r = 0;
    /* 1.5 × 2.5 = 3.75 exactly */
    assert_int_equal(dc_dec_mul(1500000000, 2500000000, &r), DC_VOK); assert_true(r == 3750000000);
    /* 10^-9 × 0.5 = 5×10^-10: a half at the 10th digit rounds away from zero */
    assert_int_equal(dc_dec_mul(1, 500000000, &r), DC_VOK); assert_int_equal(r, 1);
    assert_int_equal(dc_dec_mul(-1, 500000000, &r), DC_VOK); assert_int_equal(r, -1);
    assert_int_equal(dc_dec_mul(1, -500000000, &r), DC_VOK); assert_int_equal(r, -1);
    /* 4×10^-10 is below the half: 0 */
    assert_int_equal(dc_dec_mul(1, 400000000, &r), DC_VOK); assert_int_equal(r, 0);
    assert_int_equal(dc_dec_mul(-1, 400000000, &r), DC_VOK); assert_int_equal(r, 0);
    /* 9 000 000 000 × 2 = 1.8×10^10 > 9.22×10^9: overflow, not a wrap */
    assert_int_equal(dc_dec_mul(9000000000 * E9, 2 * E9, &r), DC_VERR_OVERFLOW);
    /* INT64_MIN × 1 fits; × -1 is one past INT64_MAX */
    assert_int_equal(dc_dec_mul(INT64_MIN, E9, &r), DC_VOK); assert_true(r == INT64_MIN);
    assert_int_equal(dc_dec_mul(INT64_MIN, -E9, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_dec_mul(INT64_MAX, INT64_MAX, &r), DC_VERR_OVERFLOW);

    /* 1/3 = 0.333333333|3 -> down; 2/3 = 0.666666666|7 -> up, signs symmetric */
    assert_int_equal(dc_dec_div(E9, 3 * E9, &r), DC_VOK); assert_int_equal(r, 333333333);
    assert_int_equal(dc_dec_div(2 * E9, 3 * E9, &r), DC_VOK); assert_int_equal(r, 666666667);
    assert_int_equal(dc_dec_div(-2 * E9, 3 * E9, &r), DC_VOK); assert_int_equal(r, -666666667);
    assert_int_equal(dc_dec_div(2 * E9, -3 * E9, &r), DC_VOK); assert_int_equal(r, -666666667);
    assert_int_equal(dc_dec_div(-2 * E9, -3 * E9, &r), DC_VOK); assert_int_equal(r, 666666667);
    /* 10^-9 / 2 = 5×10^-10 -> 10^-9 (half away) */
    assert_int_equal(dc_dec_div(1, 2 * E9, &r), DC_VOK); assert_int_equal(r, 1);
    assert_int_equal(dc_dec_div(-1, 2 * E9, &r), DC_VOK); assert_int_equal(r, -1);
    assert_int_equal(dc_dec_div(10 * E9, 4 * E9, &r), DC_VOK); assert_true(r == 2500000000);
    assert_int_equal(dc_dec_div(E9, 0, &r), DC_VERR_DIVZERO);
    assert_int_equal(dc_dec_div(0, 0, &r), DC_VERR_DIVZERO);
    assert_int_equal(dc_dec_div(INT64_MAX, 500000000, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_dec_div(INT64_MIN, -E9, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_dec_div(INT64_MIN, E9, &r), DC_VOK); assert_true(r == INT64_MIN);
}

struct round_case { int64_t in; int places; int64_t half_away, trunc; };

static void test_dec_round(void **state)
{
    (void)state;
    static const struct round_case cases[] = {
        /* 151.7984 -> 151.80 / 151.79 */
        {151798400000, 2, 151800000000, 151790000000},
        /* 2.345 -> 2.35 (the half goes away from zero) / 2.34 */
        {2345000000, 2, 2350000000, 2340000000},
        {-2345000000, 2, -2350000000, -2340000000},
        {2344999999, 2, 2340000000, 2340000000},
        /* 0.759 -> 0.76 / 0.75 */
        {759000000, 2, 760000000, 750000000},
        {-759000000, 2, -760000000, -750000000},
        /* 0.5 -> 1, -0.5 -> -1 at 0 places; 1.499999999 -> 1 */
        {500000000, 0, E9, 0},
        {-500000000, 0, -E9, 0},
        {1499999999, 0, E9, E9},
        /* 9 places: identity */
        {123456789, 9, 123456789, 123456789},
        {-1, 9, -1, -1},
        /* 8 places: the 9th digit 5 rounds away */
        {15, 8, 20, 10},
        {-15, 8, -20, -10},
        {0, 3, 0, 0},
    };
    for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
        int64_t r = 0;
        assert_int_equal(dc_dec_round_half_away(cases[k].in, cases[k].places, &r), DC_VOK);
        assert_true(r == cases[k].half_away);
        assert_int_equal(dc_dec_round_trunc(cases[k].in, cases[k].places, &r), DC_VOK);
        assert_true(r == cases[k].trunc);
    }
    int64_t r;
    assert_int_equal(dc_dec_round_half_away(E9, 10, &r), DC_VERR_RANGE);
    assert_int_equal(dc_dec_round_half_away(E9, -1, &r), DC_VERR_RANGE);
    assert_int_equal(dc_dec_round_trunc(E9, 10, &r), DC_VERR_RANGE);
    /* 9223372036.854775807 rounds up to 9223372037, which is not representable */
    assert_int_equal(dc_dec_round_half_away(INT64_MAX, 0, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_dec_round_trunc(INT64_MAX, 0, &r), DC_VOK);
    assert_true(r == INT64_C(9223372036000000000));
    assert_int_equal(dc_dec_round_trunc(INT64_MIN, 0, &r), DC_VOK);
    assert_true(r == INT64_C(-9223372036000000000));
}

static void test_dec_conversions(void **state)
{
    (void)state;
    int64_t r = 0;
    assert_int_equal(dc_dec_from_int(5, &r), DC_VOK); assert_true(r == 5 * E9);
    assert_int_equal(dc_dec_from_int(-9223372036, &r), DC_VOK);
    assert_int_equal(dc_dec_from_int(9223372037, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_dec_from_int(INT64_MIN, &r), DC_VERR_OVERFLOW);
    /* 474.37 € = 47437 cents = 474.370000000 */
    assert_int_equal(dc_dec_from_cents(47437, &r), DC_VOK); assert_true(r == INT64_C(474370000000));
    assert_int_equal(dc_dec_from_cents(-50, &r), DC_VOK); assert_true(r == -500000000);
    /* 922337203685 cents × 10^7 = 9223372036850000000 fits; one cent more does not */
    assert_int_equal(dc_dec_from_cents(922337203685, &r), DC_VOK);
    assert_int_equal(dc_dec_from_cents(922337203686, &r), DC_VERR_OVERFLOW);

    /* to cents: 0.005 -> 1 cent away from zero; 0.004999999 -> 0 */
    assert_int_equal(dc_dec_to_cents_half_away(5000000, &r), DC_VOK); assert_int_equal(r, 1);
    assert_int_equal(dc_dec_to_cents_half_away(-5000000, &r), DC_VOK); assert_int_equal(r, -1);
    assert_int_equal(dc_dec_to_cents_half_away(4999999, &r), DC_VOK); assert_int_equal(r, 0);
    assert_int_equal(dc_dec_to_cents_half_away(151798400000, &r), DC_VOK); assert_int_equal(r, 15180);
    assert_int_equal(dc_dec_to_cents_trunc(759000000, &r), DC_VOK); assert_int_equal(r, 75);
    assert_int_equal(dc_dec_to_cents_trunc(-759000000, &r), DC_VOK); assert_int_equal(r, -75);
    assert_int_equal(dc_dec_to_cents_trunc(9999999, &r), DC_VOK); assert_int_equal(r, 0);
    /* INT64_MAX × 10^-9 € = 9223372036.854775807 € = 922337203685.4775807 cents -> rounds down */
    assert_int_equal(dc_dec_to_cents_half_away(INT64_MAX, &r), DC_VOK);
    assert_true(r == INT64_C(922337203685));

    /* to int: 2.5 -> 3, -2.5 -> -3, 2.499999999 -> 2 */
    assert_int_equal(dc_dec_to_int_half_away(2500000000, &r), DC_VOK); assert_int_equal(r, 3);
    assert_int_equal(dc_dec_to_int_half_away(-2500000000, &r), DC_VOK); assert_int_equal(r, -3);
    assert_int_equal(dc_dec_to_int_half_away(2499999999, &r), DC_VOK); assert_int_equal(r, 2);
    assert_int_equal(dc_dec_to_int_half_away(INT64_MAX, &r), DC_VOK); assert_true(r == 9223372037);
}

/* The computations of the allocations familiales dossier, worked by hand. */
static void test_dossier_examples(void **state)
{
    (void)state;
    int64_t bmaf, rate, product, cents;

    /* 474.37 € × 32 %: 474.37 × 0.32 = 151.7984 (474.37×0.3 = 142.311, ×0.02 = 9.4874)
     * -> round_cent = 151.80 € */
    assert_int_equal(dc_dec_from_cents(47437, &bmaf), DC_VOK);
    assert_int_equal(dc_parse_decimal("0.32", 4, &rate), DC_VOK);
    assert_int_equal(dc_dec_mul(bmaf, rate, &product), DC_VOK);
    assert_true(product == INT64_C(151798400000));
    assert_int_equal(dc_dec_to_cents_half_away(product, &cents), DC_VOK);
    assert_int_equal(cents, 15180);

    /* 407.84 € × 114 %: 407.84 + 0.14 × 407.84 = 407.84 + 57.0976 = 464.9376 -> 464.94 € */
    dc_value r114;
    assert_int_equal(dc_parse_typed(DC_T_RATE, "114 %", 5, &r114), DC_VOK);
    assert_int_equal(dc_dec_from_cents(40784, &bmaf), DC_VOK);
    assert_int_equal(dc_dec_mul(bmaf, r114.u.i, &product), DC_VOK);
    assert_true(product == INT64_C(464937600000));
    assert_int_equal(dc_dec_to_cents_half_away(product, &cents), DC_VOK);
    assert_int_equal(cents, 46494);

    /* 478.16 € × 20.234 %: 478.16 × 0.2 = 95.632; 478.16 × 0.002 = 0.95632;
     * 478.16 × 0.00034 = 0.1625744; total 95.632 + 0.95632 + 0.1625744 = 96.7508944
     * (exact at 10^-9, nothing rounded) -> round_cent = 96.75 € */
    dc_value r20;
    assert_int_equal(dc_parse_typed(DC_T_RATE, "20.234 %", 8, &r20), DC_VOK);
    assert_true(r20.u.i == 202340000);
    assert_int_equal(dc_dec_from_cents(47816, &bmaf), DC_VOK);
    assert_int_equal(dc_dec_mul(bmaf, r20.u.i, &product), DC_VOK);
    assert_true(product == INT64_C(96750894400));
    assert_int_equal(dc_dec_to_cents_half_away(product, &cents), DC_VOK);
    assert_int_equal(cents, 9675);

    /* CRDS 0.5 % of 151.80 € = 0.759 €, truncated to the cent: 0.75 €;
     * net = 151.80 - 0.75 = 151.05 € */
    dc_value crds;
    int64_t gross, net;
    assert_int_equal(dc_parse_typed(DC_T_RATE, "0.5 %", 5, &crds), DC_VOK);
    assert_true(crds.u.i == 5000000);
    assert_int_equal(dc_dec_from_cents(15180, &gross), DC_VOK);
    assert_int_equal(dc_dec_mul(gross, crds.u.i, &product), DC_VOK);
    assert_true(product == 759000000);
    assert_int_equal(dc_dec_to_cents_trunc(product, &cents), DC_VOK);
    assert_int_equal(cents, 75);
    assert_int_equal(dc_i64_sub(15180, cents, &net), DC_VOK);
    assert_int_equal(net, 15105);
}

/* ------------------------------------------------------------------ parsing */

struct parse_case { const char *text; int rc; int64_t value; };

static void run_parse_cases(int (*parse)(const char *, size_t, int64_t *),
                            const struct parse_case *cases, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        int64_t v = INT64_C(0x5a5a5a5a);
        int rc = parse(cases[k].text, strlen(cases[k].text), &v);
        if (rc != cases[k].rc) fail_msg("\"%s\": rc %d, expected %d", cases[k].text, rc, cases[k].rc);
        if (rc == DC_VOK && v != cases[k].value)
            fail_msg("\"%s\": %lld, expected %lld", cases[k].text, (long long)v, (long long)cases[k].value);
        if (rc != DC_VOK && v != INT64_C(0x5a5a5a5a))
            fail_msg("\"%s\": output written on error", cases[k].text);
    }
}

static void test_parse_int(void **state)
{
    (void)state;
    static const struct parse_case cases[] = {
        {"0", DC_VOK, 0}, {"-0", DC_VOK, 0}, {"123", DC_VOK, 123}, {"-45", DC_VOK, -45},
        {"007", DC_VOK, 7},
        {"9223372036854775807", DC_VOK, INT64_MAX},
        {"-9223372036854775808", DC_VOK, INT64_MIN},
        {"9223372036854775808", DC_VERR_OVERFLOW, 0},
        {"-9223372036854775809", DC_VERR_OVERFLOW, 0},
        {"99999999999999999999", DC_VERR_OVERFLOW, 0},
        /* an int has no fractional digits: "1.5" and even "1.0" hold more than it can */
        {"1.5", DC_VERR_PRECISION, 0}, {"1.0", DC_VERR_PRECISION, 0},
        {"", DC_VERR_SYNTAX, 0}, {"-", DC_VERR_SYNTAX, 0}, {"+1", DC_VERR_SYNTAX, 0},
        {" 1", DC_VERR_SYNTAX, 0}, {"1 ", DC_VERR_SYNTAX, 0}, {"1e3", DC_VERR_SYNTAX, 0},
        {"12a", DC_VERR_SYNTAX, 0}, {"0x10", DC_VERR_SYNTAX, 0}, {"1,5", DC_VERR_SYNTAX, 0},
        {"--1", DC_VERR_SYNTAX, 0}, {"1.", DC_VERR_SYNTAX, 0}, {"1 000", DC_VERR_SYNTAX, 0},
    };
    run_parse_cases(dc_parse_int, cases, ARRAY_LEN(cases));
    /* the length bounds the text: no NUL needed */
    int64_t v = 0;
    assert_int_equal(dc_parse_int("123456", 3, &v), DC_VOK);
    assert_int_equal(v, 123);
    assert_int_equal(dc_parse_int("123456", 0, &v), DC_VERR_SYNTAX);
}

static void test_parse_decimal(void **state)
{
    (void)state;
    static const struct parse_case cases[] = {
        {"0.5", DC_VOK, 500000000}, {"12.345", DC_VOK, 12345000000}, {"12", DC_VOK, 12 * E9},
        {"-0.000000001", DC_VOK, -1}, {"0.123456789", DC_VOK, 123456789},
        {"-12.5", DC_VOK, -12500000000}, {"0.000", DC_VOK, 0},
        {"9223372036.854775807", DC_VOK, INT64_MAX},
        {"-9223372036.854775808", DC_VOK, INT64_MIN},
        {"9223372036.854775808", DC_VERR_OVERFLOW, 0},
        {"9223372037", DC_VERR_OVERFLOW, 0},
        {"-9223372037", DC_VERR_OVERFLOW, 0},
        {"0.1234567891", DC_VERR_PRECISION, 0},
        {"1.0000000000", DC_VERR_PRECISION, 0},
        {"1.", DC_VERR_SYNTAX, 0}, {".5", DC_VERR_SYNTAX, 0}, {"-.5", DC_VERR_SYNTAX, 0},
        {"1.2.3", DC_VERR_SYNTAX, 0}, {"1e-3", DC_VERR_SYNTAX, 0}, {"0,5", DC_VERR_SYNTAX, 0},
        {"", DC_VERR_SYNTAX, 0}, {"-", DC_VERR_SYNTAX, 0}, {".", DC_VERR_SYNTAX, 0},
        {"1.5 ", DC_VERR_SYNTAX, 0}, {"NaN", DC_VERR_SYNTAX, 0}, {"inf", DC_VERR_SYNTAX, 0},
        /* a syntax error is reported before the precision it would also break */
        {"1.1234567890x", DC_VERR_SYNTAX, 0},
    };
    run_parse_cases(dc_parse_decimal, cases, ARRAY_LEN(cases));
}

static void test_parse_money(void **state)
{
    (void)state;
    static const struct parse_case cases[] = {
        {"45000", DC_VOK, 4500000}, {"45000.5", DC_VOK, 4500050}, {"45000.00", DC_VOK, 4500000},
        {"466.44", DC_VOK, 46644}, {"-0.5", DC_VOK, -50}, {"0.05", DC_VOK, 5}, {"0", DC_VOK, 0},
        {"92233720368547758.07", DC_VOK, INT64_MAX},
        {"-92233720368547758.08", DC_VOK, INT64_MIN},
        {"92233720368547758.08", DC_VERR_OVERFLOW, 0},
        {"92233720368547759", DC_VERR_OVERFLOW, 0},
        {"0.001", DC_VERR_PRECISION, 0}, {"1.000", DC_VERR_PRECISION, 0},
        {"466.445", DC_VERR_PRECISION, 0},
        {"466.", DC_VERR_SYNTAX, 0}, {".44", DC_VERR_SYNTAX, 0}, {"466,44", DC_VERR_SYNTAX, 0},
        {"466.44 €", DC_VERR_SYNTAX, 0}, {"", DC_VERR_SYNTAX, 0}, {"1e2", DC_VERR_SYNTAX, 0},
    };
    run_parse_cases(dc_parse_money, cases, ARRAY_LEN(cases));
}

struct date_parse_case { const char *text; int rc; int y, m, d; };

static void test_parse_date(void **state)
{
    (void)state;
    static const struct date_parse_case cases[] = {
        {"2025-04-01", DC_VOK, 2025, 4, 1}, {"2024-02-29", DC_VOK, 2024, 2, 29},
        {"2000-02-29", DC_VOK, 2000, 2, 29}, {"0001-01-01", DC_VOK, 1, 1, 1},
        {"9999-12-31", DC_VOK, 9999, 12, 31}, {"1970-01-01", DC_VOK, 1970, 1, 1},
        {"2023-02-29", DC_VERR_RANGE, 0, 0, 0}, {"1900-02-29", DC_VERR_RANGE, 0, 0, 0},
        {"2100-02-29", DC_VERR_RANGE, 0, 0, 0}, {"0000-01-01", DC_VERR_RANGE, 0, 0, 0},
        {"2025-13-01", DC_VERR_RANGE, 0, 0, 0}, {"2025-00-10", DC_VERR_RANGE, 0, 0, 0},
        {"2025-04-31", DC_VERR_RANGE, 0, 0, 0}, {"2025-04-00", DC_VERR_RANGE, 0, 0, 0},
        {"2025-4-1", DC_VERR_SYNTAX, 0, 0, 0}, {"2025/04/01", DC_VERR_SYNTAX, 0, 0, 0},
        {"20250401", DC_VERR_SYNTAX, 0, 0, 0}, {"2025-04-01T00", DC_VERR_SYNTAX, 0, 0, 0},
        {" 2025-04-01", DC_VERR_SYNTAX, 0, 0, 0}, {"", DC_VERR_SYNTAX, 0, 0, 0},
        {"+025-04-01", DC_VERR_SYNTAX, 0, 0, 0}, {"2025-0a-01", DC_VERR_SYNTAX, 0, 0, 0},
        {"01-04-2025", DC_VERR_SYNTAX, 0, 0, 0},
    };
    for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
        int32_t days = 12345;
        int rc = dc_parse_date(cases[k].text, strlen(cases[k].text), &days);
        if (rc != cases[k].rc) fail_msg("\"%s\": rc %d, expected %d", cases[k].text, rc, cases[k].rc);
        if (rc == DC_VOK) assert_int_equal(days, dc_date_from_ymd(cases[k].y, cases[k].m, cases[k].d));
        else assert_int_equal(days, 12345);
    }
}

struct typed_case { dc_type_kind type; const char *text; int rc; int64_t value; };

static void test_parse_typed(void **state)
{
    (void)state;
    static const struct typed_case cases[] = {
        {DC_T_BOOL, "true", DC_VOK, 1}, {DC_T_BOOL, " false\n", DC_VOK, 0},
        {DC_T_BOOL, "True", DC_VERR_SYNTAX, 0}, {DC_T_BOOL, "yes", DC_VERR_SYNTAX, 0},
        {DC_T_BOOL, "1", DC_VERR_SYNTAX, 0}, {DC_T_BOOL, "", DC_VERR_SYNTAX, 0},
        {DC_T_INT, " 12 ", DC_VOK, 12}, {DC_T_INT, "\n\t-3\r\n", DC_VOK, -3},
        {DC_T_INT, "1 2", DC_VERR_SYNTAX, 0},
        {DC_T_DECIMAL, " 0.5", DC_VOK, 500000000},
        {DC_T_DECIMAL, "0.5 %", DC_VERR_SYNTAX, 0},
        /* rates: a percentage, with or without a space, or a bare fraction */
        {DC_T_RATE, "32 %", DC_VOK, 320000000}, {DC_T_RATE, "32%", DC_VOK, 320000000},
        {DC_T_RATE, "  32  % ", DC_VOK, 320000000}, {DC_T_RATE, "0.32", DC_VOK, 320000000},
        {DC_T_RATE, "20.234 %", DC_VOK, 202340000}, {DC_T_RATE, "5.88 %", DC_VOK, 58800000},
        {DC_T_RATE, "114 %", DC_VOK, 1140000000}, {DC_T_RATE, "100 %", DC_VOK, E9},
        {DC_T_RATE, "-1.5 %", DC_VOK, -15000000}, {DC_T_RATE, "0 %", DC_VOK, 0},
        {DC_T_RATE, "32\xC2\xA0%", DC_VOK, 320000000},       /* no-break space */
        {DC_T_RATE, "32\xE2\x80\xAF%", DC_VOK, 320000000},   /* narrow no-break space */
        /* 7 fractional digits of a percentage are the 9 of the fraction */
        {DC_T_RATE, "20.2345678 %", DC_VOK, 202345678},
        {DC_T_RATE, "20.23456789 %", DC_VERR_PRECISION, 0},
        {DC_T_RATE, "0.1234567891", DC_VERR_PRECISION, 0},
        {DC_T_RATE, "92233720368.54775807 %", DC_VERR_PRECISION, 0},
        {DC_T_RATE, "922337203685.4775807 %", DC_VOK, INT64_MAX},
        {DC_T_RATE, "922337203685.4775808 %", DC_VERR_OVERFLOW, 0},
        {DC_T_RATE, "32 %%", DC_VERR_SYNTAX, 0}, {DC_T_RATE, "%", DC_VERR_SYNTAX, 0},
        {DC_T_RATE, "% 32", DC_VERR_SYNTAX, 0}, {DC_T_RATE, "32 pc", DC_VERR_SYNTAX, 0},
        /* money: bare, "€" with or without a space, "EUR" */
        {DC_T_MONEY, "466.44", DC_VOK, 46644}, {DC_T_MONEY, "466.44 €", DC_VOK, 46644},
        {DC_T_MONEY, "466.44€", DC_VOK, 46644}, {DC_T_MONEY, "466.44 EUR", DC_VOK, 46644},
        {DC_T_MONEY, "5595 €", DC_VOK, 559500}, {DC_T_MONEY, "  466.44\n", DC_VOK, 46644},
        {DC_T_MONEY, "-12 €", DC_VOK, -1200}, {DC_T_MONEY, "45000.5", DC_VOK, 4500050},
        {DC_T_MONEY, "466.445 €", DC_VERR_PRECISION, 0},
        {DC_T_MONEY, "€466.44", DC_VERR_SYNTAX, 0}, {DC_T_MONEY, "466.44 USD", DC_VERR_SYNTAX, 0},
        {DC_T_MONEY, "€", DC_VERR_SYNTAX, 0}, {DC_T_MONEY, "466,44 €", DC_VERR_SYNTAX, 0},
        {DC_T_MONEY, "466.44 € €", DC_VERR_SYNTAX, 0},
        {DC_T_DATE, " 2026-03-01 ", DC_VOK, 20513},   /* 2026-01-01 = 20454, +31 +28 */
        {DC_T_DATE, "2026-02-29", DC_VERR_RANGE, 0},
        {DC_T_DATE, "1 mars 2026", DC_VERR_SYNTAX, 0},
        /* enum and text need their declaration; duration and list have no literal */
        {DC_T_ENUM, "dom", DC_VERR_SYNTAX, 0}, {DC_T_TEXT, "abc", DC_VERR_SYNTAX, 0},
        {DC_T_DURATION, "P1M", DC_VERR_SYNTAX, 0},
    };
    for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
        dc_value v = dc_v_unknown(DC_T_LIST);
        int rc = dc_parse_typed(cases[k].type, cases[k].text, strlen(cases[k].text), &v);
        if (rc != cases[k].rc)
            fail_msg("%s \"%s\": rc %d, expected %d", dc_type_name(cases[k].type), cases[k].text, rc, cases[k].rc);
        if (rc == DC_VOK) {
            assert_int_equal(v.type, cases[k].type);
            assert_int_equal(v.known, 1);
            if (v.u.i != cases[k].value)
                fail_msg("%s \"%s\": %lld, expected %lld", dc_type_name(cases[k].type), cases[k].text,
                         (long long)v.u.i, (long long)cases[k].value);
        } else {
            assert_int_equal(v.type, DC_T_LIST);
            assert_int_equal(v.known, 0);
        }
    }
    dc_value v;
    assert_int_equal(dc_parse_typed(DC_T_INT, NULL, 0, &v), DC_VERR_SYNTAX);
}

/* ------------------------------------------------------------------ dates */

static void test_date_known_days(void **state)
{
    (void)state;
    /* 2000-01-01: 30 years, 7 leap days (1972..1996) -> 30×365 + 7 = 10957;
     * + 31 (January) + 29 (February 2000, leap as a multiple of 400) = 11017 */
    assert_int_equal(dc_date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(dc_date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(dc_date_from_ymd(2000, 1, 1), 10957);
    assert_int_equal(dc_date_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(dc_date_from_ymd(2000, 2, 29), 11016);
    /* 1900-01-01: 70 years before 1970 with 17 leap days (1904..1968) -> -25567;
     * 1900 is not leap (multiple of 100, not of 400): +31 +28 -> 1900-03-01 = -25508 */
    assert_int_equal(dc_date_from_ymd(1900, 1, 1), -25567);
    assert_int_equal(dc_date_from_ymd(1900, 3, 1), -25508);
    assert_int_equal(dc_date_from_ymd(1900, 2, 28), -25509);
    /* 2024-01-01: 54 years with 13 leap days -> 19723; 2024-02-29 = 19723 + 59 */
    assert_int_equal(dc_date_from_ymd(2024, 2, 29), 19782);
    assert_int_equal(dc_date_from_ymd(1, 1, 1), -719162);
    assert_int_equal(dc_date_from_ymd(9999, 12, 31), 2932896);

    int y, m, d;
    dc_date_to_ymd(11017, &y, &m, &d);
    assert_int_equal(y, 2000); assert_int_equal(m, 3); assert_int_equal(d, 1);
    dc_date_to_ymd(-25509, &y, &m, &d);
    assert_int_equal(y, 1900); assert_int_equal(m, 2); assert_int_equal(d, 28);
    dc_date_to_ymd(-1, &y, &m, &d);
    assert_int_equal(y, 1969); assert_int_equal(m, 12); assert_int_equal(d, 31);

    assert_true(dc_date_valid_ymd(2000, 2, 29));
    assert_true(dc_date_valid_ymd(2400, 2, 29));
    assert_false(dc_date_valid_ymd(1900, 2, 29));
    assert_false(dc_date_valid_ymd(2100, 2, 29));
    assert_false(dc_date_valid_ymd(2023, 2, 29));
    assert_false(dc_date_valid_ymd(0, 1, 1));
    assert_false(dc_date_valid_ymd(10000, 1, 1));
    assert_false(dc_date_valid_ymd(2025, 4, 31));
    assert_false(dc_date_valid_ymd(2025, 13, 1));
    assert_false(dc_date_valid_ymd(2025, 0, 1));
    assert_false(dc_date_valid_ymd(2025, 1, 0));
}

/* Walks every day of years 1..9999 with a plain counter and the textbook leap rule,
 * an oracle independent of the era arithmetic under test. */
static void test_date_every_day(void **state)
{
    (void)state;
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int32_t expected = -719162;
    for (int y = 1; y <= 9999; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = m == 2 && leap ? 29 : len[m - 1];
            for (int d = 1; d <= last; d++, expected++) {
                if (dc_date_from_ymd(y, m, d) != expected) fail_msg("from_ymd %04d-%02d-%02d", y, m, d);
                int yy, mm, dd;
                dc_date_to_ymd(expected, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d) fail_msg("to_ymd %d", expected);
            }
        }
    }
    assert_int_equal(expected - 1, 2932896);
}

/* dc_date_march takes Neri and Schneider's multiplications from 0000-03-01 on and the
 * era arithmetic (dc_date_march_wide) before: the two agree over three 400-year eras
 * from there, and the era arithmetic round-trips with dc_date_from_ymd before year 0. */
static void test_date_march_paths(void **state)
{
    (void)state;
    const int32_t start = -719468;   /* 0000-03-01 */
    for (int32_t d = start; d < start + 3 * 146097; d++) {
        int64_t y1, d1, y2, d2;
        dc_date_march(d, &y1, &d1);
        dc_date_march_wide(d, &y2, &d2);
        if (y1 != y2 || d1 != d2) fail_msg("day %d: %lld/%lld, era arithmetic %lld/%lld", d, (long long)y1,
                                           (long long)d1, (long long)y2, (long long)d2);
    }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int y = -800; y <= 0; y++)
        for (int m = 1; m <= 12; m++) {
            int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            int last = m == 2 && leap ? 29 : mdays[m - 1];
            for (int dd = 1; dd <= last; dd += last - 1) {
                int yy, mm, d2;
                dc_date_to_ymd(dc_date_from_ymd(y, m, dd), &yy, &mm, &d2);
                if (yy != y || mm != m || d2 != dd) fail_msg("%d-%02d-%02d came back %d-%02d-%02d", y, m, dd, yy, mm, d2);
            }
        }
}

static void test_date_add(void **state)
{
    (void)state;
    int32_t r = 0;
    /* add_months clamps to the end of the target month */
    assert_int_equal(dc_date_add_months(ymd(2024, 1, 31), 1, &r), DC_VOK); assert_int_equal(r, ymd(2024, 2, 29));
    assert_int_equal(dc_date_add_months(ymd(2023, 1, 31), 1, &r), DC_VOK); assert_int_equal(r, ymd(2023, 2, 28));
    assert_int_equal(dc_date_add_months(ymd(2024, 3, 31), -1, &r), DC_VOK); assert_int_equal(r, ymd(2024, 2, 29));
    assert_int_equal(dc_date_add_months(ymd(2024, 5, 31), 1, &r), DC_VOK); assert_int_equal(r, ymd(2024, 6, 30));
    assert_int_equal(dc_date_add_months(ymd(2024, 2, 29), 12, &r), DC_VOK); assert_int_equal(r, ymd(2025, 2, 28));
    assert_int_equal(dc_date_add_months(ymd(2024, 2, 29), 48, &r), DC_VOK); assert_int_equal(r, ymd(2028, 2, 29));
    assert_int_equal(dc_date_add_months(ymd(1899, 2, 28), 12, &r), DC_VOK); assert_int_equal(r, ymd(1900, 2, 28));
    assert_int_equal(dc_date_add_months(ymd(2023, 12, 15), 1, &r), DC_VOK); assert_int_equal(r, ymd(2024, 1, 15));
    assert_int_equal(dc_date_add_months(ymd(2024, 1, 15), -1, &r), DC_VOK); assert_int_equal(r, ymd(2023, 12, 15));
    assert_int_equal(dc_date_add_months(ymd(2024, 1, 15), -25, &r), DC_VOK); assert_int_equal(r, ymd(2021, 12, 15));
    assert_int_equal(dc_date_add_months(ymd(2025, 4, 1), 0, &r), DC_VOK); assert_int_equal(r, ymd(2025, 4, 1));
    assert_int_equal(dc_date_add_months(ymd(9999, 11, 30), 1, &r), DC_VOK); assert_int_equal(r, ymd(9999, 12, 30));
    assert_int_equal(dc_date_add_months(ymd(9999, 12, 1), 1, &r), DC_VERR_RANGE);
    assert_int_equal(dc_date_add_months(ymd(1, 1, 15), -1, &r), DC_VERR_RANGE);
    assert_int_equal(dc_date_add_months(ymd(2025, 1, 1), INT64_MAX, &r), DC_VERR_RANGE);
    assert_int_equal(dc_date_add_months(ymd(2025, 1, 1), INT64_MIN, &r), DC_VERR_RANGE);

    assert_int_equal(dc_date_add_days(ymd(2024, 2, 28), 1, &r), DC_VOK); assert_int_equal(r, ymd(2024, 2, 29));
    assert_int_equal(dc_date_add_days(ymd(1900, 2, 28), 1, &r), DC_VOK); assert_int_equal(r, ymd(1900, 3, 1));
    assert_int_equal(dc_date_add_days(ymd(2025, 1, 1), -1, &r), DC_VOK); assert_int_equal(r, ymd(2024, 12, 31));
    assert_int_equal(dc_date_add_days(ymd(9999, 12, 31), 0, &r), DC_VOK);
    assert_int_equal(dc_date_add_days(ymd(9999, 12, 31), 1, &r), DC_VERR_RANGE);
    assert_int_equal(dc_date_add_days(ymd(1, 1, 1), -1, &r), DC_VERR_RANGE);
    assert_int_equal(dc_date_add_days(0, INT64_MAX, &r), DC_VERR_RANGE);
    assert_int_equal(dc_date_add_days(0, INT64_MIN, &r), DC_VERR_RANGE);

    assert_int_equal(dc_date_first_of_month(ymd(2025, 4, 17)), ymd(2025, 4, 1));
    assert_int_equal(dc_date_first_of_month(ymd(2024, 2, 29)), ymd(2024, 2, 1));
    assert_int_equal(dc_date_first_of_month(ymd(2025, 4, 1)), ymd(2025, 4, 1));
    assert_int_equal(dc_date_first_of_next_month(ymd(2025, 12, 31), &r), DC_VOK); assert_int_equal(r, ymd(2026, 1, 1));
    assert_int_equal(dc_date_first_of_next_month(ymd(2024, 2, 29), &r), DC_VOK); assert_int_equal(r, ymd(2024, 3, 1));
    assert_int_equal(dc_date_first_of_next_month(ymd(2025, 4, 1), &r), DC_VOK); assert_int_equal(r, ymd(2025, 5, 1));
    assert_int_equal(dc_date_first_of_next_month(ymd(9999, 11, 5), &r), DC_VOK); assert_int_equal(r, ymd(9999, 12, 1));
    assert_int_equal(dc_date_first_of_next_month(ymd(9999, 12, 5), &r), DC_VERR_RANGE);
}

struct age_case { int by, bm, bd, ay, am, ad; int64_t age; };

static void test_date_age(void **state)
{
    (void)state;
    static const struct age_case cases[] = {
        /* a 29 February birthday is reached on 1 March in a common year */
        {2008, 2, 29, 2026, 2, 28, 17}, {2008, 2, 29, 2026, 3, 1, 18},
        /* ... and on 29 February in a leap year */
        {2008, 2, 29, 2024, 2, 28, 15}, {2008, 2, 29, 2024, 2, 29, 16},
        {2010, 3, 4, 2025, 3, 3, 14}, {2010, 3, 4, 2025, 3, 4, 15}, {2010, 3, 4, 2025, 3, 5, 15},
        {2010, 3, 4, 2010, 3, 4, 0}, {2010, 3, 4, 2011, 3, 3, 0},
        {2005, 12, 31, 2025, 12, 31, 20}, {2005, 12, 31, 2026, 1, 1, 20},
        {2006, 1, 1, 2025, 12, 31, 19},
        /* across 1900 (not leap) and 2000 (leap) */
        {1896, 2, 29, 1900, 2, 28, 3}, {1896, 2, 29, 1900, 3, 1, 4}, {1996, 2, 29, 2000, 2, 29, 4},
        {1, 1, 1, 9999, 12, 31, 9998},
        /* an evaluation date before the birth gives a negative age */
        {2010, 3, 4, 2010, 3, 3, -1}, {2010, 3, 4, 2009, 3, 4, -1},
    };
    for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
        const struct age_case *c = &cases[k];
        int64_t age = dc_date_age(ymd(c->by, c->bm, c->bd), ymd(c->ay, c->am, c->ad));
        if (age != c->age)
            fail_msg("born %04d-%02d-%02d at %04d-%02d-%02d: %lld, expected %lld", c->by, c->bm, c->bd,
                     c->ay, c->am, c->ad, (long long)age, (long long)c->age);
    }
}

/* ------------------------------------------------------------------ 64-bit fast paths */

/* dc_dec_mul, dc_dec_mul_cents (money × decimal in dc_op_arith) and the conversions to
 * cents and to int compute in 64 bits when they can. The reference is the 128-bit
 * computation value.c used for every case before, copied here: the fast paths must
 * give the same status and the same value for every operand. */
__extension__ typedef __int128 ref_i128;

static ref_i128 ref_div_half_away(ref_i128 n, ref_i128 d)
{
    ref_i128 q = n / d, r = n % d;
    ref_i128 ar = r < 0 ? -r : r, ad = d < 0 ? -d : d;
    if (2 * ar >= ad) q += ((n < 0) != (d < 0)) ? -1 : 1;
    return q;
}

static int ref_from_i128(ref_i128 v, int64_t *out)
{
    if (v > INT64_MAX || v < INT64_MIN) return DC_VERR_OVERFLOW;
    *out = (int64_t)v;
    return DC_VOK;
}

static int ref_dec_mul(int64_t a, int64_t b, int64_t *out)
{
    return ref_from_i128(ref_div_half_away((ref_i128)a * b, E9), out);
}

/* money × decimal as dc_op_arith did it: cents to the 10^-9 scale (checked), then
 * the decimal product */
static int ref_money_mul(int64_t cents, int64_t x, int64_t *out)
{
    int64_t s;
    if (__builtin_mul_overflow(cents, E9 / 100, &s)) return DC_VERR_OVERFLOW;
    return ref_dec_mul(s, x, out);
}

/* splitmix64: deterministic, the same sequence on every machine */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* any int64, its magnitude spread evenly over 0..63 bits, either sign */
static int64_t rng_spread(void)
{
    uint64_t u = rng_next() >> (rng_next() % 64);
    int64_t v = (int64_t)(u & (uint64_t)INT64_MAX);
    if (rng_next() & 1) v = -v - (int64_t)(rng_next() & 1);   /* reaches INT64_MIN */
    return v;
}

static int64_t rng_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

#define SENTINEL INT64_C(0x5A5A5A5A5A5A5A5A)

static const int64_t mul_edges[] = {
    0, 1, -1, 2, -2, 7, 49, 50, 51, -49, -50, -51, 99, 100, 101, -100,
    499999999, 500000000, 500000001, -499999999, -500000000, -500000001, 999999999,
    E9, E9 + 1, -E9, -E9 - 1, 2 * E9,
    /* rates: 32 %, 20.25 %, 5.059 %, 10^-9, 114 %, 0.5 % */
    320000000, 202500000, 50590000, 1140000000, 5000000, -320000000,
    /* amounts in cents, and the edge of cents × 10^7 */
    46644, 47437, -15180, 922337203685, 922337203686, -922337203685, -922337203686,
    /* around sqrt(2^63) = 3037000499.98: the square overflows from 3037000500 */
    3037000499, 3037000500, -3037000499, -3037000500,
    INT64_MAX / E9, INT64_MAX / 100, INT64_MIN / 100, INT64_MAX / 2, INT64_MIN / 2,
    INT64_MAX, INT64_MAX - 1, INT64_MIN, INT64_MIN + 1,
};

struct mul_tally { long fits, wide, overflow; };

static void check_dec_mul(int64_t a, int64_t b, struct mul_tally *t)
{
    int64_t got = SENTINEL, want = SENTINEL, p;
    int rc = dc_dec_mul(a, b, &got), rrc = ref_dec_mul(a, b, &want);
    if (rc != rrc || got != want)
        fail_msg("dec_mul(%lld, %lld): %d %lld, reference %d %lld", (long long)a, (long long)b, rc,
                 (long long)got, rrc, (long long)want);
    if (rc != DC_VOK) t->overflow++;
    else if (__builtin_mul_overflow(a, b, &p)) t->wide++;
    else t->fits++;
}

/* money × x through dc_dec_mul_cents and through dc_op_arith, both operand orders,
 * x as a rate and as a decimal */
static void check_money_mul(int64_t cents, int64_t x, struct mul_tally *t)
{
    int64_t want = SENTINEL, got = SENTINEL, p;
    int rrc = ref_money_mul(cents, x, &want);
    int rc = dc_dec_mul_cents(cents, x, &got);
    if (rc != rrc || got != want)
        fail_msg("dec_mul_cents(%lld, %lld): %d %lld, reference %d %lld", (long long)cents,
                 (long long)x, rc, (long long)got, rrc, (long long)want);
    dc_value money = dc_v_make(DC_T_MONEY, cents);
    for (int k = 0; k < 4; k++) {
        dc_value dec = dc_v_make(k < 2 ? DC_T_RATE : DC_T_DECIMAL, x);
        dc_value out = dc_v_make(DC_T_BOOL, SENTINEL);
        rc = k % 2 ? dc_op_arith(DC_OP_MUL, DC_T_DECIMAL, dec, money, &out)
                   : dc_op_arith(DC_OP_MUL, DC_T_DECIMAL, money, dec, &out);
        bool same = rc == rrc && (rc == DC_VOK ? out.type == DC_T_DECIMAL && out.known && out.u.i == want
                                               : out.type == DC_T_BOOL && out.u.i == SENTINEL);
        if (!same)
            fail_msg("op_arith %lld cents × %lld (case %d): %d %lld, reference %d %lld", (long long)cents,
                     (long long)x, k, rc, (long long)out.u.i, rrc, (long long)want);
    }
    if (rrc != DC_VOK) t->overflow++;
    else if (__builtin_mul_overflow(cents, x, &p)) t->wide++;
    else t->fits++;
}

static void check_to_cents_int(int64_t dec)
{
    int64_t got = SENTINEL, want = SENTINEL;
    int rc = dc_dec_to_cents_half_away(dec, &got), rrc = ref_from_i128(ref_div_half_away(dec, E9 / 100), &want);
    if (rc != rrc || got != want) fail_msg("to_cents(%lld): %lld, reference %lld", (long long)dec, (long long)got, (long long)want);
    got = want = SENTINEL;
    rc = dc_dec_to_int_half_away(dec, &got);
    rrc = ref_from_i128(ref_div_half_away(dec, E9), &want);
    if (rc != rrc || got != want) fail_msg("to_int(%lld): %lld, reference %lld", (long long)dec, (long long)got, (long long)want);
}

/* Every operand pair of one kind near the edge where the product leaves int64:
 * b = limit / a and its neighbours, for both limits and both signs of b. */
static void check_product_edge(int64_t a, void (*check)(int64_t, int64_t, struct mul_tally *),
                               struct mul_tally *t)
{
    if (a == 0) return;
    int64_t limits[2] = { INT64_MAX / a, a == -1 ? INT64_MAX : INT64_MIN / a };
    for (int l = 0; l < 2; l++)
        for (int64_t delta = -2; delta <= 2; delta++) {
            int64_t b;
            if (__builtin_add_overflow(limits[l], delta, &b)) continue;
            check(a, b, t);
            check(b, a, t);
        }
}

static void test_dec_mul_fast_path(void **state)
{
    (void)state;
    struct mul_tally t = {0, 0, 0};
    rng_state = 20250401;
    for (size_t i = 0; i < ARRAY_LEN(mul_edges); i++) {
        for (size_t j = 0; j < ARRAY_LEN(mul_edges); j++) check_dec_mul(mul_edges[i], mul_edges[j], &t);
        check_product_edge(mul_edges[i], check_dec_mul, &t);
        check_to_cents_int(mul_edges[i]);
    }
    for (int k = 0; k < 300000; k++) {
        int64_t a = rng_spread(), b = rng_spread();
        check_dec_mul(a, b, &t);
        check_product_edge(a, check_dec_mul, &t);
        check_to_cents_int(a);
        /* amounts and rates as the rule sets have them */
        check_dec_mul(rng_range(-E9 * 100000, E9 * 100000), rng_range(0, 2 * E9), &t);
        /* around the edge where the rounded result a×b/10^9 itself leaves int64 */
        ref_i128 edge = ((ref_i128)INT64_MAX * E9) / (a == 0 ? 1 : a);
        if (edge <= INT64_MAX && edge >= -INT64_MAX)
            for (int64_t delta = -2; delta <= 2; delta++) check_dec_mul(a, (int64_t)edge + delta, &t);
    }
    /* each path taken many times: the 64-bit one, the 128-bit one, overflow */
    assert_true(t.fits > 100000 && t.wide > 100000 && t.overflow > 100000);
}

static void test_money_mul_fast_path(void **state)
{
    (void)state;
    struct mul_tally t = {0, 0, 0};
    int64_t r = 0;
    /* worked by hand: 466.44 € × 32 % = 149.2608 */
    assert_int_equal(dc_dec_mul_cents(46644, 320000000, &r), DC_VOK); assert_true(r == INT64_C(149260800000));
    /* 0.01 € × 5×10^-8 = 5×10^-10: a half at the 10th digit, away from zero; 4.9×10^-8 -> 0 */
    assert_int_equal(dc_dec_mul_cents(1, 50, &r), DC_VOK); assert_int_equal(r, 1);
    assert_int_equal(dc_dec_mul_cents(-1, 50, &r), DC_VOK); assert_int_equal(r, -1);
    assert_int_equal(dc_dec_mul_cents(1, -50, &r), DC_VOK); assert_int_equal(r, -1);
    assert_int_equal(dc_dec_mul_cents(1, 49, &r), DC_VOK); assert_int_equal(r, 0);
    /* 9 223 372 036.85 € × 10^-9 = 9.22337203685 -> 9.223372037 */
    assert_int_equal(dc_dec_mul_cents(922337203685, 1, &r), DC_VOK); assert_true(r == 9223372037);
    /* one cent more cannot be brought to the 10^-9 scale: an overflow, as before, even
     * though the product itself would fit */
    assert_int_equal(dc_dec_mul_cents(922337203686, 1, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_dec_mul_cents(-922337203686, 0, &r), DC_VERR_OVERFLOW);
    /* 92 233 720.36 € × 1000 = 92 233 720 360 € > 9.2×10^9: overflow, not a wrap */
    assert_int_equal(dc_dec_mul_cents(9223372036, 1000 * E9, &r), DC_VERR_OVERFLOW);

    rng_state = 20250402;
    for (size_t i = 0; i < ARRAY_LEN(mul_edges); i++) {
        for (size_t j = 0; j < ARRAY_LEN(mul_edges); j++) check_money_mul(mul_edges[i], mul_edges[j], &t);
        check_product_edge(mul_edges[i], check_money_mul, &t);
    }
    for (int k = 0; k < 200000; k++) {
        int64_t a = rng_spread();
        check_money_mul(a, rng_spread(), &t);
        check_product_edge(a, check_money_mul, &t);
        check_money_mul(rng_range(-10000000000, 10000000000), rng_range(-2 * E9, 2 * E9), &t);
        /* cents within the 10^-9 scale, rates near where cents × rate leaves int64 */
        int64_t c = rng_range(-922337203685, 922337203685);
        if (c != 0) check_money_mul(c, INT64_MAX / c + rng_range(-3, 3), &t);
    }
    assert_true(t.fits > 100000 && t.wide > 100000 && t.overflow > 100000);
}

/* decimal ÷ int as dc_op_arith did it: the int to the 10^-9 scale (checked), then the
 * decimal quotient in 128 bits */
static int ref_div_int(int64_t a, int64_t n, int64_t *out)
{
    int64_t s;
    if (__builtin_mul_overflow(n, E9, &s)) return DC_VERR_OVERFLOW;
    if (s == 0) return DC_VERR_DIVZERO;
    return ref_from_i128(ref_div_half_away((ref_i128)a * E9, s), out);
}

/* a ÷ n through dc_dec_div_int and through dc_op_arith, a as a rate and as a decimal;
 * tally: quotient, divisor out of scale, division by zero or overflow */
static void check_div_int(int64_t a, int64_t n, long tally[3])
{
    int64_t want = SENTINEL, got = SENTINEL, s;
    int rrc = ref_div_int(a, n, &want);
    int rc = dc_dec_div_int(a, n, &got);
    if (rc != rrc || got != want)
        fail_msg("dec_div_int(%lld, %lld): %d %lld, reference %d %lld", (long long)a, (long long)n, rc,
                 (long long)got, rrc, (long long)want);
    for (int k = 0; k < 2; k++) {
        dc_value out = dc_v_make(DC_T_BOOL, SENTINEL);
        rc = dc_op_arith(DC_OP_DIV, DC_T_DECIMAL, dc_v_make(k ? DC_T_RATE : DC_T_DECIMAL, a),
                         dc_v_make(DC_T_INT, n), &out);
        bool same = rc == rrc && (rc == DC_VOK ? out.type == DC_T_DECIMAL && out.known && out.u.i == want
                                               : out.type == DC_T_BOOL && out.u.i == SENTINEL);
        if (!same)
            fail_msg("op_arith %lld ÷ %lld (case %d): %d %lld, reference %d %lld", (long long)a, (long long)n, k,
                     rc, (long long)out.u.i, rrc, (long long)want);
    }
    tally[rrc == DC_VOK ? 0 : __builtin_mul_overflow(n, E9, &s) ? 1 : 2]++;
}

static void test_div_int_fast_path(void **state)
{
    (void)state;
    long t[3] = { 0, 0, 0 };
    int64_t r = 0;
    /* worked by hand: 149.2608 / 3 = 49.7536; 1 / 3 = 0.333333333; 2 / 3 = 0.666666667;
     * 5×10^-9 / 2 = 2.5×10^-9 -> 3×10^-9 (half away), -5×10^-9 / 2 -> -3×10^-9 */
    assert_int_equal(dc_dec_div_int(INT64_C(149260800000), 3, &r), DC_VOK); assert_true(r == INT64_C(49753600000));
    assert_int_equal(dc_dec_div_int(E9, 3, &r), DC_VOK); assert_int_equal(r, 333333333);
    assert_int_equal(dc_dec_div_int(2 * E9, 3, &r), DC_VOK); assert_int_equal(r, 666666667);
    assert_int_equal(dc_dec_div_int(5, 2, &r), DC_VOK); assert_int_equal(r, 3);
    assert_int_equal(dc_dec_div_int(-5, 2, &r), DC_VOK); assert_int_equal(r, -3);
    assert_int_equal(dc_dec_div_int(5, -2, &r), DC_VOK); assert_int_equal(r, -3);
    assert_int_equal(dc_dec_div_int(E9, 0, &r), DC_VERR_DIVZERO);
    /* INT64_MIN / -1 leaves int64; a divisor beyond 9.2×10^9 cannot be scaled: overflow
     * before any division, even by a huge divisor that would give 0 */
    assert_int_equal(dc_dec_div_int(INT64_MIN, -1, &r), DC_VERR_OVERFLOW);
    assert_int_equal(dc_dec_div_int(0, INT64_MAX / E9 + 1, &r), DC_VERR_OVERFLOW);

    static const int64_t divisors[] = { 0, 1, -1, 2, -2, 3, 7, -7, 12, 100, E9, -E9,
                                        INT64_MAX / E9, INT64_MAX / E9 + 1, INT64_MIN / E9, INT64_MIN / E9 - 1,
                                        INT64_MAX, INT64_MIN };
    rng_state = 20261123;
    for (size_t i = 0; i < ARRAY_LEN(mul_edges); i++)
        for (size_t j = 0; j < ARRAY_LEN(divisors); j++) {
            check_div_int(mul_edges[i], divisors[j], t);
            check_div_int(mul_edges[i], mul_edges[j % ARRAY_LEN(mul_edges)], t);
        }
    for (int k = 0; k < 300000; k++) {
        int64_t a = rng_spread();
        check_div_int(a, rng_spread(), t);
        check_div_int(a, rng_range(-20, 20), t);
        check_div_int(a, rng_range(-(INT64_MAX / E9) - 2, INT64_MAX / E9 + 2), t);
        /* halves: a = n × q ± n / 2 */
        int64_t n = rng_range(1, 1000), q = rng_range(-E9 * 1000, E9 * 1000);
        check_div_int(n * q + n / 2, n, t);
        check_div_int(n * q - n / 2, n, t);
    }
    assert_true(t[0] > 100000 && t[1] > 100000 && t[2] > 10);
}

/* ------------------------------------------------------------------ age, against months and days */

#define DATE_FIRST INT32_C(-719162)   /* 0001-01-01 */
#define DATE_LAST INT32_C(2932896)    /* 9999-12-31 */

/* completed years from calendar dates, as dc_date_age computed it before */
static int64_t ref_age(int32_t birth, int32_t at)
{
    int by, bm, bd, ay, am, ad;
    dc_date_to_ymd(birth, &by, &bm, &bd);
    dc_date_to_ymd(at, &ay, &am, &ad);
    int64_t age = (int64_t)ay - by;
    if (am < bm || (am == bm && ad < bd)) age--;
    return age;
}

static void check_age(int32_t birth, int32_t at)
{
    if (birth < DATE_FIRST || birth > DATE_LAST || at < DATE_FIRST || at > DATE_LAST) return;
    int64_t got = dc_date_age(birth, at), want = ref_age(birth, at);
    if (got != want) {
        int by, bm, bd, ay, am, ad;
        dc_date_to_ymd(birth, &by, &bm, &bd);
        dc_date_to_ymd(at, &ay, &am, &ad);
        fail_msg("born %04d-%02d-%02d at %04d-%02d-%02d: %lld, months and days give %lld", by, bm, bd,
                 ay, am, ad, (long long)got, (long long)want);
    }
}

static void test_date_age_against_ymd(void **state)
{
    (void)state;
    /* every day of years 1..9999 as the birth and as the evaluation date */
    const int32_t fixed[] = { DATE_FIRST, ymd(1900, 2, 28), ymd(1900, 3, 1), ymd(2000, 2, 29),
                              ymd(2024, 12, 31), ymd(2025, 1, 1), ymd(2025, 3, 1), DATE_LAST };
    for (int32_t d = DATE_FIRST; d <= DATE_LAST; d++) {
        assert_true(dc_date_age(d, d) == 0);
        for (int32_t k = -1; k <= 1; k++) check_age(d, d + k);
        check_age(d, d + 365); check_age(d, d + 366); check_age(d - 365, d); check_age(d - 366, d);
        for (size_t f = 0; f < ARRAY_LEN(fixed); f++) { check_age(fixed[f], d); check_age(d, fixed[f]); }
    }
    /* 29 February births at 28 February, 29 February and 1 March of the years around */
    for (int y = 4; y <= 9996; y += 4) {
        if (!dc_date_valid_ymd(y, 2, 29)) continue;
        int32_t birth = ymd(y, 2, 29);
        for (int ay = y - 2; ay <= y + 30 && ay <= 9999; ay++) {
            check_age(birth, ymd(ay, 2, 28));
            check_age(birth, ymd(ay, 3, 1));
            if (dc_date_valid_ymd(ay, 2, 29)) check_age(birth, ymd(ay, 2, 29));
        }
    }
    /* year ends, and random pairs anywhere in the range */
    rng_state = 20250403;
    for (int k = 0; k < 300000; k++) {
        int by = (int)rng_range(1, 9999), ay = (int)rng_range(1, 9999);
        check_age(ymd(by, 12, 31), ymd(ay, 1, 1));
        check_age(ymd(by, 1, 1), ymd(ay, 12, 31));
        check_age(ymd(by, 12, 31), ymd(ay, 12, 31));
        check_age((int32_t)rng_range(DATE_FIRST, DATE_LAST), (int32_t)rng_range(DATE_FIRST, DATE_LAST));
    }
}

/* ------------------------------------------------------------------ comparison */

static void test_num_cmp(void **state)
{
    (void)state;
    /* 12.50 € and 12.5 are the same number */
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_MONEY, 1250), dc_v_make(DC_T_DECIMAL, 12500000000)), 0);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_INT, 13), dc_v_make(DC_T_MONEY, 1299)), 1);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_MONEY, 1299), dc_v_make(DC_T_INT, 13)), -1);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_MONEY, 1300), dc_v_make(DC_T_INT, 13)), 0);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_RATE, 320000000), dc_v_make(DC_T_DECIMAL, 320000000)), 0);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_INT, 0), dc_v_make(DC_T_RATE, 0)), 0);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_INT, 1), dc_v_make(DC_T_DECIMAL, E9 + 1)), -1);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_INT, -1), dc_v_make(DC_T_MONEY, -99)), -1);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_INT, 5), dc_v_make(DC_T_INT, 5)), 0);
    /* extremes: no overflow when scaling (int × 10^9 exceeds int64) */
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_MONEY, INT64_MAX), dc_v_make(DC_T_INT, INT64_MAX)), -1);
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_INT, INT64_MIN), dc_v_make(DC_T_MONEY, INT64_MIN)), -1);
    /* -9223372036.854775808 > -9223372037 */
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_DECIMAL, INT64_MIN), dc_v_make(DC_T_INT, -9223372037)), 1);
    /* 92233720368547758.07 € vs 92233720368547758 */
    assert_int_equal(dc_num_cmp(dc_v_make(DC_T_MONEY, INT64_MAX), dc_v_make(DC_T_INT, 92233720368547758)), 1);
}

static void test_value_equal(void **state)
{
    (void)state;
    char a1[] = "abc", a2[] = "abc";
    assert_true(dc_value_equal(dc_v_make(DC_T_INT, 3), dc_v_make(DC_T_INT, 3)));
    assert_false(dc_value_equal(dc_v_make(DC_T_INT, 3), dc_v_make(DC_T_INT, 4)));
    /* same number, different types: not the same value */
    assert_false(dc_value_equal(dc_v_make(DC_T_INT, 1), dc_v_make(DC_T_DECIMAL, 1)));
    assert_false(dc_value_equal(dc_v_make(DC_T_MONEY, 1250), dc_v_make(DC_T_DECIMAL, 12500000000)));
    /* unknown equals nothing, not even itself */
    assert_false(dc_value_equal(dc_v_unknown(DC_T_INT), dc_v_unknown(DC_T_INT)));
    assert_false(dc_value_equal(dc_v_unknown(DC_T_INT), dc_v_make(DC_T_INT, 0)));
    assert_true(dc_value_equal(text(a1), text(a2)));
    assert_false(dc_value_equal(text(a1), text("abd")));
    assert_true(dc_value_equal(duration(14, 3), duration(14, 3)));
    assert_false(dc_value_equal(duration(14, 3), duration(14, 4)));
    assert_false(dc_value_equal(duration(12, 0), duration(13, 0)));
    assert_true(dc_value_equal(dc_v_make(DC_T_ENUM, 2), dc_v_make(DC_T_ENUM, 2)));
    assert_true(dc_value_equal(dc_v_make(DC_T_DATE, 11017), dc_v_make(DC_T_DATE, 11017)));
}

/* ------------------------------------------------------------------ formatting */

static const char *const residence_names[] = {"metropole", "dom", "mayotte"};

struct format_case { dc_value v; const char *fr, *en; };

static void test_format(void **state)
{
    (void)state;
    const struct format_case cases[] = {
        /* money: grouped from 1 000, always 2 decimals */
        {dc_v_make(DC_T_MONEY, 123456), "1 234,56 €", "€1,234.56"},
        {dc_v_make(DC_T_MONEY, -1200), "-12,00 €", "-€12.00"},
        {dc_v_make(DC_T_MONEY, 0), "0,00 €", "€0.00"},
        {dc_v_make(DC_T_MONEY, 5), "0,05 €", "€0.05"},
        {dc_v_make(DC_T_MONEY, -50), "-0,50 €", "-€0.50"},
        {dc_v_make(DC_T_MONEY, 99999), "999,99 €", "€999.99"},
        {dc_v_make(DC_T_MONEY, 100000), "1 000,00 €", "€1,000.00"},
        {dc_v_make(DC_T_MONEY, 15105), "151,05 €", "€151.05"},
        {dc_v_make(DC_T_MONEY, 123456789), "1 234 567,89 €", "€1,234,567.89"},
        {dc_v_make(DC_T_MONEY, INT64_MIN), "-92 233 720 368 547 758,08 €", "-€92,233,720,368,547,758.08"},
        /* decimals: trailing zeros dropped, grouped from 10 000 */
        {dc_v_make(DC_T_DECIMAL, 500000000), "0,5", "0.5"},
        {dc_v_make(DC_T_DECIMAL, 12345000000), "12,345", "12.345"},
        {dc_v_make(DC_T_DECIMAL, 12 * E9), "12", "12"},
        {dc_v_make(DC_T_DECIMAL, 0), "0", "0"},
        {dc_v_make(DC_T_DECIMAL, -500000000), "-0,5", "-0.5"},
        {dc_v_make(DC_T_DECIMAL, 1), "0,000000001", "0.000000001"},
        {dc_v_make(DC_T_DECIMAL, 1234500000000), "1234,5", "1234.5"},
        {dc_v_make(DC_T_DECIMAL, 12345500000000), "12 345,5", "12,345.5"},
        {dc_v_make(DC_T_DECIMAL, 96750894400), "96,7508944", "96.7508944"},
        {dc_v_make(DC_T_DECIMAL, INT64_MIN), "-9 223 372 036,854775808", "-9,223,372,036.854775808"},
        /* rates as percentages */
        {dc_v_make(DC_T_RATE, 320000000), "32 %", "32%"},
        {dc_v_make(DC_T_RATE, 202340000), "20,234 %", "20.234%"},
        {dc_v_make(DC_T_RATE, 58800000), "5,88 %", "5.88%"},
        {dc_v_make(DC_T_RATE, 5000000), "0,5 %", "0.5%"},
        {dc_v_make(DC_T_RATE, 1140000000), "114 %", "114%"},
        {dc_v_make(DC_T_RATE, 0), "0 %", "0%"},
        {dc_v_make(DC_T_RATE, 1), "0,0000001 %", "0.0000001%"},
        {dc_v_make(DC_T_RATE, -15000000), "-1,5 %", "-1.5%"},
        /* ints: grouped from 10 000, so a year stays "2025" */
        {dc_v_make(DC_T_INT, 0), "0", "0"},
        {dc_v_make(DC_T_INT, 2025), "2025", "2025"},
        {dc_v_make(DC_T_INT, 1234), "1234", "1234"},
        {dc_v_make(DC_T_INT, 12345), "12 345", "12,345"},
        {dc_v_make(DC_T_INT, -12345), "-12 345", "-12,345"},
        {dc_v_make(DC_T_INT, 1234567), "1 234 567", "1,234,567"},
        {dc_v_make(DC_T_INT, 100000), "100 000", "100,000"},
        {dc_v_make(DC_T_INT, INT64_MIN), "-9 223 372 036 854 775 808", "-9,223,372,036,854,775,808"},
        {dc_v_make(DC_T_BOOL, 1), "oui", "yes"},
        {dc_v_make(DC_T_BOOL, 0), "non", "no"},
        /* dates: only the 1st takes "er" */
        {dc_v_make(DC_T_DATE, 20179), "1er avril 2025", "1 April 2025"},
        {dc_v_make(DC_T_DATE, 20180), "2 avril 2025", "2 April 2025"},
        {dc_v_make(DC_T_DATE, 19782), "29 février 2024", "29 February 2024"},
        {dc_v_make(DC_T_DATE, 0), "1er janvier 1970", "1 January 1970"},
        {dc_v_make(DC_T_DATE, -1), "31 décembre 1969", "31 December 1969"},
        {dc_v_make(DC_T_DATE, 11017), "1er mars 2000", "1 March 2000"},
        /* 2025-08-15 = 2025-01-01 (20089) + 226 */
        {dc_v_make(DC_T_DATE, 20315), "15 août 2025", "15 August 2025"},
        /* durations */
        {duration(12, 0), "1 an", "1 year"},
        {duration(24, 0), "2 ans", "2 years"},
        {duration(3, 0), "3 mois", "3 months"},
        {duration(1, 0), "1 mois", "1 month"},
        {duration(0, 10), "10 jours", "10 days"},
        {duration(0, 1), "1 jour", "1 day"},
        {duration(15, 0), "1 an et 3 mois", "1 year and 3 months"},
        {duration(24, 5), "2 ans et 5 jours", "2 years and 5 days"},
        {duration(15, 10), "1 an, 3 mois et 10 jours", "1 year, 3 months and 10 days"},
        {duration(0, 0), "0 jour", "0 days"},
        {duration(-3, 0), "-3 mois", "-3 months"},
        {duration(-14, -3), "-1 an, 2 mois et 3 jours", "-1 year, 2 months and 3 days"},
        {duration(2, -3), "2 mois et -3 jours", "2 months and -3 days"},
        {dc_v_make(DC_T_ENUM, 1), "dom", "dom"},
        {text("Lyon 3e"), "Lyon 3e", "Lyon 3e"},
        {dc_v_unknown(DC_T_MONEY), "inconnu", "unknown"},
        {dc_v_unknown(DC_T_BOOL), "inconnu", "unknown"},
    };
    dc_buf b;
    dc_buf_init(&b);
    for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
        for (int en = 0; en < 2; en++) {
            const char *want = en ? cases[k].en : cases[k].fr;
            dc_buf_clear(&b);
            assert_int_equal(dc_value_format(&b, cases[k].v, en ? "en" : "fr", residence_names), 0);
            if (strcmp(b.data, want) != 0) fail_msg("case %zu %s: \"%s\", expected \"%s\"", k, en ? "en" : "fr", b.data, want);
        }
    }
    /* an enum without its names still says something */
    dc_buf_clear(&b);
    assert_int_equal(dc_value_format(&b, dc_v_make(DC_T_ENUM, 3), "fr", NULL), 0);
    assert_string_equal(b.data, "#3");
    /* output is appended, not replaced */
    dc_buf_clear(&b);
    dc_buf_puts(&b, "montant : ");
    dc_value_format(&b, dc_v_make(DC_T_MONEY, 15180), "fr", NULL);
    assert_string_equal(b.data, "montant : 151,80 €");

    dc_buf_clear(&b);
    assert_int_equal(dc_date_format(&b, 20179, "fr"), 0);
    assert_string_equal(b.data, "1er avril 2025");
    dc_buf_clear(&b);
    assert_int_equal(dc_date_format(&b, 20179, "en"), 0);
    assert_string_equal(b.data, "1 April 2025");
    dc_buf_free(&b);
}

struct canon_case { dc_value v; const char *canonical, *json; };

static void test_canonical_and_json(void **state)
{
    (void)state;
    const struct canon_case cases[] = {
        {dc_v_make(DC_T_MONEY, 123456), "1234.56", "\"1234.56\""},
        {dc_v_make(DC_T_MONEY, -50), "-0.50", "\"-0.50\""},
        {dc_v_make(DC_T_MONEY, 0), "0.00", "\"0.00\""},
        {dc_v_make(DC_T_MONEY, 4500000), "45000.00", "\"45000.00\""},
        {dc_v_make(DC_T_DECIMAL, 320000000), "0.32", "\"0.32\""},
        {dc_v_make(DC_T_DECIMAL, 12 * E9), "12", "\"12\""},
        {dc_v_make(DC_T_DECIMAL, 500000000), "0.5", "\"0.5\""},
        {dc_v_make(DC_T_DECIMAL, -1), "-0.000000001", "\"-0.000000001\""},
        {dc_v_make(DC_T_DECIMAL, 12345500000000), "12345.5", "\"12345.5\""},
        {dc_v_make(DC_T_RATE, 320000000), "0.32", "\"0.32\""},
        {dc_v_make(DC_T_RATE, 1140000000), "1.14", "\"1.14\""},
        {dc_v_make(DC_T_RATE, 202340000), "0.20234", "\"0.20234\""},
        {dc_v_make(DC_T_INT, 12), "12", "12"},
        {dc_v_make(DC_T_INT, -7), "-7", "-7"},
        {dc_v_make(DC_T_INT, 123456), "123456", "123456"},
        {dc_v_make(DC_T_INT, INT64_MIN), "-9223372036854775808", "-9223372036854775808"},
        {dc_v_make(DC_T_BOOL, 1), "true", "true"},
        {dc_v_make(DC_T_BOOL, 0), "false", "false"},
        {dc_v_make(DC_T_DATE, 20179), "2025-04-01", "\"2025-04-01\""},
        {dc_v_make(DC_T_DATE, -719162), "0001-01-01", "\"0001-01-01\""},
        {duration(14, 3), "P14M3D", "\"P14M3D\""},
        {duration(0, 0), "P0D", "\"P0D\""},
        {duration(14, 0), "P14M", "\"P14M\""},
        {duration(0, 3), "P3D", "\"P3D\""},
        {duration(-14, -3), "-P14M3D", "\"-P14M3D\""},
        {duration(2, -3), "P2M-3D", "\"P2M-3D\""},
        {dc_v_make(DC_T_ENUM, 2), "mayotte", "\"mayotte\""},
        {text("a\"b\\c"), "a\"b\\c", "\"a\\\"b\\\\c\""},
        {text("été"), "été", "\"été\""},
        {dc_v_unknown(DC_T_MONEY), "", "null"},
        {dc_v_unknown(DC_T_INT), "", "null"},
    };
    dc_buf b;
    dc_buf_init(&b);
    for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
        dc_buf_clear(&b);
        assert_int_equal(dc_value_canonical(&b, cases[k].v, residence_names), 0);
        assert_non_null(b.data);
        if (strcmp(b.data, cases[k].canonical) != 0)
            fail_msg("case %zu canonical: \"%s\", expected \"%s\"", k, b.data, cases[k].canonical);
        dc_buf_clear(&b);
        assert_int_equal(dc_value_json(&b, cases[k].v, residence_names), 0);
        if (strcmp(b.data, cases[k].json) != 0)
            fail_msg("case %zu json: %s, expected %s", k, b.data, cases[k].json);
    }
    dc_buf_free(&b);
}

/* The canonical text of a parsed literal parses back to the same value. */
static void test_round_trip(void **state)
{
    (void)state;
    static const struct { dc_type_kind type; const char *text; } cases[] = {
        {DC_T_MONEY, "466.44"}, {DC_T_MONEY, "-0.05"}, {DC_T_MONEY, "92233720368547758.07"},
        {DC_T_DECIMAL, "0.000000001"}, {DC_T_DECIMAL, "-9223372036.854775808"},
        {DC_T_RATE, "0.20234"}, {DC_T_INT, "-9223372036854775808"}, {DC_T_DATE, "2024-02-29"},
        {DC_T_DATE, "9999-12-31"}, {DC_T_BOOL, "false"},
    };
    dc_buf b;
    dc_buf_init(&b);
    for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
        dc_value v, w;
        assert_int_equal(dc_parse_typed(cases[k].type, cases[k].text, strlen(cases[k].text), &v), DC_VOK);
        dc_buf_clear(&b);
        assert_int_equal(dc_value_canonical(&b, v, NULL), 0);
        assert_string_equal(b.data, cases[k].text);
        assert_int_equal(dc_parse_typed(cases[k].type, b.data, b.len, &w), DC_VOK);
        assert_true(dc_value_equal(v, w));
    }
    dc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_i64_checked),
        cmocka_unit_test(test_dec_mul_div),
        cmocka_unit_test(test_dec_round),
        cmocka_unit_test(test_dec_conversions),
        cmocka_unit_test(test_dossier_examples),
        cmocka_unit_test(test_dec_mul_fast_path),
        cmocka_unit_test(test_money_mul_fast_path),
        cmocka_unit_test(test_div_int_fast_path),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_decimal),
        cmocka_unit_test(test_parse_money),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_parse_typed),
        cmocka_unit_test(test_date_known_days),
        cmocka_unit_test(test_date_every_day),
        cmocka_unit_test(test_date_march_paths),
        cmocka_unit_test(test_date_add),
        cmocka_unit_test(test_date_age),
        cmocka_unit_test(test_date_age_against_ymd),
        cmocka_unit_test(test_num_cmp),
        cmocka_unit_test(test_value_equal),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_canonical_and_json),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
