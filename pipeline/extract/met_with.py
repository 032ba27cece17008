"""met_with: two named people met.

A meeting is told by a word from `lexicon/persons_meetings.txt` («встреча», «переговоры»,
«встретился») and its participants are the people syntactically tied to that word:

- the subject of the meeting verb, or of the verb the meeting noun depends on: «A провёл
  переговоры с B», «A и B провели переговоры», «в ходе встречи A и B обсудили …»;
- «с B» and «между A и B» on the word or its verb; the people before «, которые
  встречаются»; a host and the guest he receives («A принимает … коллегу B»);
- the dependents of the meeting noun: «состоялась встреча A и B»; when they are posts
  («встреча министров энергетики Казахстана и Азербайджана»), their holders, found by
  `officials.py` (in the next sentence: «A и B обсудили …»), or else the people the next
  sentence opens with.

- the people who «приняли участие» in it («переговоры, в которых приняли участие A, B и C»);
  «во встрече также принял участие C» adds C to the subjects of the sentence before;
- «A беседовал с B»; «A обсудил с B» (not by phone); a subjectless meeting verb takes the
  subject of the verb it hangs from («A посетил Актобе, где обсудил с B …», place Актобе).

A person is a name or a post linked to a name. One fact per unordered pair of participants.
A planned or future meeting, or one the person did not take part in («в переговорах не
участвовал»), gives none. Qualifiers, when the meeting sentence states them: place (the city
«в Астане» → Астана), event (the forum: «Kazenergy Week – 2025», «Ташкентский международный
инвестиционный форум») and date (ISO, a full date only).
"""

from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from itertools import combinations

from spacy.tokens import Doc, Span, Token

from ..facts import Fact
from ..layers.entities import holdings
from ..layers.persons import Person, mention_at, person_at
from ..layers.posts import entity_at, find_posts, lemmas
from ..lexicon import Phrases, lexicon_lines, word_forms
from .component import register
from .evidence import evidence, mention

