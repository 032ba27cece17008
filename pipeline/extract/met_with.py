"""met_with: two or more named people met or talked.

The rules of `pipeline/rules/met_with.yml` (spaCy DependencyMatcher patterns) find a meeting
word and the phrases that name its participants: «A провёл переговоры с B», «A и B
встретились», «состоялась встреча A и B», «переговоры между A и B», «A принял B», «в
переговорах приняли участие A, B и C». A phrase names the people of its name, of a post
linked to a name, and of the names coordinated with it («A и B»); the entity layer says who
is who. «Во встрече также принял участие C» adds C to the people who met in the sentence
before; a meeting of people named only by a plural post («встреча министров энергетики двух
стран») takes the people the next sentence opens with. One fact per unordered pair.

A meeting the modality layer reads as planned, forecast or negated («встретятся»,
«договорились провести встречу», «в переговорах не участвовал») gives none. Qualifiers, when
the meeting's sentence states them: place (the city «в Астане» → Астана), event (the forum),
date (ISO, a full date only), format (`phone` for a call, `video` for a video conference,
from `lexicon/persons_meetings.txt`).
"""

from collections.abc import Iterator
from datetime import date
from functools import cache
from itertools import combinations

from spacy.tokens import Doc, Span, Token

from ..facts import Fact
from ..layers.entities import layer
from ..layers.modality import ACTUAL, modality_at, modality_of
from ..layers.persons import Person, mention_at, person_at
from ..layers.posts import entity_at, find_posts, lemmas
from ..lexicon import Phrases, read_lexicon, word_forms
from ..rules.engine import Match, RuleSet
from .component import register
from .evidence import evidence, mention, provenance

