/* statute_numbers.c — finds the numbers a French legal text states (rates, amounts,
 * ages, counts, ordinals), in digits or in words, so the differ can match them against
 * a rule set's constants. Values are exact (× 10^9); pcre2 finds the candidates, a few
 * context rules below decide which ones are quantities of the law.
 *
 * Heuristics (what is NOT reported, and why):
 *  - references: a number right after "article(s)", "art.", a code letter ("L.", "R.",
 *    "D.", "A.", "L", "R", "D", "LO.") or "n°"/"no"/"numéro" names a provision or an act;
 *  - any digit group joined by '-' or '/' ("521-1", "2020-692", "373-2-9", "1/12")
 *    is an article, act or date identifier, never a quantity written that way in French;
 *  - "2°", "1°)" are list markers;
 *  - dates: a number followed by a month name ("1er janvier", "8 juin") or preceded by
 *    one ("juin 2020"), and a bare 4-digit integer 1800..2100 without unit (a year);
 *  - alinéa references: a number or ordinal followed by "alinéa(s)", possibly through
 *    "premiers/derniers" ("deuxième alinéa", "2e alinéa", "les quatre derniers alinéas");
 *  - "un"/"une" alone is the indefinite article, except in "un an" (one year).
 * Kinds: "%", "p. 100", "pour cent" -> percent (value as written: 32 for "32 %");
 * "euro(s)", "€" -> amount; "an(s)", "année(s)" -> years; ordinal words and "3e" ->
 * ordinal; "moitié"/"demi" -> fraction 0.5; anything else -> count. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "statute.h"
#include "value.h"
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

const char *dc_statute_number_kind_name(dc_statute_number_kind k)
{
    switch (k) {
    case DC_SNUM_COUNT: return "count";
    case DC_SNUM_AMOUNT: return "amount";
    case DC_SNUM_PERCENT: return "percent";
    case DC_SNUM_YEARS: return "years";
    case DC_SNUM_ORDINAL: return "ordinal";
    case DC_SNUM_FRACTION: return "fraction";
    }
    return "?";
}

/* ------------------------------------------------------------------ number words */

typedef enum word_class { W_UNIT, W_TEEN, W_TENS, W_HUNDRED, W_THOUSAND, W_SOLO } word_class;

typedef struct number_word {
    const char *text;     /* lowercase UTF-8 */
    int value;
    word_class cls;
    int ordinal;
} number_word;