CLAUSE_DEPS = frozenset({"acl", "acl:relcl", "advcl", "ccomp", "parataxis", "csubj"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
WITH = frozenset({"с", "со"})
BETWEEN = frozenset({"между"})
PARTICIPATE = frozenset({"участвовать"})  # and «принять участие»
WHERE = frozenset({"где"})
IN = frozenset({"в", "во"})
DIRECT, NEXT_SENTENCE = 0.9, 0.7
DATELINE_WORDS = 4


@cache
def meeting_words() -> dict[str, str]:
    """Lemma → "meeting", "planned" or "event"."""
    return dict(line.split("\t") for line in lexicon_lines("persons_meetings.txt"))


def _kind(token: Token) -> str | None:
    for lemma in lemmas(token.text):
        if lemma in meeting_words():
            return meeting_words()[lemma]
    return None


# ---------------------------------------------------------------- who


class Participants:
    """The people of the document and the token each of their mentions or posts covers."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.by_token: dict[int, list[tuple[Person, Span]]] = {}
        for holding in holdings(doc):
            for token in holding.post.head:
                self.by_token.setdefault(token.i, []).append((holding.person, holding.mention))
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


def _negated(token: Token) -> bool:
    return any(child.dep_ == "advmod" and child.lower_ == "не" for child in token.children)


def _planned(trigger: Token, verb: Token | None) -> bool:
    """A meeting to come: «следующая встреча», «договорились провести встречу»,
    «встретятся», «встреча запланирована»."""
    if any(_kind(child) == "planned" for child in trigger.children if child.dep_ == "amod"):
        return True
    for node in (trigger, verb, verb.head if verb is not None else None):
        if node is None:
            continue
        if node.morph.get("Tense") == ["Fut"] or _kind(node) == "planned":
            return True
        if any(_kind(child) == "planned" for child in node.children
               if child.dep_ in {"aux", "aux:pass", "xcomp"}):
            return True
    return False


def _participants(people: Participants, trigger: Token) -> tuple[list, Token | None, bool]:
    """(participants, the verb of the meeting, whether the dependents are unheld posts)."""
    found: list[tuple[Person, Span]] = []
    unheld = False

    def add(items: Iterable[tuple[Person, Span]]) -> None:
        for item in items:
            if all(item[0] is not other[0] for other in found):
                found.append(item)

    is_verb = trigger.pos_ in {"VERB", "AUX"}
    verb = trigger if is_verb else (trigger.head if trigger.head.pos_ in {"VERB", "AUX"}
                                    and trigger.dep_ != "root" else None)
    if not is_verb:
        for child in trigger.children:
            if child.dep_ in {"nmod", "conj", "appos"} and _preposition(child) in (
                None, *WITH, *BETWEEN
            ):
                add(people.in_phrase(child))
                if any(t.i in people.unheld_posts for t in _phrase_nodes(child)):
                    unheld = True
    if not is_verb:  # «переговоры, в которых приняли участие A, B и C»
        for child in trigger.children:
            if child.dep_.startswith("acl") and _participation(child):
                for grandchild in child.children:
                    if grandchild.dep_ in SUBJECT_DEPS:
                        add(people.in_phrase(grandchild))
    if is_verb and trigger.dep_.startswith("acl"):  # «A и B, которые встречаются»
        add(people.in_phrase(_antecedent(trigger)))
    if _kind(trigger) == "receives":  # «Обама принимает … коллегу Николя Саркози»
        guests = [
            item for node in _phrase_nodes(trigger) if node.i > trigger.i
            and "Acc" in (node.morph.get("Case") + node.head.morph.get("Case"))
            for item in people.at(node)
        ]
        if not guests:
            return [], verb, False
        add(guests)
    if verb is not None and (is_verb or trigger.dep_ not in SUBJECT_DEPS):
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS or (child.dep_ == "appos" and child.i < verb.i):
                add(people.in_phrase(child))  # (an apposition: the parser's slip for a subject)
            elif child.dep_ in {"obl", "nmod", "obj"} and _preposition(child) in (*WITH,
                                                                                  *BETWEEN):
                add(people.in_phrase(child))
        if is_verb and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
            add(_governing_subjects(people, verb))
    return found, verb, unheld


def _participation(verb: Token) -> bool:
    """«участвовать», «принять участие»."""
    if any(lemma in PARTICIPATE for lemma in lemmas(verb.text)):
        return True
    return "принять" in lemmas(verb.text) and any(
        child.dep_ == "obj" and child.lower_ == "участие" for child in verb.children
    )


def _governing_subjects(people: Participants, verb: Token) -> list:
    """The subject of the verb a subjectless meeting verb hangs from: «A посетил город, где
    обсудил с B …», «A прибыл в город и встретился с B»."""
    if verb.dep_ not in {"conj", "acl:relcl", "advcl", "xcomp"}:
        return []
    node = verb.head
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    if node.pos_ not in {"VERB", "AUX"} or node is verb:
        return []
    found = []
    for child in node.children:
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


def _previous_sentence_people(people: Participants, sentence: Span) -> tuple[list, Span | None]:
    """The subjects of the previous sentence's main verb («A и B обсудили … . Во встрече
    также принял участие C»)."""
    doc = sentence.doc
    end = sentence.start - 1
    while end >= 0 and doc[end].is_space:
        end -= 1
    if end < 0:
        return [], None
    previous = doc[end].sent
    found = []
    for token in previous:
        if token.dep_ == "root":
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS:
                    found += people.in_phrase(child)
    return found, previous


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


def _next_sentence_people(people: Participants, sentence: Span) -> list:
    """The people the next sentence opens with, as the subject of its verb («… состоялась
    встреча руководителей … . A, B и C обсудили …»)."""
    doc = sentence.doc
    start = sentence.end
    while start < len(doc) and doc[start].is_space:
        start += 1
    if start >= len(doc):
        return []
    following = doc[start].sent
    for token in following:
        if token.dep_ == "root":
            subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
            return people.in_phrase(subjects[0]) if subjects else []
    return []


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
        earlier = [_named_event(t) for t in doc[: sentence.start] if _kind(t) == "event"]
        earlier = [name for name in earlier if name]
        if earlier:
            return earlier[-1]
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
    start = token.i
    while start > 0 and "\n" not in doc[start - 1].text:
        start -= 1
    before = [t for t in doc[start : token.i] if not t.is_space]
    return 0 < len(before) <= DATELINE_WORDS and before[-1].text == "," and all(
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


def _talks_with_someone(people: Participants, verb: Token) -> bool:
    """«обсудил с B …»: talks are a meeting when held with a person, face to face."""
    if any(t.lower_ in {"телефону", "телефонный", "телефонного", "телефонном", "онлайн",
                        "видеосвязи", "видеоконференции"} for t in verb.sent):
        return False
    return any(
        child.dep_ in {"obl", "nmod"} and _preposition(child) in WITH
        and people.in_phrase(child) for child in verb.children
    )


@register("met_with", rules=False)
def extract(doc: Doc, rules: None = None) -> Iterator[Fact]:
    people = Participants(doc)
    posts = [post.span for post in find_posts(doc)]
    for trigger in doc:
        kind = _kind(trigger)
        if not (kind == "meeting" and trigger.pos_ in {"NOUN", "VERB"}
                or kind in {"receives", "talks"} and trigger.pos_ == "VERB"):
            continue
        if kind == "talks" and not _talks_with_someone(people, trigger):
            continue
        found, verb, unheld = _participants(people, trigger)
        earlier = None
        if (kind == "meeting" and trigger.pos_ == "NOUN" and verb is not None
                and _participation(verb) and len(found) <= 1):
            if not found:  # the parser's slip: «принял участие» + nmod «Сергей Гусев»
                found = [item for child in verb.children if child.lower_ == "участие"
                         for grandchild in child.children if grandchild.dep_ == "nmod"
                         and "Nom" in grandchild.morph.get("Case")
                         for item in people.in_phrase(grandchild)][:1]
            before, earlier = _previous_sentence_people(people, trigger.sent)
            found += [item for item in before if all(item[0] is not f[0] for f in found)]
        if _planned(trigger, verb) or _negated(trigger) or (verb is not None and _negated(verb)):
            continue
        confidence = DIRECT
        if len(found) < 2 and unheld:
            found = _next_sentence_people(people, trigger.sent)
            confidence = NEXT_SENTENCE
        if len(found) < 2:
            continue
        qualifiers = {}
        place = _place(doc, trigger, verb, posts, earlier)
        event = _event(trigger.sent)
        day = _date(trigger.sent)
        for key, value in (("place", place), ("event", event), ("date", day)):
            if value:
                qualifiers[key] = value
        ordered = sorted(found, key=lambda item: item[1].start)
        for (first, first_name), (second, second_name) in combinations(ordered, 2):
            yield Fact(
                predicate="met_with",
                subject=mention(first_name, "PER", normal=first.normal),
                object=mention(second_name, "PER", normal=second.normal),
                qualifiers=qualifiers,
                evidence=evidence(doc, first_name, second_name, trigger.sent),
                confidence=confidence,
            )
