/* value.c — exact typed values: checked int64 and 10^-9 fixed-point arithmetic,
 * strict parsing of literals, proleptic Gregorian date arithmetic, and the three
 * renderings of a value (words for letters, canonical text, JSON). See value.h. */
#include "value.h"
#include <string.h>

const dc_value dc_unknown_of[DC_T_COUNT_] = {
#define X(name, str) { DC_T_##name, 0, 0, 0, { 0 } },
    DC_TYPES(X)
#undef X
};

/* __int128 is a GNU extension; __extension__ keeps -pedantic builds quiet. */
__extension__ typedef __int128 i128;

/* ------------------------------------------------------------------ type names */

static const char *const type_names[] = {
#define X(name, str) str,
    DC_TYPES(X)
#undef X
};

const char *dc_type_name(dc_type_kind t)
{
    return (unsigned)t < (unsigned)DC_T_COUNT_ ? type_names[t] : "?";
}

dc_type_kind dc_type_from_name(const char *name)
{
    if (!name) return DC_T_COUNT_;
    for (int t = 0; t < DC_T_COUNT_; t++)
        if (strcmp(type_names[t], name) == 0) return (dc_type_kind)t;
    return DC_T_COUNT_;
}

/* ------------------------------------------------------------------ checked integers */

/* dc_i64_add, dc_i64_sub, dc_i64_mul: inline in value.h */

/* ------------------------------------------------------------------ decimals */

static const int64_t pow10_tab[19] = {
    INT64_C(1), INT64_C(10), INT64_C(100), INT64_C(1000), INT64_C(10000),
    INT64_C(100000), INT64_C(1000000), INT64_C(10000000), INT64_C(100000000),
    INT64_C(1000000000), INT64_C(10000000000), INT64_C(100000000000),
    INT64_C(1000000000000), INT64_C(10000000000000), INT64_C(100000000000000),
    INT64_C(1000000000000000), INT64_C(10000000000000000),
    INT64_C(100000000000000000), INT64_C(1000000000000000000),
};

static int from_i128(i128 v, int64_t *out)
{
    if (v > INT64_MAX || v < INT64_MIN) return DC_VERR_OVERFLOW;
    *out = (int64_t)v;
    return DC_VOK;
}

/* n / d rounded half away from zero. C division truncates toward zero, so the
 * remainder has the sign of n and the quotient only ever moves away from zero. */
static i128 div_half_away(i128 n, i128 d)
{
    i128 q = n / d, r = n % d;
    i128 ar = r < 0 ? -r : r, ad = d < 0 ? -d : d;
    if (2 * ar >= ad) q += ((n < 0) != (d < 0)) ? -1 : 1;
    return q;
}

/* The same rounding in 64 bits: dc_div_half_away64 (value.h). */

int dc_dec_mul(int64_t a, int64_t b, int64_t *out)
{
    /* When a*b fits in 64 bits, so does a*b/10^9: no 128-bit division (__divmodti4). */
    int64_t p;
    if (!__builtin_mul_overflow(a, b, &p)) {
        *out = dc_div_half_away64(p, DC_DEC_SCALE);
        return DC_VOK;
    }
    /* |a*b| <= 2^126 fits in a signed 128-bit integer */
    return from_i128(div_half_away((i128)a * b, DC_DEC_SCALE), out);
}

int dc_dec_div(int64_t a, int64_t b, int64_t *out)
{
    if (b == 0) return DC_VERR_DIVZERO;
    return from_i128(div_half_away((i128)a * DC_DEC_SCALE, b), out);
}

int dc_dec_div_int(int64_t a, int64_t n, int64_t *out)
{
    int64_t s;
    int rc = dc_dec_from_int(n, &s);   /* n as a decimal: |n| < 2^34 from here on */
    if (rc != DC_VOK) return rc;
    if (n == 0) return DC_VERR_DIVZERO;
    /* a×10^9 / (n×10^9) = a / n: the same rational, rounded by the same rule. |a / n|
     * <= |a| fits but for INT64_MIN / -1; 2|r| < 2|n| cannot overflow, and the ±1 only
     * moves a quotient of |n| >= 2, at most 2^62 */
    if (a == INT64_MIN && n == -1) return DC_VERR_OVERFLOW;
    int64_t q = a / n, r = a % n;
    if (2 * (r < 0 ? -r : r) >= (n < 0 ? -n : n)) q += (a < 0) != (n < 0) ? -1 : 1;
    *out = q;
    return DC_VOK;
}