/* Longest spellings first where one is a prefix of another ("dixième" before "dix"). */
static const number_word number_words[] = {
    { "zéro", 0, W_UNIT, 0 },
    { "unième", 1, W_UNIT, 1 }, { "une", 1, W_UNIT, 0 }, { "un", 1, W_UNIT, 0 },
    { "deuxième", 2, W_UNIT, 1 }, { "deux", 2, W_UNIT, 0 },
    { "troisième", 3, W_UNIT, 1 }, { "trois", 3, W_UNIT, 0 },
    { "quatrième", 4, W_UNIT, 1 }, { "quatre", 4, W_UNIT, 0 },
    { "cinquième", 5, W_UNIT, 1 }, { "cinq", 5, W_UNIT, 0 },
    { "sixième", 6, W_UNIT, 1 }, { "six", 6, W_UNIT, 0 },
    { "septième", 7, W_UNIT, 1 }, { "sept", 7, W_UNIT, 0 },
    { "huitième", 8, W_UNIT, 1 }, { "huit", 8, W_UNIT, 0 },
    { "neuvième", 9, W_UNIT, 1 }, { "neuf", 9, W_UNIT, 0 },
    { "dixième", 10, W_TEEN, 1 }, { "dix", 10, W_TEEN, 0 },
    { "onzième", 11, W_TEEN, 1 }, { "onze", 11, W_TEEN, 0 },
    { "douzième", 12, W_TEEN, 1 }, { "douze", 12, W_TEEN, 0 },
    { "treizième", 13, W_TEEN, 1 }, { "treize", 13, W_TEEN, 0 },
    { "quatorzième", 14, W_TEEN, 1 }, { "quatorze", 14, W_TEEN, 0 },
    { "quinzième", 15, W_TEEN, 1 }, { "quinze", 15, W_TEEN, 0 },
    { "seizième", 16, W_TEEN, 1 }, { "seize", 16, W_TEEN, 0 },
    { "vingtième", 20, W_TENS, 1 }, { "vingts", 20, W_TENS, 0 }, { "vingt", 20, W_TENS, 0 },
    { "trentième", 30, W_TENS, 1 }, { "trente", 30, W_TENS, 0 },
    { "quarantième", 40, W_TENS, 1 }, { "quarante", 40, W_TENS, 0 },
    { "cinquantième", 50, W_TENS, 1 }, { "cinquante", 50, W_TENS, 0 },
    { "soixantième", 60, W_TENS, 1 }, { "soixante", 60, W_TENS, 0 },
    { "centième", 100, W_HUNDRED, 1 }, { "cents", 100, W_HUNDRED, 0 }, { "cent", 100, W_HUNDRED, 0 },
    { "millième", 1000, W_THOUSAND, 1 }, { "mille", 1000, W_THOUSAND, 0 },
    { "premières", 1, W_SOLO, 1 }, { "première", 1, W_SOLO, 1 },
    { "premiers", 1, W_SOLO, 1 }, { "premier", 1, W_SOLO, 1 },
    { "secondes", 2, W_SOLO, 1 }, { "seconde", 2, W_SOLO, 1 },
    { "seconds", 2, W_SOLO, 1 }, { "second", 2, W_SOLO, 1 },
    { "moitié", -1, W_SOLO, 0 }, { "demie", -1, W_SOLO, 0 }, { "demi", -1, W_SOLO, 0 },
};
#define N_NUMBER_WORDS (sizeof number_words / sizeof number_words[0])

/* Case-insensitive for ASCII letters; accented letters in the table are lowercase and
 * appear lowercase in statute text (capitals start sentences: "Deux", "Trois"). */
static int word_eq(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != w[i]) return 0;
    }
    return 1;
}

static const number_word *lookup_word(const char *s, size_t n)
{
    for (size_t i = 0; i < N_NUMBER_WORDS; i++)
        if (word_eq(s, n, number_words[i].text)) return &number_words[i];
    return NULL;
}

/* ------------------------------------------------------------------ context helpers */

static int is_space_at(const char *s, size_t i, size_t *width)
{
    const unsigned char *p = (const unsigned char *)s + i;
    if (*p == ' ' || (*p >= '\t' && *p <= '\r')) { *width = 1; return 1; }
    if (p[0] == 0xC2 && p[1] == 0xA0) { *width = 2; return 1; }
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89)) { *width = 3; return 1; }
    return 0;
}

