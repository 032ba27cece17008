"""Who «я» and «мы» are: the speaker a quotation is attributed to («Вчера я провёл встречу с
…», — сообщил Нурлан Касымов), or the person an interview is with (answers after «—» in a
text headed «Галым Сейтказин: «…»» or whose lead names him).

The entity layer (`layers/entities.py`) lets a first-person word stand for that person, as it
does for a post linked to a name, so every extractor reads «я провёл переговоры с X» and «мы
с X обсудили» like a sentence with the name.
"""

from spacy.tokens import Doc, Span, Token

from .persons import Person
from .store import text_of
from .view import words_of_doc

FIRST_PERSON = frozenset({"я", "меня", "мне", "мной", "мною", "мы", "нас", "нам", "нами"})
OPENING_QUOTES = frozenset({"«", "„", "“"})
CLOSING_QUOTES = frozenset({"»", "“", "”"})
ANSWER_DASHES = ("—", "–", "-")
LEAD_CHARS = 600  # where an interview names the person it is with
MIN_ANSWERS = 2  # dialogue lines that make a text an interview

Speaker = tuple[Person, Span]


def speakers(doc: Doc, people: list[Person]) -> dict[int, Speaker]:
    """Token index of each first-person word → the person it stands for and the word itself
    (the fact's mention stays where the word is)."""
    tokens = words_of_doc(doc).tokens
    pronouns = [t for t in tokens if t.lower_ in FIRST_PERSON]
    if not pronouns:
        return {}
    quotes = _quotes(tokens)
    interviewee = _interviewee(doc, people)
    found: dict[int, Speaker] = {}
    for token in pronouns:
        quote = next((q for q in quotes if q[0] < token.i < q[1]), None)
        if quote is not None:
            person = _attributed(doc, quote, people)
        elif interviewee is not None and _answer(doc, token):
            person = interviewee
        else:
            person = None
        if person is not None:
            found[token.i] = (person, doc[token.i:token.i + 1])
    return found


def _quotes(tokens: list[Token]) -> list[tuple[int, int]]:
    """(opening, closing) token indices of the outermost quotations, innermost nesting
    ignored («… „…“ …»)."""
    found, stack = [], []
    for token in tokens:
        if token.text not in OPENING_QUOTES and token.text not in CLOSING_QUOTES:
            continue
        if token.text in OPENING_QUOTES and not (token.text == "“" and stack):
            stack.append(token.i)
        elif token.text in CLOSING_QUOTES and stack:
            start = stack.pop()
            if not stack:
                found.append((start, token.i))
    return found


def _attributed(doc: Doc, quote: tuple[int, int], people: list[Person]) -> Person | None:
    """The person a quotation is attributed to: named after it in the sentence it ends
    («…», — сообщил X) or before it in the sentence it opens in (X заявил: «…»)."""
    start, end = quote
    after = doc[end].sent if end < len(doc) else None
    before = doc[start].sent
    candidates = []
    for person in people:
        for mention in person.mentions:
            if after is not None and end < mention.start < after.end:
                candidates.append((0, mention.start - end, person))
            elif before.start <= mention.start and mention.end <= start:
                candidates.append((1, start - mention.end, person))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def _interviewee(doc: Doc, people: list[Person]) -> Person | None:
    """The person an interview is with: a text with answers after dashes, headed by the
    person's name and a colon, or naming one person in its lead."""
    lines = [line.strip() for line in text_of(doc).splitlines() if line.strip()]
    answers = [line for line in lines if line.startswith(ANSWER_DASHES)
               and not line.rstrip().endswith("?")]
    if len(answers) < MIN_ANSWERS:
        return None
    named = [(mention.start_char, person) for person in people for mention in person.mentions
             if mention.start_char < LEAD_CHARS]
    if not named:
        return None
    return min(named, key=lambda item: item[0])[1]


def _answer(doc: Doc, token: Token) -> bool:
    """A word in a dialogue line that answers («— Мы с … провели встречу»), not a question."""
    text = text_of(doc)
    line_start = text.rfind("\n", 0, token.idx) + 1
    line_end = text.find("\n", token.idx)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    return line.startswith(ANSWER_DASHES) and not line.endswith("?")