int dc_dec_round_half_away(int64_t a, int places, int64_t *out)
{
    if (places < 0 || places > DC_DEC_DIGITS) return DC_VERR_RANGE;
    int64_t unit = pow10_tab[DC_DEC_DIGITS - places];
    /* rounding up can leave the int64 range near its ends */
    return from_i128(div_half_away(a, unit) * unit, out);
}

int dc_dec_round_trunc(int64_t a, int places, int64_t *out)
{
    if (places < 0 || places > DC_DEC_DIGITS) return DC_VERR_RANGE;
    *out = a - a % pow10_tab[DC_DEC_DIGITS - places];
    return DC_VOK;
}

int dc_dec_from_int(int64_t i, int64_t *out) { return dc_i64_mul(i, DC_DEC_SCALE, out); }

int dc_dec_from_cents(int64_t cents, int64_t *out)
{
    return dc_i64_mul(cents, DC_DEC_SCALE / 100, out);
}

int dc_dec_to_cents_trunc(int64_t dec, int64_t *cents)
{
    *cents = dec / (DC_DEC_SCALE / 100);
    return DC_VOK;
}

int dc_dec_to_int_half_away(int64_t dec, int64_t *out)
{
    *out = dc_div_half_away64(dec, DC_DEC_SCALE);
    return DC_VOK;
}

/* ------------------------------------------------------------------ parsing */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Fixed-point literal "[-]digits[.digits]" with at most `max_frac` fractional digits,
 * returned multiplied by 10^scale (scale >= max_frac). Digits are accumulated as a
 * negative number so that INT64_MIN itself is reachable, and every step is checked.
 * Syntax is checked on the whole text before precision, precision before range, so
 * the error names the first thing wrong with the literal as a person would read it.
 * The precision limit counts written digits: "1.000" is not money even though it is
 * worth a whole number of cents, because the author wrote something the type cannot
 * hold (LANGUAGE.md §3). */
static int parse_fixed(const char *s, size_t n, int max_frac, int scale, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (!s) return DC_VERR_SYNTAX;
    if (i < n && s[i] == '-') { neg = true; i++; }
    size_t int_start = i;
    while (i < n && is_digit(s[i])) i++;
    size_t int_end = i, frac_start = i, frac_end = i;
    if (int_end == int_start) return DC_VERR_SYNTAX;
    if (i < n && s[i] == '.') {
        frac_start = ++i;
        while (i < n && is_digit(s[i])) i++;
        frac_end = i;
        if (frac_end == frac_start) return DC_VERR_SYNTAX;
    }
    if (i != n) return DC_VERR_SYNTAX;
    int nfrac = (int)(frac_end - frac_start);
    if (nfrac > max_frac) return DC_VERR_PRECISION;

    int64_t acc = 0;
    for (size_t k = int_start; k < frac_end; k++) {
        if (k == int_end) continue;   /* the '.' */
        if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, s[k] - '0', &acc))
            return DC_VERR_OVERFLOW;
    }
    if (__builtin_mul_overflow(acc, pow10_tab[scale - nfrac], &acc)) return DC_VERR_OVERFLOW;
    if (!neg) {
        if (acc == INT64_MIN) return DC_VERR_OVERFLOW;
        acc = -acc;
    }
    *out = acc;
    return DC_VOK;
}

int dc_parse_int(const char *s, size_t n, int64_t *out) { return parse_fixed(s, n, 0, 0, out); }

int dc_parse_decimal(const char *s, size_t n, int64_t *out)
{
    return parse_fixed(s, n, DC_DEC_DIGITS, DC_DEC_DIGITS, out);
}

int dc_parse_money(const char *s, size_t n, int64_t *cents) { return parse_fixed(s, n, 2, 2, cents); }

static int digits_value(const char *s, int count)
{
    int v = 0;
    for (int k = 0; k < count; k++) v = v * 10 + (s[k] - '0');
    return v;
}

int dc_parse_date(const char *s, size_t n, int32_t *days)
{
    if (!s || n != 10 || s[4] != '-' || s[7] != '-') return DC_VERR_SYNTAX;
    for (size_t k = 0; k < n; k++)
        if (k != 4 && k != 7 && !is_digit(s[k])) return DC_VERR_SYNTAX;
    int y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
    if (!dc_date_valid_ymd(y, m, d)) return DC_VERR_RANGE;
    *days = dc_date_from_ymd(y, m, d);
    return DC_VOK;
}