static size_t skip_spaces(const char *s, size_t i)
{
    size_t w;
    while (s[i] && is_space_at(s, i, &w)) i += w;
    return i;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The word starting at i (letters, digits, UTF-8), its length in *n. */
static size_t word_at(const char *s, size_t i, size_t *n)
{
    size_t j = i;
    while (s[j] && is_word_byte((unsigned char)s[j])) j++;
    *n = j - i;
    return i;
}

static int starts_with_word(const char *s, size_t i, const char *w)
{
    size_t n;
    word_at(s, i, &n);
    return word_eq(s + i, n, w);
}

static const char *const months[] = { "janvier", "février", "fevrier", "mars", "avril", "mai", "juin",
                                      "juillet", "août", "aout", "septembre", "octobre", "novembre",
                                      "décembre", "decembre", NULL };

static int is_month(const char *s, size_t n)
{
    for (int i = 0; months[i]; i++)
        if (word_eq(s, n, months[i])) return 1;
    return 0;
}

/* The token before `start` (up to the previous space), without a leading "l'"/"d'".
 * Writes it lowercase (ASCII) into buf. */
static void previous_token(const char *s, size_t start, char *buf, size_t cap)
{
    size_t end = start, w;
    while (end > 0) {
        size_t k = end - 1;
        /* step back over one space (ASCII or the 2/3-byte UTF-8 ones) */
        if (s[k] == ' ' || (s[k] >= '\t' && s[k] <= '\r')) { end = k; continue; }
        if (k >= 1 && is_space_at(s, k - 1, &w) && w == 2) { end = k - 1; continue; }
        if (k >= 2 && is_space_at(s, k - 2, &w) && w == 3) { end = k - 2; continue; }
        break;
    }
    size_t begin = end;
    while (begin > 0 && !(s[begin - 1] == ' ' || (s[begin - 1] >= '\t' && s[begin - 1] <= '\r') ||
                          s[begin - 1] == '(' || (begin >= 2 && is_space_at(s, begin - 2, &w) && w == 2)))
        begin--;
    if ((end - begin >= 2) && (s[begin] == 'l' || s[begin] == 'L' || s[begin] == 'd' || s[begin] == 'D') &&
        s[begin + 1] == '\'')
        begin += 2;
    else if (end - begin >= 4 && (s[begin] == 'l' || s[begin] == 'd') &&
             memcmp(s + begin + 1, "\xE2\x80\x99", 3) == 0)
        begin += 4;
    size_t n = end - begin < cap - 1 ? end - begin : cap - 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[begin + i];
        buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    buf[n] = '\0';
}

/* "article 7", "L. 521-1", "n° 12": the number names something. */
static int after_reference_word(const char *s, size_t start)
{
    static const char *const refs[] = { "article", "articles", "art.", "art", "l.", "r.", "d.", "a.",
                                        "l", "r", "d", "lo.", "l*", "r*", "d*", "n°", "no", "nos",
                                        "n°s", "numéro", "numéros", "annexe", NULL };
    char prev[32];
    previous_token(s, start, prev, sizeof prev);
    for (int i = 0; refs[i]; i++)
        if (strcmp(prev, refs[i]) == 0) return 1;
    return 0;
}

static int after_month(const char *s, size_t start)
{
    char prev[32];
    previous_token(s, start, prev, sizeof prev);
    return is_month(prev, strlen(prev));
}

static int before_month(const char *s, size_t end)
{
    size_t i = skip_spaces(s, end), n;
    word_at(s, i, &n);
    return is_month(s + i, n);
}

/* "deuxième alinéa", "2e alinéa", "quatre derniers alinéas" */
static int before_alinea(const char *s, size_t end)
{
    static const char *const between[] = { "premiers", "premières", "premier", "première", "derniers",
                                           "dernières", "dernier", "dernière", NULL };
    size_t i = skip_spaces(s, end), n;
    word_at(s, i, &n);
    for (int k = 0; between[k]; k++)
        if (word_eq(s + i, n, between[k])) { i = skip_spaces(s, i + n); word_at(s, i, &n); break; }
    return word_eq(s + i, n, "alinéa") || word_eq(s + i, n, "alinéas") || word_eq(s + i, n, "alinea") ||
           word_eq(s + i, n, "alineas");
}

typedef enum unit { U_NONE, U_PERCENT, U_EURO, U_YEARS } unit;

/* The unit written after a number ending at `end`; *unit_end receives the end of the
 * unit's text so that the "100" of "p. 100" is not read as a number of its own. */
static unit unit_after(const char *s, size_t end, size_t *unit_end)
{
    size_t i = skip_spaces(s, end), n;
    *unit_end = end;
    if (s[i] == '%') { *unit_end = i + 1; return U_PERCENT; }
    if (strncmp(s + i, "\xE2\x82\xAC", 3) == 0) { *unit_end = i + 3; return U_EURO; }
    word_at(s, i, &n);
    if (word_eq(s + i, n, "euros") || word_eq(s + i, n, "euro") || word_eq(s + i, n, "eur")) {
        *unit_end = i + n;
        return U_EURO;
    }
    if (word_eq(s + i, n, "ans") || word_eq(s + i, n, "an") || word_eq(s + i, n, "années") ||
        word_eq(s + i, n, "année")) {
        *unit_end = i + n;
        return U_YEARS;
    }
    /* "p. 100", "p.100", "pour cent", "pour 100" */
    if ((s[i] == 'p' || s[i] == 'P') && s[i + 1] == '.') {
        size_t j = skip_spaces(s, i + 2);
        if (strncmp(s + j, "100", 3) == 0 && !is_word_byte((unsigned char)s[j + 3])) {
            *unit_end = j + 3;
            return U_PERCENT;
        }
    }
    if (word_eq(s + i, n, "pour")) {
        size_t j = skip_spaces(s, i + n), m;
        word_at(s, j, &m);
        if (word_eq(s + j, m, "cent") || word_eq(s + j, m, "100")) {
            *unit_end = j + m;
            return U_PERCENT;
        }
    }
    return U_NONE;
}

/* ------------------------------------------------------------------ output */

typedef struct num_vec { dc_statute_number *items; size_t n, cap; int failed; } num_vec;

static void push(num_vec *v, int64_t value, dc_statute_number_kind kind, size_t off, size_t len, int words)
{
    dc_statute_number *items = dc_grow(v->items, &v->cap, v->n, sizeof *items, 16);
    if (!items) { v->failed = 1; return; }
    v->items = items;
    dc_statute_number *x = &v->items[v->n++];
    x->value = value;
    x->kind = kind;
    x->offset = off;
    x->length = len;
    x->in_words = words;
}

static dc_statute_number_kind kind_of(unit u)
{
    switch (u) {
    case U_PERCENT: return DC_SNUM_PERCENT;
    case U_EURO: return DC_SNUM_AMOUNT;
    case U_YEARS: return DC_SNUM_YEARS;
    case U_NONE: break;
    }
    return DC_SNUM_COUNT;
}

/* Digits "55 950", "20,234", "3e": exact value × 10^9, or -1 when it does not fit. */
static int digits_value(const char *s, size_t n, int64_t *out)
{
    int64_t ip = 0, frac = 0, scale = DC_DEC_SCALE;
    size_t i = 0;
    for (; i < n && s[i] != ','; i++) {
        if (s[i] < '0' || s[i] > '9') continue;   /* thousands separators */
        if (ip > (INT64_MAX / DC_DEC_SCALE - 9) / 10) return -1;
        ip = ip * 10 + (s[i] - '0');
    }
    if (i < n && s[i] == ',') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (scale == 1) return -1;          /* more than 9 decimals: not exact */
            scale /= 10;
            frac += (s[i] - '0') * scale;
        }
    }
    *out = ip * DC_DEC_SCALE + frac;
    return 0;
}