CLAUSE_DEPS = frozenset({"acl", "acl:relcl", "advcl", "ccomp", "parataxis", "csubj"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
WHERE = frozenset({"где"})
IN = frozenset({"в", "во"})
DATELINE_WORDS = 4
LAYERS = ("rufakt_entities", "rufakt_modality")
JOINED = "met_with.joined_earlier"
PLURAL_POST = "met_with.people_of_next_sentence"


@cache
def event_words() -> frozenset[str]:
    """Words that name a forum a meeting is held at («форум», «саммит», «неделя»)."""
    return frozenset(phrase for phrase, _ in read_lexicon("persons_meetings")["events"])


def _kind(token: Token) -> str | None:
    return "event" if lemmas(token.text) & event_words() else None


def meeting_format(sentence: Span) -> str | None:
    """`phone` or `video` when the sentence says so («телефонный разговор», «в формате
    видеоконференции»)."""
    forms = [word_forms(t.text) for t in sentence if not t.is_space]
    for section in ("phone", "video"):
        phrases = Phrases.of("persons_meetings", section)
        if any(phrases.match(forms, at) for at in range(len(forms))):
            return section
    return None


# ---------------------------------------------------------------- who


class Participants:
    """Who each token names: a person's name, or a post linked to a person's name."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.by_token = layer(doc).people_by_post
        self.unheld_posts = {
            token.i for post in find_posts(doc) if post.plural for token in post.head
            if token.i not in self.by_token
        }

    def at(self, token: Token) -> list[tuple[Person, Span]]:
        person = person_at(self.doc, token.i)
        if person is not None:
            return [(person, mention_at(self.doc, token.i))]
        return self.by_token.get(token.i, [])

    def in_phrase(self, token: Token) -> list[tuple[Person, Span]]:
        """The people a phrase names: its own name or post, and those joined to it by «и»."""
        found = []
        for node in _phrase_nodes(token):
            for item in self.at(node):
                if all(item[0] is not other[0] for other in found):
                    found.append(item)
        return found


def _phrase_nodes(token: Token) -> Iterator[Token]:
    """A phrase's tokens without its clauses («…, который …»)."""
    yield token
    for child in token.children:
        if child.dep_ not in CLAUSE_DEPS:
            yield from _phrase_nodes(child)


def _preposition(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ == "case":
            return child.lower_
    return None


def _sentence_subjects(people: Participants, sentence: Span) -> list:
    found = []
    for token in sentence:
        if token.dep_ == "root":
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS:
                    found += people.in_phrase(child)
    return found


def _where(verb: Token | None) -> Token | None:
    """The antecedent of «где» the meeting verb's clause opens with: «посетил Актобе, где …»."""
    if verb is None or verb.dep_ != "acl:relcl":
        return None
    if any(child.lower_ in WHERE for child in verb.children):
        return verb.head
    return None


def _neighbour_sentence(sentence: Span, step: int) -> Span | None:
    doc = sentence.doc
    index = sentence.start - 1 if step < 0 else sentence.end
    while 0 <= index < len(doc) and doc[index].is_space:
        index += step
    return doc[index].sent if 0 <= index < len(doc) else None


# ---------------------------------------------------------------- where, at what, when


def _place(doc: Doc, trigger: Token, verb: Token | None, posts: list[Span],
           earlier: Span | None = None) -> str | None:
    """The city of «в Астане» on the meeting word or its verb, or the place «где» the meeting
    was, else anywhere in the meeting sentence (but not a post's «посол … в Азербайджане»),
    else in the sentence before the meeting's participants were first named in."""
    where = _where(verb)
    if where is not None and where.ent_type_ == "LOC":
        return entity_at(doc, where.i)._.normal
    candidates = [child for node in (trigger, verb) if node is not None
                  for child in node.children]
    candidates += list(trigger.sent)
    if earlier is not None:
        candidates += list(earlier)
    for token in candidates:
        if token.ent_type_ != "LOC" or token.morph.get("Case") != ["Loc"]:
            continue
        if _preposition(token) not in IN and doc[token.i - 1].lower_ not in IN:
            continue
        entity = entity_at(doc, token.i)
        if not any(p.start <= entity.start < p.end for p in posts):
            return entity._.normal
    return None


def _event(sentence: Span) -> str | None:
    """The forum of the meeting sentence: its name after it («форума Kazenergy Week –
    2025»), the named forum itself («Ташкентского международного инвестиционного форума»),
    or, for a bare «на полях форума», the forum named last before."""
    doc = sentence.doc
    for token in sentence:
        if _kind(token) != "event" or token.pos_ != "NOUN":
            continue
        named = _named_event(token)
        if named:
            return named
        for index in range(sentence.start - 1, -1, -1):  # the last one named before
            if _kind(doc[index]) == "event" and (named := _named_event(doc[index])):
                return named
    return None


def _named_event(token: Token) -> str | None:
    doc, sentence = token.doc, token.sent
    name = _name_after(doc, token.i + 1, sentence.end)
    if name is not None:
        return name.text
    start = token.i
    while start > sentence.start and doc[start - 1].pos_ == "ADJ":
        start -= 1
    if start < token.i and doc[start].text[:1].isupper():
        return doc[start : token.i + 1]._.normal
    return None


def _name_after(doc: Doc, index: int, limit: int) -> Span | None:
    """A Latin-script or quoted name, with a year after a dash («Kazenergy Week – 2025»)."""
    while index < limit and doc[index].is_space:
        index += 1
    end = index
    while end < limit and (doc[end].is_space or _latin(doc[end].text)):
        end += 1
    if end == index:
        return None
    after = end
    while after < limit and doc[after].is_space:
        after += 1
    if after + 1 < limit and doc[after].text in {"–", "—", "-"}:
        year = after + 1
        while year < limit and doc[year].is_space:
            year += 1
        if year < limit and doc[year].text.isdigit() and len(doc[year].text) == 4:
            end = year + 1
    while end > index and doc[end - 1].is_space:
        end -= 1
    return doc[index:end]


def _in_dateline(token: Token) -> bool:
    """A token among the first words of its line, after «Place,» («БАКУ, 20 января»)."""
    doc = token.doc
    before = []  # the words before it on its line, nearest first
    start = token.i
    while start > 0 and "\n" not in doc[start - 1].text:
        start -= 1
        if not doc[start].is_space:
            before.append(doc[start])
            if len(before) > DATELINE_WORDS:
                return False
    before.reverse()
    return 0 < len(before) and before[-1].text == "," and all(
        t.text[:1].isupper() or t.text == "-" for t in before[:-1]
    )


def _latin(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text) and all(
        c.isalnum() or c in "&'.-" for c in text
    )


def _date(sentence: Span) -> str | None:
    """A full date of the sentence («5 апреля 2024 года») in ISO form; not the dateline's
    («Астана, 14 марта 2024 года.» opening the text)."""
    months = Phrases.of("dates", "months")
    tokens = [t for t in sentence if not t.is_space]
    words = [t.text for t in tokens]
    for at in range(len(words) - 2):
        if _in_dateline(tokens[at]):
            continue
        if not (words[at].isdigit() and words[at + 2].isdigit() and len(words[at + 2]) == 4):
            continue
        hit = months.match([word_forms(words[at + 1])], 0)
        if hit:
            try:
                return date(int(words[at + 2]), int(hit[1]), int(words[at])).isoformat()
            except ValueError:
                continue
    return None


# ---------------------------------------------------------------- facts


def _excluded(match: Match) -> bool:
    """A match whose meeting word has an object the rule rules out («принял участие», «принял
    решение» are no receptions)."""
    unless = set(match.rule.option("unless_object", []))
    trigger = match.first("trigger")
    return bool(unless) and any(c.dep_ == "obj" and lemmas(c.text) & unless
                                for c in trigger.children)


def _distinct(found: list) -> list:
    kept: list = []
    for item in found:
        if all(item[0] is not other[0] for other in kept):
            kept.append(item)
    return kept


def _people_before(people: Participants, trigger: Token) -> list:
    """The people of the nearest phrase before a verb in its sentence that is not governed by
    a preposition: the verb's subject when the parser attached it elsewhere."""
    sentence = trigger.sent
    for token in reversed(list(sentence.doc[sentence.start:trigger.i])):
        found = people.at(token)
        if found:
            head = token
            while head.dep_ in {"appos", "flat", "flat:name"} and head.head.i < trigger.i:
                head = head.head
            if _preposition(head) is None:
                return found
    return []


def _antecedent(clause: Token) -> Token:
    """What a relative clause speaks of: the phrase before «, который», climbed up to the
    head of its coordination («A и министр … B, которые …» → A), whatever the parser
    attached the clause to."""
    pronoun = next((t for t in clause.subtree if t.lemma_ == "который"), None)
    if pronoun is None or pronoun.i < 2:
        return clause.head
    before = pronoun.i - 1
    while before > 0 and clause.doc[before].is_space:
        before -= 1
    if clause.doc[before].text == ",":
        before -= 1
    node = clause.doc[before]
    while node.dep_ in {"flat:name", "flat", "appos", "conj"} and node.head.i != node.i:
        node = node.head
    return node


def _meeting_modality(trigger: Token) -> str:
    """The modality of a meeting: a meeting noun in an adverbial phrase («во время встречи»,
    «в ходе переговоров») is a real event whatever the clause around it says; otherwise the
    modality layer's reading of the meeting word."""
    if trigger.pos_ == "NOUN" and trigger.dep_ in {"obl", "nmod"} and _preposition(trigger):
        return modality_at(trigger).label
    return modality_of(trigger).label


def _people(people: Participants, match: Match) -> list[tuple[Person, Span]]:
    """The people a match binds; a collective word («собеседники», «стороны») stands for the
    people the sentence before was about."""
    found: list[tuple[Person, Span]] = []
    for name, tokens in match.bound.items():
        if name in {"trigger", "verb", "with", "by", "at", "part"}:
            continue
        if match.rule.option("spans"):  # everyone the bound words name
            items = [item for token in tokens for item in people.at(token)]
        else:
            items = people.in_phrase(tokens[0])
        if not items and lemmas(tokens[0].text) & collective_words():
            before = _neighbour_sentence(tokens[0].sent, -1)
            items = _sentence_subjects(people, before) if before is not None else []
        for item in items:
            if all(item[0] is not other[0] for other in found):
                found.append(item)
    return found


@cache
def collective_words() -> frozenset[str]:
    return frozenset(phrase for phrase, _ in read_lexicon("persons_meetings")["collective"])


@register("met_with")
def extract(doc: Doc, rules: RuleSet | None) -> Iterator[Fact]:
    """met_with facts of a doc that went through the document layer."""
    if rules is None:
        return
    people = Participants(doc)
    posts = [post.span for post in find_posts(doc)]
    by_trigger: dict[int, list[Match]] = {}
    for match in rules(doc):
        if not _excluded(match):
            by_trigger.setdefault(match.first("trigger").i, []).append(match)
    seen: set[tuple[int, frozenset]] = set()
    last_meeting = None  # (people, sentence) of the last meeting told, for «на встрече …» later
    joined_qualifiers: dict = {}  # its place, forum, date and format
    for matches in by_trigger.values():
        # the fact's rule: the match that names the most people, the earliest rule on a tie
        named = {id(m): _people(people, m) for m in matches}
        match = min(matches, key=lambda m: (-len(named[id(m)]), rules.order[m.rule.id]))
        trigger = match.first("trigger")
        verb = match.first("verb") or (trigger if trigger.pos_ == "VERB" else None)
        found = _distinct([p for m in matches for p in named[id(m)]])
        rule, confidence, earlier = match.rule.id, match.rule.confidence, None
        own = list(found)  # the people the clause itself names
        if "took_part" in match.rule.id and len(found) < 2:
            before = _neighbour_sentence(trigger.sent, -1)
            joined = _sentence_subjects(people, before) if before is not None else []
            if last_meeting is not None and (not joined or last_meeting[1].start >= before.start):
                joined, before = last_meeting  # «На встрече присутствовал C»: the last meeting
            if before is not None:
                found += [p for p in joined if all(p[0] is not f[0] for f in found)]
                rule, earlier = JOINED, before
                confidence = rules.rules[JOINED].confidence
        if len(found) < 2 and any(t.i in people.unheld_posts for m in matches
                                  for tokens in m.bound.values() for t in tokens):
            following = _neighbour_sentence(trigger.sent, 1)
            if following is not None:
                found = _sentence_subjects(people, following)
                rule, confidence = PLURAL_POST, rules.rules[PLURAL_POST].confidence
        if any(m.rule.option("subject") == "before" for m in matches) and not any(
                c.dep_ in SUBJECT_DEPS for c in trigger.children):
            found = _people_before(people, trigger) + found
        if any(m.rule.option("antecedent") for m in matches):
            found = people.in_phrase(_antecedent(trigger)) + found
        found = _distinct(found)
        if len(found) < 2 or _meeting_modality(trigger) != ACTUAL:
            continue
        if any(m.first("verb") is not None and modality_at(m.first("verb")).label != ACTUAL
               for m in matches):
            continue  # «в консультациях не участвовали», «встреча перенесена»
        key = (trigger.i, frozenset(id(p) for p, _ in found))
        if key in seen:
            continue
        seen.add(key)
        qualifiers = dict(joined_qualifiers) if rule == JOINED else {}  # the meeting joined
        for name, value in (("place", _place(doc, trigger, verb, posts, earlier)),
                            ("event", _event(trigger.sent)), ("date", _date(trigger.sent)),
                            ("format", meeting_format(trigger.sent))):
            if value:
                qualifiers[name] = value
        last_meeting, joined_qualifiers = (found, earlier or trigger.sent), qualifiers
        ordered = sorted(found, key=lambda item: item[1].start)
        for (first, first_name), (second, second_name) in combinations(ordered, 2):
            if rule == JOINED and not any(p is first or p is second for p, _ in own):
                continue  # the pairs of the meeting joined were told with it
            yield Fact(
                predicate="met_with",
                subject=mention(first_name, "PER", normal=first.normal),
                object=mention(second_name, "PER", normal=second.normal),
                qualifiers=qualifiers,
                evidence=evidence(doc, first_name, second_name, trigger.sent),
                confidence=confidence,
                provenance=provenance(rule, *LAYERS),
                doc_date=doc._.date,
            )