/* ASCII white space around a whole literal (an XML text node often carries newlines
 * and indentation around the value). */
static bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void trim_ascii(const char **s, size_t *n)
{
    while (*n > 0 && is_ascii_space(**s)) { (*s)++; (*n)--; }
    while (*n > 0 && is_ascii_space((*s)[*n - 1])) (*n)--;
}

/* Between a number and its unit people write a space, a no-break space (U+00A0) or
 * a narrow no-break space (U+202F, the French typographic one): all three are
 * accepted, and only there. */
static void trim_unit_space(const char *s, size_t *n)
{
    for (;;) {
        if (*n >= 1 && s[*n - 1] == ' ') *n -= 1;
        else if (*n >= 2 && memcmp(s + *n - 2, "\xC2\xA0", 2) == 0) *n -= 2;
        else if (*n >= 3 && memcmp(s + *n - 3, "\xE2\x80\xAF", 3) == 0) *n -= 3;
        else return;
    }
}

static bool strip_suffix(const char *s, size_t *n, const char *suffix)
{
    size_t k = strlen(suffix);
    if (*n < k || memcmp(s + *n - k, suffix, k) != 0) return false;
    *n -= k;
    return true;
}

int dc_parse_typed(dc_type_kind t, const char *s, size_t n, dc_value *out)
{
    if (!s) return DC_VERR_SYNTAX;
    trim_ascii(&s, &n);
    int64_t v = 0;
    int rc;
    switch (t) {
    case DC_T_BOOL:
        if (n == 4 && memcmp(s, "true", 4) == 0) v = 1;
        else if (n == 5 && memcmp(s, "false", 5) == 0) v = 0;
        else return DC_VERR_SYNTAX;
        rc = DC_VOK;
        break;
    case DC_T_INT: rc = dc_parse_int(s, n, &v); break;
    case DC_T_DECIMAL: rc = dc_parse_decimal(s, n, &v); break;
    case DC_T_RATE:
        if (strip_suffix(s, &n, "%")) {
            trim_unit_space(s, &n);
            /* p % = p/100: percent text with 7 fractional digits is exact at 10^-9 */
            rc = parse_fixed(s, n, DC_DEC_DIGITS - 2, DC_DEC_DIGITS - 2, &v);
        } else {
            rc = dc_parse_decimal(s, n, &v);
        }
        break;
    case DC_T_MONEY:
        if (strip_suffix(s, &n, "\xE2\x82\xAC") || strip_suffix(s, &n, "EUR")) trim_unit_space(s, &n);
        rc = dc_parse_money(s, n, &v);
        break;
    case DC_T_DATE: {
        int32_t d = 0;
        rc = dc_parse_date(s, n, &d);
        v = d;
        break;
    }
    default:
        /* enum and text need the declaring input; duration and list have no literal */
        return DC_VERR_SYNTAX;
    }
    if (rc != DC_VOK) return rc;
    *out = dc_v_make(t, v);
    return DC_VOK;
}

/* ------------------------------------------------------------------ dates */

/* Year 1..9999 as days since 1970-01-01: the range every date value must stay in. */
#define DATE_MIN INT32_C(-719162)   /* 0001-01-01 */
#define DATE_MAX INT32_C(2932896)   /* 9999-12-31 */

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

bool dc_date_valid_ymd(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Howard Hinnant's days_from_civil: the year is shifted to start on 1 March so the
 * leap day is the last day of the shifted year; 400-year eras have 146097 days. */
int32_t dc_date_from_ymd(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;   /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);
}

/* dc_date_march for any day (value.h): Hinnant's civil_from_days up to the shifted
 * year. */
void dc_date_march_wide(int32_t days, int64_t *year, int64_t *doy)
{
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    /* era is the floor of z / 146097, so the rest fits in 32 unsigned bits, as in
     * Hinnant's text, and the divisions by constants need no sign fix-up */
    uint32_t doe = (uint32_t)(z - era * 146097);                          /* [0, 146096] */
    uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
    *doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                       /* [0, 365] */
    *year = yoe + era * 400;
}

void dc_date_to_ymd(int32_t days, int *y, int *m, int *d)
{
    int64_t my, doy;
    dc_date_march(days, &my, &doy);
    int64_t mp = (5 * doy + 2) / 153;
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = mm;
    *y = (int)(my + (mm <= 2));
}