#define WORDS_ALT \
    "zéro|unième|une|un|deuxième|deux|troisième|trois|quatrième|quatre|cinquième|cinq|sixième|six|" \
    "septième|sept|huitième|huit|neuvième|neuf|dixième|dix|onzième|onze|douzième|douze|treizième|treize|" \
    "quatorzième|quatorze|quinzième|quinze|seizième|seize|vingtième|vingts|vingt|trentième|trente|" \
    "quarantième|quarante|cinquantième|cinquante|soixantième|soixante|centième|cents|cent|millième|mille|" \
    "premières|première|premiers|premier|secondes|seconde|seconds|second|moitié|demie|demi"

/* group 1: digits; 2: ordinal/list suffix; 3: a number word */
static const char number_pattern[] =
    "(?<![\\p{L}\\p{N}\\-/,.])"
    "(?:((?:\\d{1,3}(?:[ \\x{A0}\\x{202F}]\\d{3}(?!\\d))+|\\d+(?:[-/]\\d+)*)(?:,\\d+)?)"
    "(°|(?:ers?|res?|ères?|èmes?|emes?|e)(?![\\p{L}\\p{N}]))?"
    "|(" WORDS_ALT ")(?![\\p{L}\\p{N}]))";

/* A joiner then the next word of a composed number: "-", " ", "-et-", " et ". */
static const char next_word_pattern[] =
    "(-et-|\\s+et\\s+|-|\\s+)(" WORDS_ALT ")(?![\\p{L}\\p{N}])";

