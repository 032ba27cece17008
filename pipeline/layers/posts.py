"""Posts people hold: «министр энергетики Казахстана», «генеральный директор АО «КазТрансОйл»»,
«казахстанский вице-министр».

A post starts at a head from `lexicon/positions.txt` (matched on lemmas, so in any case and
number), takes the genitive words that make its title («энергетики», «иностранных дел»,
«правления»), then the country or organisation it belongs to: a LOC/ORG entity, a body and its
name («компании «СибТрансУголь»», «министерства энергетики Туркменистана» → Туркменистан), or a
country adjective before the head («казахстанский министр» → Казахстан). Persons are not looked
at here: `officials.py` links posts to the people who hold them.
"""

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from spacy.tokens import Doc, Span, Token

from ..lexicon import lexicon_lines
from ..nlp import morphology
from ..nlp.morphology import analyzer
from .store import doc_cache, entities, entity_at
from .view import words_of_doc

POSTS_KEY = "rufakt_posts"
OPEN_QUOTES = frozenset("«„“\"")
CLOSE_QUOTES = frozenset("»“”\"")
PREFIXES = ("экс-", "и.о.", "врио-")
FORMER = frozenset({"бывший", "экс", "прежний"})
ADJECTIVE_POS = frozenset({"ADJ", "DET", "NUM"})
CASE_ENDINGS = ("ом", "ем", "а", "у", "е")  # of masculine names with a hard stem
SOFT_ENDINGS = ("ью", "и")  # of feminine names in «-ь» («Роснефти», «Роснефтью»)
SCOPE_PREPOSITIONS = frozenset({"в", "на", "при", "по", "от"})
UD_CASE_NAMES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt",
                 "Loc": "loct"}


@dataclass(frozen=True)
class Affiliation:
    """The country or organisation a post belongs to, as cited: `span` is its text in the
    document, `normal` its nominative; `anaphoric` when read from an earlier mention
    («глава компании» → the company named before)."""

    span: Span
    normal: str
    type: str  # "LOC" | "ORG"
    anaphoric: bool = False
    aliases: tuple[str, ...] = ()  # an abbreviation defined with it: «… банк развития (ЕАБР)»


@dataclass(frozen=True)
class Post:
    """A post phrase: `head` are the lexicon words, `title` the post in the nominative singular
    («министр энергетики»), `span` the whole phrase with its affiliation; a plural post may
    belong to several places («министров энергетики Казахстана и Азербайджана»)."""

    head: Span
    title: str
    span: Span
    affiliations: tuple[Affiliation, ...]
    plural: bool
    case: str | None
    status: str | None = None  # "former" («бывший министр», «экс-глава») or "acting" («и.о.»)

    @property
    def affiliation(self) -> Affiliation | None:
        return self.affiliations[0] if self.affiliations else None


# ---------------------------------------------------------------- lexicons


@lru_cache(maxsize=50_000)
def lemmas(word: str) -> frozenset[str]:
    """Every dictionary form pymorphy3 gives `word`, and the form without «экс-»."""
    forms = {form.replace("ё", "е") for form in morphology.normal_forms(word.lower())}
    for form in list(forms):
        for prefix in PREFIXES:
            if form.startswith(prefix) and len(form) > len(prefix) + 2:
                forms.add(form[len(prefix):])
    return frozenset(forms)


@cache
def post_heads() -> dict[str, list[tuple[tuple[frozenset[str], ...], str]]]:
    """First-word lemma → (lemma sets of each word, title) of every post head."""
    index: dict[str, list[tuple[tuple[frozenset[str], ...], str]]] = {}
    for title in lexicon_lines("positions.txt"):
        words = tuple(lemmas(word) for word in title.split())
        for lemma in words[0]:
            index.setdefault(lemma, []).append((words, title))
    return index


@cache
def bodies() -> dict[str, tuple[str, str]]:
    """Body noun lemma → (kind, title of its head): «министерство» → ("state", "министр")."""
    table = {}
    for line in lexicon_lines("positions_bodies.txt"):
        word, kind, leader = line.split("\t")
        table[word] = (kind, leader)
    return table


@cache
def country_adjectives() -> dict[str, str]:
    """Adjective → place: «казахстанский» → «Казахстан», «подмосковный» → «Подмосковье»."""
    return {line.split("\t")[0]: line.split("\t")[1]
            for line in lexicon_lines("positions_countries.txt")}


@cache
def countries() -> frozenset[str]:
    """The countries the lexicons know (places of country adjectives, but for regions)."""
    lines = [line.split("\t") for line in lexicon_lines("positions_countries.txt")]
    return frozenset(parts[1] for parts in lines if parts[2:] != ["region"]) | frozenset(
        country_names().values()
    )


@cache
def country_names() -> dict[str, str]:
    """Short names of countries → the name used as a normal: «КНР» → «Китай»."""
    return dict(line.split("\t") for line in lexicon_lines("positions_country_names.txt"))


@cache
def spheres() -> frozenset[str]:
    """Nouns that may follow «по» in a title («по делам», «по вопросам»)."""
    return frozenset(lexicon_lines("positions_spheres.txt"))


# ---------------------------------------------------------------- token tests


def _case(token: Token) -> str | None:
    value = token.morph.get("Case")
    return value[0] if value else None


def body_of(token: Token) -> tuple[str, str] | None:
    """(kind, leader) when the token is a body noun or a legal form («компании», «АО»)."""
    if token.ent_type_ == "PER" or not token.text[:1].isalpha():
        return None
    table = bodies()
    for lemma in lemmas(token.text):
        if lemma in table:
            return table[lemma]
    return None