int dc_date_add_months(int32_t days, int64_t months, int32_t *out)
{
    int y, m, d;
    dc_date_to_ymd(days, &y, &m, &d);
    /* month index since year 0; anything beyond ±10^6 months is out of range anyway */
    if (months > 1000000 || months < -1000000) return DC_VERR_RANGE;
    int64_t idx = (int64_t)y * 12 + (m - 1) + months;
    if (idx < 12 || idx > 9999 * 12 + 11) return DC_VERR_RANGE;
    int ny = (int)(idx / 12), nm = (int)(idx % 12) + 1;
    int last = days_in_month(ny, nm);
    *out = dc_date_from_ymd(ny, nm, d > last ? last : d);
    return DC_VOK;
}

int dc_date_add_days(int32_t days, int64_t n, int32_t *out)
{
    int64_t r;
    if (__builtin_add_overflow((int64_t)days, n, &r) || r < DATE_MIN || r > DATE_MAX)
        return DC_VERR_RANGE;
    *out = (int32_t)r;
    return DC_VOK;
}

int32_t dc_date_first_of_month(int32_t days)
{
    int y, m, d;
    dc_date_to_ymd(days, &y, &m, &d);
    return days - (d - 1);
}

int dc_date_first_of_next_month(int32_t days, int32_t *out)
{
    int y, m, d;
    dc_date_to_ymd(days, &y, &m, &d);
    if (m == 12) { y++; m = 1; } else m++;
    if (y > 9999) return DC_VERR_RANGE;
    *out = dc_date_from_ymd(y, m, 1);
    return DC_VOK;
}

/* ------------------------------------------------------------------ comparison */

/* Every numeric type brought to euros (or units) × 10^9; in 128 bits nothing overflows. */
static i128 scaled_1e9(dc_value v)
{
    switch (v.type) {
    case DC_T_INT: return (i128)v.u.i * DC_DEC_SCALE;
    case DC_T_MONEY: return (i128)v.u.i * (DC_DEC_SCALE / 100);
    default: return v.u.i;
    }
}

int dc_num_cmp(dc_value a, dc_value b)
{
    i128 x = scaled_1e9(a), y = scaled_1e9(b);
    return x < y ? -1 : x > y;
}

bool dc_value_equal(dc_value a, dc_value b)
{
    if (!a.known || !b.known || a.type != b.type) return false;
    switch (a.type) {
    case DC_T_TEXT:
        if (!a.u.s || !b.u.s) return a.u.s == b.u.s;
        return strcmp(a.u.s, b.u.s) == 0;
    case DC_T_DURATION: return a.u.i == b.u.i && a.aux == b.aux;
    default: return a.u.i == b.u.i;
    }
}

/* ------------------------------------------------------------------ formatting */

static const char *const month_fr[12] = {
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
};
static const char *const month_en[12] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
};

static bool lang_is_en(const char *lang) { return lang && lang[0] == 'e' && lang[1] == 'n'; }

/* |v| without negating INT64_MIN in signed arithmetic */
static uint64_t magnitude(int64_t v) { return v < 0 ? (uint64_t)(-(v + 1)) + 1u : (uint64_t)v; }

/* Digit grouping. French typography (and the usual English style) leaves a 4-digit
 * number whole — "2025", "1500" — and groups from 10 000 up; amounts of money are
 * grouped from 1 000 up ("1 234,56 €") as on every payment letter. So counts and
 * decimals use GROUP_FROM_NUMBER, money GROUP_FROM_MONEY. */
enum { GROUP_FROM_NUMBER = 5, GROUP_FROM_MONEY = 4, GROUP_NEVER = 99 };

static void put_uint_grouped(dc_buf *b, uint64_t v, const char *sep, int group_from)
{
    char digits[24];
    int n = 0;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (int k = n - 1; k >= 0; k--) {
        dc_buf_putc(b, digits[k]);
        if (n >= group_from && k > 0 && k % 3 == 0) dc_buf_puts(b, sep);
    }
}

/* Unsigned fixed-point magnitude `mag` / 10^frac_digits. Fractional trailing zeros
 * are dropped unless keep_frac (money always shows its cents). */