/* May `next` follow `prev` inside one number? (French: "vingt-deux", "quatre-vingt-dix",
 * "soixante et onze", "deux cents", "trois mille"). `tens` is the value of the tens just
 * read (60 for soixante, 80 for quatre-vingt), or 0. */
static int can_join(const number_word *prev, const number_word *next, int with_et, int tens)
{
    if (prev->ordinal || prev->cls == W_SOLO || next->cls == W_SOLO) return 0;
    if (with_et)
        return prev->cls == W_TENS && (next->value == 1 || next->value == 11);
    switch (next->cls) {
    case W_HUNDRED: return (prev->cls == W_UNIT && prev->value >= 2) || prev->cls == W_THOUSAND;
    case W_THOUSAND: return prev->cls != W_THOUSAND;
    case W_TENS:
        if (next->value == 20 && strcmp(prev->text, "quatre") == 0) return 1;
        return prev->cls == W_HUNDRED || prev->cls == W_THOUSAND;
    case W_TEEN:
        return (prev->cls == W_TENS && (tens == 60 || tens == 80)) || prev->cls == W_HUNDRED ||
               prev->cls == W_THOUSAND;
    case W_UNIT:
        if (next->value <= 1) return 0;   /* "vingt et un" needs its "et" */
        if (prev->cls == W_TEEN && prev->value == 10 && next->value >= 7) return 1;   /* dix-sept */
        return prev->cls == W_TENS || prev->cls == W_HUNDRED || prev->cls == W_THOUSAND;
    case W_SOLO: break;
    }
    return 0;
}

