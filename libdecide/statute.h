/* statute.h — statute corpora (DILA LEGI XML, Akoma Ntoso) as the differ sees them:
 * one record per article *version*, its validity interval, its alinéas as normalised
 * text, its links; and the numbers mentioned in a legal text (statute_numbers.c).
 *
 * Ownership: a dc_statute_corpus owns every string and array reachable from it (one
 * arena); free it with dc_statute_corpus_free. Lookups return borrowed pointers that
 * live as long as the corpus. */
#ifndef DC_STATUTE_H
#define DC_STATUTE_H
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "util.h"

/* Open end of a validity interval (LEGI writes DATE_FIN 2999-01-01). */
#define DC_STATUTE_OPEN_END INT32_MAX

/* LEGI's ETAT values (legi_article.dtd). */
#define DC_STATUTE_STATES(X) \
    X(VIGUEUR, "VIGUEUR") X(VIGUEUR_DIFF, "VIGUEUR_DIFF") X(MODIFIE, "MODIFIE") \
    X(MODIFIE_MORT_NE, "MODIFIE_MORT_NE") X(ABROGE, "ABROGE") X(ABROGE_DIFF, "ABROGE_DIFF") \
    X(ANNULE, "ANNULE") X(DISJOINT, "DISJOINT") X(PERIME, "PERIME") X(TRANSFERE, "TRANSFERE")

typedef enum dc_statute_state {
    DC_STATUTE_STATE_OTHER = 0,   /* absent or not in the list: see state_text */
#define X(name, str) DC_STATUTE_##name,
    DC_STATUTE_STATES(X)
#undef X
    DC_STATUTE_STATE_COUNT_
} dc_statute_state;

const char *dc_statute_state_name(dc_statute_state s);
/* DC_STATUTE_STATE_OTHER when the text is not a known ETAT. */
dc_statute_state dc_statute_state_from_text(const char *text);

typedef enum dc_statute_format { DC_STATUTE_LEGI = 1, DC_STATUTE_AKN = 2 } dc_statute_format;

typedef struct dc_statute_link {
    const char *type;       /* LIEN@typelien, e.g. "MODIFICATION", "CITATION" */
    const char *sens;       /* "source" | "cible" | NULL */
    const char *target_id;  /* LIEN@id (LEGIARTI…/JORFTEXT…), may be NULL */
    const char *num;        /* LIEN@num (article number of the target), may be NULL */
    const char *text;       /* element text, e.g. "Décret n°2015-611 du 3 juin 2015 - art. 1" */
} dc_statute_link;

typedef struct dc_statute_article {
    const char *num;          /* "L521-1" */
    const char *code_title;   /* "Code de la sécurité sociale" (TITRE_TXT text), may be NULL */
    const char *code_short;   /* TITRE_TXT@c_titre_court, e.g. "CSS", may be NULL */
    const char *code_id;      /* LEGITEXT…, may be NULL */
    const char *version_id;   /* LEGIARTI… */
    int32_t date_debut;       /* days since 1970-01-01 (value.h) */
    int32_t date_fin;         /* exclusive; DC_STATUTE_OPEN_END when open */
    dc_statute_state state;
    const char *state_text;   /* ETAT as written ("" when absent) */
    const char *type;         /* META_ARTICLE/TYPE, e.g. "AUTONOME", may be NULL */
    const char **paragraphs;  /* alinéas, whitespace normalised, U+00AD removed */
    size_t n_paragraphs;
    const char **nota;        /* NOTA paragraphs, same normalisation (kept apart) */
    size_t n_nota;
    dc_statute_link *links;
    size_t n_links;
    dc_statute_format format;
    const char *source_file;
    uint32_t source_line;     /* line of the ARTICLE / akn article element */
} dc_statute_article;

typedef struct dc_statute_corpus {
    dc_statute_article *articles;  /* in load order: files sorted by path, then document order */
    size_t n_articles, cap_;
    size_t n_duplicates;           /* versions seen twice (e.g. LEGI + AKN twin), not kept */
    size_t *by_id_;                /* private: article indexes sorted by version_id */
    dc_arena arena;
} dc_statute_corpus;

/* Loads every path: a file (one LEGI ARTICLE, a file holding several ARTICLE elements,
 * or an Akoma Ntoso document) or a directory (every *.xml below it, recursively, sorted
 * by path). A file that cannot be read, is not well-formed, declares entities, or is not
 * recognised is reported in `diags` with its position and skipped; an article lacking
 * its number, id or dates is reported and skipped. A version id seen twice keeps the
 * first occurrence (a warning when the texts differ). Returns 0 (even with diagnostics),
 * -1 on out-of-memory or bad arguments. `*out` is always set on success; free it with
 * dc_statute_corpus_free. */
int dc_statute_corpus_load(dc_statute_corpus **out, const char *const *paths, size_t n_paths,
                           dc_diag_list *diags);
void dc_statute_corpus_free(dc_statute_corpus *corpus);

/* The version with this LEGIARTI id, or NULL. */
const dc_statute_article *dc_statute_find_by_id(const dc_statute_corpus *corpus,
                                                const char *version_id);
/* All versions of article `num` (in code `code_id`, or any code when NULL), sorted by
 * date_debut then version id. `*versions` is malloc'ed (free() it; NULL when none).
 * Returns the count, or -1 on out-of-memory. */
int dc_statute_versions(const dc_statute_corpus *corpus, const char *code_id, const char *num,
                        const dc_statute_article ***versions, size_t *n);
/* The version of `num` whose [date_debut, date_fin) contains `date`, or NULL. When
 * several codes have such an article, the first in load order wins: pass through
 * dc_statute_versions with a code id to disambiguate. */
const dc_statute_article *dc_statute_in_force(const dc_statute_corpus *corpus, const char *num,
                                              int32_t date);

/* ---- numbers mentioned in French legal text (statute_numbers.c) ---- */
typedef enum dc_statute_number_kind {
    DC_SNUM_COUNT = 1,   /* a plain number: "169", "trois", "douze fois", "0,5" */
    DC_SNUM_AMOUNT,      /* followed by "euros" / "€" */
    DC_SNUM_PERCENT,     /* followed by "%", "p. 100", "pour cent": value is the number of
                            percent as written (32 for "32 %"; the rate is value / 100) */
    DC_SNUM_YEARS,       /* followed by "an(s)" / "année(s)": ages and durations */
    DC_SNUM_ORDINAL,     /* "deuxième", "onzième", "second", "3e" */
    DC_SNUM_FRACTION     /* "moitié" / "demi" (value 0.5) */
} dc_statute_number_kind;

const char *dc_statute_number_kind_name(dc_statute_number_kind k);

typedef struct dc_statute_number {
    int64_t value;                 /* × 10^9 (DC_DEC_SCALE), exact */
    dc_statute_number_kind kind;
    size_t offset, length;         /* bytes in the text, number only (without its unit) */
    int in_words;                  /* 1 when written in letters */
} dc_statute_number;

/* Every number mentioned in `text` (UTF-8), in text order. Article references
 * ("L. 521-1", "article 7", "2°"), act numbers ("n° 2020-692"), dates ("1er janvier",
 * "8 juin 2020"), bare years ("2022") and alinéa references ("deuxième alinéa") are not
 * numbers of the law's content and are left out; statute_numbers.c lists the heuristics.
 * `*out` is malloc'ed (free() it; NULL when none). Returns 0, or -1 on out-of-memory or
 * a regex failure. */
int dc_statute_numbers(const char *text, dc_statute_number **out, size_t *n);
#endif
