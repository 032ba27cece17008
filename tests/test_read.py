"""The input layer: folders of messy news files -> documents or one clear error per bad input.

Every fixture is built in tmp_path by the test itself (no binaries in the repository).
"""

from __future__ import annotations

import codecs
import gzip
import os
import random
from collections import Counter
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.read import Document, ReadError, ReadOptions, iter_paths, read_inputs, read_path
from pipeline.read import files as read_files
from pipeline.read.decode import DecodeError, decode_bytes

# Encodable in KOI8-R too: straight quotes, no «» or №.
NEWS = (
    "Экспорт нефти через порт Приморск в феврале вырос на 12% по сравнению с январём, "
    'сообщила в четверг пресс-служба компании "Транснефть". Всего через терминал было '
    "отгружено 4,3 млн тонн сырья. Основными покупателями остались Индия и Турция, а рост "
    "связан с завершением ремонта причалов.\n"
)
LONG_NEWS = "\n".join(
    [NEWS]
    + [
        f"В {month} через Усть-Лугу и Новороссийск прошло {n},{n % 10} млн тонн нефти и "
        f"нефтепродуктов, сообщил заместитель министра транспорта. Железная дорога увеличила "
        f"погрузку угля в направлении портов Дальнего Востока на {n % 7 + 2}%.\n"
        for n, month in enumerate(["январе", "марте", "апреле", "мае", "июне", "июле"], start=3)
    ]
)

ENCODINGS = {
    # file name: (bytes from text, expected Document.encoding)
    "utf8.txt": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf8_bom.txt": (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    "utf16_le.txt": (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    "utf16_be.txt": (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    "win1251.txt": (lambda t: t.encode("cp1251"), "cp1251"),
    "koi8r.txt": (lambda t: t.encode("koi8-r"), "koi8-r"),
}


def read_all(*inputs: str | os.PathLike[str], **options) -> list[Document | ReadError]:
    return list(read_inputs(inputs, ReadOptions(**options)))


def by_id(items: list[Document | ReadError]) -> dict[str, Document | ReadError]:
    ids = [item.doc_id for item in items]
    assert len(ids) == len(set(ids)), f"duplicate doc ids: {ids}"
    return {item.doc_id: item for item in items}


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def assert_one_error(items: list[Document | ReadError], doc_id: str, *fragments: str) -> ReadError:
    """Exactly one record for doc_id, a ReadError whose one-line reason has every fragment."""
    matching = [item for item in items if item.doc_id == doc_id]
    assert len(matching) == 1, matching
    (error,) = matching
    assert isinstance(error, ReadError), error
    assert "\n" not in error.reason
    for fragment in fragments:
        assert fragment in error.reason, error.reason
    return error


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [NEWS, LONG_NEWS], ids=["one paragraph", "long"])
def test_every_encoding_decodes_to_the_same_text(tmp_path: Path, text: str) -> None:
    for name, (encode, _) in ENCODINGS.items():
        write(tmp_path / name, encode(text))
    docs = by_id(read_all(tmp_path))
    assert set(docs) == set(ENCODINGS)
    for name, (_, encoding) in ENCODINGS.items():
        doc = docs[name]
        assert isinstance(doc, Document), doc
        assert doc.text == text, name
        assert doc.encoding == encoding, name
        assert doc.format == "text"
        assert doc.size == (tmp_path / name).stat().st_size
        assert doc.path == str(tmp_path / name)