static void put_fixed(dc_buf *b, uint64_t mag, int frac_digits, bool keep_frac, char point,
                      const char *sep, int group_from)
{
    uint64_t unit = (uint64_t)pow10_tab[frac_digits];
    put_uint_grouped(b, mag / unit, sep, group_from);
    uint64_t frac = mag % unit;
    int len = frac_digits;
    if (!keep_frac)
        while (len > 0 && frac % 10 == 0) { frac /= 10; len--; }
    if (len == 0) return;
    char digits[24];
    for (int k = len - 1; k >= 0; k--) { digits[k] = (char)('0' + frac % 10); frac /= 10; }
    dc_buf_putc(b, point);
    dc_buf_append(b, digits, (size_t)len);
}

static void put_sign(dc_buf *b, int64_t v) { if (v < 0) dc_buf_putc(b, '-'); }

static void format_date(dc_buf *b, int32_t days, bool en)
{
    int y, m, d;
    dc_date_to_ymd(days, &y, &m, &d);
    if (en) dc_buf_printf(b, "%d %s %d", d, month_en[m - 1], y);
    else dc_buf_printf(b, "%d%s %s %d", d, d == 1 ? "er" : "", month_fr[m - 1], y);
}

/* One duration component; French nouns are singular for 0 and 1, English for 1 only. */
static void put_duration_part(dc_buf *b, bool neg, uint64_t mag, int unit, bool en)
{
    static const char *const fr_one[3] = {"an", "mois", "jour"};
    static const char *const fr_many[3] = {"ans", "mois", "jours"};
    static const char *const en_one[3] = {"year", "month", "day"};
    static const char *const en_many[3] = {"years", "months", "days"};
    if (neg) dc_buf_putc(b, '-');
    put_uint_grouped(b, mag, en ? "," : " ", GROUP_FROM_NUMBER);
    dc_buf_putc(b, ' ');
    if (en) dc_buf_puts(b, mag == 1 ? en_one[unit] : en_many[unit]);
    else dc_buf_puts(b, mag <= 1 ? fr_one[unit] : fr_many[unit]);
}

/* "1 an, 3 mois et 10 jours" / "1 year, 3 months and 10 days": months are split into
 * whole years and remaining months; zero components are left out; an all-zero
 * duration is "0 jour" / "0 days". A negative duration (no positive component) is
 * written with one leading '-'; mixed signs show each component's own sign. */
static void format_duration(dc_buf *b, int64_t months, int64_t days, bool en)
{
    bool all_neg = months <= 0 && days <= 0 && (months < 0 || days < 0);
    if (all_neg) dc_buf_putc(b, '-');
    uint64_t mm = magnitude(months);
    struct { bool neg; uint64_t mag; } parts[3] = {
        {!all_neg && months < 0, mm / 12},
        {!all_neg && months < 0, mm % 12},
        {!all_neg && days < 0, magnitude(days)},
    };
    int count = 0, written = 0;
    for (int k = 0; k < 3; k++) count += parts[k].mag != 0;
    if (count == 0) { put_duration_part(b, false, 0, 2, en); return; }
    for (int k = 0; k < 3; k++) {
        if (parts[k].mag == 0) continue;
        if (written > 0) dc_buf_puts(b, written == count - 1 ? (en ? " and " : " et ") : ", ");
        put_duration_part(b, parts[k].neg, parts[k].mag, k, en);
        written++;
    }
}

static int buf_status(const dc_buf *b) { return b->failed ? -1 : 0; }

int dc_date_format(dc_buf *out, int32_t days, const char *lang)
{
    format_date(out, days, lang_is_en(lang));
    return buf_status(out);
}

static void put_enum(dc_buf *b, int64_t index, const char *const *enum_names)
{
    if (enum_names && index >= 0) dc_buf_puts(b, enum_names[index]);
    else dc_buf_printf(b, "#%lld", (long long)index);
}

