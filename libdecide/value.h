/* value.h — typed exact values and their arithmetic, parsing and formatting.
 *
 * Representation (decided once; the language reference §3 documents it for authors):
 *   bool      u.i = 0 / 1
 *   int       u.i = the integer
 *   decimal   u.i = value × 10^9 (DC_DEC_SCALE): 9 exact fractional digits, range ±9.2e9
 *   rate      same as decimal (0.32 for "32 %"); only display differs
 *   money     u.i = cents
 *   date      u.i = days since 1970-01-01, proleptic Gregorian (year 1..9999)
 *   duration  u.i = months, aux = days
 *   enum      u.i = index into the declaring input's values
 *   text      u.s = NUL-terminated UTF-8 owned by an arena
 * No binary floating point anywhere. Every operation that can overflow is checked and
 * returns DC_VERR_OVERFLOW; division by zero returns DC_VERR_DIVZERO; nothing wraps.
 * Rounding is always explicit in the function name: *_half_away or *_trunc.
 *
 * "Unknown" is not a value of this module: the evaluator pairs a dc_value with the
 * reasons it is unknown (eval.h). The `known` flag is kept here so that a plain value
 * can say "no value", and so that a later interval representation (lo/hi bounds for
 * unknown numbers, value sets for unknown enums) can grow from it. */
#ifndef DC_VALUE_H
#define DC_VALUE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

#define DC_TYPES(X) \
    X(BOOL, "bool") X(INT, "int") X(DECIMAL, "decimal") X(RATE, "rate") \
    X(MONEY, "money") X(DATE, "date") X(DURATION, "duration") X(ENUM, "enum") \
    X(TEXT, "text") X(LIST, "list")

typedef enum dc_type_kind {
#define X(name, str) DC_T_##name,
    DC_TYPES(X)
#undef X
    DC_T_COUNT_
} dc_type_kind;

const char *dc_type_name(dc_type_kind t);
/* A decimal or a rate: one scale (10^-9), one representation of the payload. */
static inline bool dc_type_decimalish(int t) { return t == DC_T_DECIMAL || t == DC_T_RATE; }
/* DC_T_COUNT_ when the name is not a type. */
dc_type_kind dc_type_from_name(const char *name);

#define DC_DEC_SCALE INT64_C(1000000000)
#define DC_DEC_DIGITS 9

typedef struct dc_value {
    uint8_t type;    /* dc_type_kind */
    uint8_t known;   /* 1 known, 0 no value */
    uint16_t pad_;
    int32_t aux;     /* duration: days */
    union { int64_t i; const char *s; } u;
} dc_value;

enum { DC_VOK = 0, DC_VERR_OVERFLOW = -1, DC_VERR_DIVZERO = -2, DC_VERR_SYNTAX = -3,
       DC_VERR_PRECISION = -4, DC_VERR_RANGE = -5 };

/* The unknown value of each type. An unknown is copied from here whole: built field by
 * field, the compiler stores the type byte and then reloads the 16 bytes at once, a
 * store-forwarding stall on every unknown (half of a REVIEW's rule walking once). */
extern const dc_value dc_unknown_of[DC_T_COUNT_];
static inline dc_value dc_v_unknown(dc_type_kind t) { return dc_unknown_of[t]; }
static inline dc_value dc_v_make(dc_type_kind t, int64_t i) { dc_value v = {0}; v.type = (uint8_t)t; v.known = 1; v.u.i = i; return v; }

/* ---- checked integer arithmetic (0 ok, DC_VERR_OVERFLOW) ----
 * The few operations every evaluation runs many times are inline here: these three,
 * money × decimal, rounding to cents and age_at (their slow paths stay in value.c). */
static inline int dc_i64_add(int64_t a, int64_t b, int64_t *out)
{
    return __builtin_add_overflow(a, b, out) ? DC_VERR_OVERFLOW : DC_VOK;
}
static inline int dc_i64_sub(int64_t a, int64_t b, int64_t *out)
{
    return __builtin_sub_overflow(a, b, out) ? DC_VERR_OVERFLOW : DC_VOK;
}
static inline int dc_i64_mul(int64_t a, int64_t b, int64_t *out)
{
    return __builtin_mul_overflow(a, b, out) ? DC_VERR_OVERFLOW : DC_VOK;
}