def _is_latin(token: Token) -> bool:
    letters = [c for c in token.text if c.isalpha()]
    return bool(letters) and all("a" <= c.lower() <= "z" or ord(c) > 0x24F for c in letters) and (
        any("a" <= c.lower() <= "z" for c in letters)
    )


def _adjective_like(token: Token) -> bool:
    if token.pos_ in ADJECTIVE_POS:
        return True
    return token.pos_ == "VERB" and "Case" in token.morph.to_dict()


def _next(doc: Doc, index: int, limit: int) -> int:
    """The first non-space token at or after `index` (or `limit`)."""
    while index < limit and doc[index].is_space:
        index += 1
    return index


def _entity(token: Token) -> Span | None:
    return entity_at(token.doc, token.i) if token.ent_type_ else None


# ---------------------------------------------------------------- heads and titles


@cache
def _head_starts() -> frozenset[str]:
    """Every written form of the first words of the post heads: a word not among them starts
    no post, and is passed over without a dictionary lookup."""
    from ..rules.engine import surface_forms

    forms: set[str] = set()
    for title in lexicon_lines("positions.txt"):
        first = title.split()[0]
        written = set(surface_forms(first))
        for parse in morphology.parses(first):  # «управляющий»: the participle's whole paradigm
            written |= {form.word.replace("ё", "е") for form in parse.lexeme}
        forms |= written | {prefix + form for prefix in PREFIXES for form in written}
    return frozenset(forms)


def match_head(doc: Doc, index: int) -> tuple[int, str] | None:
    """(end, title) of the longest post head starting at token `index`."""
    token = doc[index]
    if token.is_space or not token.text[:1].isalpha() or token.ent_type_ == "PER":
        return None
    if token.lower_.replace("ё", "е") not in _head_starts() and not _prefixed(token.lower_):
        return None
    best = None
    for lemma in lemmas(token.text):
        for words, title in post_heads().get(lemma, ()):
            position, ok = index, True
            for word in words:
                position = _next(doc, position, len(doc))
                if position >= len(doc) or not (word & lemmas(doc[position].text)):
                    ok = False
                    break
                position += 1
            nouns = [t for t in doc[index:position] if _noun(t)]
            if ok and (nouns or title.startswith(ACTING_TITLES)) and (
                    best is None or position > best[0]):
                best = (position, title)
    entity = _entity(token)  # the tagger's slips: «Аким» or «Замглавы» tagged LOC or ORG alone
    if best is not None and entity is not None and not (
        entity.start >= index and entity.end <= best[0]
    ):
        return None
    return best


def _only_plural(token: Token) -> bool:
    """A word every reading of which is plural («Президенты», «Депутаты»), whatever the
    tagger says."""
    parses = [p for p in morphology.parses(token.lower_) if p.tag.POS == "NOUN"]
    return bool(parses) and all(p.tag.number == "plur" for p in parses)


def _prefixed(word: str) -> bool:
    """«экс-министр», «врио-…»: a prefix before a head's word, matched by `lemmas`."""
    return word.startswith(("экс", "и.о", "врио"))


def _noun(token: Token) -> bool:
    """A noun for the tagger, or for the dictionary when the tagger hesitates
    («Экс-председатель» tagged ADJ)."""
    if token.pos_ in {"NOUN", "PROPN"}:
        return True
    return token.pos_ == "ADJ" and morphology.parses(token.lower_)[0].tag.POS == "NOUN"


def _genitive_np(doc: Doc, index: int, limit: int, case: str = "Gen") -> int | None:
    """End of a noun phrase in `case` at `index`: adjectives, then a common noun."""
    position = _next(doc, index, limit)
    while position < limit and _adjective_like(doc[position]) and _case(doc[position]) == case:
        position = _next(doc, position + 1, limit)
    if position < limit and _case(doc[position]) == case and (
            doc[position].pos_ == "NOUN" or (doc[position].pos_ == "PROPN"
                                             and _capitalised_title_word(doc[position]))):
        return position + 1
    return None


def _title_word_np(doc: Doc, start: int, end: int) -> bool:
    """A phrase that belongs to the title: no entity, body, place or name in it."""
    for token in doc[start:end]:
        if token.is_space:
            continue
        if token.ent_type_ or body_of(token) or not token.text[:1].isalpha():
            if not (token.ent_type_ and _capitalised_title_word(token)):
                return False
        if token.text[:1].isupper() and token.i != start and not _capitalised_title_word(token):
            return False
    return True


def _capitalised_title_word(token: Token) -> bool:
    """A post word written with a capital, as official styles do («Заместитель Председателя
    Кабинета Министров»): a post head or a word of one."""
    return bool(lemmas(token.text) & _title_lemmas())


@cache
def _title_lemmas() -> frozenset[str]:
    """The lemmas of one-word post heads («председатель», «заместитель», «министр»)."""
    return frozenset(lemma for entries in post_heads().values() for words, _ in entries
                     if len(words) == 1 for lemma in words[0])


def _state_body_end(doc: Doc, index: int, limit: int) -> int | None:
    """End of a government body that is part of a title: «кабинета министров»,
    «министерства энергетики», «внешнеполитического ведомства», «Минэнерго»."""
    position = _next(doc, index, limit)
    while position < limit and _adjective_like(doc[position]) and not doc[position].ent_type_:
        if _case(doc[position]) != "Gen":
            return None
        position = _next(doc, position + 1, limit)
    if position >= limit or (body_of(doc[position]) or ("",))[0] != "state":
        return None
    entity = _entity(doc[position])
    if entity is not None:
        return entity.end if entity.label_ == "ORG" and entity.start == position else None
    if _case(doc[position]) not in {"Gen", None}:
        return None
    return title_end(doc, position + 1, limit)


