"""The rule engine: which words a sentence must hold before a group of rules is run there,
and matches of token and dependency rules in document coordinates."""

import pytest

from pipeline.rules.engine import (
    MENTION_LABELS,
    RULES_DIR,
    Rule,
    RuleError,
    RuleSet,
    _required_words,
    dependency_pattern,
    mark_codes,
    mark_mentions,
    read_yaml,
    token_pattern,
)


def rule(kind: str, *pattern: dict, rule_id: str = "test.rule") -> Rule:
    return Rule(id=rule_id, kind=kind, pattern=tuple(pattern), confidence=0.9)


MEET = {"forms": ["встретиться"]}

REQUIRED = [
    # (pattern, kind, how many word lists a sentence must meet)
    ([MEET], "tokens", 1),
    ([{"text": ["давно"], "op": "?"}, MEET], "tokens", 1),  # optional: not required
    ([{"text": ["давно"], "op": "+"}, MEET], "tokens", 2),
    ([{"text": ["не"], "op": "!"}, MEET], "tokens", 1),  # negated: not required
    ([MEET, {"text": [","]}], "tokens", 1),  # punctuation is not among a text's words
    ([{"mention": "PER"}, MEET], "tokens", 1),  # a mention names no words
    ([{"id": "verb", **MEET}, {"id": "with", "of": "verb", "text": ["с"]}], "deps", 2),
]


@pytest.mark.parametrize(("pattern", "kind", "count"), REQUIRED)
def test_required_words_are_the_lists_of_elements_that_must_match(pattern, kind, count):
    compiled = token_pattern(pattern)[0] if kind == "tokens" else dependency_pattern(pattern)
    required = _required_words(kind, compiled)
    assert len(required) == count
    assert "встретился" in required[-1] or "с" in required[-1] or "давно" in required[-1]


def test_a_rule_whose_first_element_is_optional_matches_without_it(nlp):
    doc = nlp("Министр встретился с послом в Астане.\nПосол давно встретился с министром.")
    rules = RuleSet(nlp.vocab, [rule("tokens", {"text": ["давно"], "op": "?", "bind": "when"},
                                     {"forms": ["встретиться"], "bind": "verb"})])
    matches = rules(doc)
    first_sentence = [m for m in matches if m.first("verb").i < 10]
    assert [m.first("verb").text for m in first_sentence] == ["встретился"]
    assert any(m.first("when") is not None and m.first("when").text == "давно"
               for m in matches)


def test_each_rule_of_a_group_runs_where_all_its_own_words_are(nlp):
    doc = nlp("Стороны подписали соглашение.\nМинистр встретился с послом.\n"
              "Стороны подписали протокол.")
    rules = RuleSet(nlp.vocab, [
        rule("tokens", {"forms": ["встретиться"]}, rule_id="test.meet"),
        rule("tokens", {"text": ["подписали"]}, {"text": ["соглашение"]}, rule_id="test.sign"),
    ])
    found = sorted((m.rule.id, m.span.text) for m in rules(doc))
    assert found == [("test.meet", "встретился"), ("test.sign", "подписали соглашение")]


def test_dependency_matches_are_in_document_coordinates(nlp):
    doc = nlp("Погода была хорошей.\nМинистр встретился с послом.")
    rules = RuleSet(nlp.vocab, [rule("deps", {"id": "verb", **MEET},
                                     {"id": "who", "of": "verb", "POS": "NOUN"})])
    words = [(m.bound["verb"][0].text, m.bound["verb"][0].i) for m in rules(doc)]
    assert words and all(doc[i].text == text == "встретился" for text, i in words)


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.yml")), ids=lambda p: p.name)
def test_rule_files_read_the_same_as_with_a_yaml_1_2_reader(path):
    """The rule files are read with libyaml (YAML 1.1, fast); a YAML 1.2 reader (spaCy's
    srsly) must see the same data, so «no» or «on» never turn into booleans unnoticed."""
    import srsly

    assert read_yaml(path) == srsly.read_yaml(path)


@pytest.mark.parametrize("element", [{"TAG": "NN"}, {"LEMMA": "встреча"}, {"NORM": "x"},
                                     {"_": {"mb": {"INTERSECTS": ["PER"]}}}])
def test_a_pattern_may_not_use_the_attributes_that_carry_mentions(element):
    with pytest.raises(RuleError, match="reserved for mentions"):
        token_pattern([element])


def test_mark_codes_name_every_label_set_holding_one_of_the_labels():
    codes = mark_codes(["PER", "POST"])
    assert len(codes) == 2 ** len(MENTION_LABELS) - 2 ** (len(MENTION_LABELS) - 2)
    assert all("PER" in code or "POST" in code for code in codes)
    with pytest.raises(RuleError, match="unknown mention label"):
        mark_codes("PERSON")


def test_mentions_marked_on_a_doc_are_matched_where_they_begin_and_continue(nlp):
    doc = nlp.make_doc("Погода хорошая.\nТимур Абенов встретился с Ерланом Аккенженовым.")
    name, other = doc[4:6], doc[8:10]
    assert name.text == "Тимур Абенов" and other.text == "Ерланом Аккенженовым"
    mark_mentions([("PER", name), ("PER", other)])
    rules = RuleSet(nlp.vocab, [rule("tokens", {"mention": "PER", "bind": "who"},
                                     {"forms": ["встретиться"]}, {"text": ["с"]},
                                     {"mention": "PER", "bind": "whom"})])
    match, = rules(doc)
    assert match.span.text == "Тимур Абенов встретился с Ерланом Аккенженовым"
    assert [t.text for t in match.bound["who"]] == ["Тимур", "Абенов"]
    assert match.bound["whom"][0].text == "Ерланом"
    unmarked = RuleSet(nlp.vocab, [rule("tokens", {"mention": "ORG"},
                                        {"forms": ["встретиться"]})])
    assert unmarked(doc) == []


def test_a_sentence_copy_has_the_words_and_parse_spacys_own_copy_has(nlp):
    from pipeline.rules.engine import SENTENCE_ATTRS, _sentence_doc

    doc = nlp("Погода была хорошей.\nМинистр энергетики Казахстана Ерлан Аккенженов "
              "встретился в Астане с послом Азербайджана.")
    array = doc.to_array(list(SENTENCE_ATTRS))
    for sentence in doc.sents:
        ours, spacys = _sentence_doc(sentence, array, []), sentence.as_doc()

        def view(copy):
            return [(t.text, t.whitespace_, t.pos_, str(t.morph), t.dep_, t.head.i,
                     t.is_sent_start, t.lower_) for t in copy]

        assert view(ours) == view(spacys)