/* n / d rounded half away from zero, for a divisor 0 < d <= 2^62 (the callers pass
 * constants, so the division becomes a multiplication). C division truncates toward
 * zero, so the remainder has the sign of n and the quotient only ever moves away from
 * zero: |r| < d, so 2|r| cannot overflow, and |q| <= |n| / d, so adding ±1 cannot
 * either when d >= 2. */
static inline int64_t dc_div_half_away64(int64_t n, int64_t d)
{
    int64_t q = n / d, r = n % d;
    if (2 * (r < 0 ? -r : r) >= d) q += n < 0 ? -1 : 1;
    return q;
}

/* ---- decimals (scaled by 10^9) ---- */
/* a*b/10^9 rounded half away from zero */
int dc_dec_mul(int64_t a, int64_t b, int64_t *out);
/* money × decimal: dc_dec_mul(cents × 10^7, x) with the same value and the same errors
 * (DC_VERR_OVERFLOW also when cents × 10^7 does not fit), computed in 64 bits when it
 * can: cents×10^7 × x / 10^9 = cents × x / 100, the same rational rounded by the same
 * rule, and |cents×x/100| < |cents×x| is in range whenever the product fits */
static inline int dc_dec_mul_cents(int64_t cents, int64_t x, int64_t *out)
{
    int64_t s, p;
    if (__builtin_mul_overflow(cents, DC_DEC_SCALE / 100, &s)) return DC_VERR_OVERFLOW;
    if (!__builtin_mul_overflow(cents, x, &p)) {
        *out = dc_div_half_away64(p, 100);
        return DC_VOK;
    }
    return dc_dec_mul(s, x, out);
}
/* a*10^9/b rounded half away from zero; DC_VERR_DIVZERO when b == 0 */
int dc_dec_div(int64_t a, int64_t b, int64_t *out);
/* decimal ÷ int: dc_dec_div(a, n × 10^9) with the same value and the same errors
 * (DC_VERR_OVERFLOW also when n × 10^9 does not fit), in 64 bits */
int dc_dec_div_int(int64_t a, int64_t n, int64_t *out);
/* round a scaled decimal to `places` (0..9) fractional digits */
int dc_dec_round_half_away(int64_t a, int places, int64_t *out);
int dc_dec_round_trunc(int64_t a, int places, int64_t *out);
int dc_dec_from_int(int64_t i, int64_t *out);
int dc_dec_from_cents(int64_t cents, int64_t *out);
/* scaled decimal (euros) -> cents */
static inline int dc_dec_to_cents_half_away(int64_t dec, int64_t *cents)
{
    *cents = dc_div_half_away64(dec, DC_DEC_SCALE / 100);
    return DC_VOK;
}
int dc_dec_to_cents_trunc(int64_t dec, int64_t *cents);
/* decimal -> integer, half away from zero */
int dc_dec_to_int_half_away(int64_t dec, int64_t *out);

/* ---- parsing exact text (no locale, no floating point) ----
 * Accepted: optional '-', digits, optional '.' and digits. No exponent, no spaces.
 * More fractional digits than the type holds -> DC_VERR_PRECISION (never rounded). */
int dc_parse_int(const char *s, size_t n, int64_t *out);
int dc_parse_decimal(const char *s, size_t n, int64_t *out);   /* up to 9 fractional digits */
int dc_parse_money(const char *s, size_t n, int64_t *cents);   /* up to 2 fractional digits */
/* "YYYY-MM-DD", a real calendar day in years 0001..9999 */
int dc_parse_date(const char *s, size_t n, int32_t *days);

/* A literal of type t as written in a parameter table or an XML case record:
 * bool "true"/"false", int, decimal, rate "32 %" / "32%" / "0.32" (a bare number is the
 * fraction), money "466.44" / "466.44 €", date "YYYY-MM-DD". Surrounding spaces are
 * ignored. Enum and text are the caller's business. */
int dc_parse_typed(dc_type_kind t, const char *s, size_t n, dc_value *out);

/* ---- dates (days since 1970-01-01) ---- */
int32_t dc_date_from_ymd(int y, int m, int d);      /* caller ensures a valid date */
void    dc_date_to_ymd(int32_t days, int *y, int *m, int *d);
bool    dc_date_valid_ymd(int y, int m, int d);
int     dc_date_add_months(int32_t days, int64_t months, int32_t *out); /* clamps to month end */
int     dc_date_add_days(int32_t days, int64_t n, int32_t *out);
/* The year that starts on 1 March, and the day in it, 0 = 1 March … 305 = 31 December,
 * 306 = 1 January … 365 = 29 February: the leap day being last, the day number of a
 * (month, day) is the same in every year. dc_date_march_wide: any int32 day (Hinnant's
 * era arithmetic). */
