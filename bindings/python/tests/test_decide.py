"""Tests of the Python binding of libdecide (bindings/python/decide).

Run from the repository root:
    DECIDE_LIBRARY=build/libdecide.so python3 -m unittest discover -s bindings/python/tests -v
Expected amounts are worked out by hand from the rule sets' law, not copied from the
program's output.
"""

import json
import os
import sys
import threading
import unittest
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..")))

import decide  # noqa: E402

SEMANTICS = os.path.join(ROOT, "tests", "rulesets", "engine", "semantics.xml")
AF = os.path.join(ROOT, "rulesets", "fr", "allocations-familiales.xml")
AF_EXAMPLES = os.path.join(ROOT, "examples", "af")


def engine_case(name):
    """The "case" object of a tests/rulesets/engine/*.json file, decimals exact."""
    with open(os.path.join(ROOT, "tests", "rulesets", "engine", name), encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal)["case"]


def af_example(name):
    with open(os.path.join(AF_EXAMPLES, name), encoding="utf-8") as f:
        return f.read()


# A rule set with two errors at known places: line 11 cites an undeclared article,
# line 14 reads an undeclared name.
BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<ruleset xmlns="urn:libdecide:ruleset:1" id="test.py-broken" version="1">
  <title>Cassé</title>
  <sources>
    <article id="t-1" code="Code de test" num="T1"><quote>Texte.</quote></article>
  </sources>
  <inputs>
    <input name="n" type="int" label="nombre"/>
  </inputs>
  <variable name="droit" type="bool">
    <rule id="r1" source="t-9"><if>n &gt;= 2</if><then>true</then><explain>x</explain></rule>
    <otherwise source="t-1">false</otherwise>
  </variable>
  <define name="total" type="int" source="t-1">n + nb</define>
  <decision eligible="droit" period="month"/>