int dc_value_format(dc_buf *out, dc_value v, const char *lang, const char *const *enum_names)
{
    bool en = lang_is_en(lang);
    const char *group_sep = en ? "," : " ";
    char point = en ? '.' : ',';
    if (!v.known) {
        dc_buf_puts(out, en ? "unknown" : "inconnu");
        return buf_status(out);
    }
    switch (v.type) {
    case DC_T_BOOL: dc_buf_puts(out, v.u.i ? (en ? "yes" : "oui") : (en ? "no" : "non")); break;
    case DC_T_INT:
        put_sign(out, v.u.i);
        put_uint_grouped(out, magnitude(v.u.i), group_sep, GROUP_FROM_NUMBER);
        break;
    case DC_T_DECIMAL:
        put_sign(out, v.u.i);
        put_fixed(out, magnitude(v.u.i), DC_DEC_DIGITS, false, point, group_sep, GROUP_FROM_NUMBER);
        break;
    case DC_T_RATE:
        /* a fraction × 10^9 is a percentage × 10^7 */
        put_sign(out, v.u.i);
        put_fixed(out, magnitude(v.u.i), DC_DEC_DIGITS - 2, false, point, group_sep, GROUP_FROM_NUMBER);
        dc_buf_puts(out, en ? "%" : " %");
        break;
    case DC_T_MONEY:
        put_sign(out, v.u.i);
        if (en) dc_buf_puts(out, "\xE2\x82\xAC");
        put_fixed(out, magnitude(v.u.i), 2, true, point, group_sep, GROUP_FROM_MONEY);
        if (!en) dc_buf_puts(out, " \xE2\x82\xAC");
        break;
    case DC_T_DATE: format_date(out, (int32_t)v.u.i, en); break;
    case DC_T_DURATION: format_duration(out, v.u.i, v.aux, en); break;
    case DC_T_ENUM: put_enum(out, v.u.i, enum_names); break;
    case DC_T_TEXT: dc_buf_puts(out, v.u.s ? v.u.s : ""); break;
    default: dc_buf_puts(out, en ? "(list)" : "(liste)"); break;
    }
    return buf_status(out);
}

static void put_iso_duration(dc_buf *b, int64_t months, int64_t days)
{
    /* ISO 8601 has no negative durations; the common extension is a leading '-'.
     * Components of mixed signs (rare) keep their own sign inside. */
    bool all_neg = months <= 0 && days <= 0 && (months < 0 || days < 0);
    if (all_neg) dc_buf_putc(b, '-');
    dc_buf_putc(b, 'P');
    if (months != 0)
        dc_buf_printf(b, "%s%lluM", !all_neg && months < 0 ? "-" : "", (unsigned long long)magnitude(months));
    if (days != 0 || months == 0)
        dc_buf_printf(b, "%s%lluD", !all_neg && days < 0 ? "-" : "", (unsigned long long)magnitude(days));
}

int dc_value_canonical(dc_buf *out, dc_value v, const char *const *enum_names)
{
    if (!v.known) {
        dc_buf_append(out, "", 0);   /* keeps the buffer NUL-terminated */
        return buf_status(out);
    }
    switch (v.type) {
    case DC_T_BOOL: dc_buf_puts(out, v.u.i ? "true" : "false"); break;
    case DC_T_INT: dc_buf_printf(out, "%lld", (long long)v.u.i); break;
    case DC_T_DECIMAL:
    case DC_T_RATE:
        put_sign(out, v.u.i);
        put_fixed(out, magnitude(v.u.i), DC_DEC_DIGITS, false, '.', "", GROUP_NEVER);
        break;
    case DC_T_MONEY:
        put_sign(out, v.u.i);
        put_fixed(out, magnitude(v.u.i), 2, true, '.', "", GROUP_NEVER);
        break;
    case DC_T_DATE: {
        int y, m, d;
        dc_date_to_ymd((int32_t)v.u.i, &y, &m, &d);
        dc_buf_printf(out, "%04d-%02d-%02d", y, m, d);
        break;
    }
    case DC_T_DURATION: put_iso_duration(out, v.u.i, v.aux); break;
    case DC_T_ENUM: put_enum(out, v.u.i, enum_names); break;
    case DC_T_TEXT: dc_buf_puts(out, v.u.s ? v.u.s : ""); break;
    default: dc_buf_append(out, "", 0); break;
    }
    return buf_status(out);
}

int dc_value_json(dc_buf *out, dc_value v, const char *const *enum_names)
{
    if (!v.known) {
        dc_buf_puts(out, "null");
        return buf_status(out);
    }
    if (v.type == DC_T_INT || v.type == DC_T_BOOL) return dc_value_canonical(out, v, enum_names);
    /* everything else is a JSON string: exact decimals must not become doubles */
    dc_buf text;
    dc_buf_init(&text);
    int rc = dc_value_canonical(&text, v, enum_names);
    if (rc == 0) dc_buf_json_string(out, text.data ? text.data : "");
    dc_buf_free(&text);
    return rc < 0 ? rc : buf_status(out);
}
