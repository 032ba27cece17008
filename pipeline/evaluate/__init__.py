"""Evaluation of extracted facts: against gold JSON Lines files and against FactRuEval-2016.

Matching rules (`evaluate`):

- Facts are matched one-to-one and greedily within the same doc_id and predicate;
  a gold fact matched by no prediction is a miss, an unmatched prediction an extra
  (so a duplicated prediction counts once as a true positive and once as an extra).
  Candidate pairs whose reported qualifier (position, commodity) also agrees are taken
  first. Only documents present in the gold are scored; predictions for other documents
  are counted as "unscored". P = tp/pred, R = tp/gold, F1 = 2tp/(gold+pred); the
  overall line is micro-averaged.
- Strings are compared after lower-casing, ё→е, collapsing whitespace and turning every
  dash into "-" (spaces around a dash dropped, so «Актау – Баку» = «Актау-Баку»);
  an argument's `normal` is used, its `text` when there is no normal.
- Person: the same normalised normal; or the same surname (last word) and agreeing
  first names (the same first word, an initial that fits it, or one side has the surname
  only). Patronymics (inner words ending in -вич/-вна/-ична/-ич), «X оглы/кызы/улы» and
  particles before the surname (де, фон, бин…) are ignored.
- LOC/ORG/PROJECT: the same normalised normal, or equal sets of content-word lemmas
  (pymorphy3 normal forms of the words, prepositions and conjunctions dropped).
  Entity types are not compared.
- holds_position: subject person and object match; the `position` qualifier is not
  required (its agreement, same normal or lemma set, is reported among the matches).
- route_volume: the route matches (normalised waypoint lists equal, in order; when
  either side has no waypoints, the route names match by the LOC/ORG rule), the units
  are equal, the value is within 0.5 % of the gold value, and year and status are
  equal. Commodity agreement is reported among the matches, not required.
- project_participant: project and participant match by the LOC/ORG rule.
- met_with: the unordered pair of persons matches (either order).
- Any other predicate: subject and object match by the LOC/ORG rule.

FactRuEval rules are documented in `pipeline.evaluate.factru.evaluate_factru`.
"""

from .factru import FactruDoc, evaluate_factru, factru_texts, load_factru
from .jsonl import FactsFormatError, load_facts
from .report import Accuracy, Counts, Report, describe_fact, format_by_rule, format_report
from .score import evaluate

__all__ = [
    "Accuracy",
    "Counts",
    "FactruDoc",
    "FactsFormatError",
    "Report",
    "describe_fact",
    "evaluate",
    "evaluate_factru",
    "factru_texts",
    "format_by_rule",
    "format_report",
    "load_facts",
    "load_factru",
]
