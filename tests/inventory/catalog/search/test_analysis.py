"""Text analysis of the catalog search: folding, stems, stop words, compound words."""

from inventory.catalog.search.analysis import fold, text_tokens, text_words, word_forms


def test_accents_and_case_are_folded():
    assert fold("Éditeur de TEXTES") == "editeur de textes"


def test_a_word_stands_for_its_french_and_english_stems_with_or_without_accents():
    assert {"textes", "text"} <= word_forms("textes")
    assert word_forms("vidéos") & word_forms("video")
    assert word_forms("partagé") & word_forms("partage")
    assert word_forms("accessibilité") & word_forms("accessibilite")
    assert word_forms("browsers") & word_forms("browser")


def test_folding_leaves_only_letters_and_digits_in_tokens():
    assert all(form.isalnum() for form in word_forms("½"))


def test_stop_words_and_catalog_words_are_left_out_of_texts_but_not_of_names():
    assert list(text_words("Un outil de traitement de texte pour les agents")) == [
        "traitement",
        "texte",
        "agents",
    ]
    assert list(text_words("The Gimp", keep_stop_words=True)) == ["the", "gimp"]


def test_camel_case_hyphenated_and_dotted_words_are_searched_apart_and_joined():
    assert {"libreoffice", "libre", "office"} <= text_tokens("LibreOffice")
    assert {"micro", "blogging", "microblogging"} <= text_tokens("micro-blogging")
    assert {"node", "js", "nodejs"} <= text_tokens("Node.js")
    assert {"7zip", "zip"} <= text_tokens("7zip")