</ruleset>
"""


def rss_pages():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1])


class LoadTest(unittest.TestCase):
    def test_broken_ruleset_lists_every_error_with_its_position(self):
        with self.assertRaises(decide.LoadError) as cm:
            decide.RuleSet.from_string(BROKEN, name="broken.xml")
        e = cm.exception
        errors = [d for d in e.diagnostics if d.severity == "error"]
        by_code = {d.code: d for d in errors}
        self.assertIn("unknown-source", by_code)
        self.assertIn("unknown-name", by_code)
        # the <rule> element starts line 11 column 5; 'nb' in "n + nb" is column 52
        # of line 14 (47 characters of indentation and <define ...> before "n + ").
        src = by_code["unknown-source"]
        self.assertEqual((src.file, src.line, src.column, src.rule, src.article),
                         ("broken.xml", 11, 5, "r1", "t-9"))
        name = by_code["unknown-name"]
        self.assertEqual((name.file, name.line, name.column), ("broken.xml", 14, 52))
        self.assertEqual(len(errors), 2)
        # every diagnostic is shown as file:line:col in the message
        text = str(e)
        for d in e.diagnostics:
            self.assertIn("broken.xml:%d:%d: %s: " % (d.line, d.column, d.severity), text)
        self.assertIn("did you mean 't-1'", text)
        self.assertIsInstance(e, decide.DecideError)
        self.assertIsInstance(src, decide.Diagnostic)

    def test_missing_file_is_an_oserror(self):
        with self.assertRaises(OSError):
            decide.RuleSet(os.path.join(ROOT, "no-such-ruleset.xml"))

    def test_metadata_and_warnings(self):
        rs = decide.RuleSet(SEMANTICS)
        self.assertEqual((rs.id, rs.version, rs.title),
                         ("test.semantics", "1", "Règles de test du moteur"))
        self.assertIsInstance(rs.warnings, list)
        for w in rs.warnings:
            self.assertEqual(w.severity, "warning")

    def test_warnings_are_errors(self):
        # The same rule set with an input nobody reads: a warning, then an error.
        xml = BROKEN.replace('source="t-9"', 'source="t-1"').replace("n + nb", "n") \
                    .replace('<input name="n" type="int" label="nombre"/>',
                             '<input name="n" type="int" label="nombre"/>'
                             '<input name="jamais" type="bool" label="jamais lu"/>')
        rs = decide.RuleSet.from_string(xml, name="warn.xml")
        self.assertIn("unused-input", [w.code for w in rs.warnings])
        with self.assertRaises(decide.LoadError):
            decide.RuleSet.from_string(xml, name="warn.xml", warnings_are_errors=True)

    def test_closed_ruleset_refuses_evaluation(self):
        with decide.RuleSet(SEMANTICS) as rs:
            pass
        with self.assertRaises(ValueError):
            rs.evaluate(engine_case("01-general-rule.json"))


class EvaluateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sem = decide.RuleSet(SEMANTICS)
        cls.af = decide.RuleSet(AF)

    def test_granted_semantics_exact_amount(self):
        # tests/rulesets/engine/01-general-rule.json: p1 (15 ans) and p2 (13 ans) à
        # charge, p3 (25 ans) not: nb_a_charge = 2 >= 2 -> droit (T1 al. 1).
        # base = 474.37 × 32 % = 151.7984 -> round_cent 151.80 ; one cadet:
        # montant = 151.80 × 1 + trunc_cent(151.80 × 0.5 % = 0.759) = 151.80 + 0.75
        # = 152.55 €, majoration 0.
        d = self.sem.evaluate(engine_case("01-general-rule.json"))
        self.assertEqual(d.outcome, "GRANTED")
        self.assertEqual(d.amount, Decimal("152.55"))
        self.assertEqual(str(d.amount), "152.55")
        self.assertEqual(d.date, "2025-06-01")
        self.assertEqual(d.values["base"], "151.80")
        self.assertEqual(d.values["nb_a_charge"], "2")
        self.assertEqual(d.values["droit"], "true")
        self.assertEqual(d.missing, [])
        self.assertEqual(d.conflicts, [])
        self.assertEqual(d.warnings, [])

    def test_granted_allocations_familiales(self):
        # examples/af/famille-2-enfants.json, 2025-06-01: two children (10 and 7 years
        # old) à charge, resources 45 000 € <= plafond I 65 473 + 2 × 6 546 = 78 565 €
        # -> tranche 1, rate 32 % (CSS D. 521-1). BMAF 474.37 € since 2025-04-01:
        # 474.37 × 0.32 = 151.7984 -> 151.80 €; no child of 14 or more: no majoration.
        d = self.af.evaluate(af_example("famille-2-enfants.json"))
        self.assertEqual(d.outcome, "GRANTED")
        self.assertEqual(d.amount, Decimal("151.80"))
        self.assertEqual(d.values["nb_enfants_a_charge"], "2")
        self.assertEqual(d.values["tranche"], "1")

    def test_review_lists_what_is_missing(self):
        # examples/af/revision-donnees-manquantes.json: no resources and no pay for
        # the first child: the decision cannot be made, never a denial.
        d = self.af.evaluate(af_example("revision-donnees-manquantes.json"))
        self.assertEqual(d.outcome, "REVIEW")
        self.assertIsNone(d.amount)
        self.assertEqual([(m.input, m.reason) for m in d.missing],
                         [("enfants[0].remuneration_mensuelle", "missing"),
                          ("ressources", "missing")])
        ressources = d.missing[1]
        self.assertIsInstance(ressources, decide.Missing)
        self.assertEqual(ressources.needed_by, ("css-D521-1",))
        self.assertEqual(ressources.label, "ressources annuelles du foyer de l'année N-2")
        self.assertIsNone(ressources.detail)

    def test_review_invalid_field_is_a_warning(self):
        case = engine_case("01-general-rule.json")
        case["b"] = "yes"
        case["montnat"] = case.pop("montant")
        d = self.sem.evaluate(case)
        self.assertEqual(d.outcome, "REVIEW")
        codes = sorted(w.code for w in d.warnings)
        self.assertEqual(codes, ["case-invalid", "case-unknown-field"])
        self.assertIn("did you mean 'montant'", str(d.warnings[1]) + str(d.warnings[0]))
        invalid = [m for m in d.missing if m.reason == "invalid"]
        self.assertEqual([m.input for m in invalid], ["b"])
        self.assertIsNotNone(invalid[0].detail)

    def test_conflict(self):
        with open(os.path.join(ROOT, "tests", "rulesets", "engine", "04-conflict.json")) as f:
            spec = json.load(f, parse_float=Decimal)
        d = self.sem.evaluate(spec["case"])
        self.assertEqual(d.outcome, "REVIEW")
        self.assertEqual(len(d.conflicts), 1)
        c = d.conflicts[0]
        self.assertIsInstance(c, decide.Conflict)
        self.assertEqual(len(c.rules), 2)
        self.assertEqual(len(c.articles), 2)

    def test_float_is_refused(self):
        with open(os.path.join(ROOT, "tests", "rulesets", "engine",
                               "01-general-rule.json"), encoding="utf-8") as f:
            case = json.load(f)["case"]          # "montant": 474.37 parsed as a float
        with self.assertRaises(TypeError) as cm:
            self.sem.evaluate(case)
        self.assertIn("montant", str(cm.exception))
        self.assertIn("floating point", str(cm.exception))
        with self.assertRaises(TypeError):
            self.sem.evaluate({"date": "2025-06-01", "personnes": [{"revenu": 0.5}]})

    def test_decimal_and_string_amounts_are_exact(self):
        case = engine_case("01-general-rule.json")
        self.assertIsInstance(case["montant"], Decimal)
        self.assertEqual(self.sem.evaluate(case).amount, Decimal("152.55"))
        case["montant"] = "474.37"
        self.assertEqual(self.sem.evaluate(case).amount, Decimal("152.55"))
        # a rate as a Decimal, and a Decimal that would print with an exponent
        case["taux"] = Decimal("0.32")
        case["montant"] = Decimal("47437E-2")
        self.assertEqual(self.sem.evaluate(case).amount, Decimal("152.55"))

    def test_json_text_and_bytes(self):
        text = json.dumps(engine_case("01-general-rule.json"), default=str)
        self.assertEqual(self.sem.evaluate(text).amount, Decimal("152.55"))
        self.assertEqual(self.sem.evaluate(text.encode()).amount, Decimal("152.55"))

    def test_date_override(self):
        import datetime
        case = engine_case("01-general-rule.json")
        del case["date"]
        with self.assertRaises(decide.EvaluationError) as cm:
            self.sem.evaluate(case)
        self.assertEqual(cm.exception.status, -7)
        d = self.sem.evaluate(case, date=datetime.date(2025, 6, 1))
        self.assertEqual((d.date, d.amount), ("2025-06-01", Decimal("152.55")))
        self.assertEqual(self.sem.evaluate(case, date="2025-06-01").amount, Decimal("152.55"))

    def test_overflow_is_an_evaluation_error(self):
        with self.assertRaises(decide.EvaluationError) as cm:
            self.sem.evaluate(engine_case("16-overflow.json"))
        self.assertIn("(article t-2)", str(cm.exception))
        self.assertEqual(cm.exception.status, -6)

    def test_malformed_json_is_a_case_error_with_line(self):
        # line 4: a missing comma before "montant"
        text = '{\n  "date": "2025-06-01",\n  "zone": "est"\n  "montant": "474.37"\n}'
        with self.assertRaises(decide.CaseError) as cm:
            self.sem.evaluate(text, name="malformed.json")
        diags = cm.exception.diagnostics
        self.assertEqual(len(diags), 1)
        self.assertEqual((diags[0].severity, diags[0].code, diags[0].file, diags[0].line),
                         ("error", "case-syntax", "malformed.json", 4))
        self.assertIn("malformed.json:4:", str(cm.exception))

    def test_bad_arguments(self):
        with self.assertRaises(TypeError):
            self.sem.evaluate(42)
        with self.assertRaises(ValueError):
            self.sem.evaluate("{}", trace="verbose")


class RenderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.af = decide.RuleSet(AF)
        cls.decision = cls.af.evaluate(af_example("famille-2-enfants.json"))

    def test_motivation_fr_and_en_cite_articles(self):
        fr = self.decision.motivation()
        self.assertTrue(fr.startswith("Décision : droit accordé — 151,80 € par mois"))
        self.assertIn("article D. 521-1 du code de la sécurité sociale", fr)
        self.assertIn("article L. 311-3-1 du code des relations entre le public et l'administration", fr)
        en = self.decision.motivation(lang="en")
        self.assertIn("€151.80", en)
        self.assertIn("article D. 521-1 of the Code de la sécurité sociale", en)

    def test_motivation_html(self):
        html = self.decision.motivation(format="html")
        self.assertIn("<", html)
        self.assertIn("D. 521-1", html)
        with self.assertRaises(ValueError):
            self.decision.motivation(format="json")
        with self.assertRaises(ValueError):
            self.decision.motivation(lang="de")

    def test_to_dict_follows_the_schema(self):
        d = self.decision.to_dict()
        # required keys, in the schema's order (rulesets/schema/decision.schema.json)
        self.assertEqual(list(d), ["outcome", "amount", "period", "date", "ruleset", "missing",
                                   "conflicts", "values", "motivation", "trace"])
        self.assertEqual(d["outcome"], "GRANTED")
        self.assertEqual(d["amount"], "151.80")   # decimal string, never a float
        self.assertEqual(d["period"], "month")
        self.assertEqual(d["ruleset"], {"id": "fr.allocations-familiales", "version": "2026-06",
                                        "title": "Allocations familiales"})
        self.assertEqual(set(d["motivation"]), {"contribution", "data", "parameters", "operations"})
        self.assertTrue(d["motivation"]["data"])          # full trace by default
        self.assertEqual(d["values"]["nb_enfants_a_charge"], 2)
        self.assertEqual(d["values"]["montant_af"], "151.80")
        self.assertEqual(json.loads(self.decision.json()), json.loads(self.decision.json()))

    def test_trace_levels(self):
        case = af_example("famille-2-enfants.json")
        none = self.af.evaluate(case, trace="none")
        self.assertEqual(none.amount, Decimal("151.80"))
        self.assertEqual(none.to_dict()["trace"], [])
        summary = self.af.evaluate(case, trace="summary").to_dict()
        self.assertTrue(summary["trace"])

    def test_closed_decision(self):
        with self.af.evaluate(af_example("famille-2-enfants.json")) as d:
            self.assertEqual(d.amount, Decimal("151.80"))
        self.assertEqual(d.amount, Decimal("151.80"))   # copied values stay
        with self.assertRaises(ValueError):
            d.motivation()
        d.close()   # idempotent

    def test_decision_outlives_closed_ruleset(self):
        rs = decide.RuleSet(AF)
        d = rs.evaluate(af_example("famille-2-enfants.json"))
        rs.close()
        del rs
        self.assertIn("151,80", d.motivation())


class ResourceTest(unittest.TestCase):
    def test_no_leak_over_2000_evaluations(self):
        rs = decide.RuleSet(AF)
        cases = [af_example(n) for n in sorted(os.listdir(AF_EXAMPLES)) if n.endswith(".json")]
        malformed = '{"date": "2025-06-01",'

        def one(i):
            d = rs.evaluate(cases[i % len(cases)], trace="full" if i % 2 else "summary")
            d.motivation(lang="en" if i % 3 else "fr")
            d.to_dict()
            if i % 10 == 0:
                with self.assertRaises(decide.CaseError):
                    rs.evaluate(malformed)
            if i % 50 == 0:
                with self.assertRaises(decide.LoadError):
                    decide.RuleSet.from_string(BROKEN)

        for i in range(200):   # warm up allocator pools and caches
            one(i)
        before = rss_pages()
        for i in range(2000):
            one(i)
        grown_kib = (rss_pages() - before) * os.sysconf("SC_PAGE_SIZE") // 1024
        # A leaked result, rendering or diagnostics list would cost several KiB per
        # evaluation, i.e. tens of MiB here; allow 2 MiB of allocator noise.
        self.assertLess(grown_kib, 2048, "resident memory grew by %d KiB" % grown_kib)

    def test_one_ruleset_shared_by_4_threads(self):
        rs = decide.RuleSet(AF)
        cases = [af_example(n) for n in sorted(os.listdir(AF_EXAMPLES)) if n.endswith(".json")]
        expected = [rs.evaluate(c).to_dict() for c in cases]
        results = [[] for _ in range(4)]
        errors = []

        def worker(k):
            try:
                for rnd in range(25):
                    for i, c in enumerate(cases):
                        results[k].append((i, rs.evaluate(c).to_dict()))
            except Exception as e:   # surfaced in the main thread below
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        for k in range(4):
            self.assertEqual(len(results[k]), 25 * len(cases))
            for i, got in results[k]:
                self.assertEqual(got, expected[i])
        outcomes = sorted({e["outcome"] for e in expected})
        self.assertIn("GRANTED", outcomes)
        self.assertIn("REVIEW", outcomes)


class LibraryTest(unittest.TestCase):
    def test_version(self):
        self.assertRegex(decide.library_version(), r"^\d+\.\d+\.\d+$")
        self.assertTrue(os.path.exists(decide.LIBRARY_PATH) or "/" not in decide.LIBRARY_PATH)


if __name__ == "__main__":
    unittest.main()
