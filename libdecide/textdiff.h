/* textdiff.h — word-level diff of two statute texts, for jurists (human rendering) and
 * for machine output (a list of operations over byte ranges of both texts).
 *
 * Tokens are words (letters, digits, UTF-8 letters), numbers written with a decimal
 * comma or point ("20,5"), and single punctuation marks; whitespace only separates.
 * Apostrophes ' and ’ compare equal. Ownership: *ops is malloc'ed (free() it). */
#ifndef DC_TEXTDIFF_H
#define DC_TEXTDIFF_H
#include <stddef.h>
#include "util.h"

typedef enum dc_textdiff_kind { DC_TEXTDIFF_EQUAL = 0, DC_TEXTDIFF_DELETE, DC_TEXTDIFF_INSERT } dc_textdiff_kind;

/* One run of tokens. EQUAL runs have both ranges; DELETE only the old one, INSERT only
 * the new one (the other range has length 0 at the position where it would be). Ranges
 * go from the first byte of the first token to the last byte of the last token. */
typedef struct dc_textdiff_op {
    dc_textdiff_kind kind;
    size_t old_offset, old_length;
    size_t new_offset, new_length;
    size_t n_tokens;
} dc_textdiff_op;

/* Above this many token pairs in the part that differs (after the common prefix and
 * suffix are set aside), the LCS table is not built: the whole middle is reported as
 * removed then added. Statute articles are far below it. */
#define DC_TEXTDIFF_MAX_CELLS ((size_t)4000000)

/* Runs in text order; a replacement is a DELETE followed by an INSERT. Returns 0, or -1
 * on out-of-memory (then *ops is NULL). */
int dc_textdiff_ops(const char *old_text, const char *new_text, dc_textdiff_op **ops, size_t *n_ops);

/* Appends a readable diff to out_human: unchanged runs elided to "…" around a few words
 * of context, removed words as "[-mots retirés-]", added words as "{+mots ajoutés+}".
 * *n_changes (may be NULL) receives the number of changed places (a removal directly
 * followed by an addition counts once). Identical texts append nothing. Returns 0 or -1. */
int dc_textdiff_words(const char *old_text, const char *new_text, dc_buf *out_human, int *n_changes);
#endif