void dc_date_march_wide(int32_t days, int64_t *year, int64_t *doy);
static inline void dc_date_march(int32_t days, int64_t *year, int64_t *doy)
{
    int64_t z = (int64_t)days + 719468;
    if (z < 0 || z >= INT64_C(1) << 30) {
        dc_date_march_wide(days, year, doy);
        return;
    }
    /* Every date from year 0 on (all the dates a value can hold), with Neri and
     * Schneider's multiplications (2021): with n = 4z + 3, n / 146097 is the century
     * and n mod 146097 four times the day in it, plus 3 or less; made exactly 4 × day
     * + 3 (| 3), times 2939745 (2^32 / 1461 rounded down: 1461 days to 4 years), the
     * high 32 bits are the year in the century and the low ones, divided by 4 ×
     * 2939745, the day in the year. The test walks every day of years 1 to 9999. */
    uint32_t n = 4 * (uint32_t)z + 3;
    uint64_t p = UINT64_C(2939745) * ((n % 146097) | 3);
    *year = 100 * (int64_t)(n / 146097) + (int64_t)(p >> 32);
    *doy = (uint32_t)p / 11758980;
}

/* Completed years at `at`: the difference of the years, less one when (month, day) at
 * `at` comes before (month, day) of the birth. That comparison gives the legal rule for
 * free: a 29 February birthday is not reached on 28 February of a common year, and is
 * passed on 1 March. Before the birth date the result is negative.
 * It is computed on years starting on 1 March, without months and days: with Y, D the
 * shifted year and day (dc_date_march), the calendar year is Y + [D >= 306] and
 * the (month, day) order is the order of D rotated to start on 1 January (D - 306 for
 * January and February, D + 60 from March). When both dates fall in the same part
 * (January–February or March–December) the year corrections cancel and the rotation
 * keeps the order; when `at` is in January–February and the birth in March–December,
 * +1 on the year and "before the birthday" cancel, while D_at > D_birth; the other way
 * round, -1 on the year stands for "before the birthday", and D_at < D_birth. In every
 * case: age = Y_at - Y_birth - [D_at < D_birth]. */
static inline int64_t dc_date_age(int32_t birth, int32_t at)
{
    int64_t by, bd, ay, ad;
    dc_date_march(birth, &by, &bd);
    dc_date_march(at, &ay, &ad);
    return ay - by - (ad < bd);
}

int32_t dc_date_first_of_month(int32_t days);
int     dc_date_first_of_next_month(int32_t days, int32_t *out);

/* ---- comparison and equality ---- */
/* Numeric comparison across int/decimal/rate/money (money in euros): -1, 0, 1. */
int  dc_num_cmp(dc_value a, dc_value b);
/* Same type and same content (texts by bytes). Unknown equals nothing. */
bool dc_value_equal(dc_value a, dc_value b);

/* ---- formatting ----
 * lang: "fr" or "en". `enum_names` (may be NULL) maps enum indexes to their names.
 *   fr: 1 234,56 €   32 %   20,234 %   0,5   1er avril 2025   2 avril 2025   oui/non
 *   en: €1,234.56    32%    20.234%    0.5   1 April 2025                   yes/no
 * Decimals drop trailing zeros; money always shows 2 decimals. Digit groups and the
 * space before "€" / "%" are plain spaces (U+0020): golden files stay readable and
 * letters are re-flowed by the caller's word processor anyway.
 * Unknown values format as "inconnu" / "unknown". */
int dc_value_format(dc_buf *out, dc_value v, const char *lang, const char *const *enum_names);
/* Canonical machine form (JSON strings/numbers): money "1234.56", decimal "0.5",
 * rate "0.32", date "2025-04-01", int 12, duration "P14M3D" (ISO 8601), enum its name.
 * JSON syntax: strings quoted; money/decimal/rate as JSON strings (exactness); ints and
 * bools bare, unknown as null. */
int dc_value_json(dc_buf *out, dc_value v, const char *const *enum_names);
/* Plain canonical text without JSON quoting (same forms as dc_value_json). */
int dc_value_canonical(dc_buf *out, dc_value v, const char *const *enum_names);
/* Date in words: "1er avril 2025" / "1 April 2025". */
int dc_date_format(dc_buf *out, int32_t days, const char *lang);
#endif