int dc_statute_numbers(const char *text, dc_statute_number **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!text) return 0;
    int err;
    PCRE2_SIZE erroff;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)number_pattern, PCRE2_ZERO_TERMINATED, opts, &err, &erroff, NULL);
    pcre2_code *re_next = pcre2_compile((PCRE2_SPTR)next_word_pattern, PCRE2_ZERO_TERMINATED,
                                        opts | PCRE2_ANCHORED, &err, &erroff, NULL);
    pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
    pcre2_match_data *md_next = re_next ? pcre2_match_data_create_from_pattern(re_next, NULL) : NULL;
    if (!re || !re_next || !md || !md_next) {
        pcre2_match_data_free(md);
        pcre2_match_data_free(md_next);
        pcre2_code_free(re);
        pcre2_code_free(re_next);
        return -1;
    }
    num_vec v = { 0 };
    size_t len = strlen(text), pos = 0;
    int rc_final = 0;
    while (pos <= len) {
        int rc = pcre2_match(re, (PCRE2_SPTR)text, len, pos, 0, md, NULL);
        if (rc < 0) {
            if (rc != PCRE2_ERROR_NOMATCH) rc_final = -1;   /* e.g. invalid UTF-8 */
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t start = ov[0], end = ov[1];
        pos = end > start ? end : start + 1;

        if (rc >= 2 && ov[2] != PCRE2_UNSET) {
            /* ---- digits ---- */
            size_t ds = ov[2], de = ov[3];
            int has_suffix = rc >= 3 && ov[4] != PCRE2_UNSET;
            int list_marker = has_suffix && text[ov[4]] == (char)0xC2;   /* "°" */
            if (memchr(text + ds, '-', de - ds) || memchr(text + ds, '/', de - ds) || list_marker)
                continue;
            if (after_reference_word(text, ds) || before_month(text, end) || after_month(text, ds))
                continue;
            if (before_alinea(text, end)) continue;
            int64_t value;
            if (digits_value(text + ds, de - ds, &value) != 0) continue;
            if (has_suffix) {
                push(&v, value, DC_SNUM_ORDINAL, ds, de - ds, 0);
                continue;
            }
            size_t unit_end;
            unit u = unit_after(text, end, &unit_end);
            int has_comma = memchr(text + ds, ',', de - ds) != NULL;
            if (u == U_NONE && !has_comma && de - ds == 4 && value >= INT64_C(1800) * DC_DEC_SCALE &&
                value <= INT64_C(2100) * DC_DEC_SCALE)
                continue;   /* a year */
            push(&v, value, kind_of(u), ds, de - ds, 0);
            if (unit_end > pos) pos = unit_end;
            continue;
        }

        /* ---- words: extend with the following words while French allows ---- */
        const number_word *w = lookup_word(text + start, end - start);
        if (!w) continue;
        int64_t total = 0, current = 0;
        int tens = 0, n_words = 1;
        const number_word *last = w;
        if (w->cls == W_HUNDRED) current = 100;
        else if (w->cls == W_THOUSAND) total = 1000;
        else current = w->value;
        if (w->cls == W_TENS) tens = w->value;
        size_t word_end = end;
        for (;;) {
            int r2 = pcre2_match(re_next, (PCRE2_SPTR)text, len, word_end, 0, md_next, NULL);
            if (r2 < 3) break;
            PCRE2_SIZE *o2 = pcre2_get_ovector_pointer(md_next);
            const number_word *nw = lookup_word(text + o2[4], o2[5] - o2[4]);
            int with_et = memchr(text + o2[2], 't', o2[3] - o2[2]) != NULL;
            if (!nw || !can_join(last, nw, with_et, tens)) break;
            if (nw->cls == W_HUNDRED) current = (current ? current : 1) * 100;
            else if (nw->cls == W_THOUSAND) { total += (current ? current : 1) * 1000; current = 0; }
            else if (nw->value == 20 && strcmp(last->text, "quatre") == 0) current += 76;
            else current += nw->value;
            tens = nw->cls == W_TENS ? (nw->value == 20 && strcmp(last->text, "quatre") == 0 ? 80 : nw->value)
                                     : 0;
            last = nw;
            n_words++;
            word_end = o2[1];
        }
        pos = word_end;
        if (after_reference_word(text, start) || before_month(text, word_end) || before_alinea(text, word_end))
            continue;
        size_t unit_end;
        unit u = unit_after(text, word_end, &unit_end);
        if (n_words == 1 && w->value == 1 && (w->text[0] == 'u') && !w->ordinal) {
            if (u != U_YEARS || !(starts_with_word(text, skip_spaces(text, word_end), "an") ||
                                  starts_with_word(text, skip_spaces(text, word_end), "année")))
                continue;   /* "un"/"une" is an article unless in "un an" */
        }
        size_t wlen = word_end - start;
        if (w->cls == W_SOLO && w->value < 0) {
            push(&v, DC_DEC_SCALE / 2, DC_SNUM_FRACTION, start, wlen, 1);
            continue;
        }
        int64_t value = (total + current) * DC_DEC_SCALE;
        push(&v, value, last->ordinal ? DC_SNUM_ORDINAL : kind_of(u), start, wlen, 1);
        if (!last->ordinal && unit_end > pos) pos = unit_end;
    }
    pcre2_match_data_free(md);
    pcre2_match_data_free(md_next);
    pcre2_code_free(re);
    pcre2_code_free(re_next);
    if (v.failed || rc_final != 0) {
        free(v.items);
        return -1;
    }
    *out = v.items;
    *n = v.n;
    return 0;
}
