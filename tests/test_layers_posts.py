"""Posts: heads from the lexicon, their titles and the country or organisation they belong to."""

import pytest

from pipeline.layers.posts import (
    bodies,
    country_adjectives,
    find_posts,
    post_heads,
    spheres,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def posts(nlp):
    """Text → [(title, [(affiliation normal, type)])] of the posts that belong somewhere."""

    def run(text: str):
        return [(p.title, [(a.normal, a.type) for a in p.affiliations])
                for p in find_posts(nlp(text)) if p.affiliations]

    return run


def test_title_takes_the_genitive_words_after_the_head(posts):
    assert posts("Выступил министр иностранных дел Грузии.")[0] == (
        "министр иностранных дел", [("Грузия", "LOC")])


def test_title_takes_a_sphere_after_po(posts):
    assert posts("Выступил министр по делам молодежи Армении.")[0] == (
        "министр по делам молодежи", [("Армения", "LOC")])


def test_plural_post_belongs_to_each_coordinated_country(nlp):
    (post, *_) = find_posts(nlp("Прошла встреча министров финансов Казахстана, Грузии и Армении."))
    assert post.plural
    assert post.title == "министр финансов"
    assert [a.normal for a in post.affiliations] == ["Казахстан", "Грузия", "Армения"]


def test_company_is_named_without_legal_form_and_quotes(posts):
    assert posts("Выступил председатель правления АО «НК «Балтийские порты».")[0] == (
        "председатель правления", [("Балтийские порты", "ORG")])


def test_bracketed_abbreviation_is_an_alias_of_the_fullest_name(nlp):
    text = "Выступил вице-президент Национальной горнодобывающей корпорации (NMC)."
    post = find_posts(nlp(text))[0]
    assert post.title == "вице-президент"
    assert [(a.normal, a.type, a.aliases) for a in post.affiliations] == [
        ("Национальная горнодобывающая корпорация", "ORG", ("NMC",))]


def test_ministry_and_its_country_give_the_country(posts):
    text = "Выступил директор департамента министерства энергетики Казахстана."
    assert posts(text)[0] == (
        "директор департамента министерства энергетики", [("Казахстан", "LOC")])


def test_ministry_without_a_country_is_the_organisation(posts):
    assert posts("Выступил генерал-майор МВД.") == [("генерал-майор", [("МВД", "ORG")])]


def test_country_adjective_gives_the_country(nlp):
    (post,) = find_posts(nlp("Турецкий министр сообщил о работах."))
    assert (post.title, post.affiliation.span.text, post.affiliation.normal) == (
        "министр", "Турецкий", "Турция")


def test_unit_is_named_with_the_body_it_belongs_to(posts):
    assert posts("Выступил глава пресс-службы МЧС.")[0] == (
        "глава", [("пресс-служба МЧС", "ORG")])


def test_unknown_company_name_loses_its_case_ending(posts):
    assert posts("Выступил председатель правления Интергазпрома.")[0] == (
        "председатель правления", [("Интергазпром", "ORG")])


def test_plain_words_are_not_post_heads(nlp):
    assert find_posts(nlp("После завершения работ он ведет переговоры.")) == []


def test_lexicons_load():
    assert "министр" in {title for entries in post_heads().values() for _, title in entries}
    assert bodies()["министерство"] == ("state", "министр")
    assert country_adjectives()["казахстанский"] == "Казахстан"
    assert "дело" in spheres()
