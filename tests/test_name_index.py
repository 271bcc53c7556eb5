"""The index of a report's words finds what a search of every text for every name finds (``name_index.pattern``):
the same texts, in the same order, in any case, for names of any characters."""

from hypothesis import given
from hypothesis import strategies as st

from claimbench.name_index import Names, Texts, pattern

LETTERS = "aAiIkKsSzé\u00e9\u0130\u0131\u017f\u212a\u03c3\u03c2\u03a3Ƶ09_"
"""Letters, digits and the non-ASCII letters ``re`` matches to an ASCII one in any case (İ ı ſ K), and others."""
NAME = st.text(st.sampled_from(LETTERS + "-+. "), min_size=1, max_size=6)
TEXT = st.text(st.sampled_from(LETTERS + "-+. ,'()"), max_size=40)
SENTENCES = ["ResNet-18 reached 93.0% on CIFAR-10.", "resnet-18 + CutMix did better.", "We trained RESNET-180.",
             "A ResNet-18's MACs.", "ResNet18 had 11M parameters.", "\u212aNet-2 was the smallest."]


def searched(name: str, texts: list[str]) -> list[str]:
    """The texts that name ``name``: every one searched."""
    return [text for text in texts if pattern(name).search(text)]


def test_the_sentences_that_name_a_model_are_those_that_print_it_as_a_whole_in_any_case() -> None:
    texts = Texts(SENTENCES)
    assert texts.naming("ResNet-18") == [SENTENCES[0], SENTENCES[1], SENTENCES[3]]
    assert texts.naming("ResNet18") == [SENTENCES[4]]
    assert texts.naming("KNet-2") == [SENTENCES[5]]  # the Kelvin sign is a K in any case
    assert texts.naming("VGG-16") == []


def test_the_models_a_sentence_names_are_those_it_prints_as_a_whole_in_any_case() -> None:
    names = Names(["ResNet-18", "ResNet-18 + CutMix", "ResNet", "(b) ResNet", "kNet-2"])
    assert names.named(SENTENCES[1]) == ("ResNet-18", "ResNet-18 + CutMix", "ResNet")
    assert names.named("(b) ResNet-50 did worse") == ("ResNet", "(b) ResNet")
    assert names.named(SENTENCES[5]) == ("kNet-2",)


@given(st.lists(TEXT, max_size=8), st.lists(NAME, max_size=5))
def test_the_index_finds_the_texts_a_search_of_every_text_finds(texts: list[str], names: list[str]) -> None:
    index = Texts(texts)
    for name in names:
        assert index.naming(name) == searched(name, texts), name


@given(st.lists(NAME, max_size=8), st.lists(TEXT, max_size=5))
def test_the_index_finds_the_names_a_search_of_every_name_finds(names: list[str], texts: list[str]) -> None:
    index = Names(names)
    for text in texts:
        assert list(index.named(text)) == [name for name in names if pattern(name).search(text)], text