@pytest.mark.parametrize(
    "text",
    [
        "Новости",  # one word: charset-normalizer alone takes cp1251 for shift_jis here
        "Нефть подорожала.",  # and KOI8-R for cp932 here
        "Москва и Пекин договорились о поставках газа",
        "КазТрансОйл сохранил тариф на транзит нефти в Китай",
    ],
    ids=["one word", "one sentence", "headline", "camel-case name"],
)
@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "mac-cyrillic", "cp866"])
def test_short_russian_texts_in_cyrillic_code_pages(text: str, encoding: str) -> None:
    decoded = decode_bytes(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, encoding)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(LONG_NEWS.replace("\n", " ").split()), min_size=8, max_size=40),
    encoding=st.sampled_from(["cp1251", "koi8-r"]),
)
def test_any_sentence_of_news_words_decodes_exactly(words: list[str], encoding: str) -> None:
    text = " ".join(words)
    decoded = decode_bytes(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, encoding)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(text=st.text(min_size=1).filter(lambda t: t.strip() and "\x00" not in t))
def test_unicode_with_a_bom_or_as_utf8_round_trips(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")).text == text
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")).text == text
    assert decode_bytes(text.encode("utf-16")).text == text


def test_line_endings_and_spaces_are_kept_exactly(tmp_path: Path) -> None:
    text = "  Заголовок\r\n\r\nПервый абзац о поставках нефти.\r\nВторой абзац.\t\r\n"
    write(tmp_path / "crlf.txt", text.encode("cp1251"))
    write(tmp_path / "bom.txt", codecs.BOM_UTF8 + text.encode("utf-8"))
    docs = by_id(read_all(tmp_path))
    assert docs["crlf.txt"].text == text
    assert docs["bom.txt"].text == text  # only the BOM goes


def test_utf8_with_a_few_bad_bytes_is_still_utf8() -> None:
    data = LONG_NEWS.encode("utf-8")
    cut = data.index(b" ", 300)
    head = data[:cut].decode("utf-8")
    damaged = data[:cut] + b"\xff" + data[cut:] + "ж".encode()[:1]  # cut mid-letter
    decoded = decode_bytes(damaged)
    assert decoded.encoding == "utf-8"
    assert decoded.text == head + "\ufffd" + LONG_NEWS[len(head) :] + "\ufffd"


def test_text_in_other_languages_keeps_the_detectors_choice() -> None:
    greek = "Ελληνικά κείμενα για τις εξαγωγές πετρελαίου μέσω του λιμανιού"
    assert decode_bytes(greek.encode("cp1253")).text == greek
    ukrainian = "Привіт, як справи? Україна їсть борщ і п'є чай"
    assert decode_bytes(ukrainian.encode("cp1251")).text == ukrainian


def test_binary_data_is_refused() -> None:
    rng = random.Random(7)
    noise = bytes(rng.randrange(1, 256) for _ in range(4000))  # no NUL, no signature
    for data, kind in [
        (b"\x89PNG\r\n\x1a\n" + noise, "PNG image"),
        (b"%PDF-1.7\n" + noise, "PDF document"),
        (b"PK\x03\x04" + noise, "ZIP"),
        (b"\x1f\x8b\x08" + noise, "gzip"),
        (b"text\x00with\x00nul" + noise, "binary content"),
        (noise, "binary content"),
    ]:
        with pytest.raises(DecodeError, match="not a text file") as raised:
            decode_bytes(data)
        assert kind in str(raised.value)


# --- HTML ------------------------------------------------------------------------------------

ARTICLE = [
    "Экспорт нефти через порт Приморск в феврале вырос на 12% по сравнению с январём, "
    "сообщила в четверг пресс-служба компании «Транснефть».",
    "Всего через терминал было отгружено 4,3 млн тонн сырья. Основными покупателями "
    "остались Индия и Турция.",
    "По словам представителя компании, рост связан с завершением ремонта причалов и "
    "благоприятной ледовой обстановкой в Финском заливе.",
]
BOILERPLATE = [
    "Главная", "Энергетика", "Транспорт",  # menu
    "Еще от автора", "Новак обсудил с ОПЕК сокращение добычи", "Танкеры задержаны в Босфоре",
    "Отличная новость", "куда смотрит правительство",  # comments
    "Все права защищены", "Перепечатка запрещена", "Реклама",  # footer
]  # fmt: skip


def news_page(charset: str = "utf-8") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in ARTICLE)
    return f"""<!DOCTYPE html>
<html lang="ru"><head>
<meta charset="{charset}">
<title>Экспорт нефти через Приморск вырос на 12% — Новости энергетики</title>
<meta property="og:title" content="Экспорт нефти через Приморск вырос на 12%">
<meta property="article:published_time" content="2024-03-14T09:30:00+03:00">
<script>var counter = {{"id": 1}};</script>
</head><body>
<header><nav class="menu"><ul>
<li><a href="/">Главная</a></li><li><a href="/energy">Энергетика</a></li>
<li><a href="/transport">Транспорт</a></li>
</ul></nav></header>
<div class="page"><div class="content">
<h1>Экспорт нефти через Приморск вырос на 12%</h1>
{paragraphs}
<div class="more-from-author"><h3>Еще от автора</h3><ul>
<li><a href="/a1">Новак обсудил с ОПЕК сокращение добычи</a></li>
<li><a href="/a2">Танкеры задержаны в Босфоре</a></li>
</ul></div>
</div>
<section id="comments" class="comments"><h3>Комментарии</h3>
<div class="comment"><p>Иван: Отличная новость, давно пора было отремонтировать причалы!</p></div>
<div class="comment"><p>Мария: А цены на бензин растут, куда смотрит правительство.</p></div>
</section></div>
<footer><p>© 2024 Новости энергетики. Все права защищены. Перепечатка запрещена.</p>
<p><a href="/about">О проекте</a> | <a href="/ads">Реклама</a></p></footer>
</body></html>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_html_gives_the_article_without_boilerplate(tmp_path: Path, encoding: str) -> None:
    charset = {"utf-8": "utf-8", "cp1251": "windows-1251"}[encoding]
    write(tmp_path / "news" / "page.html", news_page(charset).encode(encoding))
    (doc,) = read_all(tmp_path / "news")
    assert isinstance(doc, Document), doc
    assert (doc.doc_id, doc.format, doc.encoding) == ("page.html", "html", encoding)
    for paragraph in ARTICLE:
        assert paragraph in doc.text
    for junk in BOILERPLATE:
        assert junk not in doc.text, junk
    assert "<" not in doc.text and "counter" not in doc.text
    assert doc.title == "Экспорт нефти через Приморск вырос на 12%"
    assert doc.date == "2024-03-14"


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "empty.htm", "<html><head><title>Пусто</title></head><body></body></html>")
    items = read_all(tmp_path)
    assert_one_error(items, "empty.htm", "no article text found in HTML")


# --- JSON exports ----------------------------------------------------------------------------


def test_jsonl_records_become_documents_and_a_broken_line_one_error(tmp_path: Path) -> None:
    lines = [
        orjson.dumps({"id": "tass-1", "text": NEWS, "title": "Нефть", "date": "2024-03-14T10:00"}),
        orjson.dumps({"id": 2, "text": "Второй текст о транзите газа."}),
        b'{"id": "broken", "text": "no closing brace"',
        b"",  # blank lines are skipped
        orjson.dumps({"id": "ria-3", "text": "Третий текст о поставках угля."}),
    ]
    write(tmp_path / "export.jsonl", b"\n".join(lines) + b"\n")
    items = read_all(tmp_path)
    assert [item.doc_id for item in items] == ["tass-1", "2", "export.jsonl:3", "ria-3"]
    documents = [item for item in items if isinstance(item, Document)]
    assert len(documents) == 3
    first = documents[0]
    assert (first.text, first.title, first.date) == (NEWS, "Нефть", "2024-03-14")
    assert (first.format, first.encoding, first.size) == ("jsonl", "utf-8", len(lines[0]))
    assert all(d.path == str(tmp_path / "export.jsonl") for d in documents)
    assert_one_error(items, "export.jsonl:3", "invalid JSON on line 3")


def test_jsonl_record_problems_each_give_one_error(tmp_path: Path) -> None:
    records = [
        {"id": "a", "body": "текст в другом поле"},
        {"id": "b", "text": 42},
        {"text": "Запись без идентификатора."},
        {"id": "d", "text": "   "},
        ["not", "an", "object"],
    ]
    write(tmp_path / "x.jsonl", b"\n".join(orjson.dumps(r) for r in records))
    items = read_all(tmp_path)
    assert len(items) == 5
    assert_one_error(items, "a", "record has no 'text' field (--text-field)")
    assert_one_error(items, "b", "'text' field is a number, not a string")
    assert isinstance(by_id(items)["x.jsonl:3"], Document)
    assert_one_error(items, "d", "empty")
    assert_one_error(items, "x.jsonl:5", "not an object")

    renamed = read_all(tmp_path, text_field="body", id_field="id")
    assert isinstance(by_id(renamed)["a"], Document)


def test_json_file_with_a_list_or_one_record_in_cp1251(tmp_path: Path) -> None:
    records = [{"id": "r1", "text": NEWS}, {"text": "Без идентификатора."}]
    write(tmp_path / "list.json", orjson.dumps(records).decode().encode("cp1251"))
    write(tmp_path / "one.json", orjson.dumps({"id": "single", "text": NEWS}))
    write(tmp_path / "scalar.json", b"42")
    write(tmp_path / "broken.json", b'[{"id": 1, "text": "x"},\n {"id": 2,, }]')
    write(tmp_path / "lines.json", b'{"id": "l1", "text": "x"}\n{"id": "l2", "text": "y"}\n')
    items = read_all(tmp_path)
    docs = by_id(items)
    assert docs["r1"].text == NEWS and docs["r1"].encoding == "cp1251"
    assert docs["r1"].format == "json"
    assert docs["list.json:2"].text == "Без идентификатора."
    assert docs["single"].text == NEWS
    assert_one_error(items, "scalar.json", "a number")
    assert_one_error(items, "broken.json", "invalid JSON on line 2")
    assert (docs["l1"].format, docs["l2"].text) == ("jsonl", "y")  # JSON Lines named .json


# --- bad files -------------------------------------------------------------------------------


def test_every_bad_file_gives_exactly_one_error_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "news"
    write(root / "a_good.txt", NEWS)
    write(root / "empty.txt", b"")
    write(root / "blank.txt", " \n\t\r\n  ")
    write(root / "bom_only.txt", codecs.BOM_UTF8)
    rng = random.Random(1)
    write(root / "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(500)))
    write(root / "big.txt", NEWS * 3)
    write(root / "locked.txt", NEWS)
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    os.mkfifo(root / "pipe.txt")  # reading it would block forever
    write(root / "photo.jpg", b"\xff\xd8\xff\xe0")
    write(root / "z_good.md", "# Заголовок\n\nТекст.")

    real_read_bytes = read_files.read_bytes

    def read_bytes(path: Path, limit: int) -> bytes:
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path, limit)

    monkeypatch.setattr(read_files, "read_bytes", read_bytes)
    items = read_all(root, max_bytes=len((NEWS * 2).encode()))

    counts = Counter(item.doc_id for item in items)
    assert all(n == 1 for n in counts.values()), counts
    assert [item.doc_id for item in items] == sorted(counts)
    assert isinstance(by_id(items)["a_good.txt"], Document)
    assert by_id(items)["z_good.md"].format == "markdown"
    assert assert_one_error(items, "empty.txt", "empty file").size == 0
    assert_one_error(items, "blank.txt", "empty file (only whitespace)")
    assert_one_error(items, "bom_only.txt", "empty file")
    assert_one_error(items, "image.txt", "not a text file (PNG image)")
    big = assert_one_error(items, "big.txt", "over the", "limit (--max-size)")
    assert big.size == (root / "big.txt").stat().st_size
    assert_one_error(items, "locked.txt", "permission denied")
    assert_one_error(items, "dangling.txt", "broken symlink ->", "missing.txt")
    assert_one_error(items, "pipe.txt", "not a regular file")
    assert_one_error(items, "photo.jpg", "skipped: unsupported file type '.jpg'")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_and_folder_without_monkeypatch(tmp_path: Path) -> None:
    write(tmp_path / "locked.txt", NEWS).chmod(0)
    write(tmp_path / "closed" / "inside.txt", NEWS)
    (tmp_path / "closed").chmod(0)
    try:
        items = read_all(tmp_path)
    finally:
        (tmp_path / "closed").chmod(0o755)
    assert_one_error(items, "locked.txt", "permission denied")
    assert_one_error(items, "closed", "cannot list folder: permission denied")


def test_unlistable_folder_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a.txt", NEWS)
    write(tmp_path / "closed" / "inside.txt", NEWS)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = read_all(tmp_path)
    assert [item.doc_id for item in items] == ["a.txt", "closed"]
    assert_one_error(items, "closed", "cannot list folder: permission denied")


def test_missing_input_is_one_error(tmp_path: Path) -> None:
    items = read_all(tmp_path / "nowhere.txt")
    assert_one_error(items, "nowhere.txt", "no such file or folder")


# --- symlinks --------------------------------------------------------------------------------


def test_symlink_loop_terminates_with_one_error(tmp_path: Path) -> None:
    root = tmp_path / "news"
    write(root / "dir" / "a.txt", NEWS)
    (root / "dir" / "link").symlink_to("..")
    (root / "self").symlink_to(".")
    items = read_all(root)
    assert [item.doc_id for item in items] == ["dir/a.txt", "dir/link", "self"]
    assert_one_error(items, "dir/link", "symlink loop", "already visited")
    assert_one_error(items, "self", "symlink loop")


def test_symlinks_to_files_and_outside_folders_are_followed_once(tmp_path: Path) -> None:
    outside = tmp_path / "archive"
    write(outside / "old.txt", NEWS)
    root = tmp_path / "news"
    write(root / "real" / "b.txt", NEWS)
    (root / "alias").symlink_to(root / "real")  # inside the same input: read as real/
    (root / "archive1").symlink_to(outside)
    (root / "archive2").symlink_to(outside)  # the same folder again
    (root / "file_link.txt").symlink_to(outside / "old.txt")
    (root / "chain.txt").symlink_to(root / "chain.txt")  # a file link pointing at itself
    (root / "ring_a").symlink_to("ring_b")  # two links without a suffix pointing at each other
    (root / "ring_b").symlink_to("ring_a")
    (root / "gone").symlink_to("nowhere")
    items = read_all(root)
    assert [item.doc_id for item in items] == [
        "alias", "archive1/old.txt", "archive2", "chain.txt", "file_link.txt", "gone",
        "real/b.txt", "ring_a", "ring_b",
    ]  # fmt: skip
    assert_one_error(items, "ring_a", "symlink loop: ring_a -> ring_b")
    assert_one_error(items, "ring_b", "symlink loop: ring_b -> ring_a")
    assert_one_error(items, "gone", "broken symlink -> nowhere")
    assert_one_error(items, "alias", "symlink to a folder of the same input")
    assert_one_error(items, "archive2", "already read")
    assert_one_error(items, "chain.txt", "symlink loop")
    assert isinstance(by_id(items)["file_link.txt"], Document)


# --- which files, in which order -------------------------------------------------------------


def make_tree(root: Path) -> None:
    for relpath in [
        "b.txt", "a-b.txt", "a/x.txt", "a/b/deep.md", "A.txt", "c.HTML.txt", "2020/01.txt",
        "a.b/c.jsonl", ".hidden.txt", ".git/config.txt", "notes/.draft.md", "drafts/skip.txt",
        "scan.pdf", "README",
    ]:  # fmt: skip
        write(root / relpath, NEWS if not relpath.endswith("jsonl") else '{"text": "x"}\n')


def test_nested_folders_in_sorted_order_hidden_skipped(tmp_path: Path) -> None:
    make_tree(tmp_path)
    pairs = list(iter_paths([tmp_path]))
    relpaths = [relpath for relpath, _ in pairs]
    assert relpaths == [
        "2020/01.txt", "A.txt", "a-b.txt", "a.b/c.jsonl", "a/b/deep.md", "a/x.txt", "b.txt",
        "c.HTML.txt", "drafts/skip.txt",
    ]  # fmt: skip
    assert relpaths == sorted(relpaths)
    assert all(path == tmp_path / relpath for relpath, path in pairs)
    items = read_all(tmp_path)
    assert [item.doc_id for item in items] == [
        "2020/01.txt", "A.txt", "README", "a-b.txt", "a.b/c.jsonl:1", "a/b/deep.md", "a/x.txt",
        "b.txt", "c.HTML.txt", "drafts/skip.txt", "scan.pdf",
    ]  # fmt: skip
    ids = [item.doc_id for item in items]
    assert ids == sorted(ids)
    assert_one_error(items, "scan.pdf", "skipped: unsupported file type '.pdf'")
    assert_one_error(items, "README", "skipped: unsupported file type (no suffix)")
    assert not any(".hidden" in i or ".git" in i or ".draft" in i for i in ids)

    with_hidden = [
        relpath for relpath, _ in iter_paths([tmp_path], ReadOptions(include_hidden=True))
    ]
    assert {".hidden.txt", ".git/config.txt", "notes/.draft.md"} <= set(with_hidden)


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    make_tree(tmp_path)

    def relpaths(**options) -> list[str]:
        return [relpath for relpath, _ in iter_paths([tmp_path], ReadOptions(**options))]

    assert relpaths(include=("**/*.md",)) == ["a/b/deep.md"]
    assert relpaths(include=("*.md", "README")) == ["README", "a/b/deep.md"]
    assert relpaths(include=("a/*",)) == ["a/b/deep.md", "a/x.txt"]  # '*' spans folders
    assert relpaths(include=("*.TXT",), exclude=("drafts", "2020/**")) == [
        "A.txt", "a-b.txt", "a/x.txt", "b.txt", "c.HTML.txt",
    ]  # fmt: skip
    assert "drafts/skip.txt" not in relpaths(exclude=("drafts/*",))
    # with --glob, files that do not match are left out silently (the user chose them)
    items = read_all(tmp_path, include=("*.md",))
    assert [item.doc_id for item in items] == ["a/b/deep.md"]


def test_a_file_given_directly_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    write(tmp_path / "export.csv", "id;text\n1;Текст о транзите нефти\n".encode("cp1251"))
    write(tmp_path / "folder" / "b.txt", NEWS)
    write(tmp_path / ".hidden.txt", NEWS)
    items = read_all(tmp_path / "folder", tmp_path / "export.csv", tmp_path / ".hidden.txt")
    assert [item.doc_id for item in items] == ["folder/b.txt", "export.csv", ".hidden.txt"]
    csv = items[1]
    assert isinstance(csv, Document)
    assert (csv.format, csv.encoding) == ("text", "cp1251")
    assert csv.text.startswith("id;text\n1;Текст")


def test_read_path_reads_one_file(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", NEWS.encode("koi8-r"))
    (doc,) = read_path("custom/id.txt", path)
    assert isinstance(doc, Document)
    assert (doc.doc_id, doc.text, doc.encoding) == ("custom/id.txt", NEWS, "koi8-r")


def test_reading_streams_folder_by_folder(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", NEWS)
    write(tmp_path / "b" / "first.txt", NEWS)
    stream = read_inputs(str(tmp_path))  # one path is taken as one input
    assert next(stream).doc_id == "a.txt"
    write(tmp_path / "b" / "later.txt", NEWS)  # b/ is listed only when the walk reaches it
    assert [item.doc_id for item in stream] == ["b/first.txt", "b/later.txt"]


# --- identity of inputs ----------------------------------------------------------------------


def test_same_file_name_in_two_inputs_gets_two_ids(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", NEWS)
    write(tmp_path / "b" / "x.txt", NEWS)
    write(tmp_path / "c" / "sub" / "x.txt", NEWS)
    files = read_all(tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt")
    assert [item.doc_id for item in files] == ["a/x.txt", "b/x.txt"]
    folders = read_all(tmp_path / "b", tmp_path / "a", tmp_path / "c")
    assert [item.doc_id for item in folders] == ["b/x.txt", "a/x.txt", "c/sub/x.txt"]


def test_ids_are_relative_to_the_one_input_and_stable(tmp_path: Path) -> None:
    write(tmp_path / "news" / "2024" / "x.txt", NEWS)
    assert [item.doc_id for item in read_all(tmp_path / "news")] == ["2024/x.txt"]
    assert [item.doc_id for item in read_all(tmp_path / "news" / "2024" / "x.txt")] == ["x.txt"]
    twice = [[i.doc_id for i in read_all(tmp_path / "news" / "2024", tmp_path / "news")]
             for _ in range(2)]
    assert twice[0] == twice[1] == ["2024/x.txt"]


def test_a_folder_given_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "news" / "a.txt", NEWS)
    write(tmp_path / "news" / "sub" / "b.txt", NEWS)
    (tmp_path / "alias").symlink_to(tmp_path / "news")
    expected = ["news/a.txt", "news/sub/b.txt"]
    same = read_all(tmp_path / "news", tmp_path / "news")  # the same ids as given once
    assert [i.doc_id for i in same] == ["a.txt", "sub/b.txt"]
    assert [i.doc_id for i in read_all(tmp_path / "news", tmp_path / "alias")] == expected
    # inside a folder given before, or containing one given before: each file once
    nested = read_all(tmp_path / "news", tmp_path / "news" / "sub", tmp_path / "news" / "a.txt")
    assert [i.doc_id for i in nested] == ["a.txt", "sub/b.txt"]
    reverse = read_all(tmp_path / "news" / "sub", tmp_path / "news" / "a.txt", tmp_path / "news")
    assert [i.doc_id for i in reverse] == ["sub/b.txt", "a.txt"]
    assert all(isinstance(item, Document) for item in nested + reverse)


def test_a_huge_size_limit_reads_files_whole_without_allocating_the_limit(tmp_path: Path):
    text = "Министр энергетики встретился с послом.\n" * 40_000  # 3 MB, read in pieces
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    (tmp_path / "short.txt").write_text("Коротко.\n", encoding="utf-8")
    items = read_all(tmp_path, max_bytes=10**15)  # a petabyte: read(limit) raised MemoryError
    assert [item.text for item in items] == [text, "Коротко.\n"]
    assert read_files.read_bytes(tmp_path / "long.txt", 10, chunk=4) == text.encode()[:10]


# --- gzip-compressed files -------------------------------------------------------------------


def test_gzip_files_are_read_as_what_they_hold(tmp_path: Path) -> None:
    records = orjson.dumps({"id": "r1", "text": NEWS}) + b'\n{"id": "r2", "text": "x"}\n'
    write(tmp_path / "2024" / "a.txt.gz", gzip.compress(NEWS.encode("cp1251")))
    write(tmp_path / "2024" / "feed.jsonl.gz", gzip.compress(records))
    write(tmp_path / "2024" / "page.HTML.GZ", gzip.compress(news_page().encode()))
    two_members = gzip.compress(NEWS[:20].encode()) + gzip.compress(NEWS[20:].encode())
    write(tmp_path / "2024" / "joined.md.gz", two_members)  # as `cat a.gz b.gz` makes
    write(tmp_path / "2024" / "misnamed.txt", gzip.compress(NEWS.encode()))
    write(tmp_path / "2024" / "padded.txt.gz", gzip.compress(NEWS.encode()) + b"\0" * 512)
    items = read_all(tmp_path)
    docs = by_id(items)
    assert sorted(docs) == ["2024/a.txt.gz", "2024/joined.md.gz", "2024/misnamed.txt",
                            "2024/padded.txt.gz", "2024/page.HTML.GZ", "r1", "r2"]
    assert (docs["2024/a.txt.gz"].text, docs["2024/a.txt.gz"].encoding) == (NEWS, "cp1251")
    assert docs["2024/a.txt.gz"].format == "text"
    assert docs["2024/a.txt.gz"].size == (tmp_path / "2024" / "a.txt.gz").stat().st_size
    assert (docs["r1"].text, docs["r1"].format, docs["r2"].text) == (NEWS, "jsonl", "x")
    assert docs["2024/page.HTML.GZ"].format == "html"
    assert docs["2024/page.HTML.GZ"].text.startswith("Экспорт нефти через Приморск")
    assert (docs["2024/joined.md.gz"].text, docs["2024/joined.md.gz"].format) == (
        NEWS, "markdown")
    assert docs["2024/misnamed.txt"].text == NEWS
    assert docs["2024/padded.txt.gz"].text == NEWS  # bytes after the data ignored, as gzip -d


def test_damaged_or_oversized_gzip_files_give_one_error_each(tmp_path: Path) -> None:
    packed = gzip.compress(NEWS.encode())
    write(tmp_path / "cut.txt.gz", packed[: len(packed) // 2])
    write(tmp_path / "corrupt.txt.gz", packed[:12] + bytes(len(packed) - 12))
    write(tmp_path / "nothing.txt.gz", gzip.compress(b""))
    write(tmp_path / "only_spaces.txt.gz", gzip.compress(b"  \n"))
    write(tmp_path / "bomb.txt.gz", gzip.compress(b"a" * 5_000_000))  # 5 KB -> 5 MB
    write(tmp_path / "archive.tar.gz", packed)
    write(tmp_path / "plain.gz", packed)
    write(tmp_path / "ok.txt.gz", packed)
    items = read_all(tmp_path, max_bytes=1_000_000)
    assert Counter(item.doc_id for item in items).most_common(1)[0][1] == 1
    assert isinstance(by_id(items)["ok.txt.gz"], Document)
    assert_one_error(items, "cut.txt.gz", "damaged gzip file: it ends too early")
    assert_one_error(items, "corrupt.txt.gz", "damaged gzip file (invalid")
    assert_one_error(items, "nothing.txt.gz", "empty file")
    assert_one_error(items, "only_spaces.txt.gz", "empty file (only whitespace)")
    bomb = assert_one_error(items, "bomb.txt.gz", "decompresses to over the 1 MB limit")
    assert bomb.size == (tmp_path / "bomb.txt.gz").stat().st_size
    assert_one_error(items, "archive.tar.gz", "skipped: unsupported file type '.tar.gz'")
    assert_one_error(items, "plain.gz", "skipped: unsupported file type '.gz'")
    (named,) = read_all(tmp_path / "plain.gz")  # named directly: read, as plain text
    assert isinstance(named, Document) and named.text == NEWS


def test_gunzip_stops_at_the_limit_without_decompressing_the_rest() -> None:
    packed = gzip.compress(b"x" * 50_000_000)  # 50 MB in 50 KB
    with pytest.raises(read_files.FileProblem, match="over the 2 MB limit"):
        read_files.gunzip(packed, 2_000_000, chunk=1 << 20)
    assert read_files.gunzip(gzip.compress(b"abc"), 3) == b"abc"