def title_end(doc: Doc, start: int, limit: int) -> int:
    """End of the title words after a head: genitive phrases («энергетики», «иностранных дел»),
    joined by «и», «по» + a sphere («по делам разведки») and government bodies
    («председателя кабинета министров»)."""
    end = position = start
    while True:
        position = _next(doc, end, limit)
        if position >= limit:
            return end
        word = doc[position].lower_
        np_end = _genitive_np(doc, position, limit)
        if np_end and _title_word_np(doc, position, np_end):
            end = np_end
            continue
        body_end = _state_body_end(doc, position, limit)
        if body_end:
            end = body_end
            continue
        if word == "," and end > start:
            listed = _listed_spheres(doc, position, limit)
            if listed:  # «министр природных ресурсов, экологии и технического надзора»
                end = listed
                continue
        if word == "и" and end > start:
            np_end = _genitive_np(doc, position + 1, limit)
            if np_end and _title_word_np(doc, position + 1, np_end):
                nouns = [t for t in doc[position + 1 : np_end] if t.pos_ == "NOUN"]
                if not any(match_head(doc, t.i) for t in nouns):
                    end = np_end
                    continue
        if word == "по":
            np_end = _genitive_np(doc, position + 1, limit, case="Dat")
            if np_end and lemmas(doc[np_end - 1].text) & spheres():
                end = np_end
                following = _next(doc, end, limit)
                if following < limit and doc[following].lower_ == "и":
                    end = _genitive_np(doc, following + 1, limit, case="Dat") or end
                continue
        return end


def _listed_spheres(doc: Doc, comma: int, limit: int) -> int | None:
    """End of «, экологии и технического надзора» after a title's genitive phrase: genitive
    phrases after commas, the last after «и»; None unless the list closes so."""
    position = comma
    while position < limit and doc[position].text == ",":
        np_end = _genitive_np(doc, position + 1, limit)
        if not np_end or not _title_word_np(doc, position + 1, np_end):
            return None
        position = _next(doc, np_end, limit)
        if position < limit and doc[position].lower_ == "и":
            last = _genitive_np(doc, position + 1, limit)
            if last and _title_word_np(doc, position + 1, last) and not any(
                    match_head(doc, t.i) for t in doc[position + 1:last] if t.pos_ == "NOUN"):
                return last
            return None
    return None


ABBREVIATION_CASE = re.compile(r"^([A-ZА-ЯЁ]{2,})[а-яё]{1,2}$")  # «МИДа», «МИДе»


def _title(doc: Doc, head_title: str, start: int, end: int) -> str:
    words = [head_title] + [ABBREVIATION_CASE.sub(r"\1", t.text) + t.whitespace_
                            for t in doc[start:end]]
    text = words[0] + (" " + "".join(words[1:]).strip() if end > start else "")
    return canonical_title(" ".join(text.lower().replace("ё", "е").split()))


def canonical_title(title: str) -> str:
    """A post as facts write it (`lexicon/positions_titles.txt`): «глава мид» → «министр
    иностранных дел», «руководитель министерства энергетики» → «министр энергетики»."""
    for before, after in _titles():
        if title == before or title.startswith(before + " "):
            return after + title[len(before):]
    return title


@cache
def _titles() -> list[tuple[str, str]]:
    from ..lexicon import read_lexicon

    pairs = read_lexicon("positions_titles")["titles"]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


# ---------------------------------------------------------------- affiliations


def _closing_quote(doc: Doc, index: int, limit: int) -> int | None:
    for position in range(index + 1, limit):
        if doc[position].text in CLOSE_QUOTES:
            return position
    return None


def _trim_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop quotes, legal forms and body nouns from the edges of an organisation name."""
    while start < end and (
        doc[start].is_space
        or doc[start].text in OPEN_QUOTES
        or (body_of(doc[start]) or ("", ""))[0] == "legal"
    ):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _org(doc: Doc, start: int, end: int, quoted: bool = False) -> Affiliation | None:
    """An organisation named by tokens [start, end): its quoted name as written, else its
    nominative; a bracketed abbreviation after it («корпорации (CNPC)») is an alias."""
    tokens = [t for t in doc[start:end] if not t.is_space]
    if len(tokens) >= 4 and tokens[-1].text == ")" and tokens[-3].text == "(":
        abbreviation = tokens[-2]
        if abbreviation.text.isupper() or _is_latin(abbreviation):
            named = _org(doc, start, tokens[-3].i, quoted)
            if named is not None:
                return replace(named, aliases=(abbreviation.text,))
    start, end = _trim_name(doc, start, end)
    if start >= end:
        return None
    span = doc[start:end]
    inner_quote = any(t.text in OPEN_QUOTES for t in span)
    if inner_quote:
        last = max(t.i for t in span if t.text in OPEN_QUOTES)
        start, end = _trim_name(doc, last, end)
        span = doc[start:end]
    if quoted or inner_quote or all(_is_latin(t) or not t.is_alpha for t in span):
        words = [t for t in span if not t.is_space]
        if len(words) == 1 and words[0].is_alpha:
            return Affiliation(span, _used_nominative(words[0]) or span.text, "ORG")
        return Affiliation(span, span.text, "ORG")
    return Affiliation(span, org_normal(span), "ORG")


def _used_nominative(token: Token) -> str | None:
    """The form of a one-word name the document itself uses that this word is a case of:
    «Роснефти» → «Роснефть», «Кыргызалтына» → «Кыргызалтын» when the text writes them so."""
    word = token.text
    stems = [word[: -len(ending)] for ending in CASE_ENDINGS + SOFT_ENDINGS
             if word.endswith(ending) and len(word) - len(ending) >= 3]
    used = words_of_doc(token.doc).written
    for stem in stems:
        for candidate in (stem, stem + "ь"):
            if candidate in used and candidate != word:
                return candidate
    return None


def org_normal(span: Span) -> str:
    """An organisation's name in the nominative. A one-word name the dictionary does not know
    («КазТрансОйла», in the genitive after a post) loses its case ending: to a form the
    document itself uses, else by the hard-stem declension («КазТрансОйла» → «КазТрансОйл»)."""
    words = [t for t in span if not t.is_space]
    if len(words) != 1 or analyzer().word_is_known(words[0].lower_) or words[0].text.isupper():
        return phrase_normal(span)
    word = words[0].text
    stems = [word[: -len(ending)] for ending in CASE_ENDINGS if word.endswith(ending)]
    used = words_of_doc(span.doc).written
    for stem in stems:
        if stem in used:
            return stem
    if word.endswith("а") and word[-2:-1].isalpha() and word[-2] not in "аеёиоуыэюяйь":
        return word[:-1]
    return phrase_normal(span)


def phrase_normal(span: Span) -> str:
    """A place or body phrase in the nominative, without quotation marks: `Span._.normal`,
    with hyphenated words put in the nominative too («пресс-службы МЧС» → «пресс-служба МЧС»,
    «Северо-Казахстанской области» → «Северо-Казахстанская область»)."""
    words = [t for t in span if not t.is_space]
    head = next((t for t in words if _noun(t) and not _adjective_like(t)), None)
    if head is None or not any("-" in t.text for t in words):
        return _unquote(span._.normal)
    case = UD_CASE_NAMES.get(_case(head) or "")
    if case in (None, "nomn"):
        return _unquote(span.text)
    plural = head.morph.get("Number") == ["Plur"]
    head_parse = _parse_in(head.lower_, case)
    gender = head_parse.tag.gender if head_parse is not None else None
    forms = {}
    for token in words:
        if token.i > head.i or (token.i < head.i and not _adjective_like(token)):
            continue
        if _case(token) != _case(head):
            continue
        parse = _parse_in(token.lower_, case)
        wanted = {"nomn", "plur" if plural else "sing"}
        if token.i != head.i and gender and not plural:
            wanted.add(gender)
        inflected = parse.inflect(wanted) if parse is not None else None
        if inflected is not None:
            forms[token.i] = _like(inflected.word, token.text)
    text = "".join(forms.get(t.i, t.text) + t.whitespace_ for t in span)
    return _unquote(text.strip())


def _parse_in(word: str, case: str):
    parses = [p for p in morphology.parses(word) if p.tag.case == case]
    return parses[0] if parses else None


def _like(word: str, original: str) -> str:
    """`word` with the capitals of `original` («северо-казахстанская» → «Северо-Казахстанская»)."""
    parts, originals = word.split("-"), original.split("-")
    if len(parts) != len(originals):
        return word
    return "-".join(p[:1].upper() + p[1:] if o[:1].isupper() else p
                    for p, o in zip(parts, originals, strict=True))


def _unquote(text: str) -> str:
    """A name without its quotation marks («движение «Архнадзор»» → «движение Архнадзор»)."""
    return " ".join("".join(c for c in text if c not in "«»„“”\"").split())


def _loc(span: Span) -> Affiliation:
    normal = phrase_normal(span)
    return Affiliation(span, country_names().get(normal, normal), "LOC")


def _named_after(doc: Doc, index: int, limit: int) -> tuple[Affiliation, int] | None:
    """A name right at `index`: an entity, a quoted name or a Latin-script name."""
    position = _next(doc, index, limit)
    quote = position
    while quote < limit and not doc[quote].ent_type_ and (_adjective_like(doc[quote]) or (
            doc[quote].pos_ == "ADV" and quote + 1 < limit
            and _adjective_like(doc[_next(doc, quote + 1, limit)]))):
        quote = _next(doc, quote + 1, limit)  # «французского крайне правого …»
    if quote < limit and quote > position and doc[quote].text in OPEN_QUOTES:
        position = quote  # «лидер московского «Центра»»
    described = _entity(doc[quote]) if quote < limit and quote > position else None
    if described is not None and described.start == quote and described.label_ == "ORG" and (
        body_of(doc[quote])
    ):  # «синодального Отдела по взаимоотношениям Церкви и общества»
        end = _attached_end(doc, described.end, limit)
        span = doc[position:end]
        return Affiliation(span, phrase_normal(span), "ORG"), end
    if described is not None and described.start == quote and described.label_ == "ORG" and all(
            t.text.islower() for t in doc[position:quote] if not t.is_space):
        org = _org(doc, described.start, described.end)  # «лидер … Национального фронта»
        return (org, described.end) if org else None
    if position >= limit:
        return None
    token = doc[position]
    if token.text in OPEN_QUOTES:
        close = _closing_quote(doc, position, limit)
        if close is None:
            return None
        org = _org(doc, position + 1, close, quoted=True)
        return (org, close + 1) if org else None
    entity = _entity(token)
    if entity is not None and entity.label_ in {"LOC", "ORG"} and entity.start == position:
        end = entity.end
        if any(t.text in OPEN_QUOTES for t in entity) and not any(
            t.text in CLOSE_QUOTES for t in entity
        ):
            close = _closing_quote(doc, end - 1, limit)
            if close is not None and close <= end + 1:
                end = close + 1
        if entity.label_ == "LOC":
            return _loc(entity), end
        kind = body_of(doc[position])
        if kind and kind[0] == "state":
            place = _place_after_body(doc, entity, limit)
            if place:
                return place
        quoted = any(t.text in OPEN_QUOTES for t in entity)
        if not quoted and (kind is None or kind[0] in {"org", "unit"}):
            place = _place_of_org(doc, entity, limit)
            if place is not None:
                return place
        country_end = _country_after(doc, end, limit) if not quoted else None
        if country_end is not None:  # «Государственных железных дорог Турции»
            span = doc[entity.start:country_end]
            return Affiliation(span, phrase_normal(span), "ORG"), country_end
        org = _org(doc, entity.start, entity.end, quoted=quoted)
        return (org, end) if org else None
    if _is_latin(token):
        end = position + 1
        while end < limit and (_is_latin(doc[end]) or doc[end].is_space) and not doc[end].ent_type_:
            end += 1
        org = _org(doc, position, end)
        return (org, end) if org else None
    return None


def _country_after(doc: Doc, end: int, limit: int) -> int | None:
    """End of a country in the genitive right after an organisation's name: the country is
    part of the name («Национальные электрические сети Узбекистана»)."""
    position = _next(doc, end, limit)
    following = _entity(doc[position]) if position < limit else None
    if following is None or following.label_ != "LOC" or following.start != position:
        return None
    if _case(doc[position]) != "Gen":
        return None
    normal = phrase_normal(doc[position:_bracket_start(following)])
    if country_names().get(normal, normal) not in countries():
        return None
    return _bracket_start(following)


def _bracket_start(span: Span) -> int:
    """The end of a span before a bracket inside it («Турции (TCDD)» → «Турции»)."""
    return next((t.i for t in span if t.text == "("), span.end)


def _place_of_org(doc: Doc, entity: Span, limit: int) -> tuple[Affiliation, int] | None:
    """«Ассоциации морских перевозчиков» + «Каспия»: a body named by common words, with the
    place or the parent body it belongs to after it («Института этнологии … РАН», «Палаты
    представителей Конгресса США»), or with «при …» («комитета при прокуратуре»), is named
    with them."""
    nouns = [t for t in entity if not _adjective_like(t) and t.is_alpha]
    if not nouns or not body_of(nouns[0]) or nouns[0].text.isupper():
        return None
    end = entity.end
    for _ in range(2):  # «Конгресса» + «США»
        position = _next(doc, end, limit)
        following = _entity(doc[position]) if position < limit else None
        if following is None or following.label_ not in {"LOC", "ORG"}:
            break
        if following.start != position or _case(doc[position]) != "Gen":
            break
        end = following.end
    end = _attached_end(doc, end, limit)
    if end == entity.end:
        return None
    span = doc[entity.start : end]
    return Affiliation(span, phrase_normal(span), "ORG"), end


def _attached_end(doc: Doc, end: int, limit: int) -> int:
    """«при прокуратуре», «при главном архитекторе Москвы»: what a body is attached to."""
    position = _next(doc, end, limit)
    if position >= limit or doc[position].lower_ != "при":
        return end
    np_end = _genitive_np(doc, position + 1, limit, case="Loc")
    if np_end is None:
        entity = _entity(doc[_next(doc, position + 1, limit)])
        return entity.end if entity is not None and entity.label_ == "ORG" else end
    np_end = title_end(doc, np_end, limit)
    named = _named_after(doc, np_end, limit)
    return named[1] if named else np_end


def _place_after_body(doc: Doc, body: Span, limit: int) -> tuple[Affiliation, int] | None:
    """The country of a ministry: «Минэнерго Казахстана», «министерства энергетики Казахстана»."""
    inner = [t for t in body if t.pos_ == "PROPN" and _case(t) == "Gen" and t.i > body.start]
    if inner:
        return _loc(doc[inner[-1].i : inner[-1].i + 1]), body.end
    position = title_end(doc, body.end, limit)
    named = _named_after(doc, position, limit)
    if named and named[0].type == "LOC":
        return named
    return None


def _body_np(doc: Doc, index: int, limit: int) -> tuple[int, tuple[str, str]] | None:
    """(end, (kind, leader)) of a body phrase at `index`: adjectives then a body noun."""
    position = _next(doc, index, limit)
    while position < limit and _adjective_like(doc[position]) and not doc[position].ent_type_:
        position = _next(doc, position + 1, limit)
    if position < limit and (kind := body_of(doc[position])) and not doc[position].ent_type_:
        return position + 1, kind
    if position < limit and (kind := body_of(doc[position])) and kind[0] == "legal":
        return position + 1, kind
    return None


def affiliation_at(doc: Doc, index: int, limit: int) -> tuple[Affiliation, int] | None:
    """The country or organisation named at `index` and the end of its phrase, with an
    abbreviation defined in brackets right after it as its alias («Евразийский банк
    развития (ЕАБР)»)."""
    found = _affiliation_at(doc, index, limit)
    if found is None:
        return None
    affiliation, end = found
    position = _next(doc, end, limit)
    if affiliation.type == "ORG" and position + 2 < limit and doc[position].text == "(" \
            and doc[_next(doc, position + 2, limit)].text == ")":
        abbreviation = doc[_next(doc, position + 1, limit)]
        if abbreviation.text.isupper() or _is_latin(abbreviation):
            return replace(affiliation, aliases=(abbreviation.text,)), \
                _next(doc, position + 2, limit) + 1
    return found


def _affiliation_at(doc: Doc, index: int, limit: int) -> tuple[Affiliation, int] | None:
    """The country or organisation named at `index` and the end of its phrase."""
    named = _named_after(doc, index, limit)
    if named:
        return named
    found = _body_np(doc, index, limit)
    if found is None:
        return None
    body_end, (kind, _) = found
    start = _next(doc, index, limit)
    after = title_end(doc, body_end, limit)
    if kind == "unit":  # «московского отделения движения «Солидарность»», «пресс-службы МЧС»
        parent = affiliation_at(doc, after, limit)
        end = _phrase_end(doc, parent[1] if parent else after, limit)
        if parent is None and not _has_adjective(doc, start, body_end):
            return None
        span = doc[start:end]
        return Affiliation(span, phrase_normal(span), "ORG"), end
    named = _named_after(doc, after, limit) or _place_after(doc, after, limit)
    if named:
        affiliation, end = named
        if affiliation.type == "ORG" or kind in {"state", "place", "company", "legal"}:
            return affiliation, end
        span = doc[start:end]  # «собрания района Отрадное», «Совета муфтиев России»
        return Affiliation(span, phrase_normal(span), "ORG"), end
    if kind == "org" and _has_adjective(doc, start, body_end):  # «палестинской делегации»
        end = _sphere_end(doc, body_end, limit)  # «государственной Комиссии по атомной энергии»
        span = doc[start:end]
        return Affiliation(span, phrase_normal(span), "ORG"), end
    if kind == "company":
        earlier = _earlier_org(doc, start)
        if earlier is not None:
            return Affiliation(earlier.span, earlier.normal, "ORG", anaphoric=True), body_end
    if kind == "place" and not _has_adjective(doc, start, body_end):
        earlier = _earlier_place(doc, start, doc[body_end - 1])
        if earlier is not None:  # «мэр города Лужков» after «… Москве …»
            return replace(earlier, anaphoric=True), body_end
    return None


def _sphere_end(doc: Doc, end: int, limit: int) -> int:
    """After a body, its «по …» phrase («комиссии по атомной энергии»)."""
    position = _next(doc, end, limit)
    if position < limit and doc[position].lower_ == "по":
        np_end = _genitive_np(doc, position + 1, limit, case="Dat")
        if np_end is not None:
            return title_end(doc, np_end, limit)
    return end


def _has_adjective(doc: Doc, start: int, end: int) -> bool:
    return any(_adjective_like(t) for t in doc[start:end])


def _place_after(doc: Doc, index: int, limit: int) -> tuple[Affiliation, int] | None:
    """A place named with its kind: «района Отрадное», «штата Аризона»."""
    found = _body_np(doc, index, limit)
    if found is None or found[1][0] != "place":
        return None
    named = _named_after(doc, found[0], limit)
    return named if named and named[0].type == "LOC" else None


PLACE_LOOKBACK = 3  # sentences in which «компании», «города», «страны» look for what they stand for


def _earlier_org(doc: Doc, index: int) -> Affiliation | None:
    """The organisation named last before `index` in its sentence or the two before it, not a
    government body («Volkswagen отчитался … Об этом заявил шеф концерна Бернд Пишетсридер»;
    «Интересы TPAO представлял Селим Арслан — заместитель генерального директора компании»)."""
    first = _sentences_back(doc, index, PLACE_LOOKBACK)
    for entity in reversed(entities(doc)):
        if entity.end > index or entity.start < first or entity.label_ != "ORG":
            continue
        if any((body_of(t) or ("",))[0] == "state" for t in entity):
            return None  # the last organisation is a ministry: not a company
        before = _previous_word(doc, entity.start)
        if before is not None and before.lower_ == "на":
            continue  # «на Лондонской фондовой бирже»: a place («в УБЖД опровергли» is not)
        org = _org(doc, entity.start, entity.end)
        if org is not None:
            return org
    return None


def _sentences_back(doc: Doc, index: int, count: int) -> int:
    """The first token of the sentence `count - 1` sentences before the one of `index`."""
    first = doc[index].sent.start
    for _ in range(count - 1):
        if first == 0:
            break
        first = doc[first - 1].sent.start
    return first


def _earlier_place(doc: Doc, index: int, noun: Token) -> Affiliation | None:
    """The place a bare «страны» or «города» stands for: the last country (for «страна») or
    other place named in its sentence or the few before it."""
    country = bool(lemmas(noun.text) & {"страна", "государство"})
    first = _sentences_back(doc, index, PLACE_LOOKBACK)
    for entity in reversed(entities(doc)):
        if entity.end > index or entity.start < first or entity.label_ != "LOC":
            continue
        place = _loc(entity)
        normal = country_names().get(place.normal, place.normal)
        if (normal in countries()) == country:
            return replace(place, normal=normal) if country else place
    return None


def _coordinated(doc: Doc, first: Affiliation, end: int, limit: int) -> tuple[list, int]:
    """Places joined to the first one: «Казахстана, Азербайджана и Грузии»."""
    found = [first]
    while True:
        position = _next(doc, end, limit)
        if position >= limit or doc[position].text not in {",", "и"}:
            return found, end
        following = _named_after(doc, position + 1, limit)
        if following is None and doc[position].text == ",":
            after_and = _next(doc, position + 1, limit)
            if after_and < limit and doc[after_and].text == "и":
                following = _named_after(doc, after_and + 1, limit)
        if following is None or following[0].type != first.type:
            return found, end
        found.append(following[0])
        end = following[1]


def _phrase_end(doc: Doc, end: int, limit: int, gap: bool = False) -> int:
    """Words that still belong to the post: the host country of an ambassador («посла
    Казахстана в Азербайджане»), a region of responsibility («директором Всемирного банка по
    Центральной Азии», «в России, на Украине и в Белоруссии»), a constituency («от штата
    Аризона»)."""
    position = _next(doc, end, limit)
    if position + 1 >= limit or doc[position].lower_ not in SCOPE_PREPOSITIONS:
        return end
    place = _scope_place(doc, position + 1, limit)
    if place is None:
        if doc[position].lower_ == "по":
            np_end = _genitive_np(doc, position + 1, limit, case="Dat")
            return title_end(doc, np_end, limit) if np_end else end
        np_end = _genitive_np(doc, position + 1, limit, case="Loc")
        if gap and np_end is not None and doc[position].lower_ in {"в", "на"}:
            following = _next(doc, np_end, limit)  # «глава делегации на переговорах Саеб …»
            if following < limit and (doc[following].ent_type_ == "PER"
                                      or match_head(doc, following)):
                return np_end
        return end
    end = place
    while True:
        position = _next(doc, end, limit)
        if position >= limit or doc[position].text not in {",", "и"}:
            return end
        position = _next(doc, position + 1, limit)
        if position < limit and doc[position].lower_ in SCOPE_PREPOSITIONS:
            position += 1
        place = _scope_place(doc, position, limit)
        if place is None:
            return end
        end = place


def _scope_place(doc: Doc, index: int, limit: int) -> int | None:
    """End of a place or body right at `index` («Азербайджане», «штата Аризона»)."""
    position = _next(doc, index, limit)
    if position >= limit:
        return None
    entity = _entity(doc[position])
    if entity is not None and entity.label_ in {"LOC", "ORG"} and entity.start == position:
        return entity.end
    found = _place_after(doc, position, limit)
    return found[1] if found else None


def _adjective_place(doc: Doc, head_start: int) -> Span | None:
    """A country adjective before the head: «казахстанский вице-министр»."""
    sentence_start = doc[head_start].sent.start
    position = head_start - 1
    while position >= sentence_start and (doc[position].is_space or _adjective_like(doc[position])):
        token = doc[position]
        if not token.is_space:
            for lemma in lemmas(token.text):
                if lemma in country_adjectives():
                    return doc[position : position + 1]
        position -= 1
    return None


# ---------------------------------------------------------------- posts


def _post_at(doc: Doc, index: int) -> Post | None:
    head = match_head(doc, index)
    if head is None:
        return None
    head_end, head_title = head
    limit = doc[index].sent.end
    cased = [t for t in doc[index:head_end] if t.morph.get("Case")]  # «исполняющий обязанности»
    noun = cased[0] if cased else doc[head_end - 1]
    return build_post(doc, index, head_end, head_title, noun, limit)


def build_post(doc: Doc, start: int, head_end: int, head_title: str, noun: Token,
               limit: int) -> Post:
    """The post whose head is tokens [start, head_end) titled `head_title`."""
    end = title_end(doc, head_end, limit)
    plural = noun.morph.get("Number") == ["Plur"] or _only_plural(noun)
    affiliations: list[Affiliation] = []
    phrase_start = start
    found = affiliation_at(doc, end, limit) or _delegated_by(doc, end, limit)
    national = None  # «главы японского МИДа», «Главы МИД A и B»: a minister, of the country
    # an adjective of the body names, else of the country the text makes clear
    if found is not None and found[0].type == "ORG":
        national = _national_body_title(doc, head_title, doc[head_end:found[1]])
        if national is not None:
            place, end = _adjective_place_in(doc[head_end:found[1]]), found[1]
            found = (place, end) if place is not None else None
    if found is None and national is None:
        body = _last_state_body(doc, head_end, end, limit)
        national = _national_body_title(doc, head_title, doc[head_end:end]) if body else None
        if national is not None:
            place = _adjective_place_in(doc[head_end:end])
            found = (place, end) if place is not None else None
        elif body is not None:  # «генерал-майора МВД»: the body itself
            end, found = body.start, (_body_affiliation(body), body.end)
    title = national or _title(doc, head_title, head_end, end)
    if found:
        affiliation, end = found
        affiliations, end = (
            _coordinated(doc, affiliation, end, limit) if plural else ([affiliation], end)
        )
        end = _phrase_end(doc, end, limit, gap=True)
    adjective = _adjective_place(doc, start)
    if adjective is not None:
        phrase_start = adjective.start
        if not affiliations:
            place = country_adjectives()[next(
                lemma for lemma in lemmas(adjective.text) if lemma in country_adjectives()
            )]
            affiliations = [Affiliation(adjective, place, "LOC")]
    return Post(
        head=doc[start:head_end],
        title=title,
        span=doc[phrase_start:max(end, head_end)],
        affiliations=tuple(affiliations),
        plural=plural,
        case=_case(noun),
    )


@cache
def national_titles() -> frozenset[str]:
    """Posts that serve a country («президент», «министр …», «глава правительства»)."""
    return frozenset(lexicon_lines("positions_national.txt"))


@lru_cache(maxsize=10_000)
def national_title(title: str) -> bool:
    """Whether a (canonical) post title serves a country: «министр иностранных дел»."""
    if title in national_titles():
        return True
    return any(entry.endswith(" …") and (title + " ").startswith(entry[:-1])
               for entry in national_titles())


def _delegated_by(doc: Doc, index: int, limit: int) -> tuple[Affiliation, int] | None:
    """«наблюдатель от ОБСЕ», «депутат от партии «Яблоко»»: the body that sent the person."""
    position = _next(doc, index, limit)
    if position + 1 >= limit or doc[position].lower_ != "от":
        return None
    found = affiliation_at(doc, position + 1, limit)
    return found if found and found[0].type == "ORG" else None


def _national_body_title(doc: Doc, head_title: str, words: Span) -> str | None:
    """The national post a head and a government body make, without the body's country
    adjective: «главы японского МИДа» → «министр иностранных дел»; None for other posts
    («генерал-майор МВД»)."""
    if not any((body_of(t) or ("",))[0] == "state" for t in words):
        return None
    title = " ".join(w for w in _title(doc, head_title, words.start, words.end).split()
                     if w not in _adjective_words(words))
    title = canonical_title(title)
    return title if national_title(title) else None


def _adjective_words(span: Span) -> frozenset[str]:
    """The lower-case words of a span that name a country by an adjective («японского»)."""
    return frozenset(t.lower_.replace("ё", "е") for t in span
                     if lemmas(t.text) & country_adjectives().keys())


def _adjective_place_in(body: Span) -> Affiliation | None:
    """The country an adjective of a body names: «японского МИДа» → Япония."""
    for token in body:
        found = lemmas(token.text) & country_adjectives().keys()
        if found:
            return Affiliation(body.doc[token.i:token.i + 1], country_adjectives()[min(found)],
                               "LOC")
    return None


def _last_state_body(doc: Doc, start: int, end: int, limit: int) -> Span | None:
    """The last government body among title words [start, end), with its adjectives."""
    position, found = start, None
    while position < end:
        body_end = _state_body_end(doc, position, limit)
        if body_end is not None:
            found = doc[_next(doc, position, limit) : body_end]
            position = body_end
        else:
            position += 1
    return found


def _body_affiliation(body: Span) -> Affiliation:
    words = [t for t in body if not t.is_space]
    if all(t.text.isupper() or not t.is_alpha for t in words):
        return Affiliation(body, body.text, "ORG")
    return Affiliation(body, phrase_normal(body), "ORG")


ACTING_TITLES = ("исполняющий обязанности", "временно исполняющий обязанности", "врио", "и.о.",
                 "и . о .", "и. о.")


def find_posts(doc: Doc) -> list[Post]:
    """Every post phrase of the document, in order (cached on the doc). An acting post
    («исполняющим обязанности регионального директора …») is the post it stands in for,
    with status "acting", in the case of its own words; «бывший», «экс-» make a post
    "former"."""
    if POSTS_KEY not in doc_cache(doc):
        posts = []
        words, starts = words_of_doc(doc), _head_starts()
        for number, text in enumerate(words.texts):
            lower = text.lower().replace("ё", "е")
            if lower not in starts and not _prefixed(lower):
                continue  # no post head starts with this word (`match_head` asks the same)
            post = _post_at(doc, words.tokens[number].i)
            if post is not None and not _sought(doc, post):
                posts.append(_with_status(doc, post))
        doc_cache(doc)[POSTS_KEY] = _acting(posts)
    return doc_cache(doc)[POSTS_KEY]


@cache
def _seeking_words() -> frozenset[str]:
    return frozenset(lexicon_lines("positions_sought.txt"))


def _sought(doc: Doc, post: Post) -> bool:
    """A post someone runs for: «кандидат в президенты», «претендент на пост мэра»."""
    at = post.span.start
    preposition = _previous_word(doc, at)
    if preposition is not None and preposition.lower_ == "пост":
        preposition = _previous_word(doc, preposition.i)
    if preposition is None or preposition.lower_ not in {"в", "во", "на"}:
        return False
    seeker = _previous_word(doc, preposition.i)
    return seeker is not None and bool(lemmas(seeker.text.lower().removeprefix("экс-"))
                                       & _seeking_words())


def _with_status(doc: Doc, post: Post) -> Post:
    """«бывший министр», «экс-министр», «экс-глава»: a former post."""
    first = post.head[0]
    before = _previous_word(doc, post.span.start)
    if first.lower_.startswith("экс") or (before is not None and lemmas(before.text) & FORMER):
        span = doc[before.i:post.span.end] if before is not None and before.i < post.span.start \
            and lemmas(before.text) & FORMER else post.span
        return replace(post, status="former", span=span)
    return post


def _previous_word(doc: Doc, index: int) -> Token | None:
    index -= 1
    while index >= 0 and doc[index].is_space:
        index -= 1
    return doc[index] if index >= 0 else None


def _acting(posts: list[Post]) -> list[Post]:
    """An acting post and the post it stands in for become one post, "acting"."""
    kept, inner_taken = [], set()
    by_start = {post.span.start: post for post in posts}
    for post in posts:
        if not post.title.startswith(ACTING_TITLES):
            continue
        inner = next((p for start, p in sorted(by_start.items())
                      if post.head.end <= start < post.span.end and p is not post), None)
        if inner is not None:
            inner_taken.add(id(inner))
            by_start[post.span.start] = replace(
                inner, span=post.span.doc[post.span.start:max(post.span.end, inner.span.end)],
                case=post.case, status="acting")
    for post in posts:
        if id(post) not in inner_taken:
            kept.append(by_start.get(post.span.start, post) if post.title.startswith(
                ACTING_TITLES) else post)
    return kept


def post_of_body(doc: Doc, index: int) -> Post | None:
    """The post of whoever heads the body at `index`: «(возглавляющий) министерство энергетики
    Туркменистана» → министр энергетики, Туркменистан."""
    limit = doc[index].sent.end
    found = _body_np(doc, index, limit)
    if found is None:
        return None
    body_end, (_, leader) = found
    end = title_end(doc, body_end, limit)
    affiliation = affiliation_at(doc, index, limit)
    if affiliation is None:
        return None
    noun = doc[body_end - 1]
    return Post(
        head=doc[noun.i : noun.i + 1],
        title=_title(doc, leader, body_end, end),
        span=doc[index : affiliation[1]],
        affiliations=(affiliation[0],),
        plural=False,
        case=_case(noun),
    )
